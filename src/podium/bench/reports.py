"""`podium bench-reports`: how fast and how large the reports of a large event are, and
what a running export costs a live event on the same server (issue 15).

1. The event (report_event.py) is written into a fresh database.
2. Per format (pdf, xlsx, zip): the time to read `ReportData` (the first read loads
   the event into the live cache, later ones find it there), then `runs` renders,
   each in a freshly spawned process as the server's report worker is one, so that
   its peak RSS (VmHWM) is the export's own; file size, and pages of the PDF.
3. `podium serve` on the same database: `GET /api/v1/events/{id}/report.{fmt}`
   `runs` times per format, as an organiser, the whole request timed.
4. Latency: participants answer a poll of another event over the hot path at an
   open-loop rate, first with no export running, then while PDF and XLSX exports
   run back to back through the API. Each acknowledgement's latency counts from the
   moment its answer was due, so queueing in the server is part of it.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import os
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from podium.bench.rawhttp import RawClient
from podium.bench.report_event import (
    ORGANISER,
    PASSWORD,
    SECRET_KEY,
    BenchEvent,
    Size,
    build,
    settings_for,
)
from podium.bench.report_load import ack_ms, answer_phase, join, timeline
from podium.bench.server import ServerProcess, server_environment
from podium.bench.setup import log_in
from podium.bench.system import machine, own_cpu_seconds, process_cpu_seconds
from podium.domain.report import Format, ReportOptions
from podium.reports.worker import render
from podium.runtime import Runtime
from podium.services.report_data import ReportData, report_data

FORMATS = (Format.PDF, Format.XLSX, Format.ZIP)
TARGET_SECONDS = {Format.PDF: 5.0, Format.XLSX: 5.0}
Log = Callable[[str], None]


@dataclass(frozen=True)
class Config:
    database_url: str | None = None
    runs: int = 3
    size: Size = field(default_factory=Size)
    answerers: int = 200
    rate: float = 100.0
    quiet_seconds: float = 10.0  # the latency phase without export
    export_rounds: int = 1  # PDF + XLSX, back to back, this many times
    connections: int = 32  # kept-alive answer connections
    latency: bool = True


def vmhwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def render_measured(database_url: str, data: ReportData, fmt: str) -> dict[str, Any]:
    """One render in this (fresh) worker process: seconds, peak RSS before and after."""
    before = vmhwm_kib()
    cpu = own_cpu_seconds()
    started = time.perf_counter()
    body = render(database_url, data, fmt)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        # the process's CPU (its reading thread included): what a busy machine cannot inflate
        "cpu_seconds": own_cpu_seconds() - cpu,
        "vmhwm_before_kib": before,
        "vmhwm_kib": vmhwm_kib(),
        "body": body,
    }


def pdf_pages(body: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(body)) as pdf:
        return len(pdf.pages)


def _stats(seconds: list[float]) -> dict[str, float]:
    return {
        "best": round(min(seconds), 3),
        "median": round(statistics.median(seconds), 3),
        "all": [round(s, 3) for s in seconds],  # type: ignore[dict-item]
    }


async def read_data(database_url: str, event_id: int, reads: int) -> tuple[ReportData, list[float]]:
    """ReportData as the server reads it; the first read loads the event."""
    rt = Runtime(settings_for(database_url))
    await rt.start()
    try:
        times: list[float] = []
        data: ReportData | None = None
        for _ in range(max(2, reads)):
            started = time.perf_counter()
            data = await report_data(rt, event_id, ReportOptions())
            times.append(time.perf_counter() - started)
        assert data is not None
        return data, times
    finally:
        await rt.stop()


def renders(database_url: str, data: ReportData, runs: int, log: Log) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    figures: dict[str, Any] = {}
    for fmt in FORMATS:
        measured = []
        for run in range(runs):
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                measured.append(pool.submit(render_measured, database_url, data, fmt).result())
            last = measured[-1]
            log(
                f"render {fmt} {run + 1}/{runs}: {last['seconds']:.2f} s "
                f"({last['cpu_seconds']:.2f} s CPU, load {os.getloadavg()[0]:.2f})"
            )
        body = measured[-1]["body"]
        figures[fmt] = {
            "render_seconds": _stats([m["seconds"] for m in measured]),
            "render_cpu_seconds": _stats([m["cpu_seconds"] for m in measured]),
            "bytes": len(body),
            "pages": pdf_pages(body) if fmt == Format.PDF else None,
            "peak_rss_kib": max(m["vmhwm_kib"] for m in measured),
            "rss_before_render_kib": max(m["vmhwm_before_kib"] for m in measured),
        }
    return figures


async def get_report(client: httpx.AsyncClient, event_id: int, fmt: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = await client.get(f"/api/v1/events/{event_id}/report.{fmt}", timeout=300)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"report.{fmt}: HTTP {response.status_code} {response.text[:200]}")
    return seconds, len(response.content)


async def through_server(
    server: ServerProcess, event: BenchEvent, config: Config, log: Log
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as organiser:
        await log_in(organiser, ORGANISER, PASSWORD)
        http: dict[str, Any] = {}
        for fmt in FORMATS:
            times = []
            for run in range(config.runs):
                seconds, size = await get_report(organiser, event.event_id, fmt)
                times.append(seconds)
                log(f"GET report.{fmt} {run + 1}/{config.runs}: {seconds:.2f} s, {size} bytes")
            http[fmt] = {"seconds": _stats(times), "first_seconds": round(times[0], 3)}
        figures["http"] = http
        if config.latency:
            figures["latency"] = await latency(server, event, config, organiser, log)
    return figures


async def latency(
    server: ServerProcess,
    event: BenchEvent,
    config: Config,
    organiser: httpx.AsyncClient,
    log: Log,
) -> dict[str, Any]:
    rng = random.Random(config.size.seed)
    tokens = await join(server.url, event.live.join_code, config.answerers)
    clients: asyncio.Queue[RawClient] = asyncio.Queue()
    for _ in range(config.connections):
        clients.put_nowait(RawClient(server.url, timeout=30))
    try:
        # a short warm-up: connections open, the live event loaded
        await answer_phase(clients, event.live, tokens, config.rate, rng, 2.0)
        cpu = process_cpu_seconds(server.pid) or 0.0
        started = time.perf_counter()
        quiet = await answer_phase(
            clients, event.live, tokens, config.rate, rng, config.quiet_seconds
        )
        quiet_wall = time.perf_counter() - started
        quiet_cpu = (process_cpu_seconds(server.pid) or 0.0) - cpu
        log(f"latency without export: {ack_ms(quiet.latencies)}")
        exports: list[dict[str, Any]] = []

        async def export_all() -> None:
            for _ in range(config.export_rounds):
                for fmt in (Format.PDF, Format.XLSX):
                    begun = time.perf_counter() - started
                    seconds, size = await get_report(organiser, event.event_id, fmt)
                    exports.append(
                        {
                            "format": str(fmt),
                            "began_at": round(begun, 2),
                            "seconds": round(seconds, 3),
                            "bytes": size,
                        }
                    )

        cpu = process_cpu_seconds(server.pid) or 0.0
        load = os.getloadavg()[0]
        started = time.perf_counter()
        running = asyncio.create_task(export_all())
        during = await answer_phase(clients, event.live, tokens, config.rate, rng, 0, running)
        await running
        during_wall = time.perf_counter() - started
        during_cpu = (process_cpu_seconds(server.pid) or 0.0) - cpu
        log(f"latency during export: {ack_ms(during.latencies)}")
    finally:
        while not clients.empty():
            await clients.get_nowait().aclose()
    return {
        "answerers": config.answerers,
        "rate": config.rate,
        "without_export": {
            "seconds": round(quiet_wall, 1),
            "sent": quiet.sent,
            "ack_ms": ack_ms(quiet.latencies),
            "errors": dict(quiet.errors),
            "server_cpu_share": round(quiet_cpu / quiet_wall, 2),
        },
        "during_export": {
            "seconds": round(during_wall, 1),
            "sent": during.sent,
            "ack_ms": ack_ms(during.latencies),
            "errors": dict(during.errors),
            "server_cpu_share": round(during_cpu / during_wall, 2),
            "load_average_at_start": round(load, 2),
            "exports": exports,  # back to back from the phase's start
            "timeline": timeline(during),
        },
    }


def git_commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).parent,
        )
    except OSError:
        return None
    return found.stdout.strip() or None


def run(config: Config, argv: list[str], log: Log) -> dict[str, Any]:
    conditions = machine()
    folder = Path(tempfile.mkdtemp(prefix="podium-bench-reports-"))
    database_url = config.database_url or f"sqlite:///{folder / 'podium.db'}"
    log(f"filling {database_url} ...")
    event = asyncio.run(build(database_url, config.size))
    log(
        f"{event.participants} participants, {event.current_answers} current answers "
        f"(+{event.superseded_answers} superseded), {event.contributions} contributions, "
        f"{event.votes} upvotes in {event.seconds} s"
    )
    data, reads = asyncio.run(read_data(database_url, event.event_id, config.runs + 1))
    figures: dict[str, Any] = {
        "command": " ".join(["podium bench-reports", *argv]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": conditions,
        "database": database_url.split(":", 1)[0],
        "event": {
            "participants": event.participants,
            "questions": len(event.question_ids),
            "current_answers": event.current_answers,
            "superseded_answers": event.superseded_answers,
            "contributions": event.contributions,
            "upvotes": event.votes,
            "fill_seconds": event.seconds,
        },
        "report_data_seconds": {
            "first": round(reads[0], 3),
            "later": _stats(reads[1:]),
        },
        "render": renders(database_url, data, config.runs, log),
    }
    server = ServerProcess(
        server_environment(
            database_url,
            SECRET_KEY,
            participant_tokens_burst="0",  # all from one address
        ),
        folder / "server.log",
    )
    server.start()
    server.wait_ready()
    try:
        figures.update(asyncio.run(through_server(server, event, config, log)))
    finally:
        server.stop()
    figures["targets"] = {
        str(fmt): {
            "seconds": limit,
            "render_median": figures["render"][fmt]["render_seconds"]["median"],
            "request_median": figures["http"][fmt]["seconds"]["median"],
            "met": figures["http"][fmt]["seconds"]["median"] < limit,
        }
        for fmt, limit in TARGET_SECONDS.items()
    }
    return figures


def summary(figures: dict[str, Any]) -> str:
    m, ev = figures["machine"], figures["event"]
    reads = figures["report_data_seconds"]
    lines = [
        f"podium bench-reports {figures['date']}  commit {figures['commit']}  "
        f"({figures['database']}; {m['cores']} cores, load {m['load_average_at_start']})",
        f"event: {ev['participants']:,} participants, {ev['questions']} questions, "
        f"{ev['current_answers']:,} current answers (+{ev['superseded_answers']:,} superseded), "
        f"{ev['contributions']:,} contributions, {ev['upvotes']:,} upvotes",
        f"ReportData: first read {reads['first']:.2f} s (loads the event), "
        f"then {reads['later']['median']:.2f} s",
        "",
        "format  render best/median s (CPU)  GET first/best/median s  size KiB  pages  "
        "peak RSS MiB",
    ]
    for fmt in FORMATS:
        r, h = figures["render"][fmt], figures["http"][fmt]
        lines.append(
            f"{fmt:<6}  {r['render_seconds']['best']:>6.2f} / {r['render_seconds']['median']:<6.2f}"
            f"({r['render_cpu_seconds']['median']:.2f})  "
            f"{h['first_seconds']:>5.2f} / {h['seconds']['best']:.2f} / "
            f"{h['seconds']['median']:<5.2f}      {r['bytes'] / 1024:>8,.0f}  "
            f"{r['pages'] if r['pages'] is not None else '-':>5}  "
            f"{r['peak_rss_kib'] / 1024:>6.0f} (before {r['rss_before_render_kib'] / 1024:.0f})"
        )
    for fmt, target in figures["targets"].items():
        verdict = "met" if target["met"] else "MISSED"
        lines.append(f"target {fmt} < {target['seconds']:g} s (GET median): {verdict}")
    if "latency" in figures:
        lat = figures["latency"]
        lines += ["", f"acknowledgements, {lat['answerers']} participants at {lat['rate']:g}/s:"]
        for name in ("without_export", "during_export"):
            phase = lat[name]
            ms = phase["ack_ms"]
            lines.append(
                f"  {name.replace('_', ' '):<15} {phase['seconds']:>5.1f} s  n={ms['count']}  "
                f"p50 {ms['p50']} ms  p95 {ms['p95']} ms  p99 {ms['p99']} ms  max {ms['max']} ms  "
                f"errors {sum(phase['errors'].values())}  "
                f"server CPU {phase['server_cpu_share']:.0%}"
            )
        exports = lat["during_export"]["exports"]
        lines.append(
            "  exports: " + ", ".join(f"{e['format']} {e['seconds']:.2f} s" for e in exports)
        )
    return "\n".join(lines)
