"""The privacy scanner finds what it must (and would fail the suite's last test) and
leaves alone what only looks like it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import update

from podium.runtime import Runtime
from podium.settings import Settings
from podium.store.tables import User
from tests.privacy_scan import (
    email_addresses,
    ip_addresses,
    scan_sqlite,
    scan_text,
    tokens_in,
    user_agents,
)
from tests.services.subscription_helpers import signable_series
from tests.services.test_subscriptions import signed

pytestmark = pytest.mark.sqlite_only  # it reads SQLite files


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("from 203.0.113.7 at noon", ["203.0.113.7"]),
        ("127.0.0.1", ["127.0.0.1"]),
        ("peer 2001:db8::1 said", ["2001:db8::1"]),
        ("::1", ["::1"]),
        ("host testclient", ["testclient"]),
        ("version 1.2.3.4.5 and 3.14159", []),  # a longer run of dots is no address
        ("999.1.1.1", []),
        ("10:15:00 and 2026-03-05T10:15:00+01:00", []),  # times
        ("a::b in C++, x[::2] in Python", []),
        ("http://127.0.0.1:8000/s/reihe", []),  # the server's own address in a link
        ("https://[::1]:8443/p/1", []),
        ("<17964.2985@127.0.0.1>", []),  # the server's name in a mail's Message-ID
    ],
)
def test_ip_addresses_and_their_near_misses(text: str, found: list[str]) -> None:
    assert ip_addresses(text) == found


def test_user_agents_and_e_mail_addresses() -> None:
    assert user_agents("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0") == [
        "Mozilla/5.0",
        "HeadlessChrome",
    ]
    assert user_agents("python-httpx/0.28.1") == ["python-httpx/"]
    assert user_agents("Mozilla hat Firefox gebaut") == []
    assert email_addresses("a@example.org, orga@example.org", ["Orga@example.org"]) == [
        "a@example.org"
    ]
    assert email_addresses("@mention and user@localhost") == []


def test_tokens_are_found_in_log_texts_only_when_issued() -> None:
    token = "p" * 43
    logs = [f"GET /p/12345678 cookie={token}", "nothing here"]
    assert [f.kind for f in tokens_in(logs, [token, ""])] == ["token"]
    assert tokens_in(logs, ["q" * 43]) == []


def test_a_stored_client_address_and_user_agent_are_found(
    settings: Settings, tmp_path: Path
) -> None:
    """The deliberately failing check: an app that stores a request's client address
    and user agent with a contribution is caught in the dump, where podium's own
    database after the same request is clean."""
    rt = Runtime(settings)
    app = FastAPI()

    @app.post("/leak")
    async def leak(request: Request) -> dict[str, str]:
        host = request.client.host if request.client else ""
        agent = request.headers.get("user-agent", "")
        async with rt.sessions.begin() as session:
            session.add(User(email="orga@example.org", password_hash="x", name="Orga"))
            await session.flush()
            await session.execute(update(User).values(name=f"{host} {agent}"))
        return {"stored": host}

    with TestClient(app, headers={"User-Agent": "Mozilla/5.0 test"}) as client:
        client.portal.call(rt.start)  # type: ignore[union-attr]
        assert client.post("/leak").json() == {"stored": "testclient"}
        client.portal.call(rt.stop)  # type: ignore[union-attr]
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    kinds = {(f.kind, f.value) for f in scan_sqlite(db)}
    assert ("ip", "testclient") in kinds and ("user agent", "Mozilla/5.0") in kinds


async def test_an_ip_stored_with_signup_store_ip_on_is_found(settings: Settings) -> None:
    rt = Runtime(settings.model_copy(update={"signup_store_ip": True}))
    await rt.start()
    try:
        await signed(rt, await signable_series(rt))
    finally:
        await rt.stop()
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    findings = scan_sqlite(db)
    assert [(f.kind, f.value) for f in findings] == [("ip", "203.0.113.7")]
    assert "consent_log" in findings[0].where


async def test_the_same_sign_up_with_the_setting_off_leaves_nothing(settings: Settings) -> None:
    rt = Runtime(settings)
    await rt.start()
    try:
        await signed(rt, await signable_series(rt))
    finally:
        await rt.stop()
    assert scan_sqlite(Path(settings.database_url.removeprefix("sqlite:///"))) == []


def test_a_participant_address_in_a_table_is_reported() -> None:
    findings = scan_text("1\tSchreiben Sie mir: max@example.org", "contributions", ["o@x.org"])
    assert [(f.kind, f.value) for f in findings] == [("e-mail", "max@example.org")]


async def test_a_subscriber_address_as_typed_is_allowed(settings: Settings) -> None:
    rt = Runtime(settings)
    await rt.start()
    try:
        await signed(rt, await signable_series(rt), email="=bob@example.org")
    finally:
        await rt.stop()
    assert scan_sqlite(Path(settings.database_url.removeprefix("sqlite:///"))) == []
