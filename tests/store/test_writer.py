"""The group-committing writer: durable before acknowledged, batched, and the
database itself refuses a second current answer or a second row per answer id."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from podium.runtime import Runtime
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import token_hash
from podium.store.engine import make_engine
from podium.store.tables import Answer, Participant
from podium.store.writer import AnswerWrite, AnswerWriter, Committed, Outcome


async def setup(rt: Runtime, participants: int = 1) -> tuple[int, int, list[int]]:
    event = await create_event(rt, "Writer test")
    question = await add_question(rt, event.id, QuestionInput("scale", "Wie?", [], {}))
    async with rt.sessions.begin() as session:  # in one transaction: hundreds are quick
        rows = [
            Participant(event_id=event.id, token_hash=token_hash(event.id, f"token-{i:040d}"))
            for i in range(participants)
        ]
        session.add_all(rows)
        await session.flush()
        pids = [row.id for row in rows]
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


@pytest.mark.sqlite_only  # PostgreSQL: tests/store/test_engine.py
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


async def test_committed_changes_name_their_rows(runtime: Runtime) -> None:
    """Each change carries the id of its new row and of the row it replaced, also
    when both were written in the same batch: the live cache needs them to tell
    which changes a snapshot of the table already holds."""
    event_id, question_id, (p1, p2) = await setup(runtime, 2)
    heard: list[Committed] = []

    async def capture(committed: list[Committed]) -> None:
        heard.extend(committed)

    writer = AnswerWriter(runtime.engine, capture)
    await writer.start()
    try:
        await writer.submit(write(question_id, p1, 2), event_id)
        await asyncio.gather(  # one batch: p1 changes, p2 answers twice
            writer.submit(write(question_id, p1, 3), event_id),
            writer.submit(write(question_id, p2, 4), event_id),
            writer.submit(write(question_id, p2, 5), event_id),
        )
    finally:
        await writer.stop()
    async with runtime.sessions() as session:
        stored = {
            r.id: (r.participant_id, r.value)
            for r in (await session.execute(select(Answer).order_by(Answer.id))).scalars()
        }
    assert [(stored[c.row_id], c.new) for c in heard] == [
        ((p1, 2), 2),
        ((p1, 3), 3),
        ((p2, 4), 4),
        ((p2, 5), 5),
    ]
    first, change, p2_first, p2_change = heard
    assert first.old_row_id is None and p2_first.old_row_id is None
    assert (change.old_row_id, change.old) == (first.row_id, 2)
    assert (p2_change.old_row_id, p2_change.old) == (p2_first.row_id, 4)  # within the batch


async def test_two_processes_writing_the_same_participants_at_once(runtime: Runtime) -> None:
    """Two writers (as in two processes) take answers of the same participants at
    once: retries of the same answer id and changes collide in the database, are
    tried again, and every participant ends with exactly one current answer."""
    event_id, question_id, pids = await setup(runtime, 40)
    other = AnswerWriter(runtime.engine, runtime._publish_answers)
    await other.start()
    try:
        writes = []
        for n, pid in enumerate(pids):
            first = write(question_id, pid, 1 + n % 5)
            writes.append((runtime.writer, first))
            if n % 2:  # the same answer id retried on the other process
                writes.append((other, first))
            else:  # a change on the other process
                writes.append((other, write(question_id, pid, 5 - n % 5)))
        results = await asyncio.gather(*(w.submit(a, event_id) for w, a in writes))
    finally:
        await other.stop()
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.REPEATED) == 20
    assert outcomes.count(Outcome.CREATED) == 40 and outcomes.count(Outcome.CHANGED) == 20
    current = [r for r in await rows(runtime) if not r[2]]
    assert sorted(pid for pid, _value, _superseded in current) == sorted(pids)


async def test_a_deadlocked_batch_is_tried_again(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL ends a deadlock by rolling one transaction back: try it again."""
    event_id, question_id, (pid,) = await setup(runtime)

    class Deadlock(Exception):
        sqlstate = "40P01"

    commit = runtime.writer._commit
    calls = 0

    async def deadlocked_once(batch: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise DBAPIError("INSERT INTO answers", {}, Deadlock())
        return await commit(batch)

    monkeypatch.setattr(runtime.writer, "_commit", deadlocked_once)
    result = await runtime.writer.submit(write(question_id, pid, 3), event_id)
    assert result.outcome is Outcome.CREATED
    assert runtime.writer.conflicts == 1


async def test_an_answer_that_cannot_be_stored_fails_alone(runtime: Runtime) -> None:
    """One answer of a batch breaks a constraint (its participant is gone): it fails,
    the others are stored, acknowledged and counted."""
    event_id, question_id, pids = await setup(runtime, 3)
    live = await runtime.live.get(event_id)
    assert live is not None
    results = await asyncio.gather(
        *(runtime.writer.submit(write(question_id, pid, 2), event_id) for pid in pids),
        runtime.writer.submit(write(question_id, 999_999, 2), event_id),
        return_exceptions=True,
    )
    assert [getattr(r, "outcome", None) for r in results[:3]] == [Outcome.CREATED] * 3
    assert isinstance(results[3], IntegrityError)
    assert len(await rows(runtime)) == 3
    assert live.tallies[question_id].respondents == 3


async def test_first_answers_create_their_participants_in_the_same_commits(
    runtime: Runtime,
) -> None:
    """A participant's first answer carries only its token hash: the writer creates the
    participant row in the batch's own transaction, so 300 newcomers answering at once
    share a few commits instead of paying one transaction each."""
    event_id, question_id, _ = await setup(runtime, 0)
    digests = [token_hash(event_id, f"new-{i:040d}") for i in range(300)]
    results = await asyncio.gather(
        *(
            runtime.writer.submit(
                AnswerWrite(str(uuid.uuid4()), question_id, None, 3, True, digest), event_id
            )
            for digest in digests
        )
    )
    assert all(r.outcome is Outcome.CREATED for r in results)
    assert runtime.writer.batches < 30
    async with runtime.sessions() as session:
        stored = set(await session.scalars(select(Participant.token_hash)))
    assert stored == set(digests)
    # a second answer of the same participant changes the first, by the same row
    again = await runtime.writer.submit(
        AnswerWrite(str(uuid.uuid4()), question_id, None, 5, True, digests[0]), event_id
    )
    assert again.outcome is Outcome.CHANGED
    assert len([r for r in await rows(runtime) if not r[2]]) == 300


async def test_one_newcomer_on_two_processes_at_once_is_one_participant(
    runtime: Runtime,
) -> None:
    """The same new browser answers two questions through two processes at the same
    moment: one participant row, both answers stored under it."""
    event_id, question_id, _ = await setup(runtime, 0)
    second = await add_question(runtime, event_id, QuestionInput("scale", "Und?", [], {}))
    other = AnswerWriter(runtime.engine, runtime._publish_answers)
    await other.start()
    digest = token_hash(event_id, "x" * 40)
    try:
        results = await asyncio.gather(
            runtime.writer.submit(
                AnswerWrite(str(uuid.uuid4()), question_id, None, 2, True, digest), event_id
            ),
            other.submit(
                AnswerWrite(str(uuid.uuid4()), second.id, None, 4, True, digest), event_id
            ),
        )
    finally:
        await other.stop()
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.CREATED]
    stored = await rows(runtime)
    assert len(stored) == 2 and stored[0][0] == stored[1][0]
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Participant)) == 1


