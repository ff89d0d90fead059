"""`podium bench-soak`: many events, one after another, in one server: memory stays flat.

The app runs in this process (its runtime, live cache, board, fan-out and writer, on
a database of its own), and every event goes through a whole life: created with a
question, made live, phones and a screen open their streams, participants answer
and contribute over HTTP (the hot path and the routes, through ASGI), the
contributions are read back, the frames go out, and the event is deleted. The
server's RSS is read after `first` events and after the last; `--tracemalloc`
also lists where the memory allocated between the two points went.
"""

from __future__ import annotations

import asyncio
import gc
import os
import secrets
import tempfile
import time
import tracemalloc
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from podium.bench.participants import cookie_token
from podium.bench.system import rss_kib
from podium.settings import Settings

STREAM_TIMEOUT = 10.0


@dataclass
class SoakResult:
    events: int
    rss_kib: dict[int, int] = field(default_factory=dict)  # after event n -> RSS
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    growth: list[str] = field(default_factory=list)  # tracemalloc's top lines


class _Stream:
    """A live stream called through ASGI, as a browser holds it open."""

    def __init__(self, app: Any, path: str, cookie: str | None = None) -> None:
        headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"text/event-stream")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        self._scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }
        self._leave = asyncio.Event()
        self.first = asyncio.Event()
        self.status = 0
        self.bytes = 0
        self.task = asyncio.create_task(app(self._scope, self._receive, self._send))

    async def _receive(self) -> dict[str, Any]:
        await self._leave.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.bytes += len(message.get("body", b""))
            self.first.set()

    async def close(self) -> None:
        """Wait for the server to end the stream; leave when it does not."""
        try:
            await asyncio.wait_for(asyncio.shield(self.task), STREAM_TIMEOUT)
        except TimeoutError:
            self._leave.set()
            await self.task


async def _one_event(app: Any, n: int, participants: int, devices: int, result: SoakResult) -> None:
    from podium.services import live_control, moderation
    from podium.services.catalog_events import create_event, delete_event
    from podium.services.catalog_questions import QuestionInput, add_question

    rt = app.state.runtime
    event = await create_event(rt, f"Soak {n}", language="de")
    question = await add_question(rt, event.id, QuestionInput("single", "Wie?", ["A", "B", "C"]))
    await moderation.configure(rt, event.id, moderation="post")
    await live_control.go_live(rt, event.id, question.id)
    await live_control.set_flags(rt, event.id, question.id, results_on_screen=True)
    options = [o.id for o in (await rt.live.get(event.id)).questions[question.id].spec.options]
    code = event.join_code
    streams = [_Stream(app, f"/present/{event.presenter_token}/stream")]
    streams += [_Stream(app, f"/p/{code}/stream") for _ in range(devices)]
    await asyncio.wait_for(asyncio.gather(*(s.first.wait() for s in streams)), STREAM_TIMEOUT)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        for i in range(participants):
            client.cookies.clear()  # another browser
            page = await client.get(f"/p/{code}")  # joins as one: podium issues the token
            token = cookie_token(page)
            client.cookies.clear()  # sent by hand below, as every participant's own
            if token is None:
                result.errors.append(f"event {n}: join HTTP {page.status_code}, no token")
                continue
            cookie = {"Cookie": f"podium_p={token}"}
            json_headers = {**cookie, "Accept": "application/json"}
            body = {"question_id": question.id, "answer_id": str(uuid.uuid4())}
            answer = await client.post(
                f"/p/{code}/answer",
                json={**body, "value": options[i % len(options)]},
                headers=json_headers,
            )
            if answer.status_code != 200:
                result.errors.append(f"event {n}: answer HTTP {answer.status_code}")
            if i % 3 == 0:
                text = f"Frage {uuid.uuid4().hex} an {secrets.token_hex(6)}"  # no near-duplicates
                sent = await client.post(
                    f"/p/{code}/contributions", json={"text": text}, headers=json_headers
                )
                if sent.status_code != 200:
                    result.errors.append(f"event {n}: contribution HTTP {sent.status_code}")
        listed = await client.get(f"/api/v1/p/{code}/contributions")
        if listed.status_code != 200 or not listed.json()["contributions"]:
            result.errors.append(f"event {n}: contributions not listed")
    await asyncio.sleep(3 * rt.settings.screen_tick)  # the fan-out's frames go out
    await delete_event(rt, event.id)
    for stream in streams:
        await stream.close()
    if any(s.bytes == 0 for s in streams):
        result.errors.append(f"event {n}: a stream got nothing")


def _rss() -> int:
    gc.collect()
    return rss_kib(os.getpid()) or 0


async def soak(
    events: int,
    participants: int = 10,
    devices: int = 5,
    first: int = 100,
    database_url: str | None = None,
    trace: bool = False,
    progress: bool = True,
) -> SoakResult:
    from podium.app import create_app

    with tempfile.TemporaryDirectory(prefix="podium-soak-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'soak.db'}"
        settings = Settings(
            database_url=url,
            secret_key=secrets.token_urlsafe(32),
            screen_tick=0.05,
            participant_tokens_burst=0,  # every participant comes from this one process
        )
        if database_url is None:
            from podium.store.migrate import upgrade_in_thread

            upgrade_in_thread(url)
        app = create_app(settings)
        rt, fanout = app.state.runtime, app.state.fanout
        await rt.start()
        await fanout.start()
        result = SoakResult(events)
        started = time.perf_counter()
        snapshot: tracemalloc.Snapshot | None = None
        try:
            for n in range(1, events + 1):
                await _one_event(app, n, participants, devices, result)
                if n in (first, events):
                    result.rss_kib[n] = _rss()
                    if trace and n == first:
                        tracemalloc.start(10)
                        snapshot = tracemalloc.take_snapshot()
                if progress and n % 50 == 0:
                    print(f"  {n} events, RSS {_rss()} KiB", flush=True)
            if snapshot is not None:
                grown = tracemalloc.take_snapshot().compare_to(snapshot, "lineno")
                result.growth = [str(stat) for stat in grown[:15]]
                tracemalloc.stop()
        finally:
            result.seconds = time.perf_counter() - started
            await fanout.stop()
            await rt.stop()
    return result


def summary(result: SoakResult) -> str:
    lines = [f"soak: {result.events} events in {result.seconds:.0f} s"]
    points = sorted(result.rss_kib.items())
    for n, rss in points:
        lines.append(f"  RSS after event {n}: {rss / 1024:.1f} MiB ({rss} KiB)")
    if len(points) == 2:
        delta = points[1][1] - points[0][1]
        lines.append(
            f"  growth from event {points[0][0]} to {points[1][0]}: {delta / 1024:+.1f} MiB"
        )
    lines += [f"  grown: {line}" for line in result.growth]
    lines.append(
        f"  errors: {len(result.errors)}"
        + (f" (first: {result.errors[0]})" if result.errors else "")
    )
    return "\n".join(lines)
