"""Who may call what, over the whole route table: every route of the app (walked from
its route table, included routers and all) has a rule in RULES below, and is called
as nobody, as a participant, as another organisation's organiser, as a moderator not
assigned to the event and as the rightful users, with the real ids of a prepared
event and series of organisation A ("Standard"). A route without a rule fails here:
a new route must say who may call it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import _IncludedRouter
from starlette.routing import BaseRoute, Route

from podium.services import accounts
from tests.web.conftest import PASSWORD, Harness
from tests.web.test_get_changes_nothing import Prepared, filled, prepared  # noqa: F401

pytestmark = pytest.mark.sqlite_only  # the routes are the same on both backends

PUBLIC = "public"  # anybody, no account (participants' routes hold their own checks)
SIGNED_IN = "signed-in"  # any account
ORGANISER = "organiser"  # an organiser or administrator, no particular event
OWNER = "organiser-of-owner"  # an organiser of the event's or series' organisation
MODERATOR = "moderator-of-event"  # the event's organisers and assigned moderators
ADMINISTRATOR = "administrator"  # accounts: administrators only

_OWNER_PAGES = (
    "/admin/events/{event_id}",
    "/admin/events/{event_id}/clear",
    "/admin/events/{event_id}/delete",
    "/admin/events/{event_id}/edit",
    "/admin/events/{event_id}/export.yaml",
    "/admin/events/{event_id}/invitations",
    "/admin/events/{event_id}/invitations/progress.json",
    "/admin/questions/{question_id}/delete",
    "/admin/questions/{question_id}/edit",
    "/admin/series/{series_id}/consent-log.csv",
    "/admin/series/{series_id}/consent-texts.csv",
    "/admin/series/{series_id}/delete",
    "/admin/series/{series_id}/edit",
    "/admin/series/{series_id}/preview",
    "/admin/series/{series_id}/preview/{event_slug}",
    "/admin/series/{series_id}/report.pdf",
    "/admin/series/{series_id}/results",
    "/admin/series/{series_id}/subscribers",
    "/admin/series/{series_id}/subscribers.csv",
    "/admin/series/{series_id}/subscribers/{subscriber_id}/delete",
    "/api/v1/events/{ref}",
    "/api/v1/events/{ref}/publication",
    "/api/v1/events/{ref}/report.{fmt}",
    "/api/v1/events/{ref}/results",
    "/api/v1/events/{ref}/results/{question_id}/{name}",
)
_OWNER_FORMS = (
    "/admin/events/{event_id}/clear",
    "/admin/events/{event_id}/delete",
    "/admin/events/{event_id}/edit",
    "/admin/events/{event_id}/invitations/preview",
    "/admin/events/{event_id}/invitations/preview.html",
    "/admin/events/{event_id}/invitations/reminder",
    "/admin/events/{event_id}/invitations/send",
    "/admin/events/{event_id}/invitations/test",
    "/admin/events/{event_id}/moderators",
    "/admin/events/{event_id}/moderators/remove",
    "/admin/events/{event_id}/move",
    "/admin/events/{event_id}/presenter-link",
    "/admin/events/{event_id}/publication",
    "/admin/events/{event_id}/publication/delete",
    "/admin/events/{event_id}/questions",
    "/admin/questions/{question_id}/delete",
    "/admin/questions/{question_id}/edit",
    "/admin/questions/{question_id}/move",
    "/admin/series/{series_id}/consent",
    "/admin/series/{series_id}/delete",
    "/admin/series/{series_id}/edit",
    "/admin/series/{series_id}/move",
    "/admin/series/{series_id}/subscribers/{subscriber_id}/delete",
    "/api/v1/events/{ref}/publication",
)
_MODERATOR_PAGES = (
    "/admin/events/{event_id}/report.{fmt}",
    "/admin/events/{event_id}/results",
    "/admin/events/{event_id}/results/{question_id}/{name}",
    "/api/v1/events/{event_id}/contributions",
    "/api/v1/events/{ref}/live",
    "/moderate/{event_id}",
    "/moderate/{event_id}/contributions/frame",
    "/moderate/{event_id}/panel",
    "/moderate/{event_id}/stream",
    "/moderate/{event_id}/words/{question_id}",
)
_MODERATOR_FORMS = (
    "/admin/events/{event_id}/report",
    "/api/v1/events/{ref}/live",
    "/moderate/{event_id}/contributions/bulk",
    "/moderate/{event_id}/contributions/merge",
    "/moderate/{event_id}/contributions/settings",
    "/moderate/{event_id}/contributions/{contribution_id}/act",
    "/moderate/{event_id}/contributions/{contribution_id}/ban",
    "/moderate/{event_id}/contributions/{contribution_id}/delete",
    "/moderate/{event_id}/contributions/{contribution_id}/edit",
    "/moderate/{event_id}/control",
    "/moderate/{event_id}/words/{question_id}",
)
_PUBLIC = (
    "GET /",
    "GET /api/docs",
    "GET /api/v1/join/{code}",
    "POST /api/v1/join/{code}/answers",
    "GET /api/v1/openapi.json",
    "GET /api/v1/p/{code}/contributions",
    "GET /api/v1/session",
    "GET /healthz",
    "POST /healthz/noop",
    "POST /join",
    "POST /lang",
    "GET /legal/accessibility",
    "GET /legal/imprint",
    "GET /legal/privacy",
    "GET /login",
    "POST /login",
    "GET /metrics",
    "GET /p/{code}",
    "POST /p/{code}/access",
    "POST /p/{code}/answer",
    "POST /p/{code}/contributions",
    "GET /p/{code}/contributions/frame",
    "POST /p/{code}/contributions/{contribution_id}/vote",
    "GET /p/{code}/stream",
    "GET /present/{token}",
    "GET /present/{token}/stream",
    "GET /r/{token}",
    "GET /r/{token}/report.pdf",
    "GET /s/{slug}",
    "GET /s/{slug}.ics",
    "GET /s/{slug}/confirm/{token}",
    "POST /s/{slug}/confirm/{token}",
    "GET /s/{slug}/signup",
    "POST /s/{slug}/signup",
    "GET /s/{slug}/unsubscribe/{key}",
    "POST /s/{slug}/unsubscribe/{key}",
    "GET /s/{slug}/{event_slug}",
    "GET /s/{slug}/{event_slug}.ics",
    "GET /account/password/{token}",  # the link's token is the permission
    "POST /account/password/{token}",
)

# Every route's rule, by "METHOD path".
RULES: dict[str, str] = {
    **{route: PUBLIC for route in _PUBLIC},
    "POST /logout": PUBLIC,  # signing nobody out changes nothing
    "GET /moderate": SIGNED_IN,
    "GET /admin": ORGANISER,
    "GET /admin/events/new": ORGANISER,
    "POST /admin/events/new": ORGANISER,
    "GET /admin/import": ORGANISER,
    "POST /admin/import": ORGANISER,
    "GET /admin/series/new": ORGANISER,
    "POST /admin/series/new": ORGANISER,
    "GET /api/v1/events": ORGANISER,
    **{f"GET {path}": OWNER for path in _OWNER_PAGES},
    **{f"POST {path}": OWNER for path in _OWNER_FORMS},
    "DELETE /api/v1/events/{ref}/publication": OWNER,
    "GET /admin/accounts": ADMINISTRATOR,
    "POST /admin/accounts/invite": ADMINISTRATOR,
    **{
        f"POST /admin/accounts/{{user_id}}/{change}": ADMINISTRATOR
        for change in ("role", "active", "delete", "reset")
    },
    **{f"GET {path}": MODERATOR for path in _MODERATOR_PAGES},
    **{f"POST {path}": MODERATOR for path in _MODERATOR_FORMS},
}

# POSTs that only read (a form that asks for a download): no CSRF token needed.
READS_ONLY = {"POST /admin/events/{event_id}/report"}

# What each caller may do under each rule: True allowed, else the refusal's status.
EXPECTED: dict[str, dict[str, bool | int]] = {
    "anonymous": {SIGNED_IN: 401, ORGANISER: 401, OWNER: 401, MODERATOR: 401, ADMINISTRATOR: 401},
    "participant": {
        SIGNED_IN: 401,
        ORGANISER: 401,
        OWNER: 401,
        MODERATOR: 401,
        ADMINISTRATOR: 401,
    },
    "other organisation's organiser": {
        SIGNED_IN: True,
        ORGANISER: True,
        OWNER: 404,
        MODERATOR: 404,
        ADMINISTRATOR: 403,
    },
    "unassigned moderator": {
        SIGNED_IN: True,
        ORGANISER: 403,
        OWNER: 403,
        MODERATOR: 403,
        ADMINISTRATOR: 403,
    },
    "assigned moderator": {
        SIGNED_IN: True,
        ORGANISER: 403,
        OWNER: 403,
        MODERATOR: True,
        ADMINISTRATOR: 403,
    },
    "organiser": {
        SIGNED_IN: True,
        ORGANISER: True,
        OWNER: True,
        MODERATOR: True,
        ADMINISTRATOR: 403,
    },
    "administrator": {
        SIGNED_IN: True,
        ORGANISER: True,
        OWNER: True,
        MODERATOR: True,
        ADMINISTRATOR: True,
    },
}


def routes(table: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, recursing into included routers."""
    for route in table:
        if isinstance(route, _IncludedRouter):
            inner = getattr(route.include_context, "prefix", "") or ""
            yield from routes(route.original_router.routes, prefix + inner)
        elif isinstance(route, Route):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    yield method, prefix + route.path


