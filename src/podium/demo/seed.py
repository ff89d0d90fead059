"""The seed as the demo: the article's series and events, created once, and an
organiser account to log in with.

The series page is public with its events, so that the demo shows it; the three
follow-up events, dated in 2021 in the seed, move to the coming weeks of the day the
demo's database is made (at the seed's time of day in Berlin), so that the page has
upcoming events; their join links stay hidden until the organiser shows them. The
opening keeps the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select, update

from podium.runtime import Runtime
from podium.services import live_control
from podium.services.accounts import create_user, get_user_by_email
from podium.services.catalog_series import create_series
from podium.services.event_io import import_event
from podium.store.tables import Event, Question, Series

BERLIN = ZoneInfo("Europe/Berlin")

# The follow-ups' distance from the day the demo is made: "in the coming months".
FOLLOW_UP_WEEKS = (4, 8, 12)

ORGANISER_EMAIL = "organiser@podium.example"
# Documented, printed by `podium demo`: the demo is for trying podium on one's own machine.
ORGANISER_PASSWORD = "podium-demo-2021"
ORGANISER_NAME = "Demo-Organisation"


@dataclass(frozen=True)
class DemoInfo:
    series_id: int
    series_slug: str
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


def event_documents(today: date | None = None) -> list[str]:
    """Each seed event as a YAML text of `podium event import`; with `today`, the
    follow-ups dated in the coming weeks (see follow_up_start)."""
    documents = []
    for n, event in enumerate(seed_data()["events"]):
        if today is not None and n > 0:
            start = follow_up_start(str(event["starts_at"]), today, FOLLOW_UP_WEEKS[n - 1])
            event = {**event, "starts_at": start.isoformat()}
        documents.append(yaml.safe_dump(event, allow_unicode=True, sort_keys=False))
    return documents


def follow_up_start(seed_start: str, today: date, weeks: int) -> datetime:
    """The seed's time of day in Berlin, `weeks` after today."""
    local = datetime.fromisoformat(seed_start).astimezone(BERLIN)
    day = today + timedelta(weeks=weeks)
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=BERLIN)


async def ensure_demo(rt: Runtime, today: date | None = None) -> DemoInfo:
    """Create what is missing of the demo: series, events (identified by series and
    event title) and the organiser. Running it again creates nothing new."""
    data = seed_data()
    series_id = await _ensure_series(rt, data["series"]["title"], data["series"]["description"])
    created = 0
    documents = event_documents(today or date.today())
    for event, document in zip(data["events"], documents, strict=True):
        if await _event_id(rt, series_id, event["title"]) is None:
            made = await import_event(rt, document)
            async with rt.sessions() as session, session.begin():
                await session.execute(update(Event).where(Event.id == made.id).values(public=True))
            created += 1
    organiser_created = False
    if await get_user_by_email(rt, ORGANISER_EMAIL) is None:
        await create_user(rt, ORGANISER_EMAIL, ORGANISER_PASSWORD, ORGANISER_NAME, "organiser")
        organiser_created = True
    opening_id = await _event_id(rt, series_id, data["events"][0]["title"])
    assert opening_id is not None
    async with rt.sessions() as session:
        opening = await session.get(Event, opening_id)
        series_slug = await session.scalar(select(Series.slug).where(Series.id == series_id))
    assert opening is not None and series_slug is not None
    return DemoInfo(
        series_id=series_id,
        series_slug=series_slug,
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
    return (await create_series(rt, title, description, public=True)).id


async def _event_id(rt: Runtime, series_id: int, title: str) -> int | None:
    async with rt.sessions() as session:
        return await session.scalar(
            select(Event.id)
            .where(Event.series_id == series_id, Event.title == title)
            .order_by(Event.id)
        )
