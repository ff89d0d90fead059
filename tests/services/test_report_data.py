"""What a report reads: the live results (the API's numbers), participation over
time, the chosen questions, and every contribution; answers streamed under a
pseudonym that changes from export to export."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from podium.domain.errors import InvalidAnswer
from podium.domain.report import ReportOptions, bucket_start, bucket_width
from podium.domain.tally import ChoiceResult
from podium.runtime import Runtime
from podium.services.report_data import answer_rows, report_data, sqlite_answer_rows
from podium.settings import Settings
from podium.store.tables import Answer
from tests.reports.report_event import report_event


@pytest.fixture
async def rt(settings: Settings) -> Runtime:
    runtime = Runtime(settings.model_copy(update={"organisation": "Bundesagentur für Arbeit"}))
    await runtime.start()
    yield runtime  # type: ignore[misc]
    await runtime.stop()


async def test_the_report_holds_the_articles_figures_and_every_answer(rt: Runtime) -> None:
    event = await report_event(rt, participants=60)
    data = await report_data(rt, event.event_id, ReportOptions())
    assert [q.id for q in data.questions] == event.question_ids
    assert [q.number for q in data.questions] == list(range(1, len(event.question_ids) + 1))
    for q in data.questions:
        if isinstance(q.result, ChoiceResult):
            shown = {o.label: o.whole_percent for o in q.result.options}
            assert shown == event.percentages[q.title]
    assert data.event.organiser == "Bundesagentur für Arbeit"
    assert data.event.series_title
    assert data.participation.joined >= event.participants
    assert sum(b.answers for b in data.participation.buckets) == data.participation.answers
    starts = [b.start for b in data.participation.buckets]
    assert starts == sorted(starts)
    assert all(b - a == data.participation.width for a, b in itertools.pairwise(starts))
    assert data.running


async def test_options_choose_questions_and_leave_out_texts_and_contributions(
    rt: Runtime,
) -> None:
    event = await report_event(rt, participants=10)
    everything = await report_data(rt, event.event_id, ReportOptions())
    texts = [q.id for q in everything.questions if q.spec.kind == "text"]
    assert texts, "the demo event has an open-text question"
    assert len(everything.contributions) == 5
    published = everything.published_contributions
    assert published[0].text == "Wie wird der Datenschutz im Homeoffice sichergestellt?"
    assert all(i.visible for i in published) and len(published) == 3

    first = event.question_ids[0]
    chosen = await report_data(
        rt,
        event.event_id,
        ReportOptions(questions=(*texts, first), include_texts=False, include_contributions=False),
    )
    assert [q.id for q in chosen.questions] == [first]
    assert chosen.contributions == ()

    with pytest.raises(InvalidAnswer) as refused:
        await report_data(rt, event.event_id, ReportOptions(questions=(first, 999_999)))
    assert refused.value.code == "unknown_report_question"


async def test_answers_stream_with_a_new_pseudonym_each_export(rt: Runtime) -> None:
    event = await report_event(rt, participants=20)
    ids = tuple(event.question_ids)
    first = [r async for r in answer_rows(rt.sessions, event.event_id, ids)]
    second = [r async for r in answer_rows(rt.sessions, event.event_id, ids)]
    data = await report_data(rt, event.event_id, ReportOptions())
    per_question = Counter(r.question_id for r in first)
    for q in data.questions:
        assert per_question[q.id] == q.result.respondents
    assert len({r.participant for r in first}) == event.participants
    assert {r.participant for r in first}.isdisjoint({r.participant for r in second})
    assert [(r.question_id, r.value) for r in first] == [(r.question_id, r.value) for r in second]


async def test_answers_over_time_are_counted_per_bucket_as_the_domain_cuts_them(
    rt: Runtime,
) -> None:
    event = await report_event(rt, participants=30)
    start = datetime(2026, 3, 12, 9, 58, 41, 250_000, tzinfo=UTC)
    async with rt.sessions() as session, session.begin():
        ids = list(await session.scalars(select(Answer.id).order_by(Answer.id)))
        for n, row_id in enumerate(ids):  # spread over 70 minutes: 2-minute buckets
            moment = start + timedelta(seconds=(n * 977) % (70 * 60))
            change = update(Answer).where(Answer.id == row_id).values(created_at=moment)
            await session.execute(change)
    data = await report_data(rt, event.event_id, ReportOptions())
    moments = [start + timedelta(seconds=(n * 977) % (70 * 60)) for n in range(len(ids))]
    first, last = min(moments), max(moments)
    width = bucket_width(first, last)
    expected = Counter(bucket_start(m, first, width) for m in moments)
    shown = {b.start: b.answers for b in data.participation.buckets}
    assert data.participation.width == width == timedelta(minutes=2)
    assert {k: v for k, v in shown.items() if v} == dict(expected)
    assert min(shown) == bucket_start(first, first, width)
    assert max(shown) == bucket_start(last, first, width)


@pytest.mark.sqlite_only  # the synchronous reader is SQLite's; PostgreSQL streams as above
async def test_a_worker_reads_the_same_answers_from_a_sqlite_file(rt: Runtime) -> None:
    event = await report_event(rt, participants=15)
    ids = tuple(event.question_ids)
    path = make_url(rt.settings.database_url).database or ""
    synchronous = list(sqlite_answer_rows(path, event.event_id, ids))
    streamed = [r async for r in answer_rows(rt.sessions, event.event_id, ids)]
    assert [(r.question_id, r.created_at, r.value) for r in synchronous] == [
        (r.question_id, r.created_at, r.value) for r in streamed
    ]
    assert len({r.participant for r in synchronous}) == len({r.participant for r in streamed})
    assert list(sqlite_answer_rows(path, event.event_id, ())) == []
