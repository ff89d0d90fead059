"""The command line's grammar: each command, its arguments, and the function it runs."""

from __future__ import annotations

import argparse

from podium.cli.bench import add_bench_command, add_soak_command
from podium.cli.bench_reports import add_bench_reports_command
from podium.cli.database import cmd_db_upgrade
from podium.cli.events import cmd_event_export, cmd_event_import, cmd_event_list
from podium.cli.export import add_export
from podium.cli.mail import add_mail_command
from podium.cli.purge import add_purge_command
from podium.cli.secret_key import cmd_secret_key
from podium.cli.server import cmd_demo, cmd_serve
from podium.cli.users import (
    cmd_user_active,
    cmd_user_create,
    cmd_user_end_sessions,
    cmd_user_password,
)
from podium.cli.words import add_words_command

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
        cmd.add_argument(
            "--access-log",
            action="store_true",
            help="log every request with the client's address (off: podium keeps no IP addresses)",
        )

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

    sub.add_parser("secret-key", help="print a new random key for PODIUM_SECRET_KEY").set_defaults(
        func=cmd_secret_key
    )

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
    create.add_argument(
        "--role", choices=("organiser", "moderator", "administrator"), default="organiser"
    )
    create.add_argument(
        "--organisation",
        help='the account\'s organisation, made if missing (default "Standard"; '
        "administrators have none)",
    )
    create.add_argument("--password", help="else asked twice (or one line from stdin)")
    create.set_defaults(func=cmd_user_create)
    password = user.add_parser("password", help="set an account's password")
    password.add_argument("email")
    password.add_argument("--password", help="else asked twice (or one line from stdin)")
    password.set_defaults(func=cmd_user_password)
    for name, what in (
        ("deactivate", "refuse an account's sign-in and end its sessions"),
        ("activate", "let a deactivated account sign in again"),
    ):
        toggle = user.add_parser(name, help=what)
        toggle.add_argument("email")
        toggle.set_defaults(func=cmd_user_active)
    end = user.add_parser("end-sessions", help="sign an account out on every browser")
    end.add_argument("email")
    end.set_defaults(func=cmd_user_end_sessions)

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

    add_export(sub)
    add_mail_command(sub)
    add_bench_command(sub, positive)
    add_soak_command(sub, positive)
    add_bench_reports_command(sub, positive)
    add_words_command(sub)
    add_purge_command(sub)
    return p
