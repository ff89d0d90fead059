"""Every GET route of the app's route table (pages, API, streams, downloads), served
by a real server, answers with podium's security headers: a policy that runs nothing
inline, nosniff, a referrer policy, no framing (but for the presenter view, framed by
the listed origins), and no-store where only the signed-in may look."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import podium.web
from podium.app import create_app
from podium.services import accounts
from podium.services.frame_origins import set_event_frame_origins
from podium.settings import Settings
from podium.web.static_files import static_url
from tests.server import LiveServer, live_server
from tests.web.conftest import PASSWORD, Demo, make_event

PARAM = re.compile(r"\{(\w+)\}")


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    update = {"heartbeat": 0.5, "frame_ancestors": "https://bbb.example.org"}
    with live_server(settings.model_copy(update=update)) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(accounts.create_user, srv.rt, "orga@example.org", PASSWORD)
        yield srv, demo


def signed_in(srv: LiveServer) -> httpx.Client:
    client = httpx.Client(base_url=srv.url, timeout=10, headers={"Origin": srv.url})
    csrf = client.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    client.post("/login", data={"csrf": csrf, "email": "orga@example.org", "password": PASSWORD})
    return client


def get_paths(srv: LiveServer, demo: Demo) -> list[str]:
    """Each GET route's path, its parameters filled with the prepared event's."""
    values = {
        "event_id": str(demo.event.id),
        "ref": str(demo.event.id),
        "question_id": str(demo.single),
        "code": demo.event.join_code,
        "token": demo.event.presenter_token,
        "fmt": "pdf",
        "name": "results.csv",
        "series_id": "1",
        "subscriber_id": "1",
        "slug": "nothing-here",
        "event_slug": "nothing-here",
        "key": "nothing-here",
    }
    # the same table the server has
    return [
        PARAM.sub(lambda m: values[m.group(1)], p)
        for p in get_routes(create_app(srv.rt.settings).routes)
    ]


def get_routes(routes: list[Any], prefix: str = "") -> list[str]:
    """The path of every GET route, in included routers too."""
    found = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += get_routes(included.routes, prefix + route.include_context.prefix)
        elif "GET" in (getattr(route, "methods", None) or ()):
            found.append(prefix + route.path)
    return found


def assert_secured(path: str, response: httpx.Response) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy or "default-src 'none'" in policy, path
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") in ("same-origin", "no-referrer"), path
    if path.startswith("/present/"):
        assert policy.endswith("frame-ancestors https://bbb.example.org https://meet.example.org")
        assert "x-frame-options" not in headers, path
    else:
        assert policy.endswith("frame-ancestors 'none'"), path
        assert headers.get("x-frame-options") == "DENY", path
    if path.startswith(("/admin", "/moderate", "/api/")):
        assert "no-store" in headers.get("cache-control", ""), path


def test_every_get_route_answers_with_the_security_headers(server) -> None:
    srv, demo = server
    srv.run(set_event_frame_origins, srv.rt, demo.event.id, ["https://meet.example.org"])
    paths = get_paths(srv, demo)
    assert len(paths) > 50
    statuses = {}
    for client in (httpx.Client(base_url=srv.url, timeout=10), signed_in(srv)):
        for path in paths:
            # streams: the headers, then the connection is closed
            with client.stream("GET", path, headers={"Accept": "text/html"}) as response:
                assert_secured(path, response)
                statuses[path] = response.status_code
    # most of them answered what was asked, not only an error page
    assert sum(1 for s in statuses.values() if s < 400) > len(paths) * 0.6, statuses
    for stream in (
        f"/p/{demo.event.join_code}/stream",
        f"/present/{demo.event.presenter_token}/stream",
        f"/moderate/{demo.event.id}/stream",
    ):
        assert statuses[stream] == 200, stream


def test_participant_answers_and_streams_on_the_short_path_carry_them(server) -> None:
    srv, demo = server
    client = httpx.Client(base_url=srv.url, timeout=10)
    client.get(f"/p/{demo.event.join_code}")  # the participant cookie
    answer = client.post(
        f"/p/{demo.event.join_code}/answer",
        json={"question_id": demo.single, "answer_id": "a" * 16, "value": []},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code in (200, 409, 422), answer.text
    assert_secured("/p/answer", answer)
    assert answer.headers["cache-control"] == "no-store"
    with client.stream("GET", f"/p/{demo.event.join_code}/stream") as stream:
        assert stream.status_code == 200
        assert_secured("/p/stream", stream)
    noop = client.post("/healthz/noop")
    assert noop.status_code == 204
    assert_secured("/healthz/noop", noop)


def test_static_files_and_public_pages_keep_their_own_caching(server) -> None:
    srv, _demo = server
    client = httpx.Client(base_url=srv.url, timeout=10)
    asset = client.get(static_url("js/live.js"))
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert_secured("/static", asset)
    legal = client.get("/legal/imprint")
    assert legal.headers["cache-control"] == "no-cache"
    assert_secured("/legal/imprint", legal)


def test_no_template_needs_unsafe_inline() -> None:
    """No inline script or style, no style attribute, no event handler attribute: the
    policy without 'unsafe-inline' blocks nothing that a page needs."""
    templates = Path(podium.web.__file__).with_name("templates")
    inline = re.compile(
        r"<script(?![^>]*\ssrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I
    )
    found = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in sorted(templates.rglob("*.html"))
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert len(list(templates.rglob("*.html"))) > 40
