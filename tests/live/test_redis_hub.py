"""The Redis hub against the machine's Redis: every process hears every message,
its own included; a lost connection or a failed publish ends in a resync.

Each test uses its own random channel, so parallel runs never hear each other.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from podium.live.messages import Message, MessageType, Resync, State, Structure
from podium.live.redis_hub import RedisHub, safe_url
from podium.runtime import Runtime
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.settings import Settings
from podium.store.writer import AnswerWrite

REDIS_URL = os.environ.get("PODIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not hold in time")
        await asyncio.sleep(0.01)


class Heard:
    def __init__(self, hub: RedisHub) -> None:
        self.messages: list[Message] = []
        hub.add_listener(self.hear)

    async def hear(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: str, reason: str | None = None) -> list[Message]:
        return [
            m
            for m in self.messages
            if m.type == MessageType(kind)
            and (reason is None or (isinstance(m, Resync) and m.reason == reason))
        ]


@pytest.fixture
def channel() -> str:
    return f"podium-test-{uuid.uuid4().hex}"


@pytest.fixture
async def hubs(channel: str) -> AsyncIterator[list[RedisHub]]:
    started: list[RedisHub] = []
    yield started
    for hub in started:
        await hub.stop()


async def start(hubs: list[RedisHub], channel: str, **options: Any) -> tuple[RedisHub, Heard]:
    hub = RedisHub(REDIS_URL, channel, backoff=(0.02, 0.2), **options)
    heard = Heard(hub)
    await hub.start()
    hubs.append(hub)
    return hub, heard


async def test_every_hub_hears_every_message_its_own_included(
    hubs: list[RedisHub], channel: str
) -> None:
    a, heard_a = await start(hubs, channel)
    b, heard_b = await start(hubs, channel)
    await a.publish(State(7))
    await eventually(lambda: bool(heard_a.of("state")) and bool(heard_b.of("state")))
    # delivered as published: the publish time went into the lag histogram
    assert heard_a.of("state") == heard_b.of("state") == [State(7)]
    # each hub's start broadcast a resync first: b heard its own and then the state
    assert b.lag.count == b.received == 2 and 0 <= b.lag.sum < 1.0
    assert a.published == 2 and b.published == 1


async def test_a_starting_process_tells_its_peers_to_resync(
    hubs: list[RedisHub], channel: str
) -> None:
    """A process killed between a commit and its publish left rows the others never
    heard of: when it (or a new process) starts, everybody reloads."""
    _a, heard_a = await start(hubs, channel)
    heard_a.messages.clear()
    await start(hubs, channel)
    await eventually(lambda: bool(heard_a.of("resync", "peer started")))


async def test_a_dropped_subscription_reconnects_and_resyncs(
    hubs: list[RedisHub], channel: str
) -> None:
    a, heard_a = await start(hubs, channel)
    b, heard_b = await start(hubs, channel)
    heard_a.messages.clear()
    heard_b.messages.clear()
    admin = Redis.from_url(REDIS_URL)
    try:
        clients = await admin.client_list()
        mine = [c for c in clients if c.get("name") == f"podium-hub:{channel}"]
        assert len(mine) == 2  # one subscription per hub, named for operators
        for client in mine:
            await admin.client_kill_filter(_id=client["id"])
    finally:
        await admin.aclose()
    # each hub subscribed again and told its listeners to reload what they hold
    await eventually(
        lambda: bool(heard_a.of("resync", "reconnected") and heard_b.of("resync", "reconnected"))
    )
    assert (a.reconnects, b.reconnects) == (1, 1)
    await b.publish(Structure(1))
    await eventually(lambda: bool(heard_a.of("structure")))


async def test_a_failed_publish_is_followed_by_a_resync_everywhere(
    hubs: list[RedisHub], channel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, heard_a = await start(hubs, channel)
    _b, heard_b = await start(hubs, channel)
    heard_a.messages.clear()
    heard_b.messages.clear()
    publisher = a._publisher
    assert publisher is not None
    real = publisher.publish
    failures = 1

    async def flaky(*args: Any) -> Any:
        nonlocal failures
        if failures:
            failures -= 1
            raise RedisConnectionError("Redis went away")
        return await real(*args)

    monkeypatch.setattr(publisher, "publish", flaky)
    await a.publish(State(1))  # lost, and no exception
    assert a.publish_failures == 1  # podium_hub_publish_failures_total
    await eventually(
        lambda: bool(
            heard_a.of("resync", "messages lost") and heard_b.of("resync", "messages lost")
        )
    )
    await a.publish(State(2))
    await eventually(lambda: bool(heard_b.of("state")))
    assert heard_b.of("state") == [State(2)]


async def test_garbage_on_the_channel_is_ignored(hubs: list[RedisHub], channel: str) -> None:
    a, heard_a = await start(hubs, channel)
    other = Redis.from_url(REDIS_URL)
    try:
        await other.publish(channel, b"not json")
        await other.publish(channel, b"[1, 2]")
    finally:
        await other.aclose()
    await a.publish(State(3))
    await eventually(lambda: bool(heard_a.of("state")))


async def test_a_newer_peers_message_is_logged_once_and_ignored(
    hubs: list[RedisHub], channel: str, caplog: pytest.LogCaptureFixture
) -> None:
    a, heard_a = await start(hubs, channel)
    other = Redis.from_url(REDIS_URL)
    try:
        for _ in range(3):
            await other.publish(channel, b'{"type":"applause","event_id":3,"count":9}')
    finally:
        await other.aclose()
    await a.publish(State(4))
    await eventually(lambda: bool(heard_a.of("state")))
    # its own "peer started" resync aside, the listener heard only the known message
    assert [m for m in heard_a.messages if not isinstance(m, Resync)] == [State(4)]
    warned = [r for r in caplog.records if "applause" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelname == "WARNING"


async def test_an_unreachable_redis_stops_the_start_with_a_clear_message() -> None:
    hub = RedisHub("redis://:secret@127.0.0.1:1/0", "podium", connect_timeout=0.5)
    with pytest.raises(RuntimeError, match="cannot reach Redis") as caught:
        await hub.start()
    assert "secret" not in str(caught.value)


def test_urls_are_shown_without_their_password() -> None:
    assert safe_url("redis://:pw@db.example:6380/1") == "redis://:***@db.example:6380/1"
    assert safe_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


async def test_a_runtime_with_redis_moves_tallies_through_the_channel(
    settings: Settings, channel: str
) -> None:
    """The same code path as one process: the writer publishes, the hub delivers the
    message back, the live cache counts it."""
    rt = Runtime(settings.model_copy(update={"redis_url": REDIS_URL, "redis_channel": channel}))
    assert isinstance(rt.hub, RedisHub)
    await rt.start()
    try:
        event = await create_event(rt, "Redis")
        question = await add_question(rt, event.id, QuestionInput("scale", "Wie?", [], {}))
        live = await rt.live.get(event.id)
        assert live is not None
        pids = [await participant_id(rt, event.id, f"token-{i:040d}") for i in range(5)]
        await asyncio.gather(
            *(
                rt.writer.submit(AnswerWrite(str(uuid.uuid4()), question.id, p, 3, True), event.id)
                for p in pids
            )
        )
        await rt.writer.submit(
            AnswerWrite(str(uuid.uuid4()), question.id, pids[0], 5, True), event.id
        )
        tally = live.tallies[question.id]
        await eventually(lambda: [s.count for s in tally.result().steps] == [0, 0, 4, 0, 1])
    finally:
        await rt.stop()


async def test_contributions_and_word_edits_reach_another_process(
    settings: Settings, channel: str
) -> None:
    """Two processes on one database and one Redis channel: a contribution approved
    on A appears in B's board (what B's devices and screens are sent), and a word
    hidden on A leaves B's cloud."""
    from podium.domain.tally import WordsResult
    from podium.domain.word_forms import word_key
    from podium.services import contributions, moderation, word_edits

    shared = settings.model_copy(update={"redis_url": REDIS_URL, "redis_channel": channel})
    a, b = Runtime(shared), Runtime(shared)
    await a.start()
    await b.start()
    try:
        event = await create_event(a, "Zwei Prozesse")
        cloud = await add_question(a, event.id, QuestionInput("words", "Schlagworte", [], {}))
        live_a = await a.live.get(event.id)
        assert live_a is not None
        assert await b.board.get(event.id) == []  # B's screens watch the event
        item = await contributions.submit(a, live_a, "p" * 40, "Frage über zwei Prozesse")
        await moderation.act(a, event.id, item.id, "approve", None)

        def approved_on_b() -> bool:
            items = b.board.loaded(event.id) or []
            return any(i.id == item.id and i.visible for i in items)

        await eventually(approved_on_b)

        pid = await participant_id(a, event.id, "q" * 40)
        await a.writer.submit(
            AnswerWrite(str(uuid.uuid4()), cloud.id, pid, ["Homeoffice", "Quatsch"], True),
            event.id,
        )
        assert await b.live.get(event.id) is not None

        def words_on(rt: Runtime) -> set[str]:
            current = rt.live.loaded(event.id)
            tally = current.tallies.get(cloud.id) if current else None
            result = tally.result() if tally else None
            return {w.word for w in result.words} if isinstance(result, WordsResult) else set()

        for rt in (a, b):  # the answer is counted in both processes
            await eventually(lambda rt=rt: words_on(rt) == {"Homeoffice", "Quatsch"})
        await word_edits.hide(a, event.id, cloud.id, word_key("Quatsch", "de"), None)
        await eventually(lambda: words_on(b) == {"Homeoffice"})
    finally:
        await b.stop()
        await a.stop()
