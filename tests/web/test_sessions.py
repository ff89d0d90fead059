"""Sessions kept on the server: a copy of an old cookie opens nothing once the session
has ended, on any process; a new id at every sign-in; the cookie's attributes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from podium.app import create_app
from podium.domain.web_session import session_id
from podium.services import accounts, catalog
from podium.services.web_sessions import count_sessions, start_session
from podium.settings import Settings
from podium.store.tables import SessionRow
from podium.web import server_sessions
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of

NAME = "podium_session"


def sign_in(client: TestClient, email: str = "orga@example.org") -> tuple[str, str]:
    """Sign in through the form; the session cookie's value and the CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"csrf": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.cookies[NAME], token


def with_cookie(app_client: TestClient, value: str) -> TestClient:
    app_client.cookies.clear()
    app_client.cookies.set(NAME, value)
    return app_client


def series_titles(h: Harness) -> list[str]:
    return [s.title for s in h.run(catalog.list_series, h.rt)]


def create_series(client: TestClient, csrf: str, title: str) -> int:
    response = client.post(
        "/admin/series/new", data={"csrf": csrf, "title": title}, follow_redirects=False
    )
    return response.status_code


def test_the_cookie_holds_a_random_secret_and_the_table_only_its_hash(harness: Harness) -> None:
    secret, _ = sign_in(harness.client)
    header = harness.client.cookies.jar  # the value is all the browser holds
    assert any(c.name == NAME for c in header)
    ids = [row.id for row in harness.run(_rows, harness)]
    assert ids == [session_id(secret)] and secret not in ids


async def _rows(h: Harness) -> list[SessionRow]:
    async with h.rt.sessions() as session:
        return list(await session.scalars(select(SessionRow)))


