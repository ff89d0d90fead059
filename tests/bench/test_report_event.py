"""The report benchmark's event, small: the rows are what podium itself would hold, and
the report counts what the rows say."""

from __future__ import annotations

import random
from collections import Counter

from sqlalchemy import func, select

from podium.bench.report_event import Size, build, cloud_words, settings_for
from podium.bench.report_load import Answers, ack_ms, timeline
from podium.domain.report import ReportOptions
from podium.domain.tally import ChoiceResult, ScaleResult
from podium.runtime import Runtime
from podium.services.report_data import answer_rows, report_data
from podium.store.tables import Answer, Contribution, ContributionVote, Participant, Question

SIZE = Size(participants=50, contributions=20, words=40)


async def test_the_event_is_consistent_and_the_report_counts_its_rows(
    empty_database_url: str,
) -> None:
    event = await build(empty_database_url, SIZE)
    assert event.participants == 50 and event.contributions == 20
    assert len(event.question_ids) == 10
    rt = Runtime(settings_for(empty_database_url))
    await rt.start()
    try:
        async with rt.sessions() as session:
            participants = await session.scalar(
                select(func.count())
                .select_from(Participant)
                .where(Participant.event_id == event.event_id)
            )
            assert participants == 50
            rows = (
                await session.execute(
                    select(Answer.question_id, Answer.participant_id, Answer.value)
                    .join(Question, Question.id == Answer.question_id)
                    .where(Question.event_id == event.event_id, Answer.superseded.is_(False))
                )
            ).all()
            superseded = await session.scalar(
                select(func.count())
                .select_from(Answer)
                .join(Question, Question.id == Answer.question_id)
                .where(Question.event_id == event.event_id, Answer.superseded.is_(True))
            )
            contributions = (
                await session.scalars(
                    select(Contribution).where(Contribution.event_id == event.event_id)
                )
            ).all()
            votes = await session.scalar(select(func.count()).select_from(ContributionVote))
        # one current answer per participant and question, most questions answered
        assert len(rows) == event.current_answers
        assert len({(q, p) for q, p, _ in rows}) == len(rows)
        assert len(rows) > 0.7 * 50 * 10
        assert superseded == event.superseded_answers > 0
        assert len(contributions) == 20
        assert votes == event.votes == sum(c.votes for c in contributions)
        assert {c.state for c in contributions} <= {"approved", "pending", "rejected", "archived"}
        assert sum(c.highlighted for c in contributions) <= 1

        data = await report_data(rt, event.event_id, ReportOptions())
        assert data.participation.joined == 50
        assert data.participation.answers == event.current_answers + event.superseded_answers
        assert not data.running
        by_question: dict[int, list[object]] = {}
        for q, _, value in rows:
            by_question.setdefault(q, []).append(value)
        for question in data.questions:
            values = by_question[question.id]
            assert question.result.respondents == len(values)
            if isinstance(question.result, ChoiceResult):
                chosen = Counter(o for v in values for o in v)  # type: ignore[attr-defined]
                assert {o.option_id: o.count for o in question.result.options} == {
                    o.id: chosen[o.id] for o in question.spec.options
                }
            if isinstance(question.result, ScaleResult):
                steps = Counter(values)
                assert {s.value: s.count for s in question.result.steps if s.count} == steps
        streamed = [r async for r in answer_rows(rt.sessions, event.event_id, event.question_ids)]
        assert len(streamed) == event.current_answers
    finally:
        await rt.stop()


def test_a_cloud_draws_from_as_many_distinct_words_as_asked() -> None:
    words = cloud_words(random.Random(1), 500)
    assert len(set(words)) == 500


def test_the_latency_figures_name_the_slow_seconds() -> None:
    answers = Answers(latencies=[0.004, 0.2, 0.006], timed=[(0, 0.004), (0, 0.2), (3, 0.006)])
    assert timeline(answers) == [(0, 2, 200), (3, 1, 6)]
    figures = ack_ms(answers.latencies)
    assert (figures["p50"], figures["p95"], figures["max"], figures["count"]) == (
        6.0,
        200.0,
        200.0,
        3,
    )
