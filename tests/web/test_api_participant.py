"""The API for participants: join by code, answer; every bad input is a clear 4xx
with a code and a message, and stores nothing."""

from __future__ import annotations

import uuid

import pytest

from podium.services import live_control
from tests.web.conftest import Demo, Harness, make_event
from tests.web.test_api import API, answer_count, assert_error, go_live, new_participant, vote


def test_join_before_the_first_question(harness: Harness, demo: Demo) -> None:
    response = harness.client.get(f"{API}/join/{demo.event.join_code}")
    assert response.status_code == 200
    assert response.json() == {
        "event": {
            "title": "Digitales Podium",
            "format": "",
            "starts_at": None,
            "language": "de",
            "join_code": demo.event.join_code,
        },
        "question": None,
        "your_answer": None,
    }
    assert "podium_p" in response.cookies
    assert response.headers["cache-control"] == "no-store"


def test_join_shows_the_current_question_without_results(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    code = demo.event.join_code
    question = harness.client.get(f"{API}/join/{code[:4]}-{code[4:]}").json()["question"]
    assert question["id"] == demo.top3
    assert question["kind"] == "multiple"
    assert [o["id"] for o in question["options"]] == demo.option_ids[demo.top3]
    assert question["settings"]["max_choices"] == 3
    assert (question["voting_open"], question["allow_change"]) == (True, True)
    assert question["results_on_devices"] is False
    assert question["results"] is None
    assert "results_on_screen" not in question


def test_join_shows_results_and_my_answer_when_shown_on_devices(
    harness: Harness, demo: Demo
) -> None:
    go_live(harness, demo, demo.top3)
    code = demo.event.join_code
    a, b, *_ = demo.option_ids[demo.top3]
    assert vote(harness, code, demo.top3, [b, a]).status_code == 200
    harness.run(
        live_control.set_flags, harness.rt, demo.event.id, demo.top3, results_on_devices=True
    )
    body = harness.client.get(f"{API}/join/{code}").json()
    assert body["your_answer"] == [a, b]
    results = body["question"]["results"]
    assert results["kind"] == "multiple"
    assert results["respondents"] == 1
    assert [o["whole_percent"] for o in results["options"]] == [100, 100, 0, 0]
    new_participant(harness)
    assert harness.client.get(f"{API}/join/{code}").json()["your_answer"] is None


@pytest.mark.parametrize(
    ("code", "error"), [("99999999", "unknown_code"), ("abc", "bad_join_code")]
)
def test_join_with_an_unknown_code(harness: Harness, demo: Demo, code: str, error: str) -> None:
    assert_error(harness.client.get(f"{API}/join/{code}"), 404, error)


def test_answer_then_change_then_retry(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    code = demo.event.join_code
    a, b, c, _ = demo.option_ids[demo.top3]
    first = vote(harness, code, demo.top3, [b, a])
    assert first.status_code == 200
    body = first.json()
    assert body["status"] == "received"
    assert (body["outcome"], body["question_id"], body["value"]) == ("created", demo.top3, [a, b])
    assert body["message"]
    answer_id = str(uuid.uuid4())
    changed = vote(harness, code, demo.top3, c, answer_id)
    assert (changed.json()["outcome"], changed.json()["value"]) == ("changed", [c])
    retried = vote(harness, code, demo.top3, [c], answer_id)
    assert retried.status_code == 200
    assert retried.json()["outcome"] == "repeated"
    tally = harness.rt.live.loaded(demo.event.id).tallies[demo.top3].result()
    assert tally.respondents == 1
    assert [o.count for o in tally.options] == [0, 0, 1, 0]


def test_first_answer_sets_the_participant_cookie(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    response = vote(harness, demo.event.join_code, demo.top3, [demo.option_ids[demo.top3][0]])
    assert response.status_code == 200
    assert "podium_p" in response.cookies


def test_every_kind_of_answer(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    for question in (demo.single, demo.scale, demo.words, demo.text):
        harness.run(live_control.set_flags, harness.rt, demo.event.id, question, voting_open=True)
    yes = demo.option_ids[demo.single][0]
    cases = [
        (demo.single, str(yes), [yes]),
        (demo.scale, 4, 4),
        (demo.words, [" Digital ", "digital", "Vertrauen"], ["Digital", "Vertrauen"]),
        (demo.text, "  Mehr Videoberatung ", "Mehr Videoberatung"),
    ]
    for question, sent, stored in cases:
        response = vote(harness, code, question, sent)
        assert response.status_code == 200, response.text
        assert response.json()["value"] == stored
    assert answer_count(harness) == 4


def test_bad_answers_are_4xx_and_store_nothing(harness: Harness, demo: Demo) -> None:
    other = harness.run(make_event, harness.rt)
    go_live(harness, demo, demo.top3)
    harness.run(live_control.go_live, harness.rt, other.event.id, other.top3)
    harness.run(live_control.set_flags, harness.rt, demo.event.id, demo.text, voting_open=True)
    code = demo.event.join_code
    a, b, c, d = demo.option_ids[demo.top3]
    yes = demo.option_ids[demo.single][0]
    reused = str(uuid.uuid4())
    assert vote(harness, code, demo.top3, [a], reused).status_code == 200
    stored = answer_count(harness)
    cases = [
        (vote(harness, "99999999", demo.top3, [a]), 404, "unknown_code"),
        (vote(harness, code, demo.scale, 3), 409, "voting_closed"),
        (vote(harness, code, demo.top3, [a, b, c, d]), 422, "too_many_choices"),
        (vote(harness, code, demo.top3, [yes]), 422, "unknown_option"),
        (vote(harness, code, demo.top3, []), 422, "no_choice"),
        (
            vote(harness, code, other.top3, [other.option_ids[other.top3][0]]),
            404,
            "unknown_question",
        ),
        (vote(harness, code, 999999, [a]), 404, "unknown_question"),
        (vote(harness, code, demo.text, "   "), 422, "empty_text"),
        (vote(harness, code, demo.text, "x" * 101), 422, "text_too_long"),
        (vote(harness, code, demo.text, "bell\x07"), 422, "control_characters"),
        (vote(harness, code, demo.text, "Was für eine Scheiße"), 422, "answer_blocked"),
        (vote(harness, code, demo.top3, [b], reused), 409, "answer_id_reused"),
        (vote(harness, code, demo.top3, [a], "short"), 422, "bad_answer_id"),
        (vote(harness, code, demo.top3, ["x"]), 422, "malformed"),
    ]
    for response, status, error in cases:
        assert_error(response, status, error)
    assert answer_count(harness) == stored


WRONG_TYPES: list[object] = [
    {"question_id": "QID-AS-TEXT", "answer_id": "ANSWER-ID-1", "value": ["A"]},
    {"question_id": "QID", "answer_id": 12345678, "value": ["A"]},
    {"question_id": 1.5, "answer_id": "ANSWER-ID-1", "value": ["A"]},
    {"question_id": "QID", "answer_id": "ANSWER-ID-1", "value": True},
    {"question_id": "QID", "answer_id": "ANSWER-ID-1", "value": {"x": 1}},
    {"question_id": "QID", "answer_id": "ANSWER-ID-1", "value": None},
    {"question_id": "QID", "answer_id": "ANSWER-ID-1", "value": [["A"]]},
    {"question_id": "QID", "answer_id": "ANSWER-ID-1"},  # no value
    {"question_id": "QID", "answer_id": "ANSWER-ID-1", "value": ["A"], "extra": 1},
    ["QID", "ANSWER-ID-1", ["A"]],
    "vote",
]


def test_wrong_types_are_bad_requests(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    option = demo.option_ids[demo.top3][0]

    def fill(value: object) -> object:
        if value == "QID":
            return demo.top3
        if value == "QID-AS-TEXT":
            return str(demo.top3)
        if value == ["A"]:
            return [option]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    for body in WRONG_TYPES:
        response = harness.client.post(
            f"{API}/join/{demo.event.join_code}/answers", json=fill(body)
        )
        assert_error(response, 422, "bad_request")
    assert answer_count(harness) == 0


def test_unreadable_bodies_are_bad_requests(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    bodies = [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"question_id=1&answer_id=abcdefgh&value=1", "application/x-www-form-urlencoded"),
        (b'{"question_id": 1}', "text/plain"),
    ]
    for content, content_type in bodies:
        response = harness.client.post(
            f"{API}/join/{demo.event.join_code}/answers",
            content=content,
            headers={"Content-Type": content_type},
        )
        assert_error(response, 422, "bad_request")
    assert answer_count(harness) == 0


def test_a_refused_first_answer_still_sets_the_cookie(harness: Harness, demo: Demo) -> None:
    """The participant row may be made before the answer is refused: the browser
    keeps its token, so that no second row is made for the same person."""
    go_live(harness, demo, demo.top3)
    a = demo.option_ids[demo.top3][0]
    taken = str(uuid.uuid4())
    assert vote(harness, demo.event.join_code, demo.top3, [a], taken).status_code == 200
    new_participant(harness)
    response = vote(harness, demo.event.join_code, demo.top3, [a, a + 1], taken)
    assert_error(response, 409, "answer_id_reused")
    assert "podium_p" in response.cookies


def test_answer_once_when_changing_is_not_allowed(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.single)
    yes, no = demo.option_ids[demo.single]
    assert vote(harness, demo.event.join_code, demo.single, yes).status_code == 200
    assert_error(vote(harness, demo.event.join_code, demo.single, no), 409, "already_answered")
    assert answer_count(harness) == 1


def test_closed_voting_after_the_moderator_closes_it(harness: Harness, demo: Demo) -> None:
    go_live(harness, demo, demo.top3)
    harness.run(live_control.set_flags, harness.rt, demo.event.id, demo.top3, voting_open=False)
    joined = harness.client.get(f"{API}/join/{demo.event.join_code}").json()
    assert joined["question"]["voting_open"] is False
    response = vote(harness, demo.event.join_code, demo.top3, [demo.option_ids[demo.top3][0]])
    assert_error(response, 409, "voting_closed")
    assert answer_count(harness) == 0
