"""Deleting an event's answers, contributions and participants, on both stores: the
counts are exact, other events keep theirs, the live tallies and the contribution
board show nothing at once, and the event still loads and takes answers again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from podium.domain.errors import NotFound
from podium.live.messages import Forget
from podium.runtime import Runtime
from podium.services import contributions, live_control, moderation, word_edits
from podium.services.catalog_events import create_event, get_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import submit_answer
from podium.services.results import event_results, live_event
from podium.services.retention import (
    Counts,
    clear_event_data,
    event_data_counts,
    purge_expired,
    purge_older_than,
    retention_task,
)
from podium.store.tables import Answer, Contribution, ContributionVote, Participant, WordEditRow
from tests.services.catalog_helpers import published

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def token(n: int) -> str:
    return f"participant-{n:032d}"


async def event_with_audience(
    rt: Runtime, title: str, starts_at: datetime | None = None, people: int = 3
) -> tuple[int, int, int]:
    """An event whose `people` participants answered a choice question (the first
    changed their answer once) and sent a contribution each, the others upvoting
    the first; returns the event's, the choice question's and the words question's ids."""
    event = await create_event(rt, title, starts_at=starts_at)
    choice = await add_question(rt, event.id, QuestionInput("single", "Ja?", ["Ja", "Nein"]))
    words = await add_question(rt, event.id, QuestionInput("words", "Ein Wort", [], {}))
    yes, no = (o.id for o in choice.options)
    await moderation.configure(rt, event.id, moderation="post")
    await live_control.go_live(rt, event.id, choice.id)
    await live_control.set_flags(rt, event.id, words.id, voting_open=True)
    live = await live_event(rt, event.id)
    for n in range(people):
        await submit_answer(rt, live, token(n), choice.id, [yes], str(uuid.uuid4()))
        await submit_answer(rt, live, token(n), words.id, "Zukunft", str(uuid.uuid4()))
    await submit_answer(rt, live, token(0), choice.id, [no], str(uuid.uuid4()))  # changed
    texts = ["Wie geht es weiter?", "Wer zahlt das alles?", "Gibt es eine Aufzeichnung?"]
    items = [
        await contributions.submit(rt, live, token(n), texts[n], None, None) for n in range(people)
    ]
    for n in range(1, people):
        await contributions.vote(rt, live, token(n), items[0].id, True)
    return event.id, choice.id, words.id


async def rows(rt: Runtime, table: type) -> int:
    async with rt.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def respondents(rt: Runtime, event_id: int) -> list[int]:
    results = await event_results(rt, event_id)
    return [row.result.respondents for row in results.questions]


async def test_clearing_deletes_exactly_the_events_audience(runtime: Runtime) -> None:
    event_id, _choice, words = await event_with_audience(runtime, "Erste", people=3)
    other_id, _c, _w = await event_with_audience(runtime, "Zweite", people=2)
    await word_edits.hide(runtime, event_id, words, "zukunft", None)
    assert await event_data_counts(runtime, event_id) == Counts(6, 3, 3)
    assert await rows(runtime, Answer) == 7 + 5  # each event's change kept as a row

    counts = await clear_event_data(runtime, event_id)

    assert counts == Counts(answers=6, contributions=3, participants=3)
    assert await event_data_counts(runtime, event_id) == Counts()
    assert await event_data_counts(runtime, other_id) == Counts(4, 2, 2)
    assert await rows(runtime, Answer) == 5
    assert await rows(runtime, Contribution) == 2
    assert await rows(runtime, ContributionVote) == 1  # the other event's upvote
    assert await rows(runtime, Participant) == 2
    assert await rows(runtime, WordEditRow) == 0
    assert await respondents(runtime, other_id) == [2, 2]
    event = await get_event(runtime, event_id)  # the event and its questions stay
    assert [q.title for q in event.questions] == ["Ja?", "Ein Wort"]


