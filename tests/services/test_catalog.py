from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from podium.domain.errors import NotAllowed, NotFound, RuleViolation
from podium.live.hub import Message
from podium.services import catalog
from podium.services.catalog import QuestionInput
from podium.services.catalog_common import as_utc
from podium.services.runtime import Runtime
from podium.store.tables import Answer, Base, Event, EventModerator, Participant, User

BERLIN_WINTER = timezone(timedelta(hours=1))
TOPICS = ["Homeoffice", "Führung auf Distanz", "Digitalisierung"]


async def snapshot(rt: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to show that a refused action stored nothing."""
    async with rt.sessions() as session:
        return {
            table.name: sorted(map(tuple, (await session.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


def published(rt: Runtime) -> list[Message]:
    messages: list[Message] = []

    async def record(message: Message) -> None:
        messages.append(message)

    rt.hub.add_listener(record)
    return messages


async def answer(rt: Runtime, question_id: int, value: Any, n: int = 1) -> None:
    """An audience answer, written directly as the answer writer would."""
    question = await catalog.get_question(rt, question_id)
    async with rt.sessions() as session, session.begin():
        participant = Participant(event_id=question.event_id, token_hash=f"{n:064d}")
        session.add(participant)
        await session.flush()
        session.add(
            Answer(
                answer_id=f"answer-{question_id}-{n}",
                question_id=question_id,
                participant_id=participant.id,
                value=value,
            )
        )


def top3(title: str = "Ihre drei Top-Themen?") -> QuestionInput:
    return QuestionInput("multiple", title, list(TOPICS), {"max_choices": 3})


# --- series ---------------------------------------------------------------------------


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
    assert {"type": "structure", "event_id": event.id} in messages


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
    assert messages == [{"type": "structure", "event_id": event.id}]


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


async def test_add_question_appends_with_options_and_complete_settings(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    messages = published(runtime)
    first = await catalog.add_question(runtime, event.id, top3())
    second = await catalog.add_question(
        runtime, event.id, QuestionInput("words", "Drei Stichworte", [], {"max_words": "3"})
    )
    assert [o.label for o in first.options] == TOPICS
    assert first.settings == {"max_choices": 3, "percent_base": "respondents"}
    assert second.settings == {"max_words": 3}
    assert (first.position, second.position) == (0, 1)
    stored = await catalog.get_event(runtime, event.id)
    assert [q.title for q in stored.questions] == ["Ihre drei Top-Themen?", "Drei Stichworte"]
    assert messages == [{"type": "structure", "event_id": event.id}] * 2


async def test_options_are_dropped_for_kinds_without_options(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(
        runtime,
        event.id,
        QuestionInput("scale", "Wie zufrieden?", ["", "x"], {"scale_min": 1, "scale_max": 5}),
    )
    assert question.options == []
    assert question.settings["scale_max"] == 5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (QuestionInput("poll", "T", ["a", "b"], {}), "unknown_kind"),
        (QuestionInput("single", " ", ["a", "b"], {}), "empty_title"),
        (QuestionInput("single", "T", ["a"], {}), "too_few_options"),
        (QuestionInput("single", "T", ["a", "  "], {}), "empty_option"),
        (QuestionInput("single", "T", [f"o{i}" for i in range(31)], {}), "too_many_options"),
        (QuestionInput("multiple", "T", ["a", "b"], {"max_choices": 3}), "bad_max_choices"),
        (QuestionInput("multiple", "T", ["a", "b"], {"max_choices": "drei"}), "bad_setting"),
        (QuestionInput("multiple", "T", ["a", "b"], {"percent_base": "x"}), "bad_setting"),
        (QuestionInput("single", "T", ["a", "b"], {"max_choice": 2}), "unknown_setting"),
        (QuestionInput("scale", "T", [], {"scale_min": 5, "scale_max": 1}), "bad_scale"),
        (QuestionInput("words", "T", [], {"max_words": 11}), "bad_max_words"),
        (QuestionInput("text", "T", [], {"max_length": 0}), "bad_max_length"),
        (QuestionInput("single", "T\x00", ["a", "b"], {}), "control_characters"),
        (QuestionInput("single", "T", ["a", "b\x00"], {}), "control_characters"),
        (QuestionInput("scale", "T", [], {"min_label": "gar\x00nicht"}), "control_characters"),
    ],
)
async def test_bad_question_input_is_refused_and_nothing_changes(
    runtime: Runtime, data: QuestionInput, code: str
) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await catalog.add_question(runtime, event.id, data)
    assert caught.value.code == code
    with pytest.raises(RuleViolation) as caught:
        await catalog.update_question(runtime, question.id, data)
    assert caught.value.code == code
    assert await snapshot(runtime) == before


async def test_question_for_an_unknown_event_or_id_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFound) as caught:
        await catalog.add_question(runtime, 99, top3())
    assert caught.value.code == "unknown_event"
    for action in (
        catalog.get_question(runtime, 99),
        catalog.update_question(runtime, 99, top3()),
        catalog.delete_question(runtime, 99),
        catalog.move_question(runtime, 99, 1),
    ):
        with pytest.raises(NotFound) as caught:
            await action
        assert caught.value.code == "unknown_question"


async def test_update_question_relabels_in_place_adds_and_removes(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    ids = [o.id for o in question.options]

    relabelled = await catalog.update_question(
        runtime,
        question.id,
        QuestionInput("multiple", "Neu", ["Homeoffice", "Führung", "Digitalisierung", "Mehr"], {}),
    )
    assert [o.label for o in relabelled.options] == [
        "Homeoffice",
        "Führung",
        "Digitalisierung",
        "Mehr",
    ]
    assert [o.id for o in relabelled.options[:3]] == ids
    assert relabelled.title == "Neu"
    assert relabelled.settings["max_choices"] == 1  # not given: the default again

    shorter = await catalog.update_question(
        runtime, question.id, QuestionInput("single", "Neu", ["Homeoffice", "Mehr"], {})
    )
    assert [(o.id, o.label) for o in shorter.options] == [
        (ids[0], "Homeoffice"),
        (relabelled.options[3].id, "Mehr"),
    ]
    assert [o.position for o in shorter.options] == [0, 1]
    assert shorter.kind == "single"
    assert len((await snapshot(runtime))["options"]) == 2


async def test_reordering_options_keeps_each_label_with_its_votes(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    by_label = {o.label: o.id for o in question.options}
    await answer(runtime, question.id, [by_label["Homeoffice"]])
    reordered = await catalog.update_question(
        runtime, question.id, QuestionInput("multiple", "T", list(reversed(TOPICS)), {})
    )
    assert [(o.label, o.id) for o in reordered.options] == [
        (label, by_label[label]) for label in reversed(TOPICS)
    ]


async def test_an_answered_question_keeps_its_kind_options_and_scale(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    scale = await catalog.add_question(
        runtime, event.id, QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 5})
    )
    await answer(runtime, question.id, [question.options[1].id], n=1)
    await answer(runtime, scale.id, 4, n=2)
    before = await snapshot(runtime)
    refused = [
        (question.id, QuestionInput("single", "T", list(TOPICS), {})),
        (question.id, QuestionInput("multiple", "T", TOPICS[:2], {"max_choices": 2})),
        (scale.id, QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 3})),
    ]
    for question_id, data in refused:
        with pytest.raises(NotAllowed) as caught:
            await catalog.update_question(runtime, question_id, data)
        assert caught.value.code == "question_has_answers"
    assert await snapshot(runtime) == before

    relabelled = await catalog.update_question(
        runtime,
        question.id,
        QuestionInput("multiple", "Neu", ["Home-Office", *TOPICS[1:], "Neu"], {"max_choices": 2}),
    )
    assert [o.id for o in relabelled.options[:3]] == [o.id for o in question.options]
    assert relabelled.options[0].label == "Home-Office"
    labels = await catalog.update_question(
        runtime,
        scale.id,
        QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 5, "max_label": "sehr"}),
    )
    assert labels.settings["max_label"] == "sehr"


async def test_delete_question_clears_the_current_question_and_renumbers(
    runtime: Runtime,
) -> None:
    event = await catalog.create_event(runtime, "Podium")
    a, b, c = [await catalog.add_question(runtime, event.id, top3(t)) for t in "ABC"]
    await answer(runtime, b.id, [b.options[0].id])
    async with runtime.sessions() as session, session.begin():
        stored = await session.get(Event, event.id)
        assert stored is not None
        stored.current_question_id = b.id
    await catalog.delete_question(runtime, b.id)
    after = await catalog.get_event(runtime, event.id)
    assert after.current_question_id is None
    assert [(q.title, q.position) for q in after.questions] == [("A", 0), ("C", 1)]
    assert (await snapshot(runtime))["answers"] == []
    del a, c


async def test_move_question_within_its_event(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    other = await catalog.create_event(runtime, "Anderes")
    await catalog.add_question(runtime, other.id, top3("X"))
    a, b, c = [await catalog.add_question(runtime, event.id, top3(t)) for t in "ABC"]
    messages = published(runtime)
    await catalog.move_question(runtime, a.id, +1)
    await catalog.move_question(runtime, c.id, -10)
    after = await catalog.get_event(runtime, event.id)
    assert [(q.title, q.position) for q in after.questions] == [("C", 0), ("B", 1), ("A", 2)]
    assert messages == [{"type": "structure", "event_id": event.id}] * 2
    del b
