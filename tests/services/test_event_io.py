from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import yaml

from podium.domain.errors import RuleViolation
from podium.live.messages import Structure
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog import QuestionInput
from podium.services.event_io import export_event, import_event
from podium.store.tables import Event
from tests.services.catalog_helpers import published, snapshot

SERIES = "Qualitätsarbeit im SGB II – Chancen im Wandel nutzen"


async def seed_event(rt: Runtime) -> Event:
    series = await catalog.create_series(rt, SERIES)
    event = await catalog.create_event(
        rt,
        "Digitales Podium",
        series_id=series.id,
        description="Erste Zeile\nZweite Zeile: mit Doppelpunkt",
        format="Online-Podium",
        starts_at=datetime(2021, 2, 2, 10, 0, tzinfo=timezone(timedelta(hours=1))),
    )
    questions = [
        QuestionInput(
            "multiple",
            "Innensicht: Ihre drei Top-Themen?",
            ["Organisation von Homeoffice", "Führung und Zusammenarbeit auf Distanz", "yes"],
            {"max_choices": 3},
        ),
        QuestionInput("words", "Drei Stichworte für das Jobcenter", [], {"max_words": 3}),
        QuestionInput("scale", "Wie gut?", [], {"min_label": "schlecht", "max_label": "gut"}),
        QuestionInput("text", "Ihr Beitrag zum Podium", [], {}, allow_change=False),
    ]
    for data in questions:
        await catalog.add_question(rt, event.id, data)
    return await catalog.get_event(rt, event.id)


async def test_export_holds_the_definition_and_nothing_secret(runtime: Runtime) -> None:
    event = await seed_event(runtime)
    text = await export_event(runtime, event.slug)
    data = yaml.safe_load(text)
    assert data["series"] == SERIES
    assert data["title"] == "Digitales Podium"
    assert data["description"] == "Erste Zeile\nZweite Zeile: mit Doppelpunkt"
    assert data["starts_at"] == "2021-02-02T09:00:00+00:00"
    assert data["language"] == "de"
    first = data["questions"][0]
    assert first == {
        "kind": "multiple",
        "title": "Innensicht: Ihre drei Top-Themen?",
        "options": ["Organisation von Homeoffice", "Führung und Zusammenarbeit auf Distanz", "yes"],
        "settings": {"max_choices": 3, "percent_base": "respondents"},
        "allow_change": True,
    }
    assert data["questions"][3]["allow_change"] is False
    assert "Führung" in text  # readable, not \u-escaped
    assert "description: |" in text
    for secret in (event.join_code, event.presenter_token, event.slug):
        assert secret not in text


async def test_round_trip_is_lossless_and_reuses_the_series(runtime: Runtime) -> None:
    original = await seed_event(runtime)
    text = await export_event(runtime, original.id)
    messages = published(runtime)
    copy = await import_event(runtime, text)
    assert await export_event(runtime, copy.id) == text
    assert copy.id != original.id
    assert copy.slug != original.slug
    assert copy.join_code != original.join_code
    assert copy.presenter_token != original.presenter_token
    assert copy.series_id == original.series_id
    assert len(await catalog.list_series(runtime)) == 1
    assert [q.title for q in copy.questions] == [q.title for q in original.questions]
    assert messages == [Structure(copy.id)]


async def test_import_creates_a_missing_series(runtime: Runtime) -> None:
    event = await import_event(
        runtime,
        """
series: Neue Reihe
title: Auftakt
starts_at: 2021-03-01T14:00:00+01:00
questions:
  - kind: single
    title: Dabei?
    options: ["Ja", "Nein"]
""",
    )
    assert event.series is not None and event.series.title == "Neue Reihe"
    assert event.starts_at is not None
    assert event.starts_at.replace(tzinfo=UTC) == datetime(2021, 3, 1, 13, 0, tzinfo=UTC)
    assert [o.label for o in event.questions[0].options] == ["Ja", "Nein"]
    assert event.questions[0].allow_change is True


async def test_an_event_without_series_and_questions_imports(runtime: Runtime) -> None:
    event = await import_event(runtime, "title: Nur ein Titel\n")
    assert (event.series_id, event.questions, event.language) == (None, [], "de")
    assert yaml.safe_load(await export_event(runtime, event.id))["series"] is None


