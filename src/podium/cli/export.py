"""`podium export`: an event's report as a file, made on this machine (no server
needed, none slowed down), with a progress bar while a large event's answers are
written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from podium.cli.common import UserError, with_runtime
from podium.domain.report import Format, ReportOptions, check_cover_note
from podium.runtime import Runtime
from podium.settings import Settings

FORMATS = {"pdf": Format.PDF, "xlsx": Format.XLSX, "csv": Format.ZIP, "zip": Format.ZIP}


def cmd_export(args: argparse.Namespace) -> int:
    from podium.reports.worker import render
    from podium.services.catalog import get_event
    from podium.services.report_data import ReportData, report_data

    settings = Settings()
    fmt = FORMATS[args.format]
    cover = Path(args.cover_note).read_text(encoding="utf-8") if args.cover_note else ""
    options = ReportOptions(
        questions=tuple(args.question) if args.question else None,
        include_texts=not args.no_texts,
        include_contributions=not args.no_contributions,
        cover_note=check_cover_note(cover),
        lang=args.lang,
    )

    async def read(rt: Runtime) -> ReportData:
        event = await get_event(rt, args.event)
        return await report_data(rt, event.id, options)

    data: ReportData = with_runtime(settings, read)
    output = Path(args.output or f"{data.event.slug}-report.{fmt}")
    if output.is_dir():
        raise UserError(f"{output} is a folder: name the file to write")
    rows = 0 if fmt == Format.PDF else sum(q.result.respondents for q in data.questions)
    with tqdm(
        total=rows or None,
        unit=" answers",
        desc=output.name,
        disable=fmt == Format.PDF or not rows,
        file=sys.stderr,
    ) as bar:
        body = render(settings.database_url, data, fmt, bar.update)
    output.write_bytes(body)
    print(f"Wrote {output} ({len(body) / 1024:,.0f} KiB).", file=sys.stderr)
    return 0


def add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("export", help="write an event's report: PDF, XLSX or CSV files (ZIP)")
    cmd.add_argument("event", metavar="EVENT", help="id or slug")
    cmd.add_argument("--format", choices=sorted(FORMATS), default="pdf")
    cmd.add_argument("-o", "--output", metavar="FILE", help="default: SLUG-report.pdf|xlsx|zip")
    cmd.add_argument(
        "--question", type=int, action="append", metavar="ID", help="only these (repeat)"
    )
    cmd.add_argument("--no-texts", action="store_true", help="leave out open texts")
    cmd.add_argument("--no-contributions", action="store_true", help="leave out contributions")
    cmd.add_argument("--cover-note", metavar="FILE", help="a text file printed on the title page")
    cmd.add_argument("--lang", choices=("de", "en"), help="default: the event's language")
    cmd.set_defaults(func=cmd_export)
