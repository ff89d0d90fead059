"""The group-committing answer writer.

Requests queue up while a commit is in flight; the next transaction takes all of
them at once (up to `max_batch`). A caller's `submit` returns only after the
transaction that holds its answer is committed, so an acknowledged answer is
durable. What one transaction does is store/answer_batch.py; where it runs (a
thread of its own on SQLite) is store/transactions.py.

Each committed change names the stored rows it concerns: the new row's id and the
id of the row it superseded. A replaced answer is superseded in the same
transaction that inserts its successor, so any consistent read of the answers
table sees both effects or neither; the live cache builds exact tallies on that.

Overload is refused, not queued: at most `max_queue` answers wait for a transaction,
and the next one raises `Overloaded` at once (503 with Retry-After on the web), so
that a crowd larger than the disk can take gets an honest "again in a second"
instead of minutes of latency. Callers are answered as soon as their transaction
has committed; the committed changes are published to the hub afterwards, in commit
order, by a task of their own, so that a slow hub (Redis timing out and retrying)
never holds back the next batch's acknowledgements.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from podium.aio import cancel
from podium.domain.errors import Overloaded
from podium.store.answer_batch import (
    AnswerWrite,
    Committed,
    Item,
    Outcome,
    WriteResult,
    write_batch,
)
from podium.store.stats import Histogram
from podium.store.transactions import Transactions, transactions_for

__all__ = ["AnswerWrite", "AnswerWriter", "Committed", "Outcome", "Overloaded", "WriteResult"]

log = logging.getLogger(__name__)

RETRY_AFTER = 1  # seconds: a full queue drains in well under a second at the measured rates
PUBLISH_ATTEMPTS = 3
PUBLISH_BACKOFF = 0.2  # seconds before the second attempt, doubled before the third
MAX_MESSAGE = 10_000  # changes per hub message when a publish backlog is sent at once


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
        max_queue: int = 4000,
    ) -> None:
        self._engine = engine
        self._transactions: Transactions | None = None
        # (event id, token hash) -> participant id: a participant's later answers need no lookup
        self._participants: dict[tuple[int, str], int] = {}
        # Events forgotten while a batch was in flight: its participants must not come back.
        self._forgotten: set[int] = set()
        self._in_flight = False
        self._on_commit = on_commit
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue(max_queue)
        self._task: asyncio.Task[None] | None = None
        # Committed changes not yet published, in commit order; bounded in practice by
        # the answers committed while one publish is in flight, as a backlog goes out
        # in one message.
        self._unpublished: asyncio.Queue[list[Committed]] = asyncio.Queue()
        self._publisher: asyncio.Task[None] | None = None
        self.refused = 0  # answers refused because the queue was full
        self.publish_failures = 0  # messages given up after PUBLISH_ATTEMPTS
        self.publish_retries = 0  # failed attempts that were tried again
        self.batches = 0
        self.rows = 0
        self.conflicts = 0  # batches that collided with another process's rows
        self.commit_latency = Histogram()  # seconds from a batch's start to its commit

    def known_participant(self, event_id: int, token_hash: str) -> int | None:
        return self._participants.get((event_id, token_hash))

    def remember_participant(self, event_id: int, token_hash: str, participant_id: int) -> None:
        self._participants[(event_id, token_hash)] = participant_id

    async def start(self) -> None:
        if self._task is None:
            self._transactions = transactions_for(self._engine)
            self._task = asyncio.create_task(self._run(), name="podium-answer-writer")
            self._publisher = asyncio.create_task(self._publish_loop(), name="podium-publisher")

    async def stop(self, publish_timeout: float = 5.0) -> None:
        await cancel(self._task)
        self._task = None
        # What was committed is still told, unless the hub is stuck: then the others'
        # reconciler (or their resync when this process starts again) finds the rows.
        if self._publisher is not None:
            try:
                await asyncio.wait_for(self._unpublished.join(), publish_timeout)
            except TimeoutError:
                log.warning("stopping with %d batches unpublished", self._unpublished.qsize())
        await cancel(self._publisher)
        self._publisher = None
        if self._transactions is not None:
            await self._transactions.close()
            self._transactions = None

    async def submit(self, write: AnswerWrite, event_id: int) -> WriteResult:
        if self._task is None:
            raise RuntimeError("the answer writer is not running")
        future: asyncio.Future[WriteResult] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait(_Pending(write, event_id, future))  # never waits
        except asyncio.QueueFull:
            self.refused += 1
            raise Overloaded("busy", retry_after=RETRY_AFTER) from None
        return await future

    @property
    def waiting(self) -> int:
        """Answers queued for the next transaction."""
        return self._queue.qsize()

    @property
    def capacity(self) -> int:
        """Answers that may wait at once; the next one is refused."""
        return self._queue.maxsize

    @property
    def unpublished(self) -> int:
        """Committed batches not yet published to the hub (grows while the hub is slow)."""
        return self._unpublished.qsize()

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
            # Queued before the callers are woken: the publisher runs first, so with the
            # in-process hub (which never waits) the tallies still move before the replies.
            self._unpublished.put_nowait(committed)
        for item, result in zip(batch, results, strict=True):
            if item.future.done():
                continue
            if isinstance(result, Exception):
                item.future.set_exception(result)
            else:
                item.future.set_result(result)

    async def _publish_loop(self) -> None:
        """Publish committed changes in commit order, each backlog as few messages."""
        while True:
            backlog = [await self._unpublished.get()]
            while not self._unpublished.empty():
                backlog.append(self._unpublished.get_nowait())
            changes = [change for committed in backlog for change in committed]
            try:
                for start in range(0, len(changes), MAX_MESSAGE):
                    await self._publish(changes[start : start + MAX_MESSAGE])
            finally:
                for _ in backlog:
                    self._unpublished.task_done()

    async def _publish(self, changes: list[Committed]) -> None:
        """A few tries; after that the message is given up. The answers are durable:
        with Redis, the other processes' reconciler finds rows stored and not heard of
        within two PODIUM_RECONCILE_INTERVALs and rebuilds those tallies, and the Redis
        hub itself never raises for an unreachable Redis (it drops the message and
        broadcasts a resync once Redis is back). The in-process hub cannot fail for
        want of a connection; its listeners' errors stay theirs (live/hub.deliver)."""
        delay = PUBLISH_BACKOFF
        for attempt in range(1, PUBLISH_ATTEMPTS + 1):
            try:
                await self._on_commit(changes)
                return
            except Exception:
                if attempt == PUBLISH_ATTEMPTS:
                    self.publish_failures += 1
                    log.exception(
                        "publishing %d committed answers failed; left to the reconciler",
                        len(changes),
                    )
                    return
                self.publish_retries += 1
                log.warning("publishing committed answers failed; trying again", exc_info=True)
                await asyncio.sleep(delay)
                delay *= 2

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
        items = [Item(p.write, p.event_id) for p in batch]
        known = self._participants
        assert self._transactions is not None, "the writer is started before it takes answers"
        self._in_flight = True
        try:
            done = await self._transactions.run(lambda conn: write_batch(conn, items, known))
        finally:
            self._in_flight = False
            forgotten, self._forgotten = self._forgotten, set()
        # Only ids of committed rows are kept: a rolled-back insert leaves no id behind,
        # and an event deleted while the batch ran leaves no participant behind either.
        known.update(
            (key, participant_id)
            for key, participant_id in done.participants.items()
            if key[0] not in forgotten
        )
        return done.results, done.committed

    def forget_event(self, event_id: int) -> None:
        """Drop the event's participants (it was deleted, or is idle: looked up again)."""
        if self._in_flight:
            self._forgotten.add(event_id)
        for key in [key for key in self._participants if key[0] == event_id]:
            del self._participants[key]


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