def app_routes(h: Harness) -> list[tuple[str, str]]:
    found = set(routes(h.client.app.routes))  # type: ignore[attr-defined]
    # /logout last: it ends the caller's session
    return sorted(found, key=lambda r: (r[1] == "/logout", r[1], r[0]))


def test_every_route_has_a_rule(harness: Harness) -> None:
    found = {f"{method} {path}" for method, path in app_routes(harness)}
    assert len(found) > 100
    assert sorted(found - RULES.keys()) == [], "routes without a rule in RULES"
    assert sorted(RULES.keys() - found) == [], "rules of routes that are gone"


@dataclass
class Call:
    route: str
    status: int
    error: str


def become(h: Harness, who: str, prepared: Prepared) -> None:  # noqa: F811
    h.client.cookies.clear()
    emails = {
        "other organisation's organiser": "b@example.org",
        "unassigned moderator": "idle@example.org",
        "assigned moderator": "mod@example.org",
        "organiser": "orga@example.org",
        "administrator": "admin@example.org",
    }
    if who == "participant":
        assert h.client.get(f"/p/{prepared.values['code']}").status_code == 200
    elif who in emails:
        h.login(emails[who])


def call(h: Harness, method: str, url: str, with_csrf: bool) -> httpx.Response:
    # sec-fetch-dest: empty asks for errors as JSON, so that their codes can be read
    headers = {"sec-fetch-dest": "empty"}
    data: dict[str, Any] = {}
    if with_csrf:
        token = h.client.get("/api/v1/session").json()["csrf_token"]
        headers["x-csrf-token"] = token
        data["csrf"] = token
    return h.client.request(method, url, headers=headers, data=data or None, follow_redirects=False)


