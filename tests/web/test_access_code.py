"""An event's participant access code: the organiser sets it, the screen shows it,
a participant types it once, and whoever has only the link stays out."""

from __future__ import annotations

import uuid

from podium.services import catalog, live_control
from podium.services.catalog_questions import QuestionInput, add_question
from tests.web.conftest import Harness
from tests.web.organiser_helpers import Admin, admin

__all__ = ["admin"]
JSON = {"Accept": "application/json", "Accept-Language": "en"}


def event_with_code(admin: Admin, code: str = "Blau 42") -> tuple[int, str, int]:
    """(event id, join code, open question id), made through the organiser's form."""
    event_id = admin.new_event("Bürgerforum", access_code=code)
    h = admin.h
    form = admin.get(f"/admin/events/{event_id}/edit").text
    assert f'value="{code}"' in form
    page = admin.get(f"/admin/events/{event_id}").text
    assert f'<dt>Participant access code</dt><dd class="organiser-code">{code}</dd>' in page
    question = h.run(add_question, h.rt, event_id, QuestionInput("scale", "Wie zufrieden?", [], {}))
    h.run(live_control.go_live, h.rt, event_id, question.id)
    event = h.run(catalog.get_event, h.rt, event_id)
    return event_id, event.join_code, question.id


def vote(h: Harness, code: str, question_id: int, path: str = "/p/{code}/answer"):
    return h.client.post(
        path.format(code=code),
        json={"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": 3},
        headers=JSON,
    )


def test_a_participant_types_the_code_once_then_takes_part(admin: Admin) -> None:
    h = admin.h
    event_id, code, question_id = event_with_code(admin)
    h.client.cookies.clear()  # a participant's phone
    page = h.client.get(f"/p/{code}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "This event asks for an access code." in page.text
    assert "Wie zufrieden?" not in page.text
    assert vote(h, code, question_id).json()["error"] == "access_code_required"
    h.client.cookies.clear()
    wrong = h.client.post(
        f"/p/{code}/access", data={"access_code": "Blau 43"}, headers={"Accept-Language": "en"}
    )
    assert wrong.status_code == 400
    assert "This access code is not right." in wrong.text
    right = h.client.post(
        f"/p/{code}/access", data={"access_code": "  blau 42 "}, follow_redirects=False
    )
    assert right.status_code == 303 and right.headers["location"] == f"/p/{code}"
    assert {"podium_p", f"podium_a{event_id}"} <= set(right.cookies.keys())
    assert "Wie zufrieden?" in h.client.get(f"/p/{code}").text
    answered = vote(h, code, question_id)
    assert answered.status_code == 200, answered.text


def test_whoever_has_only_the_link_stays_out_everywhere(admin: Admin) -> None:
    h = admin.h
    _event_id, code, question_id = event_with_code(admin)
    h.client.cookies.clear()
    h.client.get(f"/p/{code}")  # no token issued by the form page
    api = h.client.get(f"/api/v1/join/{code}", headers=JSON)
    assert api.status_code == 403
    assert api.json() == {
        "error": "access_code_required",
        "message": "This event needs its access code. Please reload the page and enter it.",
    }
    issued = h.client.cookies.get("podium_p")  # the API's join issued one, not admitted
    assert issued is None or vote(h, code, question_id).status_code == 403
    assert h.client.get(f"/p/{code}/stream").status_code == 403
    contribution = h.client.post(f"/p/{code}/contributions", json={"text": "Frage"}, headers=JSON)
    assert contribution.status_code == 403
    listed = h.client.get(f"/api/v1/p/{code}/contributions", headers=JSON)
    assert listed.status_code == 403


def test_an_api_client_gives_the_code_with_its_join(admin: Admin) -> None:
    h = admin.h
    _event_id, code, question_id = event_with_code(admin)
    h.client.cookies.clear()
    wrong = h.client.get(f"/api/v1/join/{code}?access_code=rot", headers=JSON)
    assert wrong.status_code == 403 and wrong.json()["error"] == "wrong_access_code"
    joined = h.client.get(f"/api/v1/join/{code}?access_code=Blau%2042", headers=JSON)
    assert joined.status_code == 200, joined.text
    assert joined.json()["question"]["title"] == "Wie zufrieden?"
    api_vote = vote(h, code, question_id, "/api/v1/join/{code}/answers")
    assert api_vote.status_code == 200, api_vote.text


def test_the_screen_shows_the_code_and_a_new_code_needs_typing_again(admin: Admin) -> None:
    h = admin.h
    event_id, code, question_id = event_with_code(admin)
    event = h.run(catalog.get_event, h.rt, event_id)
    screen = h.client.get(f"/present/{event.presenter_token}")
    assert '<p class="join-code access-code">Blau 42</p>' in screen.text
    csrf = admin.token
    cookies = dict(h.client.cookies)
    h.client.cookies.clear()
    h.client.post(f"/p/{code}/access", data={"access_code": "Blau 42"})
    assert vote(h, code, question_id).status_code == 200
    participant = dict(h.client.cookies)
    h.client.cookies.clear()
    h.client.cookies.update(cookies)
    changed = h.client.post(
        f"/admin/events/{event_id}/edit",
        data={"csrf": csrf, "title": "Bürgerforum", "language": "de", "access_code": "Rot 7"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    h.client.cookies.clear()
    h.client.cookies.update(participant)
    refused = vote(h, code, question_id)
    assert refused.status_code == 403 and refused.json()["error"] == "access_code_required"
    assert (
        "This event asks for an access code."
        in h.client.get(f"/p/{code}", headers={"Accept-Language": "en"}).text
    )
    h.client.cookies.clear()
    h.client.cookies.update(cookies)
    cleared = h.client.post(
        f"/admin/events/{event_id}/edit",
        data={"csrf": csrf, "title": "Bürgerforum", "language": "de", "access_code": ""},
        follow_redirects=False,
    )
    assert cleared.status_code == 303
    assert "access-code" not in h.client.get(f"/present/{event.presenter_token}").text
    h.client.cookies.clear()
    h.client.cookies.update(participant)
    assert vote(h, code, question_id).status_code == 200  # no code: the join code is enough


def test_wrong_access_codes_count_like_wrong_join_codes(admin: Admin) -> None:
    h = admin.h
    _event_id, code, _question_id = event_with_code(admin)
    h.client.cookies.clear()
    for _ in range(30):
        assert h.client.post(f"/p/{code}/access", data={"access_code": "x"}).status_code == 400
    refused = h.client.post(f"/p/{code}/access", data={"access_code": "Blau 42"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_the_organiser_is_told_a_code_that_is_too_long(admin: Admin) -> None:
    response = admin.post(
        "/admin/events/new",
        {"title": "Zu lang", "series_id": "", "language": "de", "access_code": "x" * 65},
    )
    assert response.status_code == 422
    assert "The access code may have at most 64 characters." in response.text
    assert 'aria-invalid="true"' in response.text
