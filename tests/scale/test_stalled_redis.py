"""Issue 14, defect 8: a slow Redis must not stall the answers. An answer is durable
once committed and is acknowledged then; its publish to the hub follows, retried.

podium runs with its Redis URL pointing at a proxy (stall_proxy.py) that holds every
byte for a few seconds. Meanwhile participants answer over HTTP: each answer is
acknowledged quickly and stored, and the hub hears nothing (the bytes are held).
Once the stall ends the held publishes go out, and a listener on the real Redis
hears every stored answer.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from redis import Redis
from redis.client import PubSub
from sqlalchemy import select

from podium.runtime import Runtime
from podium.services import live_control
from podium.settings import Settings
from podium.store.tables import Answer
from tests.scale.conftest import REDIS_URL
from tests.scale.stall_proxy import StallProxy, stall_proxy
from tests.server import LiveServer, live_server
from tests.web.conftest import Demo, make_event

STALL = 3.0  # seconds Redis holds every byte: far beyond any acknowledgement
ACK_BOUND = 0.75  # seconds: "well under a second" on a busy shared 2-core box
ANSWERS = 20  # while stalled; few enough to send well within STALL
HEARD_TIMEOUT = 15.0


@dataclass
class Podium:
    srv: LiveServer
    proxy: StallProxy
    demo: Demo
    channel: str
    http: httpx.Client

    def join(self) -> str:
        """A new participant: the page hands out a token in a cookie."""
        self.http.cookies.clear()  # each one a stranger; the token goes in by hand
        response = self.http.get(f"/p/{self.demo.event.join_code}")
        assert response.status_code == 200
        token = response.cookies["podium_p"]
        self.http.cookies.clear()
        return token

    def metric(self, name: str) -> float:
        """One unlabelled sample of /metrics (read from this host, as an operator would)."""
        response = self.http.get("/metrics")
        assert response.status_code == 200
        for line in response.text.splitlines():
            sample, _, number = line.partition(" ")
            if sample == name:
                return float(number)
        raise AssertionError(f"{name} is not in /metrics")

    def answer(self, token: str, option: int) -> float:
        """Sends one answer on the hot path; returns seconds until its acknowledgement."""
        body = {"question_id": self.demo.single, "answer_id": uuid.uuid4().hex, "value": [option]}
        started = time.perf_counter()
        response = self.http.post(
            f"/p/{self.demo.event.join_code}/answer",
            json=body,
            headers={"Accept": "application/json", "Cookie": f"podium_p={token}"},
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.text
        return elapsed


@pytest.fixture
def podium(settings: Settings) -> Iterator[Podium]:
    upstream = urlsplit(REDIS_URL)
    channel = f"podium-test-{uuid.uuid4().hex}"
    with stall_proxy(upstream.hostname or "127.0.0.1", upstream.port or 6379) as proxy:
        redis_settings = settings.model_copy(
            update={"redis_url": proxy.url, "redis_channel": channel}
        )
        with live_server(redis_settings) as srv:
            demo = srv.run(make_event, srv.rt)
            srv.run(live_control.go_live, srv.rt, demo.event.id, demo.single)
            with httpx.Client(base_url=srv.url, timeout=30.0) as http:
                yield Podium(srv, proxy, demo, channel, http)
            # Nothing held back at the end: the server stops without waiting on Redis.
            proxy.resume()


@pytest.fixture
def listener(podium: Podium) -> Iterator[PubSub]:
    """A subscriber on the real Redis, past the proxy: it hears what was published."""
    client = Redis.from_url(REDIS_URL)
    pubsub = client.pubsub()
    pubsub.subscribe(podium.channel)
    # Only once Redis confirms is every later message delivered to us.
    confirmation = pubsub.get_message(timeout=5.0)
    assert confirmation is not None and confirmation["type"] == "subscribe"
    try:
        yield pubsub
    finally:
        pubsub.close()
        client.close()


def heard_rows(pubsub: PubSub, timeout: float = 0.0) -> set[int]:
    """The answer rows named by "answers" messages that arrived within `timeout`."""
    rows: set[int] = set()
    deadline = time.monotonic() + timeout
    while True:
        message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
        if message is None:
            if time.monotonic() >= deadline:
                return rows
            continue
        if message["type"] != "message":
            continue
        data = json.loads(message["data"])
        if data.get("type") == "answers":
            rows.update(int(item[4]) for item in data["items"])


def wait_until_heard(pubsub: PubSub, rows: set[int], timeout: float = HEARD_TIMEOUT) -> set[int]:
    heard: set[int] = set()
    deadline = time.monotonic() + timeout
    while not rows <= heard and time.monotonic() < deadline:
        heard |= heard_rows(pubsub, 0.1)
    return heard


async def stored_rows(rt: Runtime, question_id: int) -> set[int]:
    async with rt.sessions() as session:
        found = await session.scalars(select(Answer.id).where(Answer.question_id == question_id))
        return set(found)


def test_answers_are_acknowledged_while_redis_stalls_and_published_after(
    podium: Podium, listener: PubSub
) -> None:
    yes, no = podium.demo.option_ids[podium.demo.single]
    tokens = [podium.join() for _ in range(ANSWERS + 1)]

    # Before the stall: the way from an answer to the hub works.
    podium.answer(tokens[0], yes)
    first = podium.srv.run(stored_rows, podium.srv.rt, podium.demo.single)
    assert len(first) == 1
    assert first <= wait_until_heard(listener, first)

    podium.proxy.stall(STALL)
    stalled_at = time.monotonic()
    latencies = [podium.answer(t, (yes, no)[n % 2]) for n, t in enumerate(tokens[1:])]
    sent_within = time.monotonic() - stalled_at
    # Acknowledged at once, and durable: every answer is stored ...
    assert max(latencies) < ACK_BOUND, sorted(latencies)[-5:]
    assert podium.proxy.stalled, f"sending took {sent_within:.1f} s, longer than the stall"
    stored = podium.srv.run(stored_rows, podium.srv.rt, podium.demo.single)
    assert len(stored) == ANSWERS + 1
    # ... while nothing of them reached Redis: the acknowledgements did not wait for it.
    assert heard_rows(listener) == set()
    # An operator sees the committed batches waiting for the hub.
    assert podium.metric("podium_answer_publish_backlog") >= 1

    # The stall ends: the held publishes go out, and a listener hears every answer.
    heard = wait_until_heard(listener, stored - first)
    assert stored - first <= heard
    assert time.monotonic() - stalled_at >= STALL  # heard only after the stall
    # The server's own tallies (moved only by hub messages) follow as well.
    expected = {"Ja": 1 + ANSWERS // 2, "Nein": ANSWERS // 2}
    deadline = time.monotonic() + HEARD_TIMEOUT
    while (counts := server_counts(podium)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert counts == expected
    # Held, not lost: no publish was given up or dropped, nothing is left waiting.
    assert podium.metric("podium_answer_publish_backlog") == 0
    assert podium.metric("podium_answer_publish_failures_total") == 0
    assert podium.metric("podium_hub_publish_failures_total") == 0


def server_counts(podium: Podium) -> dict[str, int]:
    live = podium.srv.rt.live.loaded(podium.demo.event.id)
    assert live is not None
    return {o.label: o.count for o in live.tallies[podium.demo.single].result().options}
