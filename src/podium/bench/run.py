"""One bench run, in order: limits, setup, presenters, participants, answers at an
open-loop rate, throughput side by side, memory; the figures as one dict."""

from __future__ import annotations

import asyncio
import gc
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

import httpx

from podium.bench import system
from podium.bench.errors import Errors
from podium.bench.ladder import Ladder
from podium.bench.lanes import Lanes
from podium.bench.lanes import client as make_client
from podium.bench.latency import LatencyMatcher, summarise_ms
from podium.bench.loadgen import (
    AnswerSender,
    answer_request,
    closed_loop,
    noop_request,
    open_loop,
    warm_up,
)
from podium.bench.participants import Pool, Presenters, Streams, join_all
from podium.bench.report import targets
from podium.bench.setup import SetupError, Target, prepare
from podium.bench.system import LimitTooLow

DEMO_EMAIL = "organiser@podium.example"
DEMO_PASSWORD = "podium-demo-2021"
SPARE_FDS = 64  # setup client, presenters' client, files, the event loop


@dataclass(frozen=True)
class BenchConfig:
    url: str
    participants: int
    rate: float
    duration: float
    presenters: int = 1
    email: str = DEMO_EMAIL
    password: str = DEMO_PASSWORD
    event: str | None = None
    presenter_url: str | None = None
    server_pid: int | None = None  # None: look for the process listening on a local URL
    concurrency: int = 64
    throughput_seconds: float = 10.0
    join_concurrency: int = 200
    max_inflight: int = 1024
    timeout: float = 10.0
    device_results: bool = False
    grace: float = 5.0
    seed: int = 20210202
    client: str = "httpx"  # or "raw": see rawhttp.py
    warmup: bool = False  # every participant answers once before the measured phase
    join_timeout: float = 300.0  # no new joins after this many seconds


Log = Callable[[str], None]


