"""An app in a TestClient, with its runtime reachable for setting up data."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from podium.app import create_app
from podium.runtime import Runtime
from podium.services import accounts
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.settings import Settings
from podium.store.tables import Event

T = TypeVar("T")
PASSWORD = "correct horse battery"


@dataclass
class Harness:
    client: TestClient
    rt: Runtime

    def run(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run a service coroutine on the app's own event loop."""
        return self.client.portal.call(lambda: fn(*args, **kwargs))  # type: ignore[union-attr]

    def login(self, email: str = "orga@example.org") -> None:
        page = self.client.get("/login")
        token = csrf_of(page.text)
        response = self.client.post(
            "/login",
            data={"csrf": token, "email": email, "password": PASSWORD, "next": "/admin"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def csrf(self, path: str = "/login") -> str:
        return csrf_of(self.client.get(path).text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        h = Harness(client, app.state.runtime)
        # These tests read the mail queue as the request left it: a sender in the
        # background would race them. Sending is tested in tests/mail and in the browser.
        h.run(app.state.mail_sender.stop)
        h.run(accounts.create_user, h.rt, "orga@example.org", PASSWORD, "Orga")
        yield h


@dataclass
class Demo:
    event: Event
    top3: int
    single: int
    scale: int
    words: int
    text: int
    option_ids: dict[int, list[int]]


async def make_event(rt: Runtime) -> Demo:
    event = await create_event(rt, "Digitales Podium", language="de")
    q_top3 = await add_question(
        rt,
        event.id,
        QuestionInput(
            "multiple",
            "Ihre drei Top-Themen?",
            ["Homeoffice", "Führung", "Beratung", "Zugang"],
            {"max_choices": 3},
        ),
    )
    q_single = await add_question(
        rt, event.id, QuestionInput("single", "Ja oder nein?", ["Ja", "Nein"], allow_change=False)
    )
    q_scale = await add_question(
        rt,
        event.id,
        QuestionInput("scale", "Wie zufrieden?", [], {"scale_min": 1, "scale_max": 5}),
    )
    q_words = await add_question(rt, event.id, QuestionInput("words", "Drei Schlagworte", [], {}))
    q_text = await add_question(
        rt, event.id, QuestionInput("text", "Ihre Wortmeldung", [], {"max_length": 100})
    )
    return Demo(
        event,
        q_top3.id,
        q_single.id,
        q_scale.id,
        q_words.id,
        q_text.id,
        {q.id: [o.id for o in q.options] for q in (q_top3, q_single)},
    )


@pytest.fixture
def demo(harness: Harness) -> Demo:
    return harness.run(make_event, harness.rt)


@pytest.fixture
def mod(harness: Harness, demo: Demo) -> Harness:
    """The harness, logged in as the organiser (who may moderate every event)."""
    harness.login()
    return harness
