"""The series page's reading and the calendar version: on both backends, what the
public sees follows the organiser's marks, and an edit of title, time or
cancellation raises the event's ICS sequence (other edits do not)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from podium.domain.errors import NotFound
from podium.domain.publication import Publication
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog_common import as_utc
from podium.services.publication import publish
from podium.services.series_page import series_page
from podium.settings import Settings

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def rt(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def edit(rt: Runtime, event_id: int, **changes: object) -> int:
    event = await catalog.get_event(rt, event_id)
    fields: dict[str, object] = {
        "title": event.title,
        "series_id": event.series_id,
        "description": event.description,
        "format": event.format,
        "starts_at": as_utc(event.starts_at),
        "language": event.language,
    }
    fields.update(changes)
    return (await catalog.update_event(rt, event_id, **fields)).ics_sequence  # type: ignore[arg-type]


async def test_sequence_rises_with_title_time_and_cancellation(rt: Runtime) -> None:
    start = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    event = await catalog.create_event(rt, "Auftakt", starts_at=start)
    assert event.ics_sequence == 0
    assert await edit(rt, event.id, description="Neu", format="Online") == 0
    assert await edit(rt, event.id, public=True, join_link_public=True) == 0
    assert await edit(rt, event.id, title="Auftakt (verschoben)") == 1
    assert await edit(rt, event.id, starts_at=start + timedelta(days=7)) == 2
    assert await edit(rt, event.id, starts_at=start + timedelta(days=7)) == 2
    assert await edit(rt, event.id, cancelled=True) == 3
    assert await edit(rt, event.id) == 3  # cancelled stays cancelled when not given
    assert (await catalog.get_event(rt, event.id)).cancelled


async def test_page_lists_only_public_events_of_a_public_series(rt: Runtime) -> None:
    series = await catalog.create_series(rt, "Digitale Reihe", "Vier Termine")
    with pytest.raises(NotFound):
        await series_page(rt, series.slug, now=NOW)
    kwargs = {"series_id": series.id}
    past = await catalog.create_event(
        rt, "Auftakt", starts_at=NOW - timedelta(days=30), public=True, **kwargs
    )
    soon = await catalog.create_event(
        rt,
        "Zweite",
        starts_at=NOW + timedelta(days=7),
        public=True,
        join_link_public=True,
        **kwargs,
    )
    await catalog.create_event(rt, "Geheim", starts_at=NOW + timedelta(days=8), **kwargs)
    off = await catalog.create_event(
        rt,
        "Dritte",
        starts_at=NOW + timedelta(days=9),
        public=True,
        cancelled=True,
        join_link_public=True,
        **kwargs,
    )
    preview = await series_page(rt, series.slug, preview=True, now=NOW)
    assert [e.title for e in preview.upcoming] == ["Zweite", "Dritte"]
    await catalog.update_series(rt, series.id, series.title, series.description, public=True)
    page = await series_page(rt, series.slug, now=NOW)
    assert [e.title for e in page.upcoming] == ["Zweite", "Dritte"]
    assert [e.title for e in page.past] == ["Auftakt"]
    by_id = {e.id: e for e in page.events}
    assert by_id[soon.id].join_code == soon.join_code
    assert by_id[off.id].join_code is None and by_id[off.id].cancelled
    assert by_id[past.id].join_code is None and by_id[past.id].results_token is None
    published = await publish(rt, past.id, Publication())
    page = await series_page(rt, series.slug, now=NOW)
    assert page.event(past.slug).results_token == published.token
    with pytest.raises(NotFound):
        page.event("geheim")
