"""The `podium` command: serve, demo, db, user, event.

Every command reads its settings from the environment (PODIUM_*). Mistakes a user
can make end with a one-line message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from podium.domain.codes import format_join_code
from podium.domain.errors import RuleViolation
from podium.services.runtime import Runtime
from podium.settings import Settings
from podium.store.migrate import NotMigrated

USER_ERROR = 2
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LIST_ZONE = ZoneInfo("Europe/Berlin")


class UserError(Exception):
    """A mistake of the command's user: its message is all they need to see."""


# --- helpers ----------------------------------------------------------------------------


# Where the web's wording does not fit a command line.
CLI_MESSAGES = {
    "unknown_event": "There is no event with this id or slug.",
    "unknown_user": "There is no account with this e-mail address.",
}


def describe(exc: RuleViolation) -> str:
    """The rule's English message, or its code and parameters when it has none."""
    from podium.web.i18n import current_lang
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


def read_password(given: str | None) -> str:
    if given is not None:
        return given
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise UserError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


# --- db ---------------------------------------------------------------------------------


def upgrade_database(url: str) -> None:
    from podium.store.migrate import upgrade

    check_sqlite_folder(url)
    upgrade(url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = Settings().database_url
    upgrade_database(url)
    print(f"Database at {url} is up to date.")
    return 0


# --- users ------------------------------------------------------------------------------


def cmd_user_create(args: argparse.Namespace) -> int:
    from podium.services.accounts import create_user

    password = read_password(args.password)
    user = with_runtime(
        Settings(), lambda rt: create_user(rt, args.email, password, args.name, args.role)
    )
    print(f"Created {user.role} {user.email} (id {user.id}).")
    return 0


def cmd_user_password(args: argparse.Namespace) -> int:
    from podium.services.accounts import set_password

    password = read_password(args.password)
    with_runtime(Settings(), lambda rt: set_password(rt, args.email, password))
    print(f"Password of {args.email.strip().lower()} changed.")
    return 0


# --- events -----------------------------------------------------------------------------


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


# --- serving ----------------------------------------------------------------------------


async def check_migrated(settings: Settings) -> None:
    """The app's own start-up check, before uvicorn: a clean message, no traceback."""
    from podium.store.engine import make_engine
    from podium.store.migrate import ensure_migrated

    engine = make_engine(settings.database_url)
    try:
        await ensure_migrated(engine, settings.database_url)
    finally:
        await engine.dispose()


OnStarted = Callable[[Runtime, str], Awaitable[None]]


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound here so that a taken port is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


async def serve(
    settings: Settings,
    host: str,
    port: int,
    on_started: OnStarted | None = None,
    access_log: bool = True,
) -> None:
    """Serve the app until stopped; once it answers, run `on_started(runtime, url)`."""
    import uvicorn

    from podium.app import create_app

    sock = listen(host, port)
    url = local_base_url(host, sock.getsockname()[1])
    app = create_app(settings)
    config = uvicorn.Config(app, access_log=access_log, proxy_headers=False, log_level="info")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        if await wait_until_answering(server, task, url):
            print(f"Serving on {url} (press Ctrl+C to stop).", flush=True)
            if on_started is not None:
                await on_started(app.state.runtime, url)
        await task
    finally:
        if not task.done():
            server.should_exit = True
            await task
        sock.close()


async def wait_until_answering(
    server: Any, task: asyncio.Task[None], url: str, timeout: float = 30.0
) -> bool:
    """Wait until the server has started and answers; False if it stopped instead."""
    import httpx

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient(timeout=2.0) as client:
        while not task.done():
            if loop.time() > deadline:
                raise UserError(f"the server did not answer at {url}")
            if server.started:
                try:
                    await client.get(f"{url}/")
                    return True
                except httpx.TransportError:
                    pass
            await asyncio.sleep(0.02)
    return False


def run_server(
    settings: Settings,
    host: str,
    port: int,
    on_started: OnStarted | None = None,
    access_log: bool = True,
) -> int:
    try:
        asyncio.run(serve(settings, host, port, on_started, access_log))
    except SystemExit as exc:  # uvicorn's way of saying start-up failed; it logged why
        if exc.code not in (None, 0):
            raise UserError("the server could not start (see the message above)") from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = settings_for(args.host, args.port)
    check_sqlite_folder(settings.database_url)
    asyncio.run(check_migrated(settings))
    return run_server(settings, args.host, args.port)


# --- demo -------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from podium.demo.run import print_demo, simulation
    from podium.demo.seed import ensure_demo

    settings = settings_for(args.host, args.port)
    upgrade_database(settings.database_url)
    info = with_runtime(settings, ensure_demo)
    print_demo(settings.base_url, info)
    if args.no_serve:
        return 0
    on_started = None
    if args.simulate:
        on_started = simulation(info.event_id, info.join_code, args.simulate)
    return run_server(settings, args.host, args.port, on_started, access_log=not args.simulate)


# --- arguments --------------------------------------------------------------------------


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1 expected, not {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="podium",
        description="Live audience participation for online and hybrid events. "
        "Settings come from PODIUM_* environment variables (PODIUM_DATABASE_URL, ...).",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def server_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
        cmd.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")

    serve_cmd = sub.add_parser("serve", help="run the web server")
    server_options(serve_cmd)
    serve_cmd.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="create the demo event and serve it (one-command start)")
    server_options(demo)
    demo.add_argument(
        "--simulate", type=positive, default=0, metavar="N", help="N simulated participants vote"
    )
    demo.add_argument("--no-serve", action="store_true", help="only create the demo data")
    demo.set_defaults(func=cmd_demo)

    db = sub.add_parser("db", help="database").add_subparsers(
        dest="db_command", required=True, metavar="COMMAND"
    )
    db.add_parser("upgrade", help="apply all migrations").set_defaults(func=cmd_db_upgrade)

    user = sub.add_parser("user", help="organiser and moderator accounts").add_subparsers(
        dest="user_command", required=True, metavar="COMMAND"
    )
    create = user.add_parser("create", help="create an account")
    create.add_argument("email")
    create.add_argument("--name", default="")
    create.add_argument("--role", choices=("organiser", "moderator"), default="organiser")
    create.add_argument("--password", help="else asked twice (or one line from stdin)")
    create.set_defaults(func=cmd_user_create)
    password = user.add_parser("password", help="set an account's password")
    password.add_argument("email")
    password.add_argument("--password", help="else asked twice (or one line from stdin)")
    password.set_defaults(func=cmd_user_password)

    event = sub.add_parser("event", help="events").add_subparsers(
        dest="event_command", required=True, metavar="COMMAND"
    )
    event.add_parser("list", help="list all events").set_defaults(func=cmd_event_list)
    export = event.add_parser("export", help="write an event's definition as YAML")
    export.add_argument("event", metavar="EVENT", help="id or slug")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    export.set_defaults(func=cmd_event_export)
    imp = event.add_parser("import", help="create an event from a YAML file")
    imp.add_argument("file", metavar="FILE", help="YAML file, or - for stdin")
    imp.set_defaults(func=cmd_event_import)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, OperationalError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RuleViolation as exc:
        return fail(describe(exc))
    except (NotMigrated, UserError) as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except (ArgumentError, OperationalError) as exc:  # PODIUM_DATABASE_URL is wrong or down
        first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return fail(f"database {Settings().database_url}: {first_line}")
    except ValidationError as exc:  # a PODIUM_* variable that cannot be read
        error = exc.errors()[0]
        name = "PODIUM_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        return fail(f"{name}: {error['msg']}")
    except KeyboardInterrupt:
        return 130


def fail(text: str) -> int:
    print(f"podium: error: {text}", file=sys.stderr)
    return USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
