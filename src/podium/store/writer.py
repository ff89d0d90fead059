"""The group-committing answer writer.

Requests queue up while a commit is in flight; the next transaction takes all of
them at once (up to `max_batch`). A caller's `submit` returns only after the
transaction that holds its answer is committed, so an acknowledged answer is
durable. The database enforces the invariants (one row per answer id, one
current answer per participant and question); the writer only sorts a batch so
that a valid batch never violates them.
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

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
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
    """A change to the current answers, for the tallies: `old` is None for a first answer."""

    event_id: int
    question_id: int
    old: Any | None
    new: Any


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
        try:
            results, committed = await self._commit(batch)
        except IntegrityError:
            # Another process wrote a conflicting row between our read and our write:
            # take the answers one by one, each re-reading what is stored.
            results, committed = [], []
            for item in batch:
                one_result, one_committed = await self._commit_one_retrying(item)
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
            if not item.future.done():
                item.future.set_result(result)

    async def _commit_one_retrying(
        self, item: _Pending
    ) -> tuple[list[WriteResult], list[Committed]]:
        for attempt in range(3):
            try:
                return await self._commit([item])
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _commit(self, batch: Sequence[_Pending]) -> tuple[list[WriteResult], list[Committed]]:
        async with self._engine.begin() as conn:
            by_id = await _stored_by_answer_id(conn, [p.write.answer_id for p in batch])
            current = await _current_answers(conn, batch)
            results: list[WriteResult] = []
            committed: list[Committed] = []
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
                if old is not None:
                    if old[0] is not None:
                        supersede.append(old[0])
                    else:  # written earlier in this batch: keep its row, as superseded
                        last_row_of[key]["superseded"] = True
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
                committed.append(
                    Committed(item.event_id, w.question_id, old[1] if old else None, w.value)
                )
            if supersede:
                await conn.execute(
                    update(Answer).where(Answer.id.in_(supersede)).values(superseded=True)
                )
            if rows:
                await conn.execute(insert(Answer), rows)
        return results, committed


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
            Answer.superseded.is_(False), condition
        )
    )
    return {(row[1], row[2]): (row[0], row[3]) for row in found}
