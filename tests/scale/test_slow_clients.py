"""Slow and idle live streams against a real `podium serve`.

- Clients that open a stream and never read hold at most a buffer of one frame
  each: they neither slow the presenter who reads normally nor grow the server's
  memory while results change many times a second.
- A stream with nothing to say gets a heartbeat comment within the interval.
- A reconnect with Last-Event-ID starts with the full current state.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from podium.bench.server import ServerProcess
from tests.scale.crash_helpers import (
    AnswerClient,
    DemoDb,
    issued_token,
    metric,
    prepare_demo,
    server_process,
    server_results,
    sqlite_settings,
)

STALLED = 200
LOAD_SECONDS = 10.0
RSS_BOUND = 50 * 2**20  # growth allowed with all stalled clients during the load
HEARTBEAT = 0.5
SCREEN_TICK = 0.05  # 20 result frames a second to every screen: many frames not read
RESPONDENTS = re.compile(r'<p class="n">\s*(\d+)')


@dataclass
class Server:
    process: ServerProcess
    db: DemoDb


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("slow-clients")
    db = prepare_demo(sqlite_settings(folder, migrated_template))
    process = server_process(
        db.url, folder / "server.log", heartbeat=str(HEARTBEAT), screen_tick=str(SCREEN_TICK)
    )
    process.start()
    try:
        process.wait_ready()
        yield Server(process, db)
    finally:
        process.stop()


# --- a presenter who reads ---------------------------------------------------------------


@dataclass
class Frame:
    at: float
    id: int | None
    event: str
    data: dict[str, object]


@dataclass
class Presenter:
    """Reads one presenter stream and keeps every frame with its arrival time."""

    frames: list[Frame] = field(default_factory=list)
    comments: list[float] = field(default_factory=list)

    async def read(self, lines: AsyncIterator[str]) -> None:
        frame_id: int | None = None
        event = ""
        async for line in lines:
            if line.startswith(":"):
                self.comments.append(time.monotonic())
            elif line.startswith("id: "):
                frame_id = int(line[4:])
            elif line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                self.frames.append(Frame(time.monotonic(), frame_id, event, json.loads(line[6:])))

    def respondents(self) -> list[tuple[float, int]]:
        """(arrival, respondents shown) of every results frame."""
        shown = []
        for f in self.frames:
            html = str(f.data.get("html", "")) if f.event == "results" else ""
            found = RESPONDENTS.search(html)
            if found:
                shown.append((f.at, int(found.group(1))))
        return shown


async def wait_for(condition: Callable[[], object], what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


# --- clients that never read ---------------------------------------------------------------


def stalled_stream(port: int, path: str) -> socket.socket:
    """A connection that asks for a stream and then never reads a byte."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window: stalls at once
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return sock


async def answer_as_new_participants(
    port: int, code: str, question_id: int, option: int, until: float, acks: list[float]
) -> None:
    """Each answer by a new participant: the respondents shown grow by one per answer."""
    while time.monotonic() < until:
        client = AnswerClient(port, f"podium_p={issued_token()}")
        body = {"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": [option]}
        try:
            status, data = await client.post_json(f"/p/{code}/answer", body, 10.0)
        finally:
            client.close()
        assert status == 200, data
        acks.append(time.monotonic())


