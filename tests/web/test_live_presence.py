"""Over real streams: the console's participant figure follows phones that come and
go without a click, and an author's phone hears its waiting contribution rejected."""

from __future__ import annotations

import time

import httpx

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
