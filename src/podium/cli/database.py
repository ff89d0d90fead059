"""`podium db`: bring the database's schema up to date."""

from __future__ import annotations

import argparse

from podium.cli.common import check_sqlite_folder
from podium.settings import Settings


def upgrade_database(url: str) -> None:
    from podium.store.migrate import upgrade

    check_sqlite_folder(url)
    upgrade(url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    url = Settings().database_url
    upgrade_database(url)
    print(f"Database at {url} is up to date.")
    return 0
