"""`podium user`: organiser and moderator accounts."""

from __future__ import annotations

import argparse
import getpass
import sys

from podium.cli.common import UserError, with_runtime
from podium.settings import Settings


def read_password(given: str | None) -> str:
    if given is not None:
        return given
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise UserError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_user_create(args: argparse.Namespace) -> int:
    from podium.services.accounts import create_user

    password = read_password(args.password)
    user = with_runtime(
        Settings(),
        lambda rt: create_user(
            rt, args.email, password, args.name, args.role, organisation=args.organisation
        ),
    )
    where = f" in {args.organisation or 'Standard'}" if user.organisation_id else ""
    print(f"Created {user.role} {user.email}{where} (id {user.id}).")
    return 0


def cmd_user_password(args: argparse.Namespace) -> int:
    from podium.services.accounts import set_password

    password = read_password(args.password)
    ended = with_runtime(Settings(), lambda rt: set_password(rt, args.email, password))
    print(f"Password of {args.email.strip().lower()} changed; {ended} session(s) ended.")
    return 0


def cmd_user_active(args: argparse.Namespace) -> int:
    """`podium user deactivate|activate EMAIL`: a deactivated account cannot sign in
    and its sessions end at once."""
    from podium.services.accounts import set_active

    active = args.user_command == "activate"
    ended = with_runtime(Settings(), lambda rt: set_active(rt, args.email, active))
    email = args.email.strip().lower()
    if active:
        print(f"{email} may sign in again.")
    else:
        print(f"{email} deactivated; {ended} session(s) ended.")
    return 0


def cmd_user_end_sessions(args: argparse.Namespace) -> int:
    """`podium user end-sessions EMAIL`: sign the account out everywhere."""
    from podium.services.accounts import end_sessions

    ended = with_runtime(Settings(), lambda rt: end_sessions(rt, args.email))
    print(f"{ended} session(s) of {args.email.strip().lower()} ended.")
    return 0
