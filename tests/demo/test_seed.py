"""The seed as the demo: the article's series and events, created once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from podium.demo.seed import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    ensure_demo,
    event_documents,
    open_polls,
    seed_data,
)
from podium.runtime import Runtime
from podium.services.accounts import authenticate
from podium.services.catalog import get_event, get_series
from podium.services.catalog_common import as_utc
from podium.services.event_io import export_event
from podium.services.series_page import series_page
from podium.store.tables import Event, Question, QuestionOption, Series, User

pytestmark = pytest.mark.sqlite_only  # the demo tests the product, not the store

SERIES = "Qualitätsarbeit im SGB II – Chancen im Wandel nutzen"
INWARD = (
    "Was waren in den letzten Monaten Ihre drei TOP-Themen bezüglich "
    "„Wandel bei einem Blick nach innen“?"
)
OUTWARD = (
    "Was waren in den letzten Monaten Ihre drei TOP-Themen bezüglich "
    "„Wandel bei einem Blick nach außen“?"
)


async def counts(rt: Runtime) -> dict[str, int]:
    async with rt.sessions() as session:
        return {
            table.__name__: await session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Series, Event, Question, QuestionOption, User)
        }


async def test_ensure_demo_twice_creates_everything_once(runtime: Runtime) -> None:
    first = await ensure_demo(runtime)
    after_first = await counts(runtime)
    second = await ensure_demo(runtime)
    assert await counts(runtime) == after_first
    assert after_first == {
        "Series": 1,
        "Event": 4,
        "Question": 8,  # the second event asks the opening's "nach außen" again
        "QuestionOption": 7 + 7 + 7 + 4,
        "User": 1,
    }
    assert (first.created_events, first.organiser_created) == (4, True)
    assert (second.created_events, second.organiser_created) == (0, False)
    assert (second.event_id, second.join_code, second.presenter_token) == (
        first.event_id,
        first.join_code,
        first.presenter_token,
    )
    assert await authenticate(runtime, ORGANISER_EMAIL, ORGANISER_PASSWORD) is not None


async def test_the_opening_event_is_the_articles(runtime: Runtime) -> None:
    info = await ensure_demo(runtime)
    event = await get_event(runtime, info.event_id)
    assert event.slug == info.slug
    assert event.series is not None and event.series.title == SERIES
    assert event.title == "Auftakt: Chancen im Wandel nutzen"
    assert event.format == "Online-Podiumsdiskussion"
    assert event.language == "de"
    assert as_utc(event.starts_at) == datetime(2021, 2, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    inward, outward, words, text = event.questions
    assert (inward.kind, inward.title) == ("multiple", INWARD)
    assert inward.settings == {"max_choices": 3, "percent_base": "respondents"}
    labels = [o.label for o in inward.options]
    assert labels[:2] == ["Organisation von Homeoffice", "Führung und Zusammenarbeit auf Distanz"]
    assert (outward.kind, outward.title) == ("multiple", OUTWARD)
    assert outward.settings["max_choices"] == 3
    labels = [o.label for o in outward.options]
    assert labels[:2] == ["Änderungen bei der Beratung", "Änderungen bei den Zugangskanälen"]
    assert words.kind == "words" and words.settings == {"max_words": 3}
    assert words.title.startswith("Welche drei Schlagworte fallen Ihnen ein")
    assert (text.kind, text.title, text.settings) == (
        "text",
        "Ihre Wortmeldung an das Podium",
        {"max_length": 500},
    )


async def test_the_series_has_its_description_and_three_upcoming_events(
    runtime: Runtime,
) -> None:
    made_on = date(2026, 12, 3)
    info = await ensure_demo(runtime, today=made_on)
    series = await get_series(runtime, info.series_id)
    assert "Jobcenter" in series.description
    assert series.description.strip() == seed_data()["series"]["description"].strip()
    later = [e for e in series.events if e.id != info.event_id]
    assert len(later) == 3
    # in the coming months of the day the demo is made, at 10:00 in Berlin (CET)
    dates = sorted(as_utc(e.starts_at) for e in later)
    assert dates == [
        datetime(2026, 12, 31, 9, 0, tzinfo=UTC),
        datetime(2027, 1, 28, 9, 0, tzinfo=UTC),
        datetime(2027, 2, 25, 9, 0, tzinfo=UTC),
    ]


async def test_the_series_page_shows_the_three_upcoming_events(runtime: Runtime) -> None:
    info = await ensure_demo(runtime)
    page = await series_page(runtime, info.series_slug)
    assert page.title == SERIES
    assert len(page.upcoming) == 3
    assert all(e.join_code is None for e in page.upcoming)  # until the organiser shows it
    assert [e.id for e in page.past] == [info.event_id]  # the opening keeps its 2021 date


async def test_each_seed_event_is_an_importable_event_file(runtime: Runtime) -> None:
    """seed.yaml's events are in the format of `podium event import`, unchanged by a
    round trip through the database."""
    info = await ensure_demo(runtime)
    exported = await export_event(runtime, info.event_id)
    assert "Organisation von Homeoffice" in exported
    assert len(event_documents()) == 4


async def test_open_polls_opens_every_question_and_shows_the_first(runtime: Runtime) -> None:
    info = await ensure_demo(runtime)
    ids = await open_polls(runtime, info.event_id)
    event = await get_event(runtime, info.event_id)
    assert ids == [q.id for q in event.questions]
    assert event.current_question_id == ids[0]
    assert all(q.voting_open for q in event.questions)
