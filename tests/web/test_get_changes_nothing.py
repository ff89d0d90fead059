"""No GET changes state: every GET route of the app (walked from its route table, path
parameters filled with real ids of a prepared event and series), as a signed-in
organiser and as nobody, leaves every table as it was, but for the exceptions below."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import _IncludedRouter
from starlette.routing import BaseRoute, Route

from podium.domain.publication import Publication
from podium.services import catalog
from podium.services.publication import publish
from podium.store.tables import SessionRow
from tests.services.catalog_helpers import snapshot
from tests.services.subscription_helpers import signable_series
from tests.web.conftest import Harness, make_event
from tests.web.moderation_helpers import send
from tests.web.test_public_signup import CONFIRM_LINK, Visitor, form, mails, subscribers

pytestmark = pytest.mark.sqlite_only  # the routes are the same on both backends

# Writes a GET may make, each for a reason, each as narrow as it can be:
# - consent_texts: the first view of a series page stores the default consent text
#   as version 1, so that a sign-up can name the version it was shown. Rows may be
#   added; none may change.
# - sessions.last_seen_at: a signed-in request notes when it was seen (at most every
#   few minutes). Only that column is ignored; no session may appear or go.
ADDED_ONLY = {"consent_texts"}
IGNORED_COLUMNS = {"sessions": {list(SessionRow.__table__.columns.keys()).index("last_seen_at")}}
# Live streams never end on their own (server-sent events): a GET that cannot be
# read to its end here. What they send is tested in tests/web/test_live_*.py.
ENDLESS = re.compile(r"/stream$")


def get_paths(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    for route in routes:
        if isinstance(route, _IncludedRouter):
            inner = getattr(route.include_context, "prefix", "") or ""
            yield from get_paths(route.original_router.routes, prefix + inner)
        elif isinstance(route, Route) and "GET" in (route.methods or ()):
            yield prefix + route.path


@dataclass
class Prepared:
    values: dict[str, str]
    tokens: dict[str, str]  # {token} by the path's first part


@pytest.fixture
def prepared(harness: Harness) -> Prepared:
    h = harness
    demo = h.run(make_event, h.rt)
    send(h, demo, "Eine Frage aus dem Publikum")
    signable = h.run(signable_series, h.rt)
    event = h.run(catalog.get_event, h.rt, signable.first)
    results = h.run(publish, h.rt, demo.event.id, Publication())
    visitor = Visitor(h)
    signed = visitor.post(f"/s/{signable.slug}/signup?lang=en", data=form(h, signable))
    assert signed.status_code == 200
    found = CONFIRM_LINK.search(mails(h)[0].text)
    assert found
    [subscriber] = subscribers(h)
    # The mail sender writes in the background (a queued mail becomes sent), whatever
    # the requests: stopped, so that what changes is only what a GET did.
    h.run(h.client.app.state.mail_sender.stop)  # type: ignore[attr-defined]
    return Prepared(
        {
            "event_id": str(demo.event.id),
            "ref": str(demo.event.id),
            "question_id": str(demo.words),
            "name": "words.csv",
            "fmt": "xlsx",
            "code": demo.event.join_code,
            "series_id": str(signable.series_id),
            "slug": signable.slug,
            "event_slug": event.slug,
            "subscriber_id": str(subscriber.id),
            "key": subscriber.unsubscribe_key,
        },
        {
            "present": demo.event.presenter_token,
            "r": results.token,
            "s": found.group(1).rsplit("/", 1)[1],
            "account": "no-such-link",  # a password link: tests/web/test_accounts_admin.py
        },
    )


def filled(path: str, prepared: Prepared) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "token":
            return prepared.tokens[path.split("/")[1]]
        return prepared.values[name]

    return re.sub(r"\{([^}]+)\}", value, path)


def comparable(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rows in tables.items():
        ignored = IGNORED_COLUMNS.get(name, set())
        kept = [tuple(v for i, v in enumerate(row) if i not in ignored) for row in rows]
        out[name] = sorted(kept, key=repr)
    return out


def assert_unchanged(before: dict[str, Any], after: dict[str, Any], who: str) -> None:
    for name in before:
        if name in ADDED_ONLY:
            assert set(before[name]) <= set(after[name]), (who, name)
        else:
            assert after[name] == before[name], (who, name)


def test_the_walk_covers_the_app(harness: Harness) -> None:
    paths = set(get_paths(harness.client.app.routes))  # type: ignore[attr-defined]
    assert len(paths) > 60
    for expected in ("/admin", "/admin/events/{event_id}/clear", "/s/{slug}", "/login"):
        assert expected in paths


@pytest.mark.parametrize("who", ["organiser", "nobody"])
def test_no_get_changes_a_table(harness: Harness, prepared: Prepared, who: str) -> None:
    if who == "organiser":
        harness.login()
    paths = sorted(set(get_paths(harness.client.app.routes)))  # type: ignore[attr-defined]
    before = comparable(harness.run(snapshot, harness.rt))
    visited = []
    for path in paths:
        if ENDLESS.search(path):
            continue
        url = filled(path, prepared)
        response = harness.client.get(url, follow_redirects=False)
        assert response.status_code < 500, (url, response.text[:300])
        visited.append((url, response.status_code))
    after = comparable(harness.run(snapshot, harness.rt))
    assert_unchanged(before, after, who)
    if who == "organiser":  # the pages were really shown, not refused
        shown = {url for url, status in visited if status == 200}
        assert f"/admin/events/{prepared.values['event_id']}/clear" in shown
        assert f"/admin/series/{prepared.values['series_id']}/subscribers" in shown
        assert f"/s/{prepared.values['slug']}/confirm/{prepared.tokens['s']}" in shown