@pytest.mark.parametrize(
    ("text", "detail_has"),
    [
        ("title: [unclosed\n", "line 2"),
        ("title: a\n  b: c\n", "line 2"),
        ("- just\n- a list\n", "mapping"),
        ("", "mapping"),
        ("title: T\ncolour: red\n", "colour"),
        ("title: 2021\n", "title"),
        ("title: T\nstarts_at: next tuesday\n", "starts_at"),
        ("title: T\nquestions: {a: 1}\n", "questions"),
        ("title: T\nquestions:\n  - kind: single\n    title: Q\n    options: [yes, no]\n", "quote"),
        ("title: T\nquestions:\n  - kind: text\n    title: Q\n    hint: x\n", "hint"),
        ("title: T\nquestions:\n  - kind: text\n    title: Q\n    allow_change: 1\n", "true"),
        ("podium_event: 2\ntitle: T\n", "version"),
    ],
)
async def test_broken_yaml_is_refused_with_a_detail_and_stores_nothing(
    runtime: Runtime, text: str, detail_has: str
) -> None:
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await import_event(runtime, text)
    assert caught.value.code == "bad_yaml"
    assert detail_has in caught.value.params["detail"]
    assert await snapshot(runtime) == before


async def test_a_broken_question_names_its_number_and_stores_nothing(runtime: Runtime) -> None:
    before = await snapshot(runtime)
    text = """
series: Reihe, die es noch nicht gibt
title: Podium
questions:
  - kind: single
    title: Gut
    options: [A, B]
  - kind: single
    title: Nur eine Option
    options: [A]
"""
    with pytest.raises(RuleViolation) as caught:
        await import_event(runtime, text)
    assert caught.value.code == "too_few_options"
    assert caught.value.params == {"min": 2, "question": 2}
    assert await snapshot(runtime) == before


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("title: Podium\nstarts_at: 2021-02-02T10:00:00\n", "starts_at_without_timezone"),
        ("title: Podium\nlanguage: fr\n", "bad_language"),
        ("title: ''\n", "empty_title"),
        ("description: ohne Titel\n", "empty_title"),
    ],
)
async def test_event_rules_apply_to_imports(runtime: Runtime, text: str, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        await import_event(runtime, text)
    assert caught.value.code == code
    assert (await snapshot(runtime))["events"] == []


async def test_contribution_settings_travel_with_the_event(runtime: Runtime) -> None:
    text = (
        "title: Podium mit Fragen\n"
        "contributions:\n"
        "  moderation: post\n"
        "  open: false\n"
        "  panelists: [Dr. Irene Vorholz, '  Michael   Knapp ']\n"
        "  blocked_words: [Bürokratiemonster]\n"
    )
    event = await import_event(runtime, text)
    exported = yaml.safe_load(await export_event(runtime, event.id))
    assert exported["contributions"] == {
        "open": False,
        "moderation": "post",
        "panelists": ["Dr. Irene Vorholz", "Michael Knapp"],
        "blocked_words": ["Bürokratiemonster"],
        "allowed_words": [],
    }
    with pytest.raises(RuleViolation) as caught:
        await import_event(runtime, "title: X\ncontributions:\n  moderation: sometimes\n")
    assert "contributions.moderation" in caught.value.params["detail"]


async def test_the_comparison_key_travels_and_old_files_have_none(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Mit Schlüssel")
    await catalog.add_question(
        runtime,
        event.id,
        QuestionInput("single", "Kontaktweg?", ["Telefon", "Video"], match_key=" Kontaktweg "),
    )
    await catalog.add_question(runtime, event.id, QuestionInput("single", "Ohne?", ["a", "b"]))
    text = await export_event(runtime, event.id)
    first, second = yaml.safe_load(text)["questions"]
    assert first["match_key"] == "kontaktweg"
    assert "match_key" not in second  # absent, as in files written before there were keys
    copy = await import_event(runtime, text)
    assert [q.match_key for q in copy.questions] == ["kontaktweg", None]
    assert await export_event(runtime, copy.id) == text


async def test_a_bad_comparison_key_in_a_file_names_its_question(runtime: Runtime) -> None:
    text = (
        "title: Falsch\nquestions:\n"
        "  - kind: single\n    title: Frage\n    options: [a, b]\n    match_key: mit leerzeichen\n"
    )
    with pytest.raises(RuleViolation) as exc:
        await import_event(runtime, text)
    assert exc.value.code == "bad_match_key" and exc.value.params["question"] == 1
