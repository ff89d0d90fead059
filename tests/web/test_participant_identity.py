"""Participant tokens are issued by podium and signed: a client cannot make one up."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from podium.domain.participant_token import derive_key, issue, verify
from podium.services import live_control
from podium.store.tables import Answer, Participant
from tests.web.conftest import Demo, Harness

KEY = derive_key("test-secret-key-that-is-long-enough", "participant-token")
JSON = {"Accept": "application/json"}


def count(h: Harness, table: type) -> int:
    async def run() -> int:
        async with h.rt.sessions() as session:
            return await session.scalar(select(func.count()).select_from(table)) or 0

    return h.run(run)


def answer(h: Harness, demo: Demo, token: str | None, lang: str = "de"):
    h.client.cookies.clear()
    headers = {**JSON, "Accept-Language": lang}
    if token is not None:
        headers["Cookie"] = f"podium_p={token}"
    return h.client.post(
        f"/p/{demo.event.join_code}/answer",
        json={"question_id": demo.scale, "answer_id": str(uuid.uuid4()), "value": 3},
        headers=headers,
    )


def open_single(h: Harness, demo: Demo) -> None:
    h.run(live_control.go_live, h.rt, demo.event.id, demo.scale)


def test_the_page_issues_a_signed_token_that_answers(harness: Harness, demo: Demo) -> None:
    open_single(harness, demo)
    page = harness.client.get(f"/p/{demo.event.join_code}")
    token = page.cookies["podium_p"]
    assert verify(KEY, token) and len(token) == 49
    reply = answer(harness, demo, token)
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "received"
    assert count(harness, Participant) == 1


def test_fifty_invented_tokens_give_no_respondent(harness: Harness, demo: Demo) -> None:
    open_single(harness, demo)
    invented = [uuid.uuid4().hex for _ in range(25)] + ["x" * 32 + "." + "y" * 16] * 25
    replies = [answer(harness, demo, token) for token in invented]
    assert {r.status_code for r in replies} == {403}
    assert replies[0].json()["error"] == "participant_token_invalid"
    assert "Bitte laden Sie die Seite neu" in replies[0].json()["message"]
    assert count(harness, Participant) == 0 and count(harness, Answer) == 0


def test_an_altered_token_is_refused_in_the_participants_language(
    harness: Harness, demo: Demo
) -> None:
    open_single(harness, demo)
    token = issue(KEY)
    altered = token[:5] + ("a" if token[5] != "a" else "b") + token[6:]
    reply = answer(harness, demo, altered, lang="en")
    assert reply.status_code == 403
    assert reply.json() == {
        "error": "participant_token_invalid",
        "message": "Your browser's participant identity is not valid here. Please reload the page.",
    }
    assert answer(harness, demo, token).status_code == 200  # the token as issued


def test_an_old_unsigned_cookie_gets_a_fresh_token_on_the_next_page(
    harness: Harness, demo: Demo
) -> None:
    open_single(harness, demo)
    old = "a" * 32  # as podium handed them out before tokens were signed
    assert answer(harness, demo, old).status_code == 403
    harness.client.cookies.clear()
    page = harness.client.get(f"/p/{demo.event.join_code}", headers={"Cookie": f"podium_p={old}"})
    fresh = page.cookies["podium_p"]
    assert fresh != old and verify(KEY, fresh)
    assert answer(harness, demo, fresh).status_code == 200


def test_every_participant_path_refuses_a_made_up_token(harness: Harness, demo: Demo) -> None:
    open_single(harness, demo)
    code = demo.event.join_code
    cookie = {"Cookie": "podium_p=" + "z" * 40}
    harness.client.cookies.clear()
    form = harness.client.post(
        f"/p/{code}/answer",
        data={"question_id": demo.scale, "answer_id": str(uuid.uuid4()), "value": "3"},
        headers=cookie,
    )
    assert form.status_code == 403 and "Seite neu" in form.text
    api = harness.client.post(
        f"/api/v1/join/{code}/answers",
        json={"question_id": demo.scale, "answer_id": str(uuid.uuid4()), "value": 3},
        headers=cookie,
    )
    assert api.status_code == 403 and api.json()["error"] == "participant_token_invalid"
    contribution = harness.client.post(
        f"/p/{code}/contributions", json={"text": "Eine Frage"}, headers={**cookie, **JSON}
    )
    assert contribution.status_code == 403
    assert count(harness, Participant) == 0 and count(harness, Answer) == 0


def test_a_client_without_cookie_gets_one_issued_with_its_first_answer(
    harness: Harness, demo: Demo
) -> None:
    open_single(harness, demo)
    reply = answer(harness, demo, None)
    assert reply.status_code == 200
    assert verify(KEY, reply.cookies["podium_p"])
