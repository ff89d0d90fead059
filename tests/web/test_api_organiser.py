"""The API for organisers: who may call it, events with questions, results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.services import live_control
from podium.services.catalog import create_series, update_event
from tests.web.conftest import Demo, Harness
from tests.web.test_api import API, add_moderator, assert_error, go_live, new_participant, vote

ORGANISER_PATHS = ("/events", "/events/{id}", "/events/{slug}", "/events/{id}/results")


def paths(demo: Demo) -> list[str]:
    return [API + p.format(id=demo.event.id, slug=demo.event.slug) for p in ORGANISER_PATHS]


def test_anonymous_callers_are_told_to_sign_in(harness: Harness, demo: Demo) -> None:
    for path in [*paths(demo), f"{API}/events/{demo.event.id}/live"]:
        assert_error(harness.client.get(path), 401, "login_required")
    assert_error(
        harness.client.post(f"{API}/events/{demo.event.id}/live", json={}), 401, "login_required"
    )


def test_moderators_may_not_read_the_organisers_data(harness: Harness, demo: Demo) -> None:
    add_moderator(harness, "mod@example.org", demo.event.id)
    harness.login("mod@example.org")
    for path in paths(demo):
        assert_error(harness.client.get(path), 403, "forbidden")


def test_list_events(harness: Harness, demo: Demo) -> None:
    series = harness.run(create_series, harness.rt, "Qualitätsarbeit im SGB II")
    harness.run(
        update_event,
        harness.rt,
        demo.event.id,
        title="Digitales Podium",
        series_id=series.id,
        description="",
        format="Online-Podium",
        starts_at=datetime(2021, 2, 2, 10, 0, tzinfo=UTC),
        language="de",
    )
    harness.login()
    response = harness.client.get(f"{API}/events")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": demo.event.id,
            "slug": "digitales-podium",
            "title": "Digitales Podium",
            "series": {"id": series.id, "slug": series.slug, "title": "Qualitätsarbeit im SGB II"},
            "format": "Online-Podium",
            "starts_at": "2021-02-02T10:00:00Z",
            "language": "de",
            "join_code": demo.event.join_code,
        }
    ]


@pytest.mark.parametrize("by", ["id", "slug"])
def test_event_with_its_questions_by_id_or_slug(harness: Harness, demo: Demo, by: str) -> None:
    harness.login()
    ref = demo.event.id if by == "id" else demo.event.slug
    response = harness.client.get(f"{API}/events/{ref}")
    assert response.status_code == 200
    event = response.json()
    assert event["id"] == demo.event.id
    assert event["series"] is None and event["starts_at"] is None
    assert event["join_url"].endswith(f"/p/{demo.event.join_code}")
    assert event["current_question_id"] is None
    questions = event["questions"]
    assert [q["id"] for q in questions] == [
        demo.top3,
        demo.single,
        demo.scale,
        demo.words,
        demo.text,
    ]
    assert [q["position"] for q in questions] == [0, 1, 2, 3, 4]
    assert [q["kind"] for q in questions] == ["multiple", "single", "scale", "words", "text"]
    top3 = questions[0]
    assert top3["title"] == "Ihre drei Top-Themen?"
    assert top3["options"] == [
        {"id": i, "label": label}
        for i, label in zip(
            demo.option_ids[demo.top3], ["Homeoffice", "Führung", "Beratung", "Zugang"], strict=True
        )
    ]
    assert top3["settings"]["max_choices"] == 3
    assert top3["settings"]["percent_base"] == "respondents"
    assert top3["settings"]["max_length"] is None
    assert (top3["allow_change"], top3["voting_open"]) == (True, False)
    assert (top3["results_on_screen"], top3["results_on_devices"]) == (False, False)
    assert questions[1]["allow_change"] is False
    assert questions[2]["options"] == []
    assert (questions[2]["settings"]["scale_min"], questions[2]["settings"]["scale_max"]) == (1, 5)
    assert questions[3]["settings"]["max_words"] == 3
    assert questions[4]["settings"]["max_length"] == 100


@pytest.mark.parametrize("ref", ["999999", "no-such-event", "99999999999999999999"])
def test_unknown_event_is_404(harness: Harness, demo: Demo, ref: str) -> None:
    harness.login()
    for suffix in ("", "/results", "/live"):
        assert_error(harness.client.get(f"{API}/events/{ref}{suffix}"), 404, "unknown_event")


def test_results_before_any_vote_are_zero(harness: Harness, demo: Demo) -> None:
    harness.login()
    response = harness.client.get(f"{API}/events/{demo.event.slug}/results")
    assert response.status_code == 200
    body = response.json()
    assert (body["event_id"], body["slug"]) == (demo.event.id, demo.event.slug)
    results = {q["id"]: q["result"] for q in body["questions"]}
    assert results[demo.top3]["respondents"] == 0
    assert [o["percent"] for o in results[demo.top3]["options"]] == [0.0] * 4
    assert results[demo.scale]["mean"] is None
    assert results[demo.words]["words"] == []
    assert results[demo.text]["texts"] == []


def test_results_after_votes(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    a, b, c, _ = demo.option_ids[demo.top3]
    go_live(harness, demo, demo.top3)
    for question in (demo.scale, demo.words, demo.text):
        harness.run(
            live_control.set_flags,
            harness.rt,
            demo.event.id,
            question,
            voting_open=True,
        )
    votes = [
        ([a, b], 2, ["Digitalisierung", "Vertrauen"], "Mehr Videoberatung"),
        ([a, b], 4, ["digitalisierung "], "Erreichbarkeit"),
        ([c], 5, ["DIGITALISIERUNG", "Zugang"], "Weniger Papier"),
    ]
    for choices, scale, words, text in votes:
        new_participant(harness)
        for question, value in (
            (demo.top3, choices),
            (demo.scale, scale),
            (demo.words, words),
            (demo.text, text),
        ):
            assert vote(harness, code, question, value).status_code == 200
    harness.login()
    body = harness.client.get(f"{API}/events/{demo.event.id}/results").json()
    results = {q["id"]: q for q in body["questions"]}

    top3 = results[demo.top3]["result"]
    assert top3["kind"] == "multiple"
    assert (top3["respondents"], top3["answers"], top3["percent_base"]) == (3, 5, "respondents")
    assert [o["count"] for o in top3["options"]] == [2, 2, 1, 0]
    assert [o["whole_percent"] for o in top3["options"]] == [67, 67, 33, 0]
    assert top3["options"][0]["percent"] == pytest.approx(200 / 3)
    assert top3["options"][0]["label"] == "Homeoffice"
    assert results[demo.top3]["voting_open"] is True  # the question's fields come along

    scale = results[demo.scale]["result"]
    assert scale["respondents"] == 3
    assert scale["mean"] == pytest.approx(11 / 3)
    assert [(s["value"], s["count"], s["whole_percent"]) for s in scale["steps"]] == [
        (1, 0, 0),
        (2, 1, 33),
        (3, 0, 0),
        (4, 1, 33),
        (5, 1, 33),
    ]

    words = results[demo.words]["result"]
    assert words["respondents"] == 3
    assert words["words"][0]["count"] == 3
    assert words["words"][0]["word"].casefold() == "digitalisierung"
    assert sorted(words["words"][0]["spellings"]) == [
        "DIGITALISIERUNG",
        "Digitalisierung",
        "digitalisierung",
    ]
    assert {(w["word"], w["count"]) for w in words["words"][1:]} == {
        ("Vertrauen", 1),
        ("Zugang", 1),
    }

    texts = results[demo.text]["result"]
    assert texts == {
        "kind": "text",
        "respondents": 3,
        "texts": ["Weniger Papier", "Erreichbarkeit", "Mehr Videoberatung"],
    }
    single = results[demo.single]["result"]
    assert (single["kind"], single["respondents"], single["answers"]) == ("single", 0, 0)
