"""The seed as the demo: the article's series and events, created once, and an
organiser account to log in with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from sqlalchemy import select

from podium.runtime import Runtime
from podium.services import live_control
from podium.services.accounts import create_user, get_user_by_email
from podium.services.catalog_series import create_series
from podium.services.event_io import import_event
from podium.store.tables import Event, Question, Series

ORGANISER_EMAIL = "organiser@podium.example"
# Documented, printed by `podium demo`: the demo is for trying podium on one's own machine.
ORGANISER_PASSWORD = "podium-demo-2021"
ORGANISER_NAME = "Demo-Organisation"


@dataclass(frozen=True)
class DemoInfo:
    series_id: int
    event_id: int  # the opening event, the one the audience joins
    slug: str
    join_code: str
    presenter_token: str
    organiser_email: str
    organiser_password: str
    organiser_created: bool
    created_events: int  # 0 when everything existed already


@cache
def seed_data() -> dict[str, Any]:
    """The parsed seed.yaml: {"series": {title, description}, "events": [event documents]}."""
    text = files("podium.demo").joinpath("seed.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("podium_seed") != 1:
        raise ValueError("podium/demo/seed.yaml: podium_seed: 1 expected")
    return data


def event_documents() -> list[str]:
    """Each seed event as a YAML text of `podium event import`."""
    return [
        yaml.safe_dump(event, allow_unicode=True, sort_keys=False)
        for event in seed_data()["events"]
    ]


async def ensure_demo(rt: Runtime) -> DemoInfo:
    """Create what is missing of the demo: series, events (identified by series and
    event title) and the organiser. Running it again creates nothing new."""
    data = seed_data()
    series_id = await _ensure_series(rt, data["series"]["title"], data["series"]["description"])
    created = 0
    for event, document in zip(data["events"], event_documents(), strict=True):
        if await _event_id(rt, series_id, event["title"]) is None:
            await import_event(rt, document)
            created += 1
    organiser_created = False
    if await get_user_by_email(rt, ORGANISER_EMAIL) is None:
        await create_user(rt, ORGANISER_EMAIL, ORGANISER_PASSWORD, ORGANISER_NAME, "organiser")
        organiser_created = True
    opening_id = await _event_id(rt, series_id, data["events"][0]["title"])
    assert opening_id is not None
    async with rt.sessions() as session:
        opening = await session.get(Event, opening_id)
    assert opening is not None
    return DemoInfo(
        series_id=series_id,
        event_id=opening.id,
        slug=opening.slug,
        join_code=opening.join_code,
        presenter_token=opening.presenter_token,
        organiser_email=ORGANISER_EMAIL,
        organiser_password=ORGANISER_PASSWORD,
        organiser_created=organiser_created,
        created_events=created,
    )


async def open_polls(rt: Runtime, event_id: int) -> list[int]:
    """What the moderator does before the audience answers: show the first question
    with its results on the screen, and open voting on every question of the event.
    Returns the question ids in order."""
    async with rt.sessions() as session:
        ids = list(
            await session.scalars(
                select(Question.id)
                .where(Question.event_id == event_id)
                .order_by(Question.position, Question.id)
            )
        )
    if not ids:
        return ids
    await live_control.go_live(rt, event_id, ids[0])
    await live_control.set_flags(rt, event_id, ids[0], results_on_screen=True)
    for question_id in ids[1:]:
        await live_control.set_flags(rt, event_id, question_id, voting_open=True)
    return ids


async def _ensure_series(rt: Runtime, title: str, description: str) -> int:
    async with rt.sessions() as session:
        series_id = await session.scalar(
            select(Series.id).where(Series.title == title).order_by(Series.id)
        )
    if series_id is not None:
        return series_id
    return (await create_series(rt, title, description)).id


async def _event_id(rt: Runtime, series_id: int, title: str) -> int | None:
    async with rt.sessions() as session:
        return await session.scalar(
            select(Event.id)
            .where(Event.series_id == series_id, Event.title == title)
            .order_by(Event.id)
        )