def stderr_log(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def podium_version() -> str:
    try:
        return version("podium")
    except PackageNotFoundError:
        return "unknown"


def find_server_pid(url: str) -> int | None:
    split = urlsplit(url)
    if split.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    return system.listener_pid(split.port or (443 if split.scheme == "https" else 80))


def check_limits(config: BenchConfig, server_pid: int | None) -> dict[str, Any]:
    """Raise our own file limit; refuse a run that the limits cannot carry."""
    needed = config.participants + config.presenters + config.max_inflight + SPARE_FDS
    limit = system.raise_fd_limit(needed)
    server_limit = system.process_fd_limit(server_pid) if server_pid else None
    if server_limit is not None and server_limit < needed - config.max_inflight + SPARE_FDS:
        raise LimitTooLow(
            f"the server (pid {server_pid}) may open only {server_limit} files, fewer than the "
            f"{needed} connections of this run: start it from a shell after `ulimit -n {needed}`"
        )
    ports = system.port_range()
    if ports is not None and config.participants + config.max_inflight > ports:
        raise LimitTooLow(
            f"{config.participants + config.max_inflight} connections need more local ports "
            f"than the {ports} of net.ipv4.ip_local_port_range"
        )
    return {"fds_needed": needed, "bench_fd_limit": limit, "server_fd_limit": server_limit}


async def bench(config: BenchConfig, argv: Sequence[str], log: Log = stderr_log) -> dict[str, Any]:
    server_pid = config.server_pid or find_server_pid(config.url)
    limits = check_limits(config, server_pid)
    figures: dict[str, Any] = {
        "command": ["podium", "bench", *argv],
        "date": system.now_iso(),
        "podium_version": podium_version(),
        "machine": system.machine(),
        "config": {**asdict(config), "password": "***"},
        "limits": limits,
    }
    base = config.url.rstrip("/")
    errors = Errors()
    rng = random.Random(config.seed)
    timeout = httpx.Timeout(config.timeout)

    async with make_client(base, 4, timeout, keep_cookies=True) as moderator:
        target = await prepare(
            moderator,
            config.email,
            config.password,
            config.event,
            config.presenter_url,
            config.device_results,
            demo_title(),
        )
    log(
        f"event {target.event_id} „{target.event_title}“, poll {target.question_id} "
        f"({target.question_kind}, {len(target.option_ids)} options), join code "
        f"{target.join_code}, server pid {server_pid or 'unknown'}"
    )
    ladder = Ladder.build(target.option_ids, target.max_choices, target.allow_change)
    lanes = Lanes(base, config.max_inflight, config.timeout, config.client)
    streams = Streams(base, errors, config.timeout)
    presenters = Presenters(base, target, ladder, errors, config.timeout)
    try:
        figures.update(
            await _phases(
                config,
                target,
                ladder,
                lanes,
                streams,
                presenters,
                errors,
                rng,
                server_pid,
                log,
            )
        )
    finally:
        await presenters.aclose()
        await streams.aclose()
        await lanes.aclose()
        gc.unfreeze()
    figures["errors"] = errors.as_dict()
    figures["error_samples"] = errors.samples
    figures["targets"] = targets(figures)
    return figures


async def _phases(
    config: BenchConfig,
    target: Target,
    ladder: Ladder,
    lanes: Lanes,
    streams: Streams,
    presenters: Presenters,
    errors: Errors,
    rng: random.Random,
    server_pid: int | None,
    log: Log,
) -> dict[str, Any]:
    rss = _Rss(server_pid)
    scores = (
        await presenters.connect(config.presenters, config.timeout) if config.presenters else []
    )
    rss.read("before_join")

    log(f"{config.participants} participants join ({config.join_concurrency} at a time) ...")
    started = time.perf_counter()
    joined = await join_all(
        lanes,
        streams,
        target.join_code,
        config.participants,
        config.join_concurrency,
        errors,
        progress=lambda n: log(f"  {n} streaming after {time.perf_counter() - started:.0f} s"),
        give_up_after=config.join_timeout,
    )
    join_seconds = time.perf_counter() - started
    if len(joined) < config.participants:
        errors.add("join", "not joined in time", f"{len(joined)} of {config.participants}")
    # Ten thousand streams are many long-lived objects: without this, the cyclic
    # garbage collector walks them all again and again, in the bench's own time.
    gc.collect()
    gc.freeze()
    if not joined:
        raise SetupError(f"no participant could join: {errors.as_dict()}")
    await asyncio.sleep(1.0)  # let the server settle before reading its memory
    rss.read("connected")
    log(f"{len(joined)} streaming after {join_seconds:.1f} s")

    warmup: dict[str, Any] = {}
    if config.warmup:
        log(f"warm-up: each participant answers once, {config.concurrency} at a time ...")
        warmup = await warm_up(lanes, target, ladder, joined, config.concurrency, errors)
        log(f"warm-up: {warmup['answers']} answers in {warmup['seconds']} s")
    matcher = None
    if scores:
        base = scores[0]
        if config.warmup:
            base = await presenters.settled_score(quiet=1.0, timeout=30.0)
        matcher = LatencyMatcher(base, len(scores))
        presenters.on_frame = matcher.frame

    pool = Pool(rng)
    for participant in joined:
        if participant.step + 1 < len(ladder):
            pool.put(participant)
    log(f"answering at {config.rate}/s for {config.duration} s ...")
    sender = AnswerSender(lanes, target, ladder, pool, matcher, errors)
    clock = system.CpuClock(server_pid).start()
    phase_start = time.perf_counter()
    await open_loop(config.rate, config.duration, sender.send)
    answer_seconds = time.perf_counter() - phase_start
    cpu = clock.read()
    await sender.drain()
    deadline = time.perf_counter() + config.grace
    while matcher is not None and matcher.unseen and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    stats = sender.stats
    log(f"{stats.acknowledged}/{stats.scheduled} answers acknowledged in {answer_seconds:.1f} s")

    throughput: dict[str, Any] = {
        "concurrency": config.concurrency,
        "seconds": config.throughput_seconds,
    }
    if config.throughput_seconds > 0:
        log(f"throughput: {config.concurrency} workers, {config.throughput_seconds} s per endpoint")
        for name, request, status in (
            ("noop", noop_request, 204),
            ("answer", answer_request(target, ladder, joined, rng), 200),
        ):
            phase_clock = system.CpuClock(server_pid).start()
            result = await closed_loop(
                lanes, name, config.concurrency, config.throughput_seconds, request, status, errors
            )
            throughput[name] = {
                "requests": result.requests,
                "ok": result.ok,
                "per_second": round(result.per_second, 1),
                "latency_ms": summarise_ms(result.latencies),
                **phase_clock.read(),
            }
        noop_rate = throughput["noop"]["per_second"]
        throughput["ratio"] = (
            round(throughput["answer"]["per_second"] / noop_rate, 3) if noop_rate else None
        )
    rss.read("end")
    return {
        "setup": {
            "event_id": target.event_id,
            "question_id": target.question_id,
            "question_kind": target.question_kind,
            "options": len(target.option_ids),
            "ladder_steps": len(ladder),
            "presenter_token_from": target.presenter_token_source,
        },
        "connections": {
            "participants_connected": len(joined),
            "presenters_connected": len(scores),
            "join_seconds": round(join_seconds, 2),
            "joins_per_second": round(len(joined) / join_seconds, 1) if join_seconds else None,
            "streams_open_at_end": streams.open,
            "stream_bytes_received": streams.bytes,
        },
        "answers": {
            "scheduled": stats.scheduled,
            "sent": stats.sent,
            "acknowledged": stats.acknowledged,
            "unknown": stats.unknown,
            "skipped": stats.skipped,
            "rejoins": stats.rejoins,
            "outcomes": dict(stats.outcomes),
            "seconds": round(answer_seconds, 2),
            "acknowledged_per_second": round(stats.acknowledged / answer_seconds, 1),
            "ack_latency_ms": summarise_ms(stats.ack),
            "service_ms": summarise_ms(stats.service),
            "send_lag_ms": summarise_ms(stats.lag),
            "cpu": cpu,
        },
        "presenter": {
            "frames": presenters.frames,
            "latency_ms": summarise_ms(matcher.samples() if matcher else []),
            "seen": len(matcher.samples()) if matcher else 0,
            "unseen": matcher.unseen if matcher else 0,
        },
        "warmup": warmup,
        "throughput": throughput,
        "server": rss.figures(len(joined)),
    }


class _Rss:
    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.values: dict[str, int | None] = {}

    def read(self, moment: str) -> None:
        self.values[moment] = system.rss_kib(self.pid) if self.pid else None

    def figures(self, connections: int) -> dict[str, Any]:
        before, connected = self.values.get("before_join"), self.values.get("connected")
        per = None
        if before is not None and connected is not None and connections:
            per = round((connected - before) / connections, 2)
        return {"pid": self.pid, "rss_kib": self.values, "kib_per_connection": per}


def demo_title() -> str:
    from podium.demo.seed import seed_data

    return str(seed_data()["events"][0]["title"])


def run(config: BenchConfig, argv: Sequence[str], log: Log = stderr_log) -> dict[str, Any]:
    """Run the bench on its own event loop (uvloop where installed: a cheaper client)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(bench(config, argv, log))
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(bench(config, argv, log))
