"""A participant joins with the code and answers; every bad input is a clear 4xx."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from podium.services import live_control, moderation
from podium.store.tables import Answer
from tests.web.conftest import Demo, Harness


def open_question(h: Harness, demo: Demo, question_id: int) -> None:
    h.run(live_control.go_live, h.rt, demo.event.id, question_id)


def answer_count(h: Harness) -> int:
    async def count() -> int:
        async with h.rt.sessions() as session:
            return await session.scalar(select(func.count()).select_from(Answer)) or 0

    return h.run(count)


def vote_json(
    h: Harness, demo: Demo, question_id: int, value: object, answer_id: str | None = None
):
    return h.client.post(
        f"/p/{demo.event.join_code}/answer",
        json={
            "question_id": question_id,
            "answer_id": answer_id or str(uuid.uuid4()),
            "value": value,
        },
        headers={"Accept": "application/json"},
    )


def test_join_with_the_code_as_typed(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    response = harness.client.post(
        "/join", data={"code": f"{code[:4]} {code[4:]}"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/p/{code}"
    page = harness.client.get(f"/p/{code}")
    assert page.status_code == 200
    assert "Digitales Podium" in page.text
    assert "podium_p" in page.cookies


def test_unknown_or_malformed_code_says_so_in_german(harness: Harness, demo: Demo) -> None:
    headers = {"Accept-Language": "de-DE,de;q=0.9"}
    wrong = harness.client.post("/join", data={"code": "9999 9999"}, headers=headers)
    assert wrong.status_code == 404
    assert "Keine Veranstaltung" in wrong.text or "keine Veranstaltung" in wrong.text
    junk = harness.client.post("/join", data={"code": "abc"}, headers=headers)
    assert junk.status_code == 400


def test_a_nul_character_in_a_code_or_token_is_a_404(harness: Harness, demo: Demo) -> None:
    """PostgreSQL refuses U+0000 even in a query: such a link finds nothing, on every backend."""
    code, token = demo.event.join_code, demo.event.presenter_token
    for path in (f"/p/{code}%00", f"/p/{code}%00/stream", f"/present/{token}%00"):
        assert harness.client.get(path).status_code == 404, path
    answer = {"question_id": demo.single, "answer_id": str(uuid.uuid4()), "value": 1}
    assert harness.client.post(f"/p/{code}%00/answer", json=answer).status_code == 404


def test_vote_without_javascript_then_see_it_received(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.top3)
    code = demo.event.join_code
    page = harness.client.get(f"/p/{code}")
    assert "Ihre drei Top-Themen?" in page.text
    first, second = demo.option_ids[demo.top3][:2]
    response = harness.client.post(
        f"/p/{code}/answer",
        data={
            "question_id": str(demo.top3),
            "answer_id": str(uuid.uuid4()),
            "choice": [str(first), str(second)],
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert 'role="status"' in response.text
    assert "Antwort erhalten" in response.text or "Answer received" in response.text
    assert f'value="{first}" checked' in response.text
    assert answer_count(harness) == 1


def test_change_answer_while_open_counts_once(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.top3)
    a, b, c, _ = demo.option_ids[demo.top3]
    assert vote_json(harness, demo, demo.top3, [a, b]).json()["outcome"] == "created"
    assert vote_json(harness, demo, demo.top3, [c]).json()["outcome"] == "changed"
    tally = harness.rt.live.loaded(demo.event.id).tallies[demo.top3].result()
    assert tally.respondents == 1
    assert [o.count for o in tally.options] == [0, 0, 1, 0]


def test_retry_with_the_same_answer_id_counts_once(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.top3)
    a = demo.option_ids[demo.top3][0]
    answer_id = str(uuid.uuid4())
    assert vote_json(harness, demo, demo.top3, [a], answer_id).status_code == 200
    again = vote_json(harness, demo, demo.top3, [a], answer_id)
    assert again.status_code == 200
    assert again.json()["outcome"] == "repeated"
    assert answer_count(harness) == 1


def test_bad_inputs_are_4xx_and_store_nothing(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.top3)
    a, b, c, d = demo.option_ids[demo.top3]
    other_question_option = demo.option_ids[demo.single][0]
    reused = str(uuid.uuid4())
    assert vote_json(harness, demo, demo.top3, [a], reused).status_code == 200
    stored = answer_count(harness)
    cases = {
        "too_many_choices": vote_json(harness, demo, demo.top3, [a, b, c, d]),
        "unknown_option": vote_json(harness, demo, demo.top3, [other_question_option]),
        "voting_closed": vote_json(harness, demo, demo.scale, 3),
        "unknown_question": vote_json(harness, demo, 999999, [a]),
        "answer_id_reused": vote_json(harness, demo, demo.top3, [b], reused),
        "malformed": vote_json(harness, demo, demo.top3, {"x": 1}),
    }
    for code, response in cases.items():
        assert 400 <= response.status_code < 500, (code, response.status_code)
        assert response.json()["error"] == code
        assert response.json()["message"]
    body = harness.client.post(
        f"/p/{demo.event.join_code}/answer",
        content=b"{not json",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert body.status_code == 422
    assert answer_count(harness) == stored


def test_text_and_words_validation_messages(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.text)
    harness.run(live_control.set_flags, harness.rt, demo.event.id, demo.words, voting_open=True)
    assert vote_json(harness, demo, demo.text, "   ").json()["error"] == "empty_text"
    assert vote_json(harness, demo, demo.text, "x" * 101).json()["error"] == "text_too_long"
    assert vote_json(harness, demo, demo.words, ["a1", "b1", "c1", "d1"]).json()["error"] == (
        "too_many_words"
    )
    assert vote_json(harness, demo, demo.text, "Mehr Videoberatung").status_code == 200


def test_a_blocked_word_never_reaches_the_screen(harness: Harness, demo: Demo) -> None:
    """Word clouds and open text go on the shared screen as typed: the event's
    blocklist (the built-in one, its own additions and exceptions) refuses them first."""
    open_question(harness, demo, demo.words)
    stored = answer_count(harness)
    for typed in (["Homeoffice", "Sch3isse"], ["A r s c h l o c h"]):
        refused = vote_json(harness, demo, demo.words, typed)
        assert refused.status_code == 422
        body = refused.json()
        assert body["error"] == "answer_blocked"
        assert body["message"].startswith("Bitte formulieren Sie Ihre Antwort um")
    assert answer_count(harness) == stored
    live = harness.run(harness.rt.live.get, demo.event.id)
    assert live.tallies[demo.words].result().words == ()
    harness.run(moderation.configure, harness.rt, demo.event.id, blocked_words=["Quatsch"])
    assert vote_json(harness, demo, demo.words, ["Quatsch"]).json()["error"] == "answer_blocked"
    harness.run(moderation.configure, harness.rt, demo.event.id, allowed_words=["Arsch*"])
    assert vote_json(harness, demo, demo.words, ["Arschbombe"]).status_code == 200


def test_answer_to_a_question_of_another_event_is_refused(harness: Harness, demo: Demo) -> None:
    from tests.web.conftest import make_event

    other = harness.run(make_event, harness.rt)
    open_question(harness, demo, demo.top3)
    h_other_q = other.top3
    harness.run(live_control.go_live, harness.rt, other.event.id, h_other_q)
    response = vote_json(harness, demo, h_other_q, [other.option_ids[h_other_q][0]])
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_question"


def test_answer_once_when_changing_is_not_allowed(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.single)
    yes, no = demo.option_ids[demo.single]
    assert vote_json(harness, demo, demo.single, [yes]).status_code == 200
    second = vote_json(harness, demo, demo.single, [no])
    assert second.status_code == 409
    assert second.json()["error"] == "already_answered"
    page = harness.client.get(f"/p/{demo.event.join_code}")
    assert "disabled" in page.text


def test_participants_get_no_session_cookie(harness: Harness, demo: Demo) -> None:
    """Anonymous means anonymous: only the random participant token, nothing else."""
    open_question(harness, demo, demo.top3)
    harness.client.cookies.clear()
    page = harness.client.get(f"/p/{demo.event.join_code}")
    assert set(page.cookies.keys()) == {"podium_p"}
    vote = vote_json(harness, demo, demo.top3, [demo.option_ids[demo.top3][0]])
    assert vote.status_code == 200
    assert "podium_session" not in vote.cookies


def test_an_oversized_answer_is_refused_unread(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.text)
    harness.client.get(f"/p/{demo.event.join_code}")  # the participant cookie
    body = b'{"question_id": %d, "answer_id": "%s", "value": "%s"}' % (
        demo.text,
        str(uuid.uuid4()).encode(),
        b"x" * 100_000,
    )
    response = harness.client.post(
        f"/p/{demo.event.join_code}/answer",
        content=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["message"] == "Die Antwort ist zu lang, um gesendet zu werden."
    assert response.headers["content-language"] == "de"
    assert answer_count(harness) == 0


def test_the_first_answer_of_a_new_browser_gets_its_cookie(harness: Harness, demo: Demo) -> None:
    """An answer without the participant cookie (the page was cached, or the API is
    used directly) is stored under a new token, which the response hands out."""
    open_question(harness, demo, demo.scale)
    harness.client.cookies.clear()
    first = vote_json(harness, demo, demo.scale, 2)
    assert first.status_code == 200 and "podium_p" in first.cookies
    again = vote_json(harness, demo, demo.scale, 4)  # the same browser, now with its cookie
    assert again.json()["outcome"] == "changed"
    assert answer_count(harness) == 2


def test_answers_carry_the_security_headers(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.scale)
    harness.client.get(f"/p/{demo.event.join_code}")
    response = vote_json(harness, demo, demo.scale, 3)
    assert response.status_code == 200
    assert response.json()["message"] == "Antwort erhalten. Vielen Dank!"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_a_cross_origin_answer_is_refused(harness: Harness, demo: Demo) -> None:
    open_question(harness, demo, demo.scale)
    harness.client.get(f"/p/{demo.event.join_code}")
    response = harness.client.post(
        f"/p/{demo.event.join_code}/answer",
        json={"question_id": demo.scale, "answer_id": str(uuid.uuid4()), "value": 3},
        headers={"Accept": "application/json", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert answer_count(harness) == 0


def test_an_unexpected_failure_is_a_500_in_the_users_language(
    harness: Harness, demo: Demo, monkeypatch
) -> None:
    from podium.web import hot_path

    async def broken(*args: object) -> None:
        raise RuntimeError("the disk is on fire")

    open_question(harness, demo, demo.scale)
    harness.client.get(f"/p/{demo.event.join_code}")
    monkeypatch.setattr(hot_path, "submit_answer", broken)
    response = vote_json(harness, demo, demo.scale, 3)
    assert response.status_code == 500
    assert response.json()["message"].startswith("Auf dem Server ist ein Fehler aufgetreten")
