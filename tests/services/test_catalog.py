"""Series and events: create, edit, reorder, delete; bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from podium.domain.errors import NotFound, RuleViolation
from podium.live.messages import Structure
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog_common import as_utc
from podium.store.tables import EventModerator, User
from tests.services.catalog_helpers import BERLIN_WINTER, answer, published, snapshot, top3


async def test_series_get_slugs_from_their_titles_and_unique_suffixes(runtime: Runtime) -> None:
    first = await catalog.create_series(runtime, "Qualitätsarbeit im SGB II", "Reihe")
    second = await catalog.create_series(runtime, "Qualitätsarbeit im SGB II")
    third = await catalog.create_series(runtime, "  Qualitätsarbeit   im SGB II ")
    assert first.slug == "qualitaetsarbeit-im-sgb-ii"
    assert second.slug == "qualitaetsarbeit-im-sgb-ii-2"
    assert third.slug == "qualitaetsarbeit-im-sgb-ii-3"
    assert third.title == "Qualitätsarbeit im SGB II"
    assert first.description == "Reihe"
    assert [s.id for s in await catalog.list_series(runtime)] == [first.id, second.id, third.id]


async def test_a_numeric_title_never_gives_a_slug_that_looks_like_an_id(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "2021")
    event = await catalog.create_event(runtime, "2021")
    assert series.slug == "series-2021"
    assert event.slug == "event-2021"
    assert (await catalog.get_event(runtime, "event-2021")).id == event.id


async def test_update_series_changes_text_but_keeps_the_published_slug(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Alte Reihe")
    await catalog.update_series(runtime, series.id, "Neue Reihe", "Beschreibung")
    (stored,) = await catalog.list_series(runtime)
    assert (stored.title, stored.description, stored.slug) == (
        "Neue Reihe",
        "Beschreibung",
        "alte-reihe",
    )


@pytest.mark.parametrize(
    ("title", "description", "code"),
    [
        ("   ", "", "empty_title"),
        ("x" * 301, "", "title_too_long"),
        ("Reihe", "x" * 10_001, "description_too_long"),
        # PostgreSQL cannot store U+0000 in text; SQLite could: refused on both alike.
        ("Rei\x00he", "", "control_characters"),
        ("Reihe", "Be\x00schreibung", "control_characters"),
    ],
)
async def test_bad_series_input_is_refused_and_nothing_changes(
    runtime: Runtime, title: str, description: str, code: str
) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await catalog.create_series(runtime, title, description)
    assert caught.value.code == code
    with pytest.raises(RuleViolation) as caught:
        await catalog.update_series(runtime, series.id, title, description)
    assert caught.value.code == code
    assert await snapshot(runtime) == before


async def test_deleting_a_series_keeps_its_events(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    other = await catalog.create_series(runtime, "Andere Reihe")
    event = await catalog.create_event(runtime, "Auftakt", series_id=series.id)
    messages = published(runtime)
    await catalog.delete_series(runtime, series.id)
    assert [s.id for s in await catalog.list_series(runtime)] == [other.id]
    assert (await catalog.list_series(runtime))[0].position == 0
    kept = await catalog.get_event(runtime, event.id)
    assert kept.series_id is None and kept.series is None
    assert Structure(event.id) in messages


async def test_move_series_reorders_and_stops_at_the_ends(runtime: Runtime) -> None:
    a, b, c = [await catalog.create_series(runtime, t) for t in ("A", "B", "C")]

    async def order() -> list[str]:
        return [s.title for s in await catalog.list_series(runtime)]

    await catalog.move_series(runtime, c.id, -1)
    assert await order() == ["A", "C", "B"]
    await catalog.move_series(runtime, a.id, -1)
    assert await order() == ["A", "C", "B"]
    await catalog.move_series(runtime, a.id, +5)
    assert await order() == ["C", "B", "A"]
    assert [s.position for s in await catalog.list_series(runtime)] == [0, 1, 2]
    del b


async def test_unknown_series_ids_are_not_found(runtime: Runtime) -> None:
    for action in (
        catalog.update_series(runtime, 99, "T", ""),
        catalog.delete_series(runtime, 99),
        catalog.move_series(runtime, 99, 1),
    ):
        with pytest.raises(NotFound) as caught:
            await action
        assert caught.value.code == "unknown_series"


# --- events ---------------------------------------------------------------------------


async def test_create_event_gives_codes_and_publishes(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    messages = published(runtime)
    event = await catalog.create_event(
        runtime,
        "Chancen im Wandel nutzen",
        series_id=series.id,
        description="Ein digitales Podium",
        format="Online-Podium",
        starts_at=datetime(2021, 2, 2, 10, 0, tzinfo=BERLIN_WINTER),
        language="de",
    )
    assert event.slug == "chancen-im-wandel-nutzen"
    assert len(event.join_code) == 8 and event.join_code.isdigit()
    assert len(event.presenter_token) >= 32
    assert event.series is not None and event.series.title == "Reihe"
    assert event.questions == []
    # Stored in UTC; SQLite hands it back without the zone, as_utc puts it back.
    assert as_utc(event.starts_at) == datetime(2021, 2, 2, 9, 0, tzinfo=UTC)
    assert messages == [Structure(event.id)]


async def test_events_of_the_same_title_differ_in_slug_code_and_token(runtime: Runtime) -> None:
    a = await catalog.create_event(runtime, "Podium")
    b = await catalog.create_event(runtime, "Podium")
    assert (a.slug, b.slug) == ("podium", "podium-2")
    assert a.join_code != b.join_code
    assert a.presenter_token != b.presenter_token


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title": ""}, "empty_title"),
        ({"series_id": 999}, "unknown_series"),
        ({"starts_at": datetime(2021, 2, 2, 10, 0)}, "starts_at_without_timezone"),
        ({"starts_at": "2021-02-02"}, "bad_starts_at"),
        ({"language": "fr"}, "bad_language"),
        ({"format": "x" * 201}, "format_too_long"),
        ({"title": "Po\x00dium"}, "control_characters"),
        ({"description": "\x00"}, "control_characters"),
        ({"format": "Online\x00"}, "control_characters"),
    ],
)
async def test_bad_event_input_is_refused_and_nothing_changes(
    runtime: Runtime, changes: dict[str, Any], code: str
) -> None:
    event = await catalog.create_event(runtime, "Podium")
    before = await snapshot(runtime)
    fields: dict[str, Any] = {
        "title": "Podium",
        "series_id": None,
        "description": "",
        "format": "",
        "starts_at": None,
        "language": "de",
    }
    fields.update(changes)
    with pytest.raises(RuleViolation) as caught:
        await catalog.create_event(runtime, **fields)
    assert caught.value.code == code
    with pytest.raises(RuleViolation) as caught:
        await catalog.update_event(runtime, event.id, **fields)
    assert caught.value.code == code
    assert await snapshot(runtime) == before


async def test_get_event_by_id_or_slug(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Auftakt")
    for ref in (event.id, str(event.id), " auftakt ", "auftakt"):
        assert (await catalog.get_event(runtime, ref)).id == event.id
    for ref in ("nope", "999", 999):
        with pytest.raises(NotFound) as caught:
            await catalog.get_event(runtime, ref)
        assert caught.value.code == "unknown_event"


async def test_list_events_dated_by_date_then_undated(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    undated = await catalog.create_event(runtime, "Später", series_id=series.id)
    june = await catalog.create_event(
        runtime, "Juni", starts_at=datetime(2021, 6, 1, 10, tzinfo=UTC)
    )
    february = await catalog.create_event(
        runtime, "Februar", series_id=series.id, starts_at=datetime(2021, 2, 2, 10, tzinfo=UTC)
    )
    events = await catalog.list_events(runtime)
    assert [e.id for e in events] == [february.id, june.id, undated.id]
    assert events[0].series is not None and events[0].series.title == "Reihe"


async def test_update_event_keeps_its_links_and_moves_to_the_end_of_a_new_series(
    runtime: Runtime,
) -> None:
    first, second = [await catalog.create_series(runtime, t) for t in ("A", "B")]
    already = await catalog.create_event(runtime, "Schon da", series_id=second.id)
    event = await catalog.create_event(runtime, "Alt", series_id=first.id)
    updated = await catalog.update_event(
        runtime,
        event.id,
        title="Neu",
        series_id=second.id,
        description="Text",
        format="Hybrid",
        starts_at=datetime(2021, 3, 1, 9, tzinfo=UTC),
        language="en",
    )
    assert (updated.title, updated.description, updated.format, updated.language) == (
        "Neu",
        "Text",
        "Hybrid",
        "en",
    )
    assert updated.series is not None and updated.series.id == second.id
    assert updated.position > already.position
    assert (updated.slug, updated.join_code, updated.presenter_token) == (
        event.slug,
        event.join_code,
        event.presenter_token,
    )


async def test_move_event_within_its_series(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    a, b, c = [await catalog.create_event(runtime, t, series_id=series.id) for t in "ABC"]
    await catalog.create_event(runtime, "Ohne Reihe")
    await catalog.move_event(runtime, c.id, -2)

    async def titles() -> list[str]:
        return [e.title for e in await catalog.list_events(runtime) if e.series_id == series.id]

    assert await titles() == ["C", "A", "B"]
    await catalog.move_event(runtime, a.id, +1)
    assert await titles() == ["C", "B", "A"]
    del b


async def test_delete_event_removes_questions_answers_and_assignments(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    await answer(runtime, question.id, [question.options[0].id])
    async with runtime.sessions() as session, session.begin():
        user = User(email="mod@example.org", password_hash="x", role="moderator")
        session.add(user)
        await session.flush()
        session.add(EventModerator(event_id=event.id, user_id=user.id))
    await catalog.delete_event(runtime, event.id)
    after = await snapshot(runtime)
    for table in ("events", "questions", "options", "participants", "answers"):
        assert after[table] == [], table
    assert after["event_moderators"] == []
    assert len(after["users"]) == 1
    with pytest.raises(NotFound):
        await catalog.delete_event(runtime, event.id)


async def test_a_new_presenter_link_revokes_the_old_one(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    old = event.presenter_token
    assert await runtime.live.by_presenter_token(old) is not None
    new = await catalog.new_presenter_token(runtime, event.id)
    assert new != old
    assert await runtime.live.by_presenter_token(old) is None
    live = await runtime.live.by_presenter_token(new)
    assert live is not None and live.id == event.id


# --- questions ------------------------------------------------------------------------