def test_cookie_attributes_over_plain_http(harness: Harness) -> None:
    token = csrf_of(harness.client.get("/login").text)
    response = harness.client.post(
        "/login",
        data={"csrf": token, "email": "orga@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{NAME}=")
    assert "; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax" in cookie
    assert "Secure" not in cookie and "Domain" not in cookie


def test_cookie_attributes_over_https(settings: Settings) -> None:
    secure = settings.model_copy(update={"base_url": "https://podium.example.org"})
    secure = Settings.model_validate(secure.model_dump())
    assert secure.secure_cookies
    app = create_app(secure)
    with TestClient(app, base_url="https://podium.example.org") as client:
        client.portal.call(  # type: ignore[union-attr]
            lambda: accounts.create_user(app.state.runtime, "orga@example.org", PASSWORD)
        )
        token = csrf_of(client.get("/login").text)
        response = client.post(
            "/login",
            data={"csrf": token, "email": "orga@example.org", "password": PASSWORD},
            follow_redirects=False,
        )
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("__Host-podium_session=")
        assert "; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure" in cookie
        assert "Domain" not in cookie
        assert client.get("/admin", follow_redirects=False).status_code == 200


def test_a_new_session_id_at_every_sign_in(harness: Harness) -> None:
    first, _ = sign_in(harness.client)
    second, _ = sign_in(harness.client)
    assert first != second
    # The session signed in over is gone: a copy of the first cookie opens nothing.
    stale = with_cookie(harness.client, first).get("/admin", follow_redirects=False)
    assert stale.status_code == 303 and stale.headers["location"] == "/login?next=/admin"


def test_a_cookie_copied_before_logout_is_refused_after_it(harness: Harness) -> None:
    client = harness.client
    secret, csrf = sign_in(client)
    assert client.get("/admin", follow_redirects=False).status_code == 200
    assert create_series(client, csrf, "Before") == 303
    logout = client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert logout.status_code == 303
    assert f"{NAME}=; Path=/; Max-Age=0" in logout.headers["set-cookie"]

    replay = with_cookie(client, secret)
    refused = replay.get("/admin", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"] == "/login?next=/admin"
    assert create_series(replay, csrf, "After logout") == 303  # to the sign-in page
    assert series_titles(harness) == ["Before"]
    api = replay.get("/api/v1/session").json()
    assert api["user"] is None


@pytest.fixture
def two_apps(settings: Settings) -> Iterator[tuple[Harness, Harness]]:
    """Two app instances (two processes' worth of state) on one database."""
    first, second = create_app(settings), create_app(settings)
    with (
        TestClient(first, base_url="http://127.0.0.1:8000") as a,
        TestClient(second, base_url="http://127.0.0.1:8000") as b,
    ):
        ha, hb = Harness(a, first.state.runtime), Harness(b, second.state.runtime)
        ha.run(accounts.create_user, ha.rt, "orga@example.org", PASSWORD, "Orga")
        yield ha, hb


def test_logout_on_one_process_holds_on_the_other(two_apps: tuple[Harness, Harness]) -> None:
    a, b = two_apps
    secret, csrf = sign_in(a.client)
    with_cookie(b.client, secret)
    assert b.client.get("/admin", follow_redirects=False).status_code == 200
    assert a.client.post("/logout", data={"csrf": csrf}).status_code == 200
    assert b.client.get("/admin", follow_redirects=False).status_code == 303
    assert create_series(b.client, csrf, "Replayed") == 303
    assert series_titles(a) == []


def test_end_sessions_password_and_deactivation_hold_on_the_other_process(
    two_apps: tuple[Harness, Harness],
) -> None:
    a, b = two_apps
    secret, _ = sign_in(a.client)
    with_cookie(b.client, secret)
    assert b.client.get("/admin", follow_redirects=False).status_code == 200
    assert a.run(accounts.end_sessions, a.rt, "orga@example.org") == 1
    assert b.client.get("/admin", follow_redirects=False).status_code == 303

    secret, _ = sign_in(a.client)
    with_cookie(b.client, secret)
    assert a.run(accounts.set_password, a.rt, "orga@example.org", "another long password") == 1
    assert b.client.get("/admin", follow_redirects=False).status_code == 303

    a.run(accounts.set_password, a.rt, "orga@example.org", PASSWORD)
    secret, _ = sign_in(a.client)
    with_cookie(b.client, secret)
    assert a.run(accounts.set_active, a.rt, "orga@example.org", False) == 1
    assert b.client.get("/admin", follow_redirects=False).status_code == 303
    token = csrf_of(a.client.get("/login").text)
    refused = a.client.post(
        "/login",
        data={"csrf": token, "email": "orga@example.org", "password": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 400 and "E-mail address or password is wrong." in refused.text
    a.run(accounts.set_active, a.rt, "orga@example.org", True)
    sign_in(a.client)


def test_a_password_change_keeps_the_session_that_made_it(harness: Harness) -> None:
    mine, _ = sign_in(harness.client)
    user = harness.run(accounts.get_user_by_email, harness.rt, "orga@example.org")
    assert user is not None
    other = harness.run(start_session, harness.rt, user.id)
    ended = harness.run(
        accounts.set_password, harness.rt, user.email, "another long password", session_id(mine)
    )
    assert ended == 1 and harness.run(count_sessions, harness.rt, user.id) == 1
    assert harness.client.get("/admin", follow_redirects=False).status_code == 200
    assert with_cookie(harness.client, other.secret).get("/admin").url.path == "/login"


def test_an_expired_session_is_refused_and_expired_rows_go_at_the_next_sign_in(
    harness: Harness,
) -> None:
    secret, _ = sign_in(harness.client)
    past = datetime.now(UTC) - timedelta(seconds=1)
    harness.run(_set_expiry, harness, session_id(secret), past)
    assert harness.client.get("/admin", follow_redirects=False).status_code == 303
    sign_in(harness.client)
    assert [r.id for r in harness.run(_rows, harness)] != [session_id(secret)]
    assert len(harness.run(_rows, harness)) == 1


async def _set_expiry(h: Harness, ident: str, when: datetime) -> None:
    async with h.rt.sessions() as session, session.begin():
        await session.execute(
            update(SessionRow).where(SessionRow.id == ident).values(expires_at=when)
        )


def test_no_session_cookie_no_lookup(
    harness: Harness, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = server_sessions.find_session

    async def counted(rt: object, secret: str) -> object:
        looked_up.append(secret)
        return await real(rt, secret)  # type: ignore[arg-type]

    monkeypatch.setattr(server_sessions, "find_session", counted)
    client = harness.client
    assert client.get(f"/p/{demo.event.join_code}").status_code == 200
    assert client.get("/login").status_code == 200  # a CSRF token, no session yet
    assert client.get("/").status_code == 200
    assert looked_up == []
    with_cookie(client, "invented-and-too-short")
    client.get("/")
    assert looked_up == []  # not a secret's shape: refused unread
    secret, _ = sign_in(client)
    looked_up.clear()
    client.get("/static/css/contributions.css")
    assert looked_up == []
    client.get("/admin")
    assert looked_up == [secret]
