"""The group-committing answer writer.

Requests queue up while a commit is in flight; the next transaction takes all of
them at once (up to `max_batch`). A caller's `submit` returns only after the
transaction that holds its answer is committed, so an acknowledged answer is
durable. The database enforces the invariants (one row per answer id, one
current answer per participant and question); the writer only sorts a batch so
that a valid batch never violates them.

Each committed change names the stored rows it concerns: the new row's id and the
id of the row it superseded. A replaced answer is superseded in the same
transaction that inserts its successor, so any consistent read of the answers
table sees both effects or neither; the live cache builds exact tallies on that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, false, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from podium.store.stats import Histogram
from podium.store.tables import Answer

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    REPEATED = "repeated"  # the same answer id sent again with the same answer: a retry
    ID_REUSED = "id_reused"  # the answer id is taken by a different answer
    ALREADY_ANSWERED = "already_answered"  # changing is not allowed for this question


@dataclass(frozen=True)
class AnswerWrite:
    answer_id: str
    question_id: int
    participant_id: int
    value: Any
    allow_change: bool


@dataclass(frozen=True)
class Committed:
    """A change to the current answers, for the tallies: `old` is None for a first answer.

    `row_id` is the id of the new row; `old_row_id` that of the row it superseded
    (None for a first answer). Row ids let a process that reads the table while
    changes are in flight tell which changes its read already holds.
    """

    event_id: int
    question_id: int
    old: Any | None
    new: Any
    row_id: int
    old_row_id: int | None


@dataclass(frozen=True)
class WriteResult:
    outcome: Outcome

    @property
    def stored(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.CHANGED, Outcome.REPEATED)


@dataclass
class _Pending:
    write: AnswerWrite
    event_id: int
    future: asyncio.Future[WriteResult]


class AnswerWriter:
    def __init__(
        self,
        engine: AsyncEngine,
        on_commit: Callable[[list[Committed]], Awaitable[None]],
        max_batch: int = 1000,
    ) -> None:
        self._engine = engine
        self._on_commit = on_commit
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.rows = 0
        self.conflicts = 0  # batches that collided with another process's rows
        self.commit_latency = Histogram()  # seconds from a batch's start to its commit

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="podium-answer-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def submit(self, write: AnswerWrite, event_id: int) -> WriteResult:
        if self._task is None:
            raise RuntimeError("the answer writer is not running")
        future: asyncio.Future[WriteResult] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(write, event_id, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._write_batch(batch)
            except asyncio.CancelledError:
                for item in batch:
                    if not item.future.done():
                        item.future.cancel()
                raise
            except Exception as exc:  # the batch failed as a whole: tell every caller
                log.exception("answer batch failed")
                for item in batch:
                    if not item.future.done():
                        item.future.set_exception(exc)

    async def _write_batch(self, batch: list[_Pending]) -> None:
        started = time.perf_counter()
        results: list[WriteResult | Exception] = []
        try:
            stored, committed = await self._commit_retrying(batch)
            results += stored
        except _Conflict:
            # Still colliding: take the answers one by one, each re-reading what is stored.
            committed = []
            for item in batch:
                try:
                    one_result, one_committed = await self._commit_one_retrying(item)
                except DBAPIError as exc:
                    # This answer cannot be stored; those committed before it are, and
                    # their callers and the tallies must hear so.
                    log.exception("an answer could not be stored")
                    results.append(exc)
                    continue
                results += one_result
                committed += one_committed
        self.commit_latency.observe(time.perf_counter() - started)
        self.batches += 1
        self.rows += len(committed)
        if committed:
            try:
                await self._on_commit(committed)
            except Exception:
                log.exception("publishing committed answers failed")
        for item, result in zip(batch, results, strict=True):
            if item.future.done():
                continue
            if isinstance(result, Exception):
                item.future.set_exception(result)
            else:
                item.future.set_result(result)

    async def _commit_retrying(
        self, batch: list[_Pending]
    ) -> tuple[list[WriteResult], list[Committed]]:
        """Another process wrote a conflicting row between our read and our write
        (the same answer id retried there, or the participant's other answer). The
        database made us wait for its commit, so a second try of the whole batch
        reads that row and usually succeeds: far cheaper than one commit per answer."""
        try:
            return await self._attempt(batch)
        except _Conflict:
            self.conflicts += 1
        return await self._attempt(batch)

    async def _commit_one_retrying(
        self, item: _Pending
    ) -> tuple[list[WriteResult], list[Committed]]:
        for attempt in range(3):
            try:
                return await self._attempt([item])
            except _Conflict as conflict:
                if attempt == 2:
                    raise conflict.error from None
        raise AssertionError("unreachable")

    async def _attempt(
        self, batch: Sequence[_Pending]
    ) -> tuple[list[WriteResult], list[Committed]]:
        try:
            return await self._commit(batch)
        except DBAPIError as exc:
            if _is_conflict(exc):
                raise _Conflict(exc) from exc
            raise

    async def _commit(self, batch: Sequence[_Pending]) -> tuple[list[WriteResult], list[Committed]]:
        async with self._engine.begin() as conn:
            by_id = await _stored_by_answer_id(conn, [p.write.answer_id for p in batch])
            current = await _current_answers(conn, batch)
            results: list[WriteResult] = []
            # (request, old value, old row: its id, or the answer id of a row of this batch)
            changes: list[tuple[_Pending, Any | None, int | str | None]] = []
            rows: list[dict[str, Any]] = []
            supersede: list[int] = []
            last_row_of: dict[tuple[int, int], dict[str, Any]] = {}
            for item in batch:
                w = item.write
                key = (w.question_id, w.participant_id)
                seen = by_id.get(w.answer_id)
                if seen is not None:
                    same = seen[:3] == (w.question_id, w.participant_id, w.value)
                    results.append(WriteResult(Outcome.REPEATED if same else Outcome.ID_REUSED))
                    continue
                old = current.get(key)
                if old is not None and not w.allow_change:
                    results.append(WriteResult(Outcome.ALREADY_ANSWERED))
                    continue
                old_row: int | str | None = None
                if old is not None:
                    if old[0] is not None:
                        supersede.append(old[0])
                        old_row = old[0]
                    else:  # written earlier in this batch: keep its row, as superseded
                        last_row_of[key]["superseded"] = True
                        old_row = last_row_of[key]["answer_id"]
                row = {
                    "answer_id": w.answer_id,
                    "question_id": w.question_id,
                    "participant_id": w.participant_id,
                    "value": w.value,
                    "superseded": False,
                }
                rows.append(row)
                last_row_of[key] = row
                by_id[w.answer_id] = (w.question_id, w.participant_id, w.value)
                current[key] = (None, w.value)
                results.append(WriteResult(Outcome.CHANGED if old else Outcome.CREATED))
                changes.append((item, old[1] if old else None, old_row))
            # Rows are locked and keys inserted in one order (row id; question and
            # participant) in every process, so two batches that touch the same
            # participants wait for each other instead of deadlocking.
            if supersede:
                await conn.execute(
                    update(Answer).where(Answer.id.in_(sorted(supersede))).values(superseded=True)
                )
            ids: dict[str, int] = {}
            if rows:
                # executemany with RETURNING: SQLite >= 3.35 and asyncpg (insertmanyvalues)
                rows.sort(key=lambda r: (r["question_id"], r["participant_id"]))  # stable
                inserted = await conn.execute(
                    insert(Answer).returning(Answer.answer_id, Answer.id), rows
                )
                ids = {answer_id: row_id for answer_id, row_id in inserted}
        committed = [
            Committed(
                item.event_id,
                item.write.question_id,
                old_value,
                item.write.value,
                ids[item.write.answer_id],
                ids[old_row] if isinstance(old_row, str) else old_row,
            )
            for item, old_value, old_row in changes
        ]
        return results, committed


class _Conflict(Exception):
    """The transaction collided with another one and was rolled back: try again."""

    def __init__(self, error: DBAPIError) -> None:
        super().__init__(str(error))
        self.error = error


# PostgreSQL: deadlock detected, serialization failure. Both roll the transaction
# back and mean "try again"; a unique violation means the same once re-read.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})
# SQLite (WAL): SQLITE_BUSY_SNAPSHOT, another connection wrote after our read.
SQLITE_BUSY_SNAPSHOT = 517


def _is_conflict(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    orig = exc.orig
    return (
        getattr(orig, "sqlstate", None) in RETRY_SQLSTATES
        or getattr(orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT
    )


async def _stored_by_answer_id(
    conn: AsyncConnection, answer_ids: list[str]
) -> dict[str, tuple[int, int, Any]]:
    found = await conn.execute(
        select(Answer.answer_id, Answer.question_id, Answer.participant_id, Answer.value).where(
            Answer.answer_id.in_(set(answer_ids))
        )
    )
    return {row[0]: (row[1], row[2], row[3]) for row in found}


async def _current_answers(
    conn: AsyncConnection, batch: Sequence[_Pending]
) -> dict[tuple[int, int], tuple[int | None, Any]]:
    """The stored current answer (row id, value) of each participant and question in the batch."""
    pairs = {(p.write.question_id, p.write.participant_id) for p in batch}
    by_question: dict[int, set[int]] = {}
    for question_id, participant_id in pairs:
        by_question.setdefault(question_id, set()).add(participant_id)
    condition = or_(
        *(
            and_(Answer.question_id == q, Answer.participant_id.in_(ps))
            for q, ps in by_question.items()
        )
    )
    found = await conn.execute(
        select(Answer.id, Answer.question_id, Answer.participant_id, Answer.value).where(
            Answer.superseded == false(), condition
        )
    )
    return {(row[1], row[2]): (row[0], row[3]) for row in found}