async def metrics_text(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200
    return response.text


async def stalled_clients_run(srv: Server) -> dict[str, float]:
    db, process = srv.db, srv.process
    question_id = db.question_ids[0]  # current, results on the screen (open_polls)
    option = db.options[question_id][0]
    presenter = Presenter()
    async with (
        httpx.AsyncClient(base_url=process.url, timeout=10) as client,
        client.stream("GET", f"/present/{db.presenter_token}/stream") as stream,
    ):
        reading = asyncio.create_task(presenter.read(stream.aiter_lines()))
        await wait_for(lambda: presenter.respondents(), "the presenter's first results")
        # warm up: templates compiled, connections pooled, the writer running
        await answer_as_new_participants(
            process.port, db.join_code, question_id, option, time.monotonic() + 1.0, []
        )
        rss_before = metric(await metrics_text(client), "process_resident_memory_bytes")
        sockets = [
            stalled_stream(process.port, f"/present/{db.presenter_token}/stream")
            for _ in range(STALLED)
        ]
        try:
            text = ""

            async def all_connected() -> bool:
                nonlocal text
                text = await metrics_text(client)
                return metric(text, "podium_sse_connections", audience="screen") >= STALLED + 1

            deadline = time.monotonic() + 10
            while not await all_connected():
                assert time.monotonic() < deadline, "the stalled clients did not connect"
                await asyncio.sleep(0.05)
            frames_before = metric(text, "podium_frames_written_total")
            rss_connected = metric(text, "process_resident_memory_bytes")
            base = presenter.respondents()[-1][1]
            acks: list[float] = []
            started = time.monotonic()
            until = started + LOAD_SECONDS
            load = [
                asyncio.create_task(
                    answer_as_new_participants(
                        process.port, db.join_code, question_id, option, until, acks
                    )
                )
                for _ in range(8)
            ]
            rss: list[float] = []
            while not all(task.done() for task in load):
                text = await metrics_text(client)
                rss.append(metric(text, "process_resident_memory_bytes"))
                await asyncio.sleep(0.25)
            await asyncio.gather(*load)
            await wait_for(
                lambda: presenter.respondents()[-1][1] >= base + len(acks),
                "the last answer on the presenter's screen",
                seconds=5,
            )
            text = await metrics_text(client)
            still_connected = metric(text, "podium_sse_connections", audience="screen")
            frames_written = metric(text, "podium_frames_written_total") - frames_before
        finally:
            for sock in sockets:
                sock.close()
        # gone clients are noticed (the next write fails) and their subscriptions dropped
        deadline = time.monotonic() + 10
        while metric(await metrics_text(client), "podium_sse_connections", audience="screen") > 1:
            assert time.monotonic() < deadline, "closed stalled streams were not dropped"
            await asyncio.sleep(0.05)
        reading.cancel()

    shown = [(at, n) for at, n in presenter.respondents() if at >= started]
    latencies = []
    for k, acked_at in enumerate(sorted(acks), start=1):  # k answers were stored by then
        seen = next(at for at, n in shown if n >= base + k)  # may precede the ack
        latencies.append(max(0.0, seen - acked_at))
    latencies.sort()
    sizes = [len(json.dumps(f.data)) for f in presenter.frames if f.event == "results"]
    frame_bytes = sum(sizes) / len(sizes)
    during = [at for at, _ in shown if at <= until]
    gaps = [b - a for a, b in itertools.pairwise([started, *during])]
    return {
        "answers": len(acks),
        "answers_per_s": len(acks) / LOAD_SECONDS,
        "frames_to_presenter": len(shown),
        "frames_written": frames_written,
        "offered_mb": frames_written * frame_bytes / 2**20,  # had every frame been queued
        "max_gap": max(gaps),
        "latency_p50": latencies[len(latencies) // 2],
        "latency_p99": latencies[int(len(latencies) * 0.99)],
        "latency_max": latencies[-1],
        "rss_before_mb": rss_before / 2**20,
        "rss_growth_mb": (max(rss) - rss_before) / 2**20,
        "rss_per_stalled_kb": (max(rss) - rss_before) / STALLED / 2**10,
        "rss_connect_mb": (rss_connected - rss_before) / 2**20,
        "rss_growth_second_half_mb": (max(rss) - max(rss[: len(rss) // 2])) / 2**20,
        "stalled_still_connected": still_connected - 1,
    }


def test_stalled_clients_block_nobody_and_hold_little_memory(server: Server) -> None:
    figures = asyncio.run(stalled_clients_run(server))
    print("\nslow clients:", {k: round(v, 3) for k, v in figures.items()})
    assert figures["stalled_still_connected"] == STALLED
    assert figures["answers"] >= 100, figures  # the results kept changing
    # the presenter who reads keeps getting frames, and sees every answer within a second
    assert figures["max_gap"] < 1.0, figures
    assert figures["latency_p99"] < 1.0, figures
    # a buffer of one per stalled client: memory grows by its socket buffer, not by frames
    assert figures["rss_growth_mb"] < RSS_BOUND / 2**20, figures


# --- idle streams and reconnects -------------------------------------------------------------


async def read_stream(
    url: str, path: str, seconds: float, headers: dict[str, str] | None = None
) -> Presenter:
    """Read a stream for `seconds` (or until the test has what it needs)."""
    reader = Presenter()
    async with (
        httpx.AsyncClient(base_url=url, timeout=10) as client,
        client.stream("GET", path, headers=headers or {}) as stream,
    ):
        assert stream.status_code == 200
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader.read(stream.aiter_lines()), seconds)
    return reader


def test_idle_stream_gets_heartbeats(server: Server) -> None:
    path = f"/present/{server.db.idle_presenter_token}/stream"
    opened = time.monotonic()
    reader = asyncio.run(read_stream(server.process.url, path, 3 * HEARTBEAT + 0.4))
    # the snapshot (the current state and the contributions), then nothing changes
    assert [f.event for f in reader.frames] == ["state", "contributions"]
    assert len(reader.comments) >= 3, reader.comments
    beats = [opened, *reader.comments]
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert all(gap < HEARTBEAT + 0.4 for gap in gaps), gaps
    assert all(gap > HEARTBEAT * 0.8 for gap in gaps[1:]), gaps  # and not more often


def test_reconnect_with_last_event_id_starts_with_the_full_state(server: Server) -> None:
    db, process = server.db, server.process
    path = f"/present/{db.presenter_token}/stream"
    question_id = db.question_ids[0]
    first = asyncio.run(read_stream(process.url, path, 0.3))
    last_id = max(f.id for f in first.frames if f.id is not None)

    async def answer_and_count() -> int:
        for option in db.options[question_id][:3]:
            client = AnswerClient(process.port, f"podium_p={issued_token()}")
            body = {"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": [option]}
            status, _ = await client.post_json(f"/p/{db.join_code}/answer", body, 10.0)
            client.close()
            assert status == 200
        results = await server_results(process.url, db.event_id)
        return int(results[question_id]["respondents"])  # type: ignore[arg-type]

    respondents = asyncio.run(answer_and_count())
    again = asyncio.run(read_stream(process.url, path, 0.3, {"Last-Event-ID": str(last_id)}))
    assert [f.event for f in again.frames[:2]] == ["state", "results"]
    state, results = again.frames[0], again.frames[1]
    assert state.data["question_id"] == results.data["question_id"] == question_id
    assert state.data["results_visible"] is True
    assert again.respondents()[0][1] == respondents
    # the results changed since: a frame made after the one the client saw last (the
    # unchanged state frame keeps its id: frames are encoded once and shared)
    assert results.id is not None and results.id > last_id
