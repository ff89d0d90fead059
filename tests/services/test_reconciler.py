"""Rows the hub never delivered: another process stored answers and died before it
published them. The reconciler finds them at its second look and rebuilds the
tallies; answers merely in flight on the hub cause no rebuild; with Redis it runs by
itself. Process B is a runtime on the same database whose messages never reach A."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from podium.live.hub import MemoryHub
from podium.live.messages import Message
from podium.runtime import Runtime
from podium.services import contributions, moderation
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.services.reconciler import Reconciler
from podium.settings import Settings
from podium.store.writer import AnswerWrite
from tests.live.test_redis_hub import REDIS_URL


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(0.02)


@pytest.fixture
async def two(settings: Settings) -> AsyncIterator[tuple[Runtime, Runtime]]:
    a, b = Runtime(settings), Runtime(settings, hub=MemoryHub())
    await a.start()
    await b.start()
    yield a, b
    await b.stop()
    await a.stop()


async def answer(rt: Runtime, event_id: int, question_id: int, who: str, value: int) -> None:
    pid = await participant_id(rt, event_id, who * 40)
    write = AnswerWrite(str(uuid.uuid4()), question_id, pid, value, True)
    await rt.writer.submit(write, event_id)


def counts(rt: Runtime, event_id: int, question_id: int) -> list[int]:
    live = rt.live.loaded(event_id)
    assert live is not None
    return [step.count for step in live.tallies[question_id].result().steps]  # type: ignore[union-attr]


async def scale_event(rt: Runtime) -> tuple[int, int]:
    event = await create_event(rt, "Zwei Prozesse")
    question = await add_question(rt, event.id, QuestionInput("scale", "Wie?", [], {}))
    assert await rt.live.get(event.id) is not None
    return event.id, question.id


async def test_answers_never_heard_are_counted_after_the_second_look(two) -> None:
    a, b = two
    event_id, question_id = await scale_event(a)
    reconciler = Reconciler(a.live, a.board, a.sessions, interval=60)
    await answer(a, event_id, question_id, "a", 1)  # heard: A's own hub
    assert await reconciler.check() == []
    await answer(b, event_id, question_id, "b", 5)  # stored by B, never published to A
    await answer(b, event_id, question_id, "c", 5)
    assert counts(a, event_id, question_id) == [1, 0, 0, 0, 0]
    assert await reconciler.check() == []  # it may still be on its way
    assert await reconciler.check() == [event_id]
    assert counts(a, event_id, question_id) == [1, 0, 0, 0, 2]
    assert await reconciler.check() == [] and reconciler.reloads == 1


async def test_answers_in_flight_cause_no_rebuild(two) -> None:
    a, b = two
    event_id, question_id = await scale_event(a)
    reconciler = Reconciler(a.live, a.board, a.sessions, interval=60)
    in_flight: list[Message] = []

    async def keep(message: Message) -> None:
        in_flight.append(message)

    b.hub.add_listener(keep)
    await answer(b, event_id, question_id, "b", 4)
    assert await reconciler.check() == []  # stored, not yet heard: a suspect
    for message in in_flight:  # now it arrives
        await a.live.on_message(message)
    assert counts(a, event_id, question_id) == [0, 0, 0, 1, 0]
    assert await reconciler.check() == [] and reconciler.reloads == 0


async def test_with_redis_the_reconciler_runs_by_itself(settings: Settings) -> None:
    channel = f"podium-test-{uuid.uuid4().hex}"
    shared = settings.model_copy(
        update={"redis_url": REDIS_URL, "redis_channel": channel, "reconcile_interval": 0.1}
    )
    a, b = Runtime(shared), Runtime(settings, hub=MemoryHub())  # B: killed before publishing
    assert a.reconciler is not None and b.reconciler is None
    await a.start()
    await b.start()
    try:
        event_id, question_id = await scale_event(a)
        live_b = await b.live.get(event_id)
        assert live_b is not None and await a.board.get(event_id) == []
        await answer(b, event_id, question_id, "b", 2)
        item = await contributions.submit(b, live_b, "p" * 40, "Eine Frage, nie angesagt")
        await moderation.act(b, event_id, item.id, "approve", None)
        await eventually(lambda: counts(a, event_id, question_id) == [0, 1, 0, 0, 0])
        await eventually(lambda: [i.id for i in a.board.loaded(event_id) or []] == [item.id])
    finally:
        await b.stop()
        await a.stop()
