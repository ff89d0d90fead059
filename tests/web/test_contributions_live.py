"""Contributions over live streams of a real server: a pending contribution never
reaches a participant's device or the presenter screen; an approved one does within
a second; a highlighted one takes the screen; a deleted one leaves every view within
two seconds."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from podium.services import contributions, moderation
from podium.settings import Settings
from tests.server import LiveServer, live_server
from tests.web.conftest import Demo, make_event
from tests.web.sse_reader import SseReader

SECRET = "Geheimer Entwurf, noch nicht freigegeben"
PUBLIC = "Wie geht es mit der Videoberatung weiter?"


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    # heartbeats every half second: a reader thread notices the test is over
    with live_server(settings.model_copy(update={"heartbeat": 0.5})) as srv:
        yield srv, srv.run(make_event, srv.rt)


def stream(url: str) -> SseReader:
    return SseReader(httpx.Client(timeout=10), url, own_client=True)


def test_only_approved_contributions_reach_devices_and_screen(server) -> None:
    srv, demo = server
    event_id = demo.event.id
    device = stream(f"{srv.url}/p/{demo.event.join_code}/stream")
    screen = stream(f"{srv.url}/present/{demo.event.presenter_token}/stream")
    try:
        device.wait_for("contributions", lambda d: True, 5)  # the first frame: the board as it is
        screen.wait_for("contributions", lambda d: True, 5)
        live = srv.run(srv.rt.live.get, event_id)
        pending = srv.run(contributions.submit, srv.rt, live, "a" * 40, SECRET)
        public = srv.run(contributions.submit, srv.rt, live, "b" * 40, PUBLIC)
        # moderators see both at once; nobody else sees either before approval
        sent = time.monotonic()
        srv.run(moderation.act, srv.rt, event_id, public.id, "approve", None)
        device.wait_for("contributions", lambda d: PUBLIC in "".join(d["items"].values()), 1.5)
        screen.wait_for("contributions", lambda d: PUBLIC in d["html"], 1.0)
        assert time.monotonic() - sent < 1.5
        srv.run(moderation.act, srv.rt, event_id, public.id, "highlight", None)
        highlighted = screen.wait_for("contributions", lambda d: d["highlighted"] == public.id, 1.0)
        assert 'class="highlight"' in highlighted["html"]
        srv.run(moderation.remove, srv.rt, event_id, public.id)
        gone = time.monotonic()
        device.wait_for(
            "contributions", lambda d: public.id not in [i for i, _rev, _votes in d["order"]], 2.0
        )
        screen.wait_for("contributions", lambda d: PUBLIC not in d["html"], 2.0)
        assert time.monotonic() - gone < 2.0
        assert pending.id  # stored, and yet:
        assert not any(SECRET in line for line in device.raw + screen.raw)
        page = httpx.get(f"{srv.url}/present/{demo.event.presenter_token}", timeout=5)
        assert SECRET not in page.text
        api = httpx.get(f"{srv.url}/api/v1/p/{demo.event.join_code}/contributions", timeout=5)
        assert SECRET not in api.text
    finally:
        device.close()
        screen.close()
