"""`podium event`: list events, and move their definitions in and out as YAML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from podium.cli.common import format_when, table, with_runtime
from podium.domain.codes import format_join_code
from podium.settings import Settings


def cmd_event_list(args: argparse.Namespace) -> int:
    from podium.services.catalog import list_events

    events = with_runtime(Settings(), list_events)
    if not events:
        print("No events yet. Create one at /admin, or: podium event import FILE")
        return 0
    rows = [
        (
            str(e.id),
            e.slug,
            format_join_code(e.join_code),
            format_when(e.starts_at),
            e.title,
            e.series.title if e.series else "",
        )
        for e in events
    ]
    print(table(("id", "slug", "join code", "date", "title", "series"), rows))
    return 0


def cmd_event_export(args: argparse.Namespace) -> int:
    from podium.services.event_io import export_event

    text = with_runtime(Settings(), lambda rt: export_event(rt, args.event))
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}.", file=sys.stderr)
    return 0


def cmd_event_import(args: argparse.Namespace) -> int:
    from podium.services.event_io import import_event

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    event = with_runtime(Settings(), lambda rt: import_event(rt, text))
    print(
        f"Imported event {event.id} ({event.slug}), join code {format_join_code(event.join_code)}."
    )
    return 0
