"""`podium bench`: load a running podium server over HTTP and measure it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from podium.cli.common import UserError

BENCH_FAILED = 1  # the run finished but had errors: a script must notice


def add_bench_command(
    sub: Any, positive: Callable[[str], int], default_url: str = "http://127.0.0.1:8000"
) -> None:
    cmd: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="load a running server and measure it (see docs/BENCHMARKS.md)",
        description="N participants join the demo event (or --event) and hold their live "
        "streams open, P presenter screens listen, answers arrive at an open-loop rate; "
        "then a no-op and the answer endpoint are compared closed-loop. Exit status 0: "
        "no errors; 1: the run had errors; 2: setup or limits failed.",
    )
    cmd.add_argument("--url", default=default_url, help="the server (default: %(default)s)")
    cmd.add_argument("--participants", type=positive, default=100, metavar="N")
    cmd.add_argument("--rate", type=float, default=50.0, metavar="R", help="answers per second")
    cmd.add_argument("--duration", type=float, default=10.0, metavar="SECONDS")
    cmd.add_argument("--presenters", type=int, default=1, metavar="P")
    cmd.add_argument("--json", type=Path, metavar="FILE", help="write every figure as JSON")
    cmd.add_argument("--user", default=None, metavar="EMAIL", help="default: the demo organiser")
    cmd.add_argument("--password", default=None, metavar="PW")
    cmd.add_argument("--event", default=None, metavar="REF", help="id or slug (default: demo)")
    cmd.add_argument(
        "--presenter-url", default=None, help="the presenter link, if not read from the event page"
    )
    cmd.add_argument(
        "--server-pid",
        type=int,
        default=None,
        metavar="PID",
        help="read the server's memory and CPU (default: the process listening on a local URL)",
    )
    cmd.add_argument(
        "--concurrency",
        type=positive,
        default=64,
        metavar="C",
        help="workers of the closed-loop throughput phase",
    )
    cmd.add_argument(
        "--throughput-seconds",
        type=float,
        default=10.0,
        metavar="T",
        help="per endpoint; 0 skips the phase",
    )
    cmd.add_argument("--join-concurrency", type=positive, default=200, metavar="J")
    cmd.add_argument(
        "--join-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="start no new joins after this; the run goes on with those joined (an error)",
    )
    cmd.add_argument(
        "--max-inflight",
        type=positive,
        default=1024,
        metavar="M",
        help="connections for answers: more requests wait in the bench (and count)",
    )
    cmd.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    cmd.add_argument(
        "--device-results",
        action="store_true",
        help="show results on participants' devices too (a frame per second each)",
    )
    cmd.add_argument(
        "--client",
        choices=("httpx", "raw"),
        default="httpx",
        help="HTTP client for answers and joins: httpx, or a minimal one that leaves more "
        "CPU to a server on the same machine (streams always use httpx)",
    )
    cmd.add_argument(
        "--warmup",
        action="store_true",
        help="every participant answers once before the measured phase (which then sees "
        "changed answers only; the first answer of a participant costs the server more)",
    )
    cmd.add_argument("--seed", type=int, default=20210202)
    cmd.set_defaults(func=cmd_bench)


def command_line(args: argparse.Namespace) -> list[str]:
    """The run's command as it could be typed again (the password left out)."""
    words = [
        f"--url={args.url}",
        f"--participants={args.participants}",
        f"--rate={args.rate:g}",
        f"--duration={args.duration:g}",
        f"--presenters={args.presenters}",
        f"--concurrency={args.concurrency}",
        f"--throughput-seconds={args.throughput_seconds:g}",
    ]
    for name in ("event", "user", "server_pid", "json"):
        if getattr(args, name) is not None:
            words.append(f"--{name.replace('_', '-')}={getattr(args, name)}")
    if args.device_results:
        words.append("--device-results")
    if args.join_timeout != 300.0:
        words.append(f"--join-timeout={args.join_timeout:g}")
    if args.warmup:
        words.append("--warmup")
    if args.client != "httpx":
        words.append(f"--client={args.client}")
    return words


def cmd_bench(args: argparse.Namespace) -> int:
    from podium.bench.report import summary_text, write_json
    from podium.bench.run import DEMO_EMAIL, DEMO_PASSWORD, BenchConfig, run
    from podium.bench.setup import SetupError
    from podium.bench.system import LimitTooLow

    if args.rate <= 0 or args.duration <= 0:
        raise UserError("--rate and --duration must be above 0")
    if args.concurrency > args.max_inflight:
        raise UserError("--concurrency cannot be above --max-inflight")
    config = BenchConfig(
        url=args.url,
        participants=args.participants,
        rate=args.rate,
        duration=args.duration,
        presenters=max(0, args.presenters),
        email=args.user or DEMO_EMAIL,
        password=args.password if args.password is not None else DEMO_PASSWORD,
        event=args.event,
        presenter_url=args.presenter_url,
        server_pid=args.server_pid,
        concurrency=args.concurrency,
        throughput_seconds=max(0.0, args.throughput_seconds),
        join_concurrency=args.join_concurrency,
        max_inflight=args.max_inflight,
        timeout=args.timeout,
        device_results=args.device_results,
        seed=args.seed,
        client=args.client,
        warmup=args.warmup,
        join_timeout=args.join_timeout,
    )
    try:
        figures = run(config, command_line(args))
    except LimitTooLow as exc:
        raise UserError(str(exc)) from None
    except SetupError as exc:
        raise UserError(f"bench setup failed: {exc}") from None
    print(summary_text(figures), flush=True)
    if args.json:
        write_json(figures, args.json)
        print(f"figures written to {args.json}", flush=True)
    return BENCH_FAILED if figures["errors"] else 0


def add_soak_command(sub: Any, positive: Callable[[str], int]) -> None:
    cmd: argparse.ArgumentParser = sub.add_parser(
        "bench-soak",
        help="run many events one after another in this process and read its memory",
        description="Creates, runs (answers, contributions, open streams) and deletes N "
        "events in a row in an app of its own (on a fresh SQLite file unless "
        "--database-url), and prints its RSS after event --first and after the last. "
        "Exit status 1: the run had errors.",
    )
    cmd.add_argument("--events", type=positive, default=500, metavar="N")
    cmd.add_argument("--first", type=positive, default=100, metavar="K", help="read RSS here too")
    cmd.add_argument("--participants", type=positive, default=10, metavar="P")
    cmd.add_argument("--devices", type=int, default=5, metavar="D", help="phones' open streams")
    cmd.add_argument("--database-url", default=None, metavar="URL")
    cmd.add_argument(
        "--tracemalloc", action="store_true", help="list what grew from event K to the last"
    )
    cmd.set_defaults(func=cmd_soak)


def cmd_soak(args: argparse.Namespace) -> int:
    import asyncio

    from podium.bench.soak import soak, summary

    if args.first > args.events:
        raise UserError("--first cannot be above --events")
    result = asyncio.run(
        soak(
            args.events,
            participants=args.participants,
            devices=max(0, args.devices),
            first=args.first,
            database_url=args.database_url,
            trace=args.tracemalloc,
        )
    )
    print(summary(result), flush=True)
    return BENCH_FAILED if result.errors else 0
