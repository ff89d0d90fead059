"""The live cache keeps tallies equal to the stored rows while other processes commit.

"Another process" here is a second AnswerWriter whose committed changes are held
back and delivered to the cache when the test says so: before, during (between the
cache's snapshot of the answers table and the end of its load) or after a load, in
any order, twice, or never (then a resync repairs it). This reproduces the races of
several processes deterministically.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from random import Random
from typing import Any

import pytest
from sqlalchemy import select, update

from podium.domain.tally import Result, Tally
from podium.live.messages import Resync, State
from podium.runtime import Runtime, answers_message
from podium.services import live_load
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.services.specs import spec_of
from podium.store.tables import Answer, Event, Question
from podium.store.writer import AnswerWrite, AnswerWriter, Committed

Hook = Callable[[], Awaitable[None]]


class OtherProcess:
    """A writer whose changes reach the cache only when delivered."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.held: list[list[Committed]] = []
        self.writer = AnswerWriter(rt.engine, self._hold)

    async def _hold(self, committed: list[Committed]) -> None:
        self.held.append(committed)

    async def answer(self, event_id: int, question_id: int, pid: int, value: Any) -> None:
        write = AnswerWrite(str(uuid.uuid4()), question_id, pid, value, True)
        published = len(self.held)
        result = await self.writer.submit(write, event_id)
        assert result.stored
        # Acknowledged at commit, published after: wait until the change is held.
        while len(self.held) == published:
            await asyncio.sleep(0)

    async def deliver(self, index: int = 0) -> None:
        await self.rt.live.on_message(answers_message(self.held.pop(index)))


@pytest.fixture
async def other(runtime: Runtime) -> AsyncIterator[OtherProcess]:
    process = OtherProcess(runtime)
    await process.writer.start()
    yield process
    await process.writer.stop()


def during_load(monkeypatch: pytest.MonkeyPatch, before: Hook | None, after: Hook | None) -> None:
    """Run `before` just before the load reads the answers table, `after` just after."""
    read = live_load.read_answer_rows

    async def reading(session: Any, question_ids: list[int]) -> Any:
        if before is not None:
            await before()
        rows = await read(session, question_ids)
        if after is not None:
            await after()
        return rows

    monkeypatch.setattr(live_load, "read_answer_rows", reading)


async def setup(
    rt: Runtime, kind: str = "single", participants: int = 3
) -> tuple[int, int, list[int]]:
    event = await create_event(rt, "Cache test")
    options = ["A", "B", "C"] if kind == "single" else []
    question = await add_question(rt, event.id, QuestionInput(kind, "Was?", options, {}))
    pids = [await participant_id(rt, event.id, f"token-{i:040d}") for i in range(participants)]
    # Finding a participant loads the event (its salt); the tests load it themselves.
    rt.live.forget(event.id)
    return event.id, question.id, pids


async def options_of(rt: Runtime, question_id: int) -> list[int]:
    async with rt.sessions() as session:
        question = await session.get(Question, question_id)
        assert question is not None
        await session.refresh(question, ["options"])
        return [o.id for o in question.options]


async def stored_result(rt: Runtime, question_id: int) -> Result:
    """The result counted afresh from the current rows: what the cache must show."""
    async with rt.sessions() as session:
        question = await session.get(Question, question_id)
        assert question is not None
        await session.refresh(question, ["options"])
        tally = Tally(spec_of(question))
        rows = await session.execute(
            select(Answer.value)
            .where(Answer.question_id == question_id, Answer.superseded.is_(False))
            .order_by(Answer.id)
        )
        for (value,) in rows:
            tally.add(value)
    return tally.result()


async def cached_result(rt: Runtime, event_id: int, question_id: int) -> Result:
    live = await rt.live.get(event_id)
    assert live is not None
    return live.tallies[question_id].result()


