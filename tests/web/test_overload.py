"""Overload and oversized bodies over HTTP: a full writer queue is a quick 503 with
Retry-After on every answer route, a too-large body a quick 413; nothing is stored."""

from __future__ import annotations

import asyncio
import socket
import uuid
from urllib.parse import urlsplit

from sqlalchemy import func, select

from podium.services import live_control
from podium.settings import Settings
from podium.store.tables import Contribution
from tests.server import live_server
from tests.web.conftest import Demo, Harness, make_event
from tests.web.test_participant import answer_count


def fill_writer_queue(h: Harness) -> None:
    """The writer's queue as under a crowd: full, and not draining."""

    async def fill() -> None:
        # The writer's task keeps waiting on the old queue: the new one never drains.
        full: asyncio.Queue[object] = asyncio.Queue(maxsize=1)
        full.put_nowait(object())
        h.rt.writer._queue = full  # type: ignore[assignment]

    h.run(fill)


def test_a_full_writer_queue_is_a_503_with_retry_after_everywhere(
    harness: Harness, demo: Demo
) -> None:
    h = harness
    h.run(live_control.go_live, h.rt, demo.event.id, demo.single)
    code = demo.event.join_code
    yes = demo.option_ids[demo.single][0]
    h.client.get(f"/p/{code}")  # the participant cookie: the script's answers take the hot path
    fill_writer_queue(h)
    answer = {"question_id": demo.single, "answer_id": str(uuid.uuid4()), "value": [yes]}

    script = h.client.post(f"/p/{code}/answer", json=answer, headers={"Accept": "application/json"})
    assert script.status_code == 503
    assert script.headers["retry-after"] == "1"
    assert script.json()["error"] == "busy"
    assert script.json()["message"].startswith("Gerade kommen sehr viele Antworten")

    api = h.client.post(
        f"/api/v1/join/{code}/answers", json=answer, headers={"Accept-Language": "en"}
    )
    assert (api.status_code, api.headers["retry-after"]) == (503, "1")
    assert api.json()["message"].startswith("Many answers are arriving at once")

    form = h.client.post(
        f"/p/{code}/answer",
        data={
            "question_id": str(demo.single),
            "answer_id": answer["answer_id"],
            "choice": str(yes),
        },
    )
    assert (form.status_code, form.headers["retry-after"]) == (503, "1")
    assert "Bitte senden Sie sie in ein paar Sekunden noch einmal" in form.text
    assert answer_count(h) == 0
    assert h.rt.writer.refused == 3


def test_a_declared_oversized_body_is_refused_unread(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    huge = b"x" * (5 * 1024 * 1024)
    page = harness.client.post(
        f"/p/{code}/contributions",
        content=huge,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 413
    assert "text/html" in page.headers["content-type"]
    assert "höchstens 64 kB" in page.text
    api = harness.client.post(
        f"/p/{code}/contributions",
        content=huge,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Language": "en",
        },
    )
    assert api.status_code == 413
    assert api.json() == {
        "error": "request_too_large",
        "message": "The request is too large: at most 64 kB can be sent here.",
    }


def test_a_streamed_5_mb_contribution_is_refused_before_it_is_sent_whole(
    settings: Settings,
) -> None:
    """Chunked, without Content-Length: the server answers 413 once it has counted
    past the limit, while the client still holds most of the 5 MB."""
    with live_server(settings) as srv:
        demo = srv.run(make_event, srv.rt)
        url = urlsplit(srv.url)
        chunk = b"text=" + b"x" * (64 * 1024 - 5)
        with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
            conn.sendall(
                f"POST /p/{demo.event.join_code}/contributions HTTP/1.1\r\n"
                f"Host: {url.netloc}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Accept: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n".encode()
            )
            for _ in range(3):  # 192 kB of the 5 MB, then wait for the reply
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            received = b""
            while b'"}' not in received:  # the reply, then the server closes
                part = conn.recv(65536)
                if not part:
                    break
                received += part
            reply = received.decode("latin-1")

        async def stored() -> int:
            async with srv.rt.sessions() as session:
                return await session.scalar(select(func.count()).select_from(Contribution)) or 0

        assert reply.startswith("HTTP/1.1 413"), reply[:200]
        assert '"error":"request_too_large"' in reply
        assert srv.run(stored) == 0