def error_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return body.get("error", "") if isinstance(body, dict) else ""


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_route_answers_each_caller_by_its_rule(
    harness: Harness,
    prepared: Prepared,  # noqa: F811
    who: str,
) -> None:
    h = harness
    h.run(accounts.create_user, h.rt, "b@example.org", PASSWORD, "", "organiser", "Amt B")
    h.run(accounts.create_user, h.rt, "idle@example.org", PASSWORD, "", "moderator")
    h.run(accounts.create_user, h.rt, "mod@example.org", PASSWORD, "", "moderator")
    h.run(accounts.assign_moderator, h.rt, int(prepared.values["event_id"]), "mod@example.org")
    h.run(accounts.create_user, h.rt, "admin@example.org", PASSWORD, "", "administrator")
    idle = h.run(accounts.get_user_by_email, h.rt, "idle@example.org")
    assert idle is not None
    prepared.values["contribution_id"] = "1"
    prepared.values["user_id"] = str(idle.id)
    prepared.tokens["account"] = "no-such-link"
    become(h, who, prepared)
    wrong: list[str] = []
    for method, path in app_routes(h):
        rule = RULES[f"{method} {path}"]
        expected = True if rule == PUBLIC else EXPECTED[who][rule]
        if path.endswith("/stream") and expected is True:
            continue  # an open stream never ends here: tests/web/test_live_stream.py
        url = filled(path, prepared)
        # The rightful callers send no CSRF token: their form is refused for that
        # (403 `csrf`), after the access check let them through, and nothing changes.
        # Everybody else sends a valid one, so that only the access rule refuses them.
        changes = method != "GET" and f"{method} {path}" not in READS_ONLY
        response = call(h, method, url, with_csrf=changes and expected is not True)
        status, error = response.status_code, error_of(response)
        if status >= 500:
            wrong.append(f"{method} {url}: {status}")
        elif expected is True:
            refused = status == 401 or error in ("forbidden", "not_found", "unknown_event")
            if rule != PUBLIC and (refused or (changes and error != "csrf")):
                wrong.append(f"{method} {url}: {status} {error} (allowed by {rule})")
            if rule == PUBLIC and status == 401:
                wrong.append(f"{method} {url}: 401 on a public route")
        elif status != expected:
            wrong.append(f"{method} {url}: {status} {error}, not {expected} ({rule})")
    assert wrong == [], who
