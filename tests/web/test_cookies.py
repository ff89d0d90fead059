"""Only the cookies the privacy notice lists (domain/legal_facts.py, the one list):
the code that sets cookies names none other, a walk over the app's routes as
anonymous reader, participant and organiser meets none other, a reader of public
pages gets none at all, and the notice in both languages names each one.
(tests/test_privacy_after_suite.py checks every cookie the whole run saw, too.)"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

import podium
from podium.domain.legal_facts import LegalSettings, documented_cookie, privacy
from podium.i18n import LANG_COOKIE
from podium.web.participant_identity import ACCESS_COOKIE
from podium.web.security import PARTICIPANT_COOKIE
from podium.web.server_sessions import cookie_name as session_cookie_name
from tests.web.conftest import Demo, Harness

pytestmark = pytest.mark.sqlite_only  # the product, not the store

COOKIES = privacy(LegalSettings()).cookies
DOCUMENTED = {c.name for c in COOKIES}
SOURCE = Path(podium.__file__).parent
# The names the code passes to set_cookie/delete_cookie, and the session's.
_SET = re.compile(r"(?:set_cookie|delete_cookie)\(\s*([\w.]+|\"[^\"]+\"|'[^']+')")
_SESSION = re.compile(r"session_cookie=\s*(\"[^\"]+\"|'[^']+'|[\w.]+)")
KNOWN_CONSTANTS = {
    "PARTICIPANT_COOKIE": PARTICIPANT_COOKIE,
    "LANG_COOKIE": LANG_COOKIE,
    "access_cookie": ACCESS_COOKIE,  # access_cookie(event id): podium_a12, one per event
}


def cookie_names_in_code() -> set[str]:
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        for match in [*_SET.finditer(text), *_SESSION.finditer(text)]:
            raw = match.group(1)
            if raw[0] in "\"'":
                names.add(raw[1:-1])
            else:
                # a constant: known here, or a new cookie to add to the notice first
                names.add(KNOWN_CONSTANTS.get(raw.rsplit(".", 1)[-1], f"<unknown {raw}>"))
    return names


def test_the_code_sets_only_documented_cookies() -> None:
    # web/server_sessions.py writes the session's Set-Cookie header itself
    found = cookie_names_in_code() | {session_cookie_name(secure=False)}
    assert found == DOCUMENTED, f"add a new cookie to domain/legal_facts.py: {found}"
    assert documented_cookie(COOKIES, session_cookie_name(secure=True))
    assert documented_cookie(COOKIES, "podium_a12") and not documented_cookie(COOKIES, "podium_ax")


def set_cookies(client: TestClient, method: str, path: str, **kwargs: object) -> set[str]:
    response = client.request(method, path, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
    assert response.status_code < 500, (path, response.status_code)
    headers = response.headers.get_list("set-cookie")
    return {h.split("=", 1)[0].strip() for h in headers}


def get_routes(routes: Iterable[Any], prefix: str = "") -> Iterator[str]:
    """The paths of every GET route, routers included (FastAPI wraps an included
    router in an object that keeps it as `original_router`)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from get_routes(inner.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, APIRoute | Route) and "GET" in (route.methods or ()):
            yield prefix + route.path


def readable_paths(h: Harness, demo: Demo) -> list[str]:
    """Every GET route of the app, its path parameters filled from the demo event
    (routes with other parameters, and the live streams, left out)."""
    values = {"event_id": str(demo.event.id), "code": demo.event.join_code}
    paths = []
    for path in get_routes(h.client.app.routes):  # type: ignore[attr-defined]
        params = re.findall(r"{(\w+)(?::\w+)?}", path)
        if path.endswith("/stream") or any(p not in values for p in params):
            continue
        paths.append(re.sub(r"{(\w+)(?::\w+)?}", lambda m: values[m.group(1)], path))
    return sorted(set(paths))


def test_a_walk_over_the_routes_meets_only_documented_cookies(harness: Harness, demo: Demo) -> None:
    paths = readable_paths(harness, demo)
    assert len(paths) > 20
    seen: set[str] = set()
    for path in paths:  # anonymous
        seen |= set_cookies(harness.client, "GET", path)
    seen |= set_cookies(harness.client, "GET", f"/p/{demo.event.join_code}")  # participant
    for path in paths:
        seen |= set_cookies(harness.client, "GET", path)
    seen |= set_cookies(
        harness.client, "POST", "/lang", data={"lang": "en"}, headers={"referer": "/"}
    )
    harness.login()
    for path in paths:  # organiser
        seen |= set_cookies(harness.client, "GET", path)
    assert all(documented_cookie(COOKIES, name) for name in seen), seen - DOCUMENTED
    assert PARTICIPANT_COOKIE in seen and LANG_COOKIE in seen


def test_reading_public_pages_sets_no_cookie(harness: Harness) -> None:
    # (the login form is not reading: its CSRF token lives in the session cookie)
    for path in ("/", "/legal/imprint", "/legal/privacy", "/legal/accessibility"):
        assert set_cookies(harness.client, "GET", path) == set(), path


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_privacy_notice_names_every_cookie(harness: Harness, lang: str) -> None:
    page = harness.client.get(f"/legal/privacy?lang={lang}").text
    for name in DOCUMENTED:
        assert f"<code>{name}</code>" in page, (lang, name)
