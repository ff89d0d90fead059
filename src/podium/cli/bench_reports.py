"""`podium bench-reports`: the reports of a large event, timed and weighed (issue 15)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_bench_reports_command(sub: Any, positive: Callable[[str], int]) -> None:
    cmd: argparse.ArgumentParser = sub.add_parser(
        "bench-reports",
        help="time the PDF and tables of a large event, and live answers during an export",
        description="Fills a fresh database (SQLite in a temporary folder unless "
        "--database-url) with an event of 10,000 participants, 10 questions and 2,000 "
        "contributions; times ReportData, each format's render in a fresh worker process "
        "(with its peak RSS) and GET .../report.{pdf,xlsx,zip} through `podium serve`; then "
        "measures answer acknowledgements of another event without and during exports. "
        "See docs/BENCHMARKS.md.",
    )
    cmd.add_argument("--database-url", default=None, metavar="URL", help="an empty database")
    cmd.add_argument("--runs", type=positive, default=3, metavar="N", help="per format")
    cmd.add_argument("--json", type=Path, metavar="FILE", help="write every figure as JSON")
    cmd.add_argument("--participants", type=positive, default=10_000, metavar="P")
    cmd.add_argument("--contributions", type=positive, default=2_000, metavar="C")
    cmd.add_argument("--answerers", type=positive, default=200, metavar="A")
    cmd.add_argument("--rate", type=float, default=100.0, metavar="R", help="answers per second")
    cmd.add_argument("--quiet-seconds", type=float, default=10.0, metavar="S")
    cmd.add_argument(
        "--export-rounds", type=positive, default=1, metavar="K", help="PDF + XLSX, K times"
    )
    cmd.add_argument("--no-latency", action="store_true", help="skip the latency phases")
    cmd.set_defaults(func=cmd_bench_reports)


def cmd_bench_reports(args: argparse.Namespace) -> int:
    from podium.bench.report import write_json
    from podium.bench.report_event import Size
    from podium.bench.reports import Config, run, summary

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    config = Config(
        database_url=args.database_url,
        runs=args.runs,
        size=Size(participants=args.participants, contributions=args.contributions),
        answerers=args.answerers,
        rate=args.rate,
        quiet_seconds=args.quiet_seconds,
        export_rounds=args.export_rounds,
        latency=not args.no_latency,
    )
    figures = run(config, sys.argv[2:] if len(sys.argv) > 2 else [], log)
    print(summary(figures), flush=True)
    if args.json:
        write_json(figures, args.json)
        print(f"figures written to {args.json}", flush=True)
    errors = sum(
        sum(figures["latency"][phase]["errors"].values())
        for phase in ("without_export", "during_export")
        if "latency" in figures
    )
    return 1 if errors else 0
