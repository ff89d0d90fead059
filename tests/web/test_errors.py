"""One error contract: JSON for API and script callers, the error page for browsers,
always in the caller's language; a 500 too, wherever it comes from."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from podium.app import create_app
from podium.settings import Settings
from tests.web.conftest import Demo, Harness

ENGLISH_500 = "Something went wrong on the server. Please try again."
GERMAN_500 = "Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es noch einmal."
SECRET = "the disk is on fire"  # what must never reach the caller
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _fail() -> None:
    raise RuntimeError(SECRET)


class FailingMiddleware:
    """Outside every middleware of the app (added last): fails before the language
    is chosen, so only Starlette's ServerErrorMiddleware is left to answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/fail-in-middleware"):
            _fail()
        await self.app(scope, receive, send)


def add_failing_routes(app: FastAPI) -> None:
    for prefix in ("", "/api/v1"):
        app.add_api_route(f"{prefix}/test/fail", _fail)
        app.add_api_route(
            f"{prefix}/test/fail-in-dependency", lambda: None, dependencies=[Depends(_fail)]
        )
        app.add_api_route(f"{prefix}/test/fail-in-middleware", lambda: None)
    app.add_middleware(FailingMiddleware)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    add_failing_routes(app)
    # raise_server_exceptions stays on: an exception that escaped the app would fail here
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        yield client


def assert_no_leak(text: str) -> None:
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text


@pytest.mark.parametrize("path", ["fail", "fail-in-dependency", "fail-in-middleware"])
def test_a_500_is_json_in_english_for_an_english_api_caller(
    client: TestClient, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = client.get(
            f"/api/v1/test/{path}", headers={"Accept-Language": "en-GB, en;q=0.9"}
        )
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": "server_error", "message": ENGLISH_500}
    assert_no_leak(response.text)
    logged = [r for r in caplog.records if r.exc_info and f"/api/v1/test/{path}" in r.getMessage()]
    assert len(logged) == 1 and SECRET in str(logged[0].exc_info[1])


@pytest.mark.parametrize("path", ["fail", "fail-in-dependency", "fail-in-middleware"])
def test_a_500_is_a_page_in_german_for_a_german_browser(client: TestClient, path: str) -> None:
    headers = {"Accept": BROWSER, "Accept-Language": "de-DE, de; q=0.9, en; q=0.8"}
    response = client.get(f"/test/{path}", headers=headers)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="de">' in response.text
    assert GERMAN_500 in response.text
    assert_no_leak(response.text)


def test_a_500_before_the_language_is_chosen_follows_the_caller(client: TestClient) -> None:
    """The failing middleware is outside the one that chooses the language."""
    english = client.get(
        "/test/fail-in-middleware", headers={"Accept": BROWSER, "Accept-Language": "de;q=0, en"}
    )
    assert english.status_code == 500 and '<html lang="en">' in english.text
    assert ENGLISH_500 in english.text
    german = client.get(
        "/api/v1/test/fail-in-middleware", headers={"Accept-Language": "de; q=0.9, en;q=0.8"}
    )
    assert german.json() == {"error": "server_error", "message": GERMAN_500}


def test_a_script_on_a_page_path_gets_json(client: TestClient) -> None:
    """A fetch from the page's scripts: Accept names JSON, or (https, localhost) the
    browser says Sec-Fetch-Dest: empty."""
    for headers in ({"Accept": "application/json"}, {"Accept": "*/*", "Sec-Fetch-Dest": "empty"}):
        response = client.get("/test/fail", headers={**headers, "Accept-Language": "en"})
        assert response.json() == {"error": "server_error", "message": ENGLISH_500}


def test_unknown_paths_and_wrong_methods(client: TestClient) -> None:
    english = {"Accept-Language": "en"}
    missing = client.get("/api/v1/no-such-thing", headers=english)
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "This page does not exist."}
    page = client.get("/no-such-thing", headers={"Accept": BROWSER, "Accept-Language": "de"})
    assert page.status_code == 404 and "Diese Seite gibt es nicht." in page.text
    wrong = client.delete("/api/v1/session", headers=english)
    assert wrong.status_code == 405
    assert wrong.json() == {
        "error": "method_not_allowed",
        "message": "This address cannot be used this way.",
    }
    assert wrong.headers["allow"] == "GET"


def test_a_cross_origin_post_is_refused_by_the_contract(harness: Harness, demo: Demo) -> None:
    evil = {"Origin": "https://evil.example", "Accept-Language": "en"}
    page = harness.client.post("/join", data={"code": "1"}, headers={**evil, "Accept": BROWSER})
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "Requests from other websites are not accepted." in page.text
    assert page.headers["x-frame-options"] == "DENY"
    script = harness.client.post(
        f"/p/{demo.event.join_code}/answer", json={}, headers={**evil, "Accept": "application/json"}
    )
    assert script.status_code == 403
    assert script.json() == {
        "error": "cross_origin",
        "message": "Requests from other websites are not accepted.",
    }


def _answer(h: Harness, demo: Demo, language: str):
    h.client.get(f"/p/{demo.event.join_code}")  # the participant cookie: the hot path
    return h.client.post(
        f"/p/{demo.event.join_code}/answer",
        json={"question_id": demo.scale, "answer_id": str(uuid.uuid4()), "value": 3},
        headers={"Accept": "application/json", "Accept-Language": language},
    )


def test_the_hot_paths_refusals_follow_the_callers_language(harness: Harness, demo: Demo) -> None:
    """The event speaks German; voting on its scale is not open."""
    english = _answer(harness, demo, "de;q=0.5, en; q=0.9")
    assert english.status_code == 409
    assert english.json() == {
        "error": "voting_closed",
        "message": "Voting on this question is closed.",
    }
    assert english.headers["content-language"] == "en"
    german = _answer(harness, demo, "de; q=0.9, en;q=0.8")
    assert german.json()["message"] == "Die Abstimmung zu dieser Frage ist geschlossen."


def test_the_hot_paths_500_follows_the_callers_language(
    harness: Harness, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podium.web import hot_path

    async def broken(*args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(hot_path, "submit_answer", broken)
    response = _answer(harness, demo, "de;q=0, en")
    assert response.status_code == 500
    assert response.json() == {"error": "server_error", "message": ENGLISH_500}
    assert response.headers["content-language"] == "en"


def test_a_stream_that_cannot_start_is_a_500_in_the_callers_language(
    harness: Harness, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(harness.rt.board, "get", broken)
    response = harness.client.get(
        f"/p/{demo.event.join_code}/stream",
        headers={"Accept": "text/event-stream", "Accept-Language": "en"},
    )
    assert response.status_code == 500
    assert response.json() == {"error": "server_error", "message": ENGLISH_500}


@pytest.mark.parametrize(
    ("header", "language"),
    [("de; q=0.9, en;q=0.8", "de"), ("de;q=0, en", "en"), ("en; q=0.9, de;q=0.5", "en")],
)
def test_pages_answer_in_the_negotiated_language(
    harness: Harness, header: str, language: str
) -> None:
    page = harness.client.get("/", headers={"Accept-Language": header})
    assert page.headers["content-language"] == language
    assert f'<html lang="{language}">' in page.text
