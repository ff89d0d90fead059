"""Helpers of the moderators' contribution tests: a moderator's posts, what the
queue and the public list show."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from podium import i18n
from podium.domain.codes import new_token
from podium.services import contributions
from podium.services.read_models import Item
from podium.web.messages import message
from tests.web.conftest import Demo, Harness, csrf_of

JSON = {"Accept": "application/json"}


def base(demo: Demo) -> str:
    return f"/moderate/{demo.event.id}"


def send(h: Harness, demo: Demo, text: str, token: str | None = None, **kwargs: Any) -> Item:
    live = h.run(h.rt.live.get, demo.event.id)
    assert live is not None
    return h.run(contributions.submit, h.rt, live, token or new_token(), text, **kwargs)


def stored(h: Harness, demo: Demo, contribution_id: int) -> Item | None:
    items = h.run(contributions.all_items, h.rt, demo.event.id)
    return next((i for i in items if i.id == contribution_id), None)


def page(h: Harness, demo: Demo, lang: str = "en") -> str:
    response = h.client.get(base(demo), headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.text


def version_on(html: str, contribution_id: int) -> int:
    found = re.search(rf'data-id="{contribution_id}" data-version="(\d+)"', html)
    assert found, f"contribution {contribution_id} is not in the queue"
    return int(found.group(1))


def act(
    h: Harness,
    demo: Demo,
    contribution_id: int,
    action: str,
    version: int | None = None,
    as_json: bool = False,
    csrf: str | None = None,
):
    html = page(h, demo)
    fields = {
        "csrf": csrf if csrf is not None else csrf_of(html),
        "action": action,
        "version": str(version if version is not None else version_on(html, contribution_id)),
    }
    return h.client.post(
        f"{base(demo)}/contributions/{contribution_id}/act",
        data=fields,
        headers=JSON if as_json else {},
        follow_redirects=False,
    )


def eventually(check: Callable[[], bool], seconds: float = 3.0) -> None:
    """The board re-reads after each change on a task of its own: wait for it."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the change did not arrive in time"
        time.sleep(0.02)


def public_texts(h: Harness, demo: Demo) -> list[str]:
    body = h.client.get(f"/api/v1/p/{demo.event.join_code}/contributions").json()
    return [c["text"] for c in body["contributions"]]


def german(code: str) -> str:
    token = i18n.current_lang.set("de")
    try:
        return message(code)
    finally:
        i18n.current_lang.reset(token)
