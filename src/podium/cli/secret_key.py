"""`podium secret-key`, and the key `serve` and `demo` insist on: one fixed key signs
the session cookies, or processes that made their own would each reject the others'
sessions and every restart would sign everybody out."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from podium.cli.common import UserError
from podium.settings import MAKE_SECRET_KEY, Settings, secret_key_problem

KEY_FILE_SUFFIX = ".secret-key"


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)  # 64 characters, 288 random bits


def cmd_secret_key(args: argparse.Namespace) -> int:
    print(new_secret_key())
    return 0


def require_secret_key(settings: Settings) -> None:
    """Refuse a server whose session cookies anybody could forge or no peer could read."""
    problem = secret_key_problem(settings.secret_key)
    if problem is not None:
        raise UserError(
            f"PODIUM_SECRET_KEY {problem}. It signs the session cookies; make one with "
            f"`{MAKE_SECRET_KEY}` and set it, e.g. "
            f"PODIUM_SECRET_KEY=$({MAKE_SECRET_KEY}), the same for every process."
        )


def demo_key_file(database_url: str) -> Path | None:
    """Where the demo keeps its key: beside its SQLite file (None for other databases)."""
    from podium.store.engine import is_sqlite

    if not is_sqlite(database_url) or ":///" not in database_url:
        return None
    path = database_url.split(":///", 1)[1].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path).with_name(Path(path).name + KEY_FILE_SUFFIX)


def with_demo_key(settings: Settings) -> Settings:
    """The demo's settings with a key: PODIUM_SECRET_KEY when set, else the one kept
    beside the database, made on the first run, so a restart keeps everybody signed in."""
    if "secret_key" in settings.model_fields_set:
        require_secret_key(settings)
        return settings
    path = demo_key_file(settings.database_url)
    if path is None:
        require_secret_key(settings)  # no file to keep it in: the user must set one
        return settings
    key = read_or_make_key(path)
    if secret_key_problem(key) is not None:
        raise UserError(f"{path}: not a usable secret key; delete the file to make a new one")
    return settings.model_copy(update={"secret_key": key})


def read_or_make_key(path: Path) -> str:
    try:
        # O_EXCL: two demos started at once never overwrite each other's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    key = new_secret_key()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key
