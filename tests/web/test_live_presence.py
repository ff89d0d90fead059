"""Over real streams: the console's participant figure follows phones that come and
go without a click, the screen shows it only while the organiser wants, and an
author's phone hears its waiting contribution rejected."""

from __future__ import annotations

import time

import httpx
import pytest

from podium.services import moderation
from tests.web.test_live_follow import Stream, logged_in, server

__all__ = ["server"]  # the fixture: a real server with a prepared event

JSON = {"Accept": "application/json"}


def test_the_console_counts_phones_as_they_come_and_go(server) -> None:
    srv, demo = server
    console_client = logged_in(srv)
    console = Stream(console_client, f"/moderate/{demo.event.id}/stream")
    clients = [httpx.Client(base_url=srv.url, timeout=10) for _ in range(3)]
    phones: list[Stream] = []
    try:
        first = console.wait_for("participants", lambda d: True, 5)
        assert first["count"] == 0
        for client in clients:
            phones.append(Stream(client, f"/p/{demo.event.join_code}/stream"))
        for phone in phones:
            assert phone.opened.wait(5)
        joined = time.monotonic()
        three = console.wait_for("participants", lambda d: d["count"] == 3, 1.5)
        assert time.monotonic() - joined < 1.5
        assert three["label"] == "3 Teilnehmende verbunden"

        phones.pop().close()
        clients[-1].close()
        console.wait_for("participants", lambda d: d["count"] == 2, 2.0)
        # the panel the console fetches after a click says the same
        panel = console_client.get(f"/moderate/{demo.event.id}/panel")
        assert "2 Teilnehmende verbunden" in panel.text
    finally:
        for stream in (*phones, console):
            stream.close()
        for client in (*clients, console_client):
            client.close()


def settings_form(client: httpx.Client, event_id: int, **fields: object) -> httpx.Response:
    page = client.get(f"/moderate/{event_id}")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post(
        f"/moderate/{event_id}/contributions/settings",
        data={"csrf": csrf, **fields},
        headers=JSON,
    )


def test_the_screen_counts_phones_only_while_the_organiser_shows_it(server) -> None:
    srv, demo = server
    event_id = demo.event.id
    console_client = logged_in(srv)
    screen_client = httpx.Client(base_url=srv.url, timeout=10)
    phone_client = httpx.Client(base_url=srv.url, timeout=10)
    screen = Stream(screen_client, f"/present/{demo.event.presenter_token}/stream")
    phone = Stream(phone_client, f"/p/{demo.event.join_code}/stream")
    try:
        assert screen.wait_for("state", lambda d: True, 5)["participants_shown"] is False
        assert phone.opened.wait(5)
        page = screen_client.get(f"/present/{demo.event.presenter_token}")
        assert 'id="participants" aria-live="off" hidden' in page.text

        # the console's form, as the browser sends it: the hidden "0", then the ticked box
        sent = time.monotonic()
        saved = settings_form(console_client, event_id, screen_participants=["0", "1"])
        assert saved.status_code == 200, saved.text
        screen.wait_for("state", lambda d: d["participants_shown"] is True, 1.0)
        shown = screen.wait_for("participants", lambda d: d["count"] == 1, 1.0)
        assert time.monotonic() - sent < 1.0
        assert shown["label"] == "1 teilnehmende Person"  # the event's language
        page = screen_client.get(f"/present/{demo.event.presenter_token}")
        assert 'aria-live="off">1 teilnehmende Person</p>' in page.text

        second = httpx.Client(base_url=srv.url, timeout=10)
        another = Stream(second, f"/p/{demo.event.join_code}/stream", own_client=True)
        try:
            screen.wait_for("participants", lambda d: d["label"] == "2 Teilnehmende", 2.0)
        finally:
            another.close()
        screen.wait_for("participants", lambda d: d["count"] == 1, 2.0)

        saved = settings_form(console_client, event_id, screen_participants="0")
        assert saved.status_code == 200, saved.text
        screen.wait_for("state", lambda d: d["participants_shown"] is False, 1.0)
        console = Stream(console_client, f"/moderate/{event_id}/stream")
        try:
            console.wait_for("participants", lambda d: d["count"] == 1, 5)
            screen.drain()
            # a phone comes: the console hears it, the screen no longer gets a count
            third = httpx.Client(base_url=srv.url, timeout=10)
            more = Stream(third, f"/p/{demo.event.join_code}/stream", own_client=True)
            try:
                console.wait_for("participants", lambda d: d["count"] == 2, 2.0)
                with pytest.raises(AssertionError):
                    screen.wait_for("participants", lambda d: True, 1.0)
            finally:
                more.close()
        finally:
            console.close()
    finally:
        for stream in (screen, phone):
            stream.close()
        for client in (console_client, screen_client, phone_client):
            client.close()


def test_a_rejected_contribution_leaves_its_authors_pending_ids(server) -> None:
    srv, demo = server
    code = demo.event.join_code
    author = httpx.Client(base_url=srv.url, timeout=10, headers={"Origin": srv.url})
    try:
        author.get(f"/p/{code}")  # the participant cookie
        phone = Stream(author, f"/p/{code}/stream")
        phone.wait_for("contributions", lambda d: d["pending"] == [], 5)
        sent = author.post(
            f"/p/{code}/contributions", json={"text": "Wann kommt das Homeoffice?"}, headers=JSON
        )
        assert sent.status_code == 200, sent.text
        item = sent.json()["contribution"]
        assert item["state"] == "pending"
        phone.wait_for("contributions", lambda d: d["pending"] == [item["id"]], 2.0)

        rejected = time.monotonic()
        srv.run(moderation.act, srv.rt, demo.event.id, item["id"], "reject", None)
        frame = phone.wait_for("contributions", lambda d: item["id"] not in d["pending"], 1.5)
        assert time.monotonic() - rejected < 1.5
        assert frame["pending"] == [] and frame["count"] == 0  # gone, not shown
        phone.close()
    finally:
        author.close()
