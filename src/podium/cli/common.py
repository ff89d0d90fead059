"""What every command shares: the user's mistakes, a started runtime, settings from
the environment, and how results are shown."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from podium.domain.errors import RuleViolation
from podium.runtime import Runtime
from podium.settings import Settings

LIST_ZONE = ZoneInfo("Europe/Berlin")


class UserError(Exception):
    """A mistake of the command's user: its message is all they need to see."""


# Where the web's wording does not fit a command line.
CLI_MESSAGES = {
    "unknown_event": "There is no event with this id or slug.",
    "unknown_user": "There is no account with this e-mail address.",
}


def describe(exc: RuleViolation) -> str:
    """The rule's English message, or its code and parameters when it has none."""
    from podium.i18n import current_lang
    from podium.web.messages import MESSAGES, message

    if exc.code in CLI_MESSAGES:
        return CLI_MESSAGES[exc.code]
    if exc.code not in MESSAGES:
        params = ", ".join(f"{k}={v}" for k, v in exc.params.items())
        return f"{exc.code} ({params})" if params else exc.code
    token = current_lang.set("en")
    try:
        text = message(exc.code, exc.params)
    finally:
        current_lang.reset(token)
    question = exc.params.get("question")
    return f"question {question}: {text}" if question is not None else text


# --- a runtime for one command ----------------------------------------------------------


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Runtime]:
    """A started runtime; refuses an un-migrated database."""
    rt = Runtime(settings)
    try:
        await rt.start()
    except BaseException:
        await rt.engine.dispose()
        raise
    try:
        yield rt
    finally:
        await rt.stop()


def check_sqlite_folder(url: str) -> None:
    """SQLite creates its file, not the folder: say so before the driver fails obscurely."""
    from podium.store.engine import is_sqlite

    path = url.split(":///", 1)[1] if is_sqlite(url) and ":///" in url else ""
    if path and path != ":memory:" and not Path(path).parent.is_dir():
        raise UserError(f"database {url}: the folder {Path(path).parent} does not exist")


def with_runtime(settings: Settings, action: Callable[[Runtime], Awaitable[Any]]) -> Any:
    check_sqlite_folder(settings.database_url)

    async def run() -> Any:
        async with running(settings) as rt:
            return await action(rt)

    return asyncio.run(run())


# --- settings ---------------------------------------------------------------------------


def local_base_url(host: str, port: int) -> str:
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def settings_for(host: str, port: int) -> Settings:
    """Settings from the environment; links follow --host/--port unless
    PODIUM_BASE_URL names the public address."""
    settings = Settings()
    if "base_url" not in settings.model_fields_set:
        settings = settings.model_copy(update={"base_url": local_base_url(host, port)})
    return settings


# --- output -----------------------------------------------------------------------------


def format_when(value: datetime | None) -> str:
    from podium.services.catalog_common import as_utc

    when = as_utc(value)
    return when.astimezone(LIST_ZONE).strftime("%Y-%m-%d %H:%M %z") if when else ""


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
