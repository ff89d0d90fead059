"""The group-committing writer: durable before acknowledged, batched, and the
database itself refuses a second current answer or a second row per answer id."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.services.runtime import Runtime
from podium.store.engine import make_engine
from podium.store.tables import Answer
from podium.store.writer import AnswerWrite, Outcome


async def setup(rt: Runtime, participants: int = 1) -> tuple[int, int, list[int]]:
    event = await create_event(rt, "Writer test")
    question = await add_question(rt, event.id, QuestionInput("scale", "Wie?", [], {}))
    pids = [await participant_id(rt, event.id, f"token-{i:040d}") for i in range(participants)]
    return event.id, question.id, pids


def write(
    question_id: int, pid: int, value: int, answer_id: str | None = None, change: bool = True
):
    return AnswerWrite(answer_id or str(uuid.uuid4()), question_id, pid, value, change)


async def rows(rt: Runtime, **where: object) -> list[tuple[int, int, bool]]:
    async with rt.sessions() as session:
        query = select(Answer.participant_id, Answer.value, Answer.superseded).order_by(Answer.id)
        for name, value in where.items():
            query = query.where(getattr(Answer, name) == value)
        return [tuple(r) for r in await session.execute(query)]


async def test_many_concurrent_answers_share_few_transactions(runtime: Runtime) -> None:
    event_id, question_id, pids = await setup(runtime, 300)
    results = await asyncio.gather(
        *(runtime.writer.submit(write(question_id, pid, 1 + pid % 5), event_id) for pid in pids)
    )
    assert all(r.outcome is Outcome.CREATED for r in results)
    assert len(await rows(runtime)) == 300
    assert runtime.writer.batches < 30  # grouped, not one commit per answer


async def test_acknowledged_answer_is_visible_to_a_fresh_connection(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    await runtime.writer.submit(write(question_id, pid, 4), event_id)
    other = make_engine(runtime.settings.database_url)
    async with other.connect() as conn:
        count = await conn.scalar(select(func.count()).select_from(Answer))
    await other.dispose()
    assert count == 1


async def test_change_keeps_history_and_one_current_answer(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    first = await runtime.writer.submit(write(question_id, pid, 2), event_id)
    second = await runtime.writer.submit(write(question_id, pid, 5), event_id)
    assert (first.outcome, second.outcome) == (Outcome.CREATED, Outcome.CHANGED)
    assert await rows(runtime) == [(pid, 2, True), (pid, 5, False)]


async def test_two_answers_of_one_participant_in_one_batch(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    a, b = await asyncio.gather(
        runtime.writer.submit(write(question_id, pid, 1), event_id),
        runtime.writer.submit(write(question_id, pid, 3), event_id),
    )
    assert {a.outcome, b.outcome} == {Outcome.CREATED, Outcome.CHANGED}
    assert [r for r in await rows(runtime) if not r[2]] == [(pid, 3, False)]


async def test_no_change_allowed_means_first_answer_stays(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    await runtime.writer.submit(write(question_id, pid, 1, change=False), event_id)
    again = await runtime.writer.submit(write(question_id, pid, 2, change=False), event_id)
    assert again.outcome is Outcome.ALREADY_ANSWERED
    assert await rows(runtime) == [(pid, 1, False)]


async def test_replayed_answer_id(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    answer_id = str(uuid.uuid4())
    await runtime.writer.submit(write(question_id, pid, 1, answer_id), event_id)
    same = await runtime.writer.submit(write(question_id, pid, 1, answer_id), event_id)
    different = await runtime.writer.submit(write(question_id, pid, 2, answer_id), event_id)
    assert same.outcome is Outcome.REPEATED
    assert different.outcome is Outcome.ID_REUSED
    assert await rows(runtime) == [(pid, 1, False)]


async def test_the_database_enforces_the_invariants(runtime: Runtime) -> None:
    _event_id, question_id, (pid,) = await setup(runtime)
    row = {"question_id": question_id, "participant_id": pid, "value": 1, "superseded": False}
    async with runtime.engine.begin() as conn:
        await conn.execute(insert(Answer), [{**row, "answer_id": "a" * 10}])
    with pytest.raises(IntegrityError):  # a second current answer
        async with runtime.engine.begin() as conn:
            await conn.execute(insert(Answer), [{**row, "answer_id": "b" * 10}])
    with pytest.raises(IntegrityError):  # a second row with the same answer id
        async with runtime.engine.begin() as conn:
            await conn.execute(insert(Answer), [{**row, "answer_id": "a" * 10, "superseded": True}])


async def test_sqlite_runs_in_wal_with_full_sync(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 2  # FULL


async def test_tallies_follow_the_committed_rows(runtime: Runtime) -> None:
    event_id, question_id, pids = await setup(runtime, 10)
    live = await runtime.live.get(event_id)
    assert live is not None
    await asyncio.gather(
        *(runtime.writer.submit(write(question_id, pid, 5), event_id) for pid in pids)
    )
    await runtime.writer.submit(write(question_id, pids[0], 1), event_id)
    result = live.tallies[question_id].result()
    assert [s.count for s in result.steps] == [1, 0, 0, 0, 9]
    # and a rebuild from the database gives the same numbers
    runtime.live._forget(event_id)
    rebuilt = await runtime.live.get(event_id)
    assert rebuilt is not None
    assert [s.count for s in rebuilt.tallies[question_id].result().steps] == [1, 0, 0, 0, 9]
