"""The API for moderators: read and change the live state, with CSRF protection."""

from __future__ import annotations

from podium.services.results import live_state
from tests.web.conftest import Demo, Harness, make_event
from tests.web.test_api import API, JSON, add_moderator, assert_error, csrf, post_live


def flags_of(body: dict, question_id: int) -> tuple[bool, bool, bool]:
    (found,) = [q for q in body["questions"] if q["question_id"] == question_id]
    return found["voting_open"], found["results_on_screen"], found["results_on_devices"]


def test_live_state_starts_on_the_welcome_screen(harness: Harness, demo: Demo) -> None:
    harness.login()
    response = harness.client.get(f"{API}/events/{demo.event.slug}/live")
    assert response.status_code == 200
    body = response.json()
    assert body["event_id"] == demo.event.id
    assert body["current_question_id"] is None and body["current"] is None
    assert [q["question_id"] for q in body["questions"]] == [
        demo.top3,
        demo.single,
        demo.scale,
        demo.words,
        demo.text,
    ]
    assert all(flags_of(body, q["question_id"]) == (False,) * 3 for q in body["questions"])


def test_run_an_event_through_the_api(harness: Harness, demo: Demo) -> None:
    harness.login()
    token = csrf(harness)
    ref = demo.event.id
    shown = post_live(harness, ref, {"current_question_id": demo.top3}, token)
    assert shown.status_code == 200
    assert shown.json()["current_question_id"] == demo.top3
    assert shown.json()["current"]["voting_open"] is False

    opened = post_live(
        harness,
        ref,
        {"question_id": demo.top3, "voting_open": True, "results_on_screen": True},
        token,
    ).json()
    assert opened["current"] == {
        "question_id": demo.top3,
        "voting_open": True,
        "results_on_screen": True,
        "results_on_devices": False,
    }
    # flags without a question id apply to the current question
    closed = post_live(harness, ref, {"voting_open": False, "results_on_devices": True}, token)
    assert flags_of(closed.json(), demo.top3) == (False, True, True)
    # show another question and open it in one request
    both = post_live(
        harness, demo.event.slug, {"current_question_id": demo.scale, "voting_open": True}, token
    ).json()
    assert both["current_question_id"] == demo.scale
    assert flags_of(both, demo.scale) == (True, False, False)
    assert flags_of(both, demo.top3) == (False, True, True)
    # what GET says, what the participants see, what is stored: all the same
    assert harness.client.get(f"{API}/events/{ref}/live").json() == both
    joined = harness.client.get(f"{API}/join/{demo.event.join_code}").json()
    assert (joined["question"]["id"], joined["question"]["voting_open"]) == (demo.scale, True)
    stored = harness.run(live_state, harness.rt, demo.event.id)
    assert stored.current_question_id == demo.scale
    # back to the welcome screen
    welcome = post_live(harness, ref, {"current_question_id": None}, token).json()
    assert welcome["current_question_id"] is None and welcome["current"] is None
    assert harness.client.get(f"{API}/join/{demo.event.join_code}").json()["question"] is None


def test_empty_body_changes_nothing(harness: Harness, demo: Demo) -> None:
    harness.login()
    before = harness.client.get(f"{API}/events/{demo.event.id}/live").json()
    response = post_live(harness, demo.event.id, {}, csrf(harness))
    assert response.status_code == 200
    assert response.json() == before


def test_csrf_header_is_required(harness: Harness, demo: Demo) -> None:
    harness.login()
    before = harness.client.get(f"{API}/events/{demo.event.id}/live").json()
    body = {"current_question_id": demo.top3}
    assert_error(post_live(harness, demo.event.id, body), 403, "csrf")
    assert_error(post_live(harness, demo.event.id, body, "wrong-token"), 403, "csrf")
    assert harness.client.get(f"{API}/events/{demo.event.id}/live").json() == before


def test_cross_origin_post_is_refused(harness: Harness, demo: Demo) -> None:
    harness.login()
    response = harness.client.post(
        f"{API}/events/{demo.event.id}/live",
        json={"current_question_id": demo.top3},
        headers={"X-CSRF-Token": csrf(harness), "Origin": "https://evil.example"},
    )
    assert response.status_code == 403  # by the same-origin check, before the API
    assert harness.run(live_state, harness.rt, demo.event.id).current_question_id is None


def test_bad_live_changes_change_nothing(harness: Harness, demo: Demo) -> None:
    other = harness.run(make_event, harness.rt)
    harness.login()
    token = csrf(harness)
    ref = demo.event.id
    before = harness.client.get(f"{API}/events/{ref}/live").json()
    cases = [
        ({"current_question_id": other.top3}, 404, "unknown_question"),
        ({"question_id": other.top3, "voting_open": True}, 404, "unknown_question"),
        # a valid current question with a wrong flag target: not even the first part
        (
            {"current_question_id": demo.top3, "question_id": 999999, "voting_open": True},
            404,
            "unknown_question",
        ),
        ({"voting_open": True}, 404, "unknown_question"),  # no question is current
        ({"voting_open": "yes"}, 422, "bad_request"),
        ({"voting_open": 1}, 422, "bad_request"),
        ({"current_question_id": "3"}, 422, "bad_request"),
        ({"current_question": demo.top3}, 422, "bad_request"),  # a typo is not ignored
        ([demo.top3], 422, "bad_request"),
    ]
    for body, status, code in cases:
        assert_error(post_live(harness, ref, body, token), status, code)
    broken = harness.client.post(
        f"{API}/events/{ref}/live",
        content=b'{"current_question_id": ',
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert_error(broken, 422, "bad_request")
    assert harness.client.get(f"{API}/events/{ref}/live").json() == before
    assert_error(post_live(harness, 999999, {}, token), 404, "unknown_event")


def test_assigned_moderator_runs_the_event(harness: Harness, demo: Demo) -> None:
    add_moderator(harness, "mod@example.org", demo.event.id)
    harness.login("mod@example.org")
    assert harness.client.get(f"{API}/events/{demo.event.id}/live").status_code == 200
    response = post_live(harness, demo.event.id, {"current_question_id": demo.top3}, csrf(harness))
    assert response.status_code == 200
    assert response.json()["current_question_id"] == demo.top3


def test_other_moderators_are_refused(harness: Harness, demo: Demo) -> None:
    add_moderator(harness, "other@example.org")
    harness.login("other@example.org")
    token = csrf(harness)
    for ref in (demo.event.id, demo.event.slug, 999999):
        assert_error(harness.client.get(f"{API}/events/{ref}/live"), 403, "forbidden")
        body = {"current_question_id": demo.top3}
        assert_error(post_live(harness, ref, body, token), 403, "forbidden")
    assert harness.run(live_state, harness.rt, demo.event.id).current_question_id is None


def test_error_body_is_a_code_and_a_message(harness: Harness, demo: Demo) -> None:
    english = harness.client.get(f"{API}/events", headers={**JSON, "Accept-Language": "en"})
    assert english.json()["error"] == "login_required"
    harness.login()
    response = harness.client.post(
        f"{API}/events/{demo.event.id}/live",
        json={"current_question_id": demo.top3},
        headers={"Accept-Language": "en"},
    )
    assert response.json() == {
        "error": "csrf",
        "message": "The form has expired. Please reload the page and try again.",
    }