async def test_a_change_the_snapshot_holds_counts_once(
    runtime: Runtime, other: OtherProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id, question_id, (p1, p2, _) = await setup(runtime)
    a, b, _c = await options_of(runtime, question_id)
    await other.answer(event_id, question_id, p1, [a])  # committed, not yet heard
    await other.answer(event_id, question_id, p2, [b])
    during_load(monkeypatch, None, other.deliver)  # p1's, heard while the load runs
    await runtime.live.get(event_id)
    await other.deliver()  # p2's, heard after the load
    result = await cached_result(runtime, event_id, question_id)
    assert result.respondents == 2
    assert result == await stored_result(runtime, question_id)


async def test_a_change_committed_after_the_snapshot_is_not_lost(
    runtime: Runtime, other: OtherProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id, question_id, (p1, p2, _) = await setup(runtime)
    a, b, _c = await options_of(runtime, question_id)
    await other.answer(event_id, question_id, p1, [a])

    async def commit_and_hear() -> None:
        await other.answer(event_id, question_id, p2, [b])
        await other.deliver(-1)  # the newest change, heard while the load still runs

    during_load(monkeypatch, None, commit_and_hear)
    await runtime.live.get(event_id)
    await other.deliver()  # p1's answer, held in the snapshot
    result = await cached_result(runtime, event_id, question_id)
    assert result.respondents == 2
    assert result == await stored_result(runtime, question_id)


async def test_a_replaced_answer_across_a_load(
    runtime: Runtime, other: OtherProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first answer is in the snapshot, its replacement committed after it."""
    event_id, question_id, (p1, _, _) = await setup(runtime)
    a, b, _c = await options_of(runtime, question_id)
    await other.answer(event_id, question_id, p1, [a])

    async def change_and_hear() -> None:
        await other.answer(event_id, question_id, p1, [b])
        await other.deliver(-1)

    during_load(monkeypatch, None, change_and_hear)
    await runtime.live.get(event_id)
    await other.deliver()
    result = await cached_result(runtime, event_id, question_id)
    assert [o.count for o in result.options] == [0, 1, 0]
    assert result == await stored_result(runtime, question_id)


async def test_a_replacement_the_snapshot_holds_is_not_applied_again(
    runtime: Runtime, other: OtherProcess
) -> None:
    event_id, question_id, (p1, _, _) = await setup(runtime)
    a, b, _c = await options_of(runtime, question_id)
    await other.answer(event_id, question_id, p1, [a])
    await other.answer(event_id, question_id, p1, [b])
    await runtime.live.get(event_id)  # reads both rows, the first superseded
    await other.deliver()
    await other.deliver()
    result = await cached_result(runtime, event_id, question_id)
    assert [o.count for o in result.options] == [0, 1, 0]


async def test_changes_heard_out_of_order_and_twice(runtime: Runtime, other: OtherProcess) -> None:
    """Two processes' publishes may reach the hub in either order: a replacement can
    be heard before the answer it replaces. Word clouds drop words at zero, so a
    count that went below zero for a moment would be wrong for good."""
    event_id, question_id, (p1, p2, _) = await setup(runtime, "words")
    await runtime.live.get(event_id)
    await other.answer(event_id, question_id, p1, ["Homeoffice"])
    await other.answer(event_id, question_id, p1, ["Beratung"])
    await other.answer(event_id, question_id, p2, ["homeoffice", "Akte"])
    first, replacement, second = other.held
    for committed in (replacement, second, first, replacement, first):
        await runtime.live.on_message(answers_message(committed))
    result = await cached_result(runtime, event_id, question_id)
    assert {(w.word, w.count) for w in result.words} == {
        ("Beratung", 1),
        ("homeoffice", 1),
        ("Akte", 1),
    }
    assert result == await stored_result(runtime, question_id)


async def test_a_resync_recovers_lost_changes(runtime: Runtime, other: OtherProcess) -> None:
    event_id, question_id, (p1, p2, _) = await setup(runtime)
    a, b, _c = await options_of(runtime, question_id)
    told: list[tuple[str, int, int | None]] = []
    runtime.live.watch(lambda *what: told.append(what))
    await runtime.live.get(event_id)
    await other.answer(event_id, question_id, p1, [a])
    await other.answer(event_id, question_id, p2, [b])
    other.held.clear()  # lost: Redis was away
    assert (await cached_result(runtime, event_id, question_id)).respondents == 0
    await runtime.live.on_message(Resync())
    assert (await cached_result(runtime, event_id, question_id)).respondents == 2
    assert ("state", event_id, None) in told


async def test_a_state_change_heard_while_loading_is_not_missed(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load read the event before the moderator's change; the message about it
    comes while the load runs, and the cache loads again once it is done."""
    event_id, question_id, _ = await setup(runtime)
    heard: list[asyncio.Task[None]] = []

    async def moderator_changes_state() -> None:
        async with runtime.sessions.begin() as session:
            await session.execute(
                update(Event).where(Event.id == event_id).values(current_question_id=question_id)
            )
        # the hub's own task delivers it, while this load holds the event's lock
        heard.append(asyncio.create_task(runtime.live.on_message(State(event_id))))

    during_load(monkeypatch, moderator_changes_state, None)
    first = await runtime.live.get(event_id)
    assert first is not None and first.current_question_id is None
    await heard[0]
    live = runtime.live.loaded(event_id)
    assert live is not None and live.current_question_id == question_id


@pytest.mark.parametrize("seed", range(12))
async def test_any_interleaving_of_loads_and_changes(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Three processes answer and change answers; their changes are heard in random
    order and at random moments around two loads (a first load and a resync)."""
    rng = Random(seed)
    kind = ("single", "words")[seed % 2]
    event_id, question_id, pids = await setup(runtime, kind, participants=6)
    options = await options_of(runtime, question_id)
    processes = [OtherProcess(runtime) for _ in range(3)]
    for process in processes:
        await process.writer.start()

    def value() -> Any:
        if kind == "single":
            return [rng.choice(options)]
        return rng.sample(["Homeoffice", "homeoffice", "Akte", "Beratung", "Video"], 2)

    async def steps(n: int) -> None:
        for _ in range(n):
            waiting = [p for p in processes if p.held]
            if waiting and rng.random() < 0.4:
                process = rng.choice(waiting)
                await process.deliver(rng.randrange(len(process.held)))
                continue
            process = rng.choice(processes)
            chosen = [rng.choice(pids) for _ in range(rng.randint(1, 3))]
            await asyncio.gather(  # one batch, maybe one participant twice
                *(process.answer(event_id, question_id, pid, value()) for pid in chosen)
            )

    try:
        await steps(rng.randint(0, 6))
        during_load(monkeypatch, lambda: steps(rng.randint(0, 4)), lambda: steps(5))
        await runtime.live.get(event_id)
        await steps(rng.randint(0, 6))
        await runtime.live.on_message(Resync())
        await steps(rng.randint(0, 6))
        monkeypatch.undo()
        while any(p.held for p in processes):
            process = rng.choice([p for p in processes if p.held])
            await process.deliver(rng.randrange(len(process.held)))
    finally:
        for process in processes:
            await process.writer.stop()
    assert await cached_result(runtime, event_id, question_id) == await stored_result(
        runtime, question_id
    )