def test_an_answer_names_its_participant() -> None:
    with pytest.raises(ValueError):
        AnswerWrite("a" * 32, 1, None, 3, True)


async def test_stored_rows_read_back_through_the_orm_as_written(runtime: Runtime) -> None:
    """SQLite's writer thread writes in SQL text: values of every kind, and the time,
    read back through SQLAlchemy exactly as the Core path would store them."""
    event_id, question_id, pids = await setup(runtime, 4)
    values: list[Any] = [4, [3, 1], "Mehr Videoberatung – bitte!", ["Homeoffice", "E-Akte"]]
    before = datetime.now(UTC)
    for pid, value in zip(pids, values, strict=True):
        await runtime.writer.submit(write(question_id, pid, value), event_id)
    async with runtime.sessions() as session:
        stored = (await session.execute(select(Answer.value, Answer.created_at))).all()
    assert [v for v, _ in stored] == values
    for _value, created in stored:
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        assert before - timedelta(seconds=1) <= created <= datetime.now(UTC)
    again = await runtime.writer.submit(write(question_id, pids[0], 5), event_id)
    assert again.outcome is Outcome.CHANGED  # the stored 4 was read back as a number


async def test_an_event_forgotten_while_its_batch_commits_keeps_no_participant(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event is deleted (and forgotten) while a batch that met a newcomer of it is
    still committing: the writer's cache does not take that participant back."""
    event_id, question_id, _ = await setup(runtime, 0)
    writer = runtime.writer
    assert writer._transactions is not None
    run = writer._transactions.run

    async def forgotten_meanwhile(work: Any) -> Any:
        writer.forget_event(event_id)
        return await run(work)

    monkeypatch.setattr(writer._transactions, "run", forgotten_meanwhile)
    digest = token_hash(event_id, "y" * 40)
    result = await writer.submit(
        AnswerWrite(str(uuid.uuid4()), question_id, None, 3, True, digest), event_id
    )
    assert result.outcome is Outcome.CREATED
    assert writer.known_participant(event_id, digest) is None
    monkeypatch.undo()
    # once nothing is in flight, forgetting is immediate and later batches are cached again
    other = token_hash(event_id, "z" * 40)
    await writer.submit(AnswerWrite(str(uuid.uuid4()), question_id, None, 4, True, other), event_id)
    assert writer.known_participant(event_id, other) is not None
