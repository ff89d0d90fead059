"""Live updates over a real HTTP server: a vote shows on the presenter's stream
within a second, a reconnect starts with the full state, and participants'
devices follow the current question."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from podium.services import accounts, live_control
from podium.settings import Settings
from tests.server import LiveServer, live_server
from tests.web.conftest import PASSWORD, Demo, make_event


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    with live_server(settings) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(accounts.create_user, srv.rt, "orga@example.org", PASSWORD)
        yield srv, demo


class Reader:
    """SSE frames of one streaming response, read across several waits."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def wait_for(self, predicate, seconds: float = 5.0) -> dict:
        deadline = time.monotonic() + seconds
        event = None
        for line in self.lines:
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event:
                data = json.loads(line[6:])
                if predicate(event, data):
                    return data
            if time.monotonic() > deadline:
                break
        raise AssertionError("the expected frame did not arrive")


def test_vote_reaches_the_presenter_stream_within_a_second(server) -> None:
    srv, demo = server
    srv.run(live_control.go_live, srv.rt, demo.event.id, demo.top3)
    srv.run(live_control.set_flags, srv.rt, demo.event.id, demo.top3, results_on_screen=True)
    token = demo.event.presenter_token
    presenter = httpx.Client(base_url=srv.url, timeout=5)
    participant = httpx.Client(base_url=srv.url, timeout=5)
    with presenter, participant, presenter.stream("GET", f"/present/{token}/stream") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        reader = Reader(stream)
        first = reader.wait_for(lambda e, d: e == "results")
        assert "(0)" in first["html"]
        participant.get(f"/p/{demo.event.join_code}")
        option = demo.option_ids[demo.top3][0]
        sent_at = time.monotonic()
        ack = participant.post(
            f"/p/{demo.event.join_code}/answer",
            json={"question_id": demo.top3, "answer_id": str(uuid.uuid4()), "value": [option]},
            headers={"Accept": "application/json"},
        )
        assert ack.status_code == 200
        update = reader.wait_for(lambda e, d: e == "results" and "(1)" in d["html"])
        assert time.monotonic() - sent_at < 1.0
        assert "100 %" in update["html"]


def test_participant_device_follows_the_current_question(server) -> None:
    srv, demo = server
    device = httpx.Client(base_url=srv.url, timeout=5)
    with device, device.stream("GET", f"/p/{demo.event.join_code}/stream") as stream:
        reader = Reader(stream)
        state = reader.wait_for(lambda e, d: e == "state")
        assert state["question_id"] is None
        srv.run(live_control.go_live, srv.rt, demo.event.id, demo.scale)
        state = reader.wait_for(lambda e, d: e == "state" and d["question_id"] == demo.scale)
        assert state["voting_open"] is True
        assert "Wie zufrieden?" in state["html"]
        assert state["results_visible"] is False


def test_reconnect_with_last_event_id_gets_the_full_state(server) -> None:
    srv, demo = server
    srv.run(live_control.go_live, srv.rt, demo.event.id, demo.words)
    token = demo.event.presenter_token
    with (
        httpx.Client(base_url=srv.url, timeout=5) as client,
        client.stream(
            "GET", f"/present/{token}/stream", headers={"Last-Event-ID": "12345"}
        ) as stream,
    ):
        reader = Reader(stream)
        state = reader.wait_for(lambda e, d: e == "state")
        assert state["question_id"] == demo.words
        assert "Drei Schlagworte" in state["html"]


def test_moderator_controls_over_http(server) -> None:
    srv, demo = server
    with httpx.Client(base_url=srv.url, timeout=10, headers={"Origin": srv.url}) as client:
        page = client.get("/login")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        login = client.post(
            "/login", data={"csrf": csrf, "email": "orga@example.org", "password": PASSWORD}
        )
        assert login.status_code in (200, 303)
        console = client.get(f"/moderate/{demo.event.id}")
        assert console.status_code == 200
        assert "Ihre drei Top-Themen?" in console.text
        done = client.post(
            f"/moderate/{demo.event.id}/control",
            data={"csrf": csrf, "action": "go_live", "question_id": str(demo.top3)},
        )
        assert done.status_code in (200, 303)
        live = srv.rt.live.loaded(demo.event.id)
        assert live is not None and live.current_question_id == demo.top3
        assert live.questions[demo.top3].voting_open
        forged = client.post(
            f"/moderate/{demo.event.id}/control",
            data={"csrf": "forged", "action": "welcome"},
        )
        assert forged.status_code == 403
        assert live.current_question_id == demo.top3


def device_connections(url: str) -> int:
    text = httpx.get(f"{url}/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith('podium_sse_connections{audience="device"}'):
            return int(float(line.split()[-1]))
    return 0


def test_a_device_that_leaves_is_forgotten_at_once(server) -> None:
    """The server notices a closed stream without waiting for a write to fail: its
    subscription ends, and nothing is kept for it."""
    srv, demo = server
    device = httpx.Client(base_url=srv.url, timeout=5)
    with device, device.stream("GET", f"/p/{demo.event.join_code}/stream") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["content-language"] == "de"
        assert "default-src 'self'" in stream.headers["content-security-policy"]
        reader = Reader(stream)  # held: a dropped reader would close the stream
        reader.wait_for(lambda e, d: e == "state")
        assert device_connections(srv.url) == 1
    deadline = time.monotonic() + 2.0
    while device_connections(srv.url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert device_connections(srv.url) == 0
