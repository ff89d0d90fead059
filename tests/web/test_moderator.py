"""The moderator's pages: where they land, what they may run, the language of the screen."""

from __future__ import annotations

from podium.services import accounts, live_control
from podium.services.catalog_events import create_event
from tests.web.conftest import PASSWORD, Demo, Harness


def test_a_moderator_lands_on_the_events_assigned_to_them(harness: Harness, demo: Demo) -> None:
    other = harness.run(create_event, harness.rt, "Nicht meine Veranstaltung")
    harness.run(accounts.create_user, harness.rt, "mod@example.org", PASSWORD, role="moderator")
    harness.run(accounts.assign_moderator, harness.rt, demo.event.id, "mod@example.org")
    page = harness.client.get("/login")
    from tests.web.conftest import csrf_of

    response = harness.client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "email": "mod@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/moderate"
    landing = harness.client.get("/moderate", headers={"Accept-Language": "en"})
    assert landing.status_code == 200
    assert demo.event.title in landing.text
    assert other.title not in landing.text
    assert harness.client.get(f"/moderate/{demo.event.id}").status_code == 200
    assert harness.client.get(f"/moderate/{other.id}").status_code == 403


def test_the_presenter_screen_speaks_the_event_language(harness: Harness, demo: Demo) -> None:
    english = harness.run(create_event, harness.rt, "Digital panel", language="en")
    german_screen = harness.client.get(
        f"/present/{demo.event.presenter_token}", headers={"Accept-Language": "en"}
    )
    english_screen = harness.client.get(
        f"/present/{english.presenter_token}", headers={"Accept-Language": "de"}
    )
    assert '<html lang="de">' in german_screen.text
    assert "Code" in german_screen.text and "Teilnehmen unter" in german_screen.text
    assert '<html lang="en">' in english_screen.text
    assert "Join at" in english_screen.text


def test_participants_get_the_event_language_when_the_browser_states_none(
    harness: Harness, demo: Demo
) -> None:
    english = harness.run(create_event, harness.rt, "Digital panel", language="en")
    page = harness.client.get(f"/p/{english.join_code}", headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in page.text
    page = harness.client.get(f"/p/{english.join_code}", headers={"Accept-Language": "de"})
    assert '<html lang="de">' in page.text


def test_showing_the_next_question_closes_voting_on_the_one_before(
    harness: Harness, demo: Demo
) -> None:
    harness.run(live_control.go_live, harness.rt, demo.event.id, demo.top3)
    harness.run(live_control.go_live, harness.rt, demo.event.id, demo.scale)
    live = harness.run(harness.rt.live.get, demo.event.id)
    assert live is not None
    assert live.current_question_id == demo.scale
    assert live.questions[demo.scale].voting_open
    assert not live.questions[demo.top3].voting_open
