"""`podium user deactivate|activate|end-sessions` and `password`: sessions end at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from podium.cli import main
from podium.runtime import Runtime
from podium.services.accounts import authenticate, get_user_by_email
from podium.services.web_sessions import count_sessions, start_session
from podium.settings import Settings
from tests.test_cli import PASSWORD, db, migrated  # noqa: F401  (the fixtures)


def sessions_now(email: str, start: int = 0) -> int:
    """Start `start` sessions for the account; how many it has then."""

    async def run() -> int:
        rt = Runtime(Settings())
        await rt.start()
        try:
            user = await get_user_by_email(rt, email)
            assert user is not None
            for _ in range(start):
                await start_session(rt, user.id)
            return await count_sessions(rt, user.id)
        finally:
            await rt.stop()

    return asyncio.run(run())


def can_sign_in(email: str) -> bool:
    async def run() -> bool:
        rt = Runtime(Settings())
        await rt.start()
        try:
            return await authenticate(rt, email, PASSWORD) is not None
        finally:
            await rt.stop()

    return asyncio.run(run())


def test_deactivate_activate_and_end_sessions(
    migrated: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["user", "create", "orga@example.org", "--password", PASSWORD]) == 0
    assert sessions_now("orga@example.org", start=2) == 2
    assert main(["user", "end-sessions", "Orga@example.org"]) == 0
    assert "2 session(s) of orga@example.org ended." in capsys.readouterr().out
    assert sessions_now("orga@example.org") == 0

    assert sessions_now("orga@example.org", start=1) == 1
    assert main(["user", "deactivate", "orga@example.org"]) == 0
    assert "orga@example.org deactivated; 1 session(s) ended." in capsys.readouterr().out
    assert sessions_now("orga@example.org") == 0
    assert not can_sign_in("orga@example.org")
    assert main(["user", "activate", "orga@example.org"]) == 0
    assert "orga@example.org may sign in again." in capsys.readouterr().out
    assert can_sign_in("orga@example.org")

    assert sessions_now("orga@example.org", start=3) == 3
    assert main(["user", "password", "orga@example.org", "--password", PASSWORD]) == 0
    assert "changed; 3 session(s) ended." in capsys.readouterr().out
    assert sessions_now("orga@example.org") == 0

    assert main(["user", "deactivate", "nobody@example.org"]) == 2
    assert "no account" in capsys.readouterr().err