async def test_the_live_state_is_at_zero_at_once_and_answers_come_again(runtime: Runtime) -> None:
    event_id, choice, _words = await event_with_audience(runtime, "Live", people=3)
    assert await respondents(runtime, event_id) == [3, 3]
    assert len(await runtime.board.get(event_id)) == 3
    heard = published(runtime)

    await clear_event_data(runtime, event_id)

    assert Forget(event_id) in heard  # every process drops the event
    assert runtime.live.loaded(event_id) is None
    assert await respondents(runtime, event_id) == [0, 0]  # reloaded from the tables
    assert await runtime.board.get(event_id) == []
    live = await live_event(runtime, event_id)
    assert live.current_question_id is not None  # the live state itself is kept
    yes = live.questions[choice].spec.options[0].id
    await submit_answer(runtime, live, token(0), choice, [yes], str(uuid.uuid4()))
    assert await respondents(runtime, event_id) == [1, 0]
    assert await event_data_counts(runtime, event_id) == Counts(1, 0, 1)


async def test_an_unknown_event_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFound):
        await clear_event_data(runtime, 9999)
    with pytest.raises(NotFound):
        await event_data_counts(runtime, 9999)


async def test_purge_takes_the_events_older_than_the_days(runtime: Runtime) -> None:
    old, _c, _w = await event_with_audience(runtime, "Alt", NOW - timedelta(days=40), people=2)
    older, _c, _w = await event_with_audience(runtime, "Älter", NOW - timedelta(days=400))
    recent, _c, _w = await event_with_audience(runtime, "Neu", NOW - timedelta(days=20))
    undated, _c, _w = await event_with_audience(runtime, "Ohne Datum", None, people=1)
    await create_event(runtime, "Leer und alt", starts_at=NOW - timedelta(days=90))

    would = await purge_older_than(runtime, 30, now=NOW, dry_run=True)
    assert [(p.title, p.counts) for p in would] == [
        ("Älter", Counts(6, 3, 3)),
        ("Alt", Counts(4, 2, 2)),
    ]
    assert await event_data_counts(runtime, old) == Counts(4, 2, 2)  # nothing went

    done = await purge_older_than(runtime, 30, now=NOW)
    assert [(p.event_id, p.counts) for p in done] == [
        (older, Counts(6, 3, 3)),
        (old, Counts(4, 2, 2)),
    ]
    assert done[1].starts_at == NOW - timedelta(days=40)
    assert await event_data_counts(runtime, old) == Counts()
    assert await event_data_counts(runtime, recent) == Counts(6, 3, 3)
    assert await event_data_counts(runtime, undated) == Counts(2, 1, 1)
    assert await purge_older_than(runtime, 30, now=NOW) == []  # nothing left: nothing said


async def test_the_servers_own_retention_follows_its_setting(runtime: Runtime) -> None:
    old, _c, _w = await event_with_audience(runtime, "Alt", NOW - timedelta(days=40), people=1)
    assert await purge_expired(runtime, now=NOW) == []  # 0: kept until someone deletes
    assert await event_data_counts(runtime, old) == Counts(2, 1, 1)
    runtime.settings = runtime.settings.model_copy(update={"answers_retention_days": 30})
    purged = await purge_expired(runtime, now=NOW)
    assert [(p.event_id, p.counts) for p in purged] == [(old, Counts(2, 1, 1))]
    runtime.settings = runtime.settings.model_copy(update={"answers_retention_days": 41})
    assert await purge_expired(runtime, now=NOW) == []


async def test_the_periodic_task_runs_purge_expired(runtime: Runtime) -> None:
    assert retention_task(runtime) is None  # 0 days: no task at all
    old, _c, _w = await event_with_audience(runtime, "Alt", NOW - timedelta(days=400), people=1)
    runtime.settings = runtime.settings.model_copy(update={"answers_retention_days": 30})
    task = retention_task(runtime, interval=0.01)
    assert task is not None and task.name == "podium-retention"
    await task.start()
    try:
        for _ in range(500):
            if await event_data_counts(runtime, old) == Counts():
                break
            await asyncio.sleep(0.01)
    finally:
        await task.stop()
    assert await event_data_counts(runtime, old) == Counts()
