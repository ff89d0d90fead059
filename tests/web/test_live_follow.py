"""What a moderator or organiser changes reaches every open stream of a real server
within a second: contribution settings and the screen's mode (phones, screen,
consoles), and a renewed presenter link ends the screens opened with the old one."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from podium.services import accounts, catalog, moderation
from podium.settings import Settings
from tests.server import LiveServer, live_server
from tests.web.conftest import PASSWORD, Demo, make_event
from tests.web.sse_reader import SseReader as Stream


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    # heartbeats every half second: a reader thread notices the test is over
    with live_server(settings.model_copy(update={"heartbeat": 0.5})) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(accounts.create_user, srv.rt, "orga@example.org", PASSWORD)
        yield srv, demo


def logged_in(srv: LiveServer) -> httpx.Client:
    client = httpx.Client(base_url=srv.url, timeout=10, headers={"Origin": srv.url})
    csrf = client.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    client.post("/login", data={"csrf": csrf, "email": "orga@example.org", "password": PASSWORD})
    return client


def test_contribution_settings_reach_phone_screen_and_console_within_a_second(server) -> None:
    srv, demo = server
    event_id = demo.event.id
    phone_client = httpx.Client(base_url=srv.url, timeout=10)
    screen_client = httpx.Client(base_url=srv.url, timeout=10)
    console_client = logged_in(srv)
    phone = Stream(phone_client, f"/p/{demo.event.join_code}/stream")
    screen = Stream(screen_client, f"/present/{demo.event.presenter_token}/stream")
    console = Stream(console_client, f"/moderate/{event_id}/stream")
    try:
        phone.wait_for("contributions", lambda d: d["open"] is True, 5)
        screen.wait_for("contributions", lambda d: d["mode"] == "poll" and not d["shown"], 5)
        console.wait_for("contributions", lambda d: 'data-open="1"' in d["shell"], 5)
        page = console_client.get(f"/moderate/{event_id}")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]

        sent = time.monotonic()
        saved = console_client.post(
            f"/moderate/{event_id}/contributions/settings",
            data={"csrf": csrf, "open": "0", "screen_mode": "contributions"},
            headers={"Accept": "application/json"},
        )
        assert saved.status_code == 200, saved.text
        phone.wait_for("contributions", lambda d: d["open"] is False, 1.5)
        screen.wait_for("contributions", lambda d: d["mode"] == "contributions" and d["shown"], 1.0)
        console.wait_for(
            "contributions",
            lambda d: (
                'data-open="0"' in d["shell"] and 'data-screen_mode="contributions"' in d["shell"]
            ),
            1.0,
        )
        assert time.monotonic() - sent < 1.5  # a device's frames go out once a second

        # and back, by the service (the same path as any process's hub message)
        srv.run(moderation.configure, srv.rt, event_id, contributions_open=True)
        phone.wait_for("contributions", lambda d: d["open"] is True, 1.5)
        console.wait_for("contributions", lambda d: 'data-open="1"' in d["shell"], 1.0)
    finally:
        for stream in (phone, screen, console):
            stream.close()
        for client in (phone_client, screen_client, console_client):
            client.close()


def test_a_renewed_presenter_link_ends_the_old_screens_at_once(server) -> None:
    srv, demo = server
    old = demo.event.presenter_token
    client = httpx.Client(base_url=srv.url, timeout=10)
    screen = Stream(client, f"/present/{old}/stream")
    try:
        screen.wait_for("state", lambda d: True, 5)
        renewed = time.monotonic()
        new = srv.run(catalog.new_presenter_token, srv.rt, demo.event.id)
        assert screen.ended.wait(1.0), "the old link's stream still runs"
        assert time.monotonic() - renewed < 1.0
        assert client.get(f"/present/{old}/stream").status_code == 404
        assert client.get(f"/present/{old}").status_code == 404
        fresh = Stream(client, f"/present/{new}/stream")
        try:
            fresh.wait_for("state", lambda d: True, 5)
            assert not fresh.ended.is_set()
        finally:
            fresh.close()
    finally:
        screen.close()
        client.close()
