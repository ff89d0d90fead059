"""Defaults a public server needs: every cookie `Secure` behind an https base URL,
static files under a content version that browsers may keep for a year."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from podium.app import create_app
from podium.services import accounts
from podium.settings import Settings
from podium.web.static_files import STATIC, tree_version
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of, make_event

COOKIES = ("podium_p", "podium_session", "podium_lang")


def settings_at(settings: Settings, base_url: str) -> Settings:
    return Settings(**{**settings.model_dump(), "base_url": base_url, "secure_cookies": False})


@pytest.fixture(params=["https://podium.example.org", "http://podium.example.org"])
def public(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[Harness, Demo]]:
    """An app whose public address is https or plain http, PODIUM_SECURE_COOKIES unset."""
    base_url = str(request.param)
    app = create_app(settings_at(settings, base_url))
    with TestClient(app, base_url=base_url) as client:
        h = Harness(client, app.state.runtime)
        h.run(accounts.create_user, h.rt, "orga@example.org", PASSWORD, "Orga")
        yield h, h.run(make_event, h.rt)


def set_cookies(response: object) -> dict[str, str]:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return {value.split("=", 1)[0]: value for value in headers}


def test_every_cookie_is_secure_exactly_when_the_base_url_is_https(
    public: tuple[Harness, Demo],
) -> None:
    h, demo = public
    https = str(h.client.base_url).startswith("https://")
    given: dict[str, str] = {}
    given |= set_cookies(h.client.get(f"/p/{demo.event.join_code}"))
    page = h.client.get("/login")
    login = h.client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "email": "orga@example.org", "password": PASSWORD},
        headers={"origin": str(h.client.base_url)},
        follow_redirects=False,
    )
    assert login.status_code == 303, login.text
    given |= set_cookies(login)
    chosen = h.client.post(
        "/lang",
        data={"lang": "en", "csrf": csrf_of(h.client.get("/admin").text)},
        headers={"origin": str(h.client.base_url)},
        follow_redirects=False,
    )
    given |= set_cookies(chosen)
    # Over https the session cookie is `__Host-`-prefixed (no other host may set it).
    session = "__Host-podium_session" if https else "podium_session"
    assert sorted(given) == sorted(session if c == "podium_session" else c for c in COOKIES)
    for name, header in given.items():
        attributes = [a.strip().lower() for a in header.split(";")[1:]]
        assert ("secure" in attributes) is https, (name, header)


def test_an_https_base_url_turns_secure_cookies_on() -> None:
    key = "test-secret-key-that-is-long-enough"
    assert Settings(secret_key=key, base_url="https://podium.example.org").secure_cookies
    assert not Settings(secret_key=key, base_url="http://127.0.0.1:8000").secure_cookies
    assert Settings(
        secret_key=key, base_url="http://127.0.0.1:8000", secure_cookies=True
    ).secure_cookies


def test_no_app_without_a_usable_secret_key(settings: Settings) -> None:
    for key in ("", "too-short", "change-me-to-a-long-random-string"):
        with pytest.raises(ValueError, match="the secret key "):
            create_app(settings.model_copy(update={"secret_key": key}))


def test_pages_name_static_files_under_the_trees_version(harness: Harness, demo: Demo) -> None:
    html = harness.client.get(f"/p/{demo.event.join_code}").text
    version = tree_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    named = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert named == [
        f"/static/{version}/css/podium.css",
        f"/static/{version}/css/contributions.css",
        f"/static/{version}/js/participant.js",
    ]


def test_a_versioned_file_is_kept_for_a_year_and_its_imports_too(harness: Harness) -> None:
    version = tree_version()
    script = harness.client.get(f"/static/{version}/js/participant.js")
    assert script.status_code == 200
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert script.content == (STATIC / "js/participant.js").read_bytes()
    # The browser resolves `import ... from "./live.js"` inside the same versioned folder.
    imported = re.findall(r'from "\./([^"]+)"', script.text)
    assert imported == ["announcer.js", "contributions.js", "live.js", "results_news.js"]
    for name in imported:
        module = harness.client.get(f"/static/{version}/js/{name}")
        assert module.status_code == 200, name
        assert module.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_old_urls_still_load_but_are_never_kept(harness: Harness) -> None:
    bare = harness.client.get("/static/css/podium.css")
    assert bare.status_code == 200
    assert bare.headers["cache-control"] == "no-cache"
    assert bare.content == (STATIC / "css/podium.css").read_bytes()
    # Another release's folder: a page from before an upgrade, or a peer not yet upgraded.
    other = "0" * 12 if tree_version() != "0" * 12 else "1" * 12
    older = harness.client.get(f"/static/{other}/css/podium.css")
    assert older.status_code == 200 and older.headers["cache-control"] == "no-cache"
    missing = harness.client.get(f"/static/{tree_version()}/css/missing.css")
    assert missing.status_code == 404 and "immutable" not in missing.headers.get(
        "cache-control", ""
    )


def test_the_version_follows_the_content(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "js").mkdir()
    (folder / "js" / "a.js").write_text("one", encoding="utf-8")
    first = tree_version.__wrapped__(folder)
    (folder / "js" / "a.js").write_text("two", encoding="utf-8")
    assert tree_version.__wrapped__(folder) != first
