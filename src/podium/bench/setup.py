"""What a moderator does before the audience answers, over HTTP: log in, find the
event, make its first poll current, open voting and show results on the screen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

CHOICE_KINDS = ("single", "multiple")
PRESENTER_LINK = re.compile(r"/present/([A-Za-z0-9_\-]{16,})")


class SetupError(Exception):
    """The bench could not prepare the event: its message says what failed."""


@dataclass(frozen=True)
class Target:
    event_id: int
    event_title: str
    join_code: str
    presenter_token: str
    presenter_token_source: str  # "event page" or "--presenter-url"
    question_id: int
    question_kind: str
    option_ids: tuple[int, ...]
    option_labels: tuple[str, ...]
    max_choices: int
    allow_change: bool


def _check(response: httpx.Response, what: str, *expected: int) -> httpx.Response:
    if response.status_code not in (expected or (200,)):
        detail = response.text[:200].replace("\n", " ")
        raise SetupError(f"{what}: HTTP {response.status_code} {detail}")
    return response


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign in as a browser would; returns the session's CSRF token for API POSTs."""
    session = _check(await client.get("/api/v1/session"), "GET /api/v1/session").json()
    response = await client.post(
        "/login",
        data={"csrf": session["csrf_token"], "email": email, "password": password, "next": "/"},
    )
    if response.status_code != 303:
        raise SetupError(
            f"login as {email} failed (HTTP {response.status_code}): wrong e-mail or password? "
            "The demo organiser is created by `podium demo`."
        )
    session = _check(await client.get("/api/v1/session"), "GET /api/v1/session").json()
    if not session.get("user"):
        raise SetupError(f"login as {email}: the server did not keep the session")
    return str(session["csrf_token"])


def choose_event(events: list[dict[str, object]], ref: str | None, title: str) -> dict:
    """The event named by id or slug, else the one with the demo's title."""
    for event in events:
        if ref is not None and ref in (str(event["id"]), event["slug"]):
            return event
        if ref is None and event["title"] == title:
            return event
    known = ", ".join(f"{e['id']} ({e['slug']})" for e in events) or "none"
    wanted = f"event {ref!r}" if ref else f"the demo event „{title}“ (run `podium demo`)"
    raise SetupError(f"{wanted} not found; events: {known}")


def first_poll(event: dict) -> dict:
    for question in event.get("questions", []):
        if question["kind"] in CHOICE_KINDS and question["options"]:
            return question
    raise SetupError(f"event {event['id']} has no single or multiple choice question")


def token_from_url(url: str) -> str:
    found = PRESENTER_LINK.search(urlsplit(url).path)
    if not found:
        raise SetupError(f"--presenter-url {url}: a link /present/TOKEN expected")
    return found.group(1)


async def prepare(
    client: httpx.AsyncClient,
    email: str,
    password: str,
    event_ref: str | None,
    presenter_url: str | None,
    device_results: bool,
    demo_title: str,
) -> Target:
    """Everything before the audience arrives. `client` keeps the session cookie."""
    try:
        csrf = await log_in(client, email, password)
        events = _check(await client.get("/api/v1/events"), "GET /api/v1/events").json()
        summary = choose_event(events, event_ref, demo_title)
        ref = summary["id"]
        event = _check(await client.get(f"/api/v1/events/{ref}"), f"GET event {ref}").json()
        poll = first_poll(event)
        change = {
            "current_question_id": poll["id"],
            "question_id": poll["id"],
            "voting_open": True,
            "results_on_screen": True,
            "results_on_devices": device_results,
        }
        live = await client.post(
            f"/api/v1/events/{ref}/live", json=change, headers={"X-CSRF-Token": csrf}
        )
        state = _check(live, "POST live state").json()
        current = state.get("current") or {}
        if state.get("current_question_id") != poll["id"] or not current.get("voting_open"):
            raise SetupError(f"the live state did not change as asked: {state}")
        if presenter_url:
            token, source = token_from_url(presenter_url), "--presenter-url"
        else:
            # The JSON API does not give the presenter link (it is a secret for the
            # screen); the organiser's event page shows it.
            page = _check(await client.get(f"/admin/events/{ref}"), "GET the event page")
            found = PRESENTER_LINK.search(page.text)
            if not found:
                raise SetupError(
                    "the presenter link is not on the event page; pass --presenter-url"
                )
            token, source = found.group(1), "event page"
    except httpx.HTTPError as exc:
        raise SetupError(f"{type(exc).__name__}: {exc}") from exc
    settings = poll.get("settings") or {}
    return Target(
        event_id=int(event["id"]),
        event_title=str(event["title"]),
        join_code=str(event["join_code"]),
        presenter_token=token,
        presenter_token_source=source,
        question_id=int(poll["id"]),
        question_kind=str(poll["kind"]),
        option_ids=tuple(int(o["id"]) for o in poll["options"]),
        option_labels=tuple(str(o["label"]) for o in poll["options"]),
        max_choices=int(settings.get("max_choices") or 1) if poll["kind"] == "multiple" else 1,
        allow_change=bool(poll.get("allow_change", True)),
    )
