"""`podium purge`: delete what is kept longer than it is needed, and say what went.

Each step deletes one kind of data (with --dry-run it only counts) and returns the
lines that report it; `STEPS` runs them in order, so that another kind (the
sign-ups never confirmed, say) is one more entry there.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from podium.cli.common import format_when, table, with_runtime
from podium.runtime import Runtime
from podium.settings import Settings

PurgeStep = Callable[[Runtime, argparse.Namespace], Awaitable[list[str]]]


def days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"a whole number of days (0 or more) expected, not {text!r}"
        )
    return value


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


async def old_answers(rt: Runtime, args: argparse.Namespace) -> list[str]:
    """The answers, contributions and participants of events that started more than
    --older-than days ago (else PODIUM_ANSWERS_RETENTION_DAYS, when set)."""
    from podium.domain.retention import cutoff
    from podium.services.retention import Counts, purge_older_than

    older_than = args.older_than
    if older_than is None:
        older_than = rt.settings.answers_retention_days or None
    if older_than is None:
        return [
            "Answers and contributions: kept (give --older-than DAYS, or set "
            "PODIUM_ANSWERS_RETENTION_DAYS)."
        ]
    now = datetime.now(UTC)
    purged = await purge_older_than(rt, older_than, now, dry_run=args.dry_run)
    before = format_when(cutoff(now, older_than))
    since = f"that started more than {_plural(older_than, 'day')} ago (before {before})"
    if not purged:
        return [f"Answers and contributions: no event {since} holds any."]
    verb = "Would delete (dry run, nothing deleted)" if args.dry_run else "Deleted"
    rows = [
        (
            str(p.event_id),
            format_when(p.starts_at),
            p.title,
            f"{p.counts.answers:,}",
            f"{p.counts.contributions:,}",
            f"{p.counts.participants:,}",
        )
        for p in purged
    ]
    total = sum((p.counts for p in purged), Counts())
    header = ("id", "date", "title", "answers", "contributions", "participants")
    return [
        f"{verb}: the answers and contributions of events {since}:",
        table(header, rows),
        f"Total: {_plural(len(purged), 'event')}, {_plural(total.answers, 'answer')}, "
        f"{_plural(total.contributions, 'contribution')}, "
        f"{_plural(total.participants, 'participant')}.",
    ]


async def unconfirmed_sign_ups(rt: Runtime, args: argparse.Namespace) -> list[str]:
    """The series' sign-ups never confirmed within PODIUM_UNCONFIRMED_DAYS (the
    server deletes them every hour too)."""
    from podium.services.subscription_ends import purge_unconfirmed

    count = await purge_unconfirmed(rt, dry_run=args.dry_run)
    days = _plural(rt.settings.unconfirmed_days, "day")
    verb = "Would delete (dry run, nothing deleted)" if args.dry_run else "Deleted"
    return [f"Sign-ups never confirmed within {days}: {verb.lower()} {_plural(count, 'sign-up')}."]


STEPS: list[PurgeStep] = [old_answers, unconfirmed_sign_ups]


def cmd_purge(args: argparse.Namespace) -> int:
    async def run(rt: Runtime) -> list[str]:
        lines: list[str] = []
        for step in STEPS:
            lines += await step(rt, args)
        return lines

    for line in with_runtime(Settings(), run):
        print(line)
    return 0


def add_purge_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "purge", help="delete old events' answers and contributions, and print what went"
    )
    cmd.add_argument(
        "--older-than",
        type=days,
        metavar="DAYS",
        help="events that started more than DAYS days ago (default: "
        "PODIUM_ANSWERS_RETENTION_DAYS; events without a date are kept)",
    )
    cmd.add_argument("--dry-run", action="store_true", help="only show what would be deleted")
    cmd.set_defaults(func=cmd_purge)
