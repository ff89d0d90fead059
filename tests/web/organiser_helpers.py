"""What the organiser UI tests share: a signed-in organiser's browser and page readers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from podium.services import catalog
from tests.web.conftest import Harness, csrf_of


@dataclass
class Admin:
    """A signed-in organiser's browser, in English (the msgids), with its CSRF token."""

    h: Harness
    token: str

    def get(self, path: str) -> httpx.Response:
        return self.h.client.get(path)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> httpx.Response:
        return self.h.client.post(
            path, data={"csrf": self.token, **(data or {})}, follow_redirects=False, **kw
        )

    def follow(self, response: httpx.Response) -> httpx.Response:
        assert response.status_code == 303, response.text
        return self.get(response.headers["location"])

    def new_series(self, title: str, description: str = "") -> int:
        response = self.post("/admin/series/new", {"title": title, "description": description})
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("-", 1)[1])

    def new_event(self, title: str, **fields: str) -> int:
        data = {"title": title, "series_id": "", "language": "de", **fields}
        response = self.post("/admin/events/new", data)
        assert response.status_code == 303, response.text
        return int(response.headers["location"].rsplit("/", 1)[1])


@pytest.fixture
def admin(harness: Harness) -> Admin:
    harness.login()
    # Tests read English text; German translations of these pages come later.
    harness.client.cookies.set("podium_lang", "en")
    return Admin(harness, csrf_of(harness.client.get("/admin").text))


def order_of(page: str, *texts: str) -> list[str]:
    """The texts sorted by where they first appear on the page."""
    for text in texts:
        assert text in page, text
    return sorted(texts, key=page.index)


def control(page: str, field_id: str) -> str:
    """The opening tag of the form control with this id."""
    found = re.search(rf'<(?:input|select|textarea)[^>]*\sid="{field_id}"[^>]*>', page)
    assert found, field_id
    return found.group(0)


def series_titles(h: Harness) -> list[str]:
    return [s.title for s in h.run(catalog.list_series, h.rt)]


def event_titles(h: Harness) -> list[str]:
    return [e.title for e in h.run(catalog.list_events, h.rt)]
