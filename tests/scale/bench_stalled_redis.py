"""A short benchmark for issue 14, defect 8: how fast answers are acknowledged while
Redis stalls. Recorded in docs/BENCHMARKS.md ("Answers while Redis stalls").

`podium serve` runs in a process of its own on a fresh SQLite file, its Redis URL
pointing at the stalling proxy (stall_proxy.py) in front of the machine's Redis.
Participants answer at a fixed (open-loop) rate, first with Redis flowing, then
while the proxy holds every byte for STALL seconds at a time. Afterwards every
acknowledged answer must be stored and the server's live tallies (moved only by
hub messages) must hold every participant.

    PYTHONPATH=src python -m tests.scale.bench_stalled_redis [--rate 100] [--json FILE]

It lives beside the proxy, in tests/scale, as the proxy is test tooling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from podium.bench.latency import summarise_ms
from podium.bench.server import ServerProcess
from podium.bench.system import machine
from podium.runtime import Runtime
from podium.services import live_control
from podium.services.event_io import import_event
from podium.settings import Settings
from podium.store.migrate import upgrade_in_thread
from tests.scale.conftest import EVENT_YAML, REDIS_URL, SECRET_KEY, server_env
from tests.scale.stall_proxy import StallProxy, stall_proxy

COOKIE = "podium_p"
SHOWN_METRICS = ("podium_answer", "podium_hub_publish", "podium_hub_reconnects", "podium_commit")
COMMIT_BUCKETS = "podium_commit_seconds_bucket"  # a slow disk shows here, not a slow Redis
BEGAN = time.monotonic()
STALLS: list[float] = []  # when each stall began, seconds since the bench started


@dataclass
class Sent:
    stalled: bool  # the proxy held Redis when the answer was sent
    token: str
    at: float  # seconds since the bench started
    seconds: float
    status: int


@dataclass(frozen=True)
class Target:
    join_code: str
    question_id: int
    options: list[int]


async def prepare(database_url: str) -> Target:
    """The event (three single-choice questions, the first live), before the server starts."""
    rt = Runtime(Settings(database_url=database_url, secret_key=SECRET_KEY, redis_url=""))
    await rt.start()
    try:
        event = await import_event(rt, EVENT_YAML)
        live = await rt.live.get(event.id)
        assert live is not None
        question = live.ordered()[0]
        await live_control.go_live(rt, event.id, question.id)
        return Target(live.join_code, question.id, [o.id for o in question.spec.options])
    finally:
        await rt.stop()


async def join(url: str, target: Target, count: int) -> list[str]:
    """New participants, one after another (the cookie jar must be empty for each)."""
    tokens: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for _ in range(count):
            client.cookies.clear()
            response = await client.get(f"/p/{target.join_code}")
            response.raise_for_status()
            tokens.append(response.cookies[COOKIE])
    return tokens


async def phase(
    client: httpx.AsyncClient,
    target: Target,
    tokens: list[str],
    proxy: StallProxy,
    rate: float,
    seconds: float,
    rng: random.Random,
) -> list[Sent]:
    """Answers at `rate` per second for `seconds`, each from a random participant."""
    sent: list[Sent] = []

    async def answer(token: str) -> None:
        stalled = proxy.stalled
        body = {
            "question_id": target.question_id,
            "answer_id": uuid.uuid4().hex,
            "value": [rng.choice(target.options)],
        }
        started = time.perf_counter()
        response = await client.post(
            f"/p/{target.join_code}/answer",
            json=body,
            headers={"Accept": "application/json", "Cookie": f"{COOKIE}={token}"},
        )
        elapsed = time.perf_counter() - started
        sent.append(Sent(stalled, token, time.monotonic() - BEGAN, elapsed, response.status_code))

    tasks: list[asyncio.Task[None]] = []
    started = time.monotonic()
    for n in range(int(rate * seconds)):
        delay = started + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(answer(rng.choice(tokens))))
    await asyncio.gather(*tasks)
    return sent


async def stalls(proxy: StallProxy, stall: float, gap: float, times: int) -> None:
    for _ in range(times):
        STALLS.append(round(time.monotonic() - BEGAN, 2))
        proxy.stall(stall)
        await asyncio.sleep(stall + gap)


async def metrics(client: httpx.AsyncClient) -> dict[str, float]:
    response = await client.get("/metrics")
    response.raise_for_status()
    samples: dict[str, float] = {}
    for line in response.text.splitlines():
        name, _, number = line.partition(" ")
        if not line.startswith("#") and ("{" not in name or name.startswith(COMMIT_BUCKETS)):
            samples[name] = float(number)
    return samples


async def watch_backlog(client: httpx.AsyncClient, peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], (await metrics(client))["podium_answer_publish_backlog"])
        await asyncio.sleep(0.25)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def watch_host(pid: int, samples: list[tuple[float, float, float]]) -> None:
    """Each second: (seconds since start, the server's CPU share, the load average), to
    tell a server that is busy from one that is starved by the machine's other work."""
    last = cpu_seconds(pid)
    while True:
        await asyncio.sleep(1.0)
        now = cpu_seconds(pid)
        at = round(time.monotonic() - BEGAN, 1)
        samples.append((at, round(now - last, 2), round(os.getloadavg()[0], 2)))
        last = now


def timeline(sent: list[Sent]) -> list[tuple[int, int, int]]:
    """Per second of sending: (second, answers sent, slowest acknowledgement in ms)."""
    seconds: dict[int, list[float]] = {}
    for s in sent:
        seconds.setdefault(int(s.at), []).append(s.seconds)
    return [(t, len(v), round(1000 * max(v))) for t, v in sorted(seconds.items())]


def stored_answers(path: str) -> tuple[int, int]:
    """Rows (each acknowledged answer id is one) and current answers (one a participant)."""
    with sqlite3.connect(path) as db:
        rows = int(db.execute("SELECT count(*) FROM answers").fetchone()[0])
        current = int(db.execute("SELECT count(*) FROM answers WHERE NOT superseded").fetchone()[0])
    return rows, current


async def run(args: argparse.Namespace) -> dict[str, Any]:
    conditions = machine()  # its load average is the one at the start
    folder = Path(tempfile.mkdtemp(prefix="podium-stall-"))
    db_path = folder / "podium.db"
    database_url = f"sqlite:///{db_path}"
    upgrade_in_thread(database_url)
    target = await prepare(database_url)
    upstream = urlsplit(REDIS_URL)
    rng = random.Random(args.seed)
    with stall_proxy(upstream.hostname or "127.0.0.1", upstream.port or 6379) as proxy:
        env = server_env(database_url, f"podium-bench-{secrets.token_hex(8)}")
        env["PODIUM_REDIS_URL"] = proxy.url
        server = ServerProcess(env, folder / "server-stall.log", name="stall")
        server.start()
        try:
            server.wait_ready()
            host: list[tuple[float, float, float]] = []
            host_watcher = asyncio.create_task(watch_host(server.pid, host))
            limits = httpx.Limits(max_connections=args.connections)
            async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=30) as client:
                tokens = await join(server.url, target, args.participants)
                flowing = await phase(client, target, tokens, proxy, args.rate, args.seconds, rng)
                peak = [0.0]
                watcher = asyncio.create_task(watch_backlog(client, peak))
                times = max(1, round(args.seconds / (args.stall + args.gap)))
                stalling = asyncio.create_task(stalls(proxy, args.stall, args.gap, times))
                during = await phase(
                    client, target, tokens, proxy, args.rate, times * (args.stall + args.gap), rng
                )
                await stalling
                proxy.resume()
                # The held publishes all go out once Redis flows again.
                deadline = time.monotonic() + 30
                after = await metrics(client)
                while after["podium_answer_publish_backlog"] and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                    after = await metrics(client)
                watcher.cancel()
                host_watcher.cancel()
        finally:
            server.stop()
    sent = flowing + during
    ok = [s for s in sent if s.status == 200]
    rows, current = stored_answers(str(db_path))
    return {
        "command": " ".join(["python -m tests.scale.bench_stalled_redis", *sys.argv[1:]]),
        "machine": conditions,
        "participants": args.participants,
        "rate": args.rate,
        "stall_seconds": args.stall,
        "statuses": dict(Counter(s.status for s in sent)),
        "redis_flowing_ms": summarise_ms([s.seconds for s in flowing]),
        "redis_stalled_ms": summarise_ms([s.seconds for s in during if s.stalled]),
        "between_stalls_ms": summarise_ms([s.seconds for s in during if not s.stalled]),
        "slowest": [
            (round(s.at, 2), round(1000 * s.seconds), s.stalled)
            for s in sorted(sent, key=lambda s: -s.seconds)[:15]
        ],
        "stalls_at": STALLS,
        "timeline": timeline(sent),
        "server_cpu_and_load": host,
        "acknowledged": len(ok),
        "stored": rows,
        "participants_answered": len({s.token for s in ok}),
        "current_answers_stored": current,
        "peak_publish_backlog_batches": peak[0],
        "server_metrics_after": {
            k: v
            for k, v in after.items()
            if k.startswith(SHOWN_METRICS) and not k.startswith("podium_answer_batches")
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scale.bench_stalled_redis")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100.0, help="answers per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="each phase, about")
    parser.add_argument("--stall", type=float, default=4.0, help="seconds Redis holds bytes")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds it flows in between")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    figures = asyncio.run(run(args))
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    # Every acknowledged answer stored, and one current answer per participant.
    exact = figures["acknowledged"] == figures["stored"]
    one_each = figures["participants_answered"] == figures["current_answers_stored"]
    return 0 if exact and one_each else 1


if __name__ == "__main__":
    raise SystemExit(main())
