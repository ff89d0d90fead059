"""A participant writes to the panel and upvotes, with and without JavaScript: under
pre-moderation a contribution is shown to its author only (waiting) until a moderator
approves it; every bad input is a 4xx with the message in German and stores nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select

from podium import i18n
from podium.services import contributions, moderation
from podium.store.tables import Contribution
from podium.web.messages import message
from podium.web.static_files import tree_version
from tests.web.conftest import Demo, Harness

QUESTION = "Wie geht es mit der Videoberatung weiter?"
JSON = {"Accept": "application/json"}


def german(text: str, **params: Any) -> str:
    """A string as the German page or API shows it (translated or not, yet)."""
    token = i18n.current_lang.set("de")
    try:
        return i18n.gettext(text, **params)
    finally:
        i18n.current_lang.reset(token)


def german_message(code: str, **params: Any) -> str:
    token = i18n.current_lang.set("de")
    try:
        return message(code, params)
    finally:
        i18n.current_lang.reset(token)


def configure(h: Harness, demo: Demo, **settings: Any) -> None:
    h.run(moderation.configure, h.rt, demo.event.id, **settings)


def approve(h: Harness, demo: Demo, contribution_id: int) -> None:
    h.run(moderation.act, h.rt, demo.event.id, contribution_id, "approve", None)


def stored(h: Harness) -> int:
    async def count() -> int:
        async with h.rt.sessions() as session:
            return await session.scalar(select(func.count()).select_from(Contribution)) or 0

    return h.run(count)


def send(h: Harness, demo: Demo, text: str, **fields: Any):
    return h.client.post(
        f"/p/{demo.event.join_code}/contributions", json={"text": text, **fields}, headers=JSON
    )


def listed(h: Harness, demo: Demo) -> dict[str, Any]:
    response = h.client.get(f"/api/v1/p/{demo.event.join_code}/contributions")
    assert response.status_code == 200
    return response.json()


def page(h: Harness, demo: Demo, query: str = "") -> str:
    response = h.client.get(f"/p/{demo.event.join_code}{query}")
    assert response.status_code == 200
    return response.text


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """The board re-reads after the hub's message, on the app's loop: wait for it."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the board did not catch up"
        time.sleep(0.02)


@contextmanager
def someone_else(h: Harness) -> Iterator[None]:
    """Another participant: the same client without the participant's cookie."""
    saved = dict(h.client.cookies)
    h.client.cookies.clear()
    try:
        yield
    finally:
        h.client.cookies.clear()
        for name, value in saved.items():
            h.client.cookies.set(name, value)


def form_tag(html: str, css_class: str) -> str:
    found = re.search(rf'<form[^>]*class="{css_class}"[^>]*>', html)
    assert found, f"no form.{css_class} on the page"
    return found.group(0)


def item_html(html: str, contribution_id: int) -> str:
    found = re.search(rf'<li[^>]*id="contribution-{contribution_id}".*?</li>', html, re.S)
    assert found, f"contribution {contribution_id} is not listed"
    return found.group(0)


def test_the_page_offers_the_form(harness: Harness, demo: Demo) -> None:
    html = page(harness, demo)
    assert 'id="contributions"' in html
    assert f'<link rel="stylesheet" href="/static/{tree_version()}/css/contributions.css">' in html
    form = form_tag(html, "contribution-form")
    assert f'action="/p/{demo.event.join_code}/contributions"' in form
    assert "hidden" not in form
    assert re.search(r'<textarea[^>]*name="text"[^>]*maxlength="300"[^>]*required', html)
    assert 'name="name"' in html
    assert 'name="panelist"' not in html  # no panelists: nobody to choose
    assert german("Without a name, your contribution is anonymous.") in html
    assert 'role="status"' in html
    assert 'aria-pressed="true">' in html  # the sort buttons: "Top" is the default
    assert german("No contributions shown yet.") in html

    configure(harness, demo, panelists=["Dr. Anna Berg", "Tom Ilić"])
    html = page(harness, demo)
    assert '<select id="contribution-panelist" name="panelist">' in html
    assert '<option value="">' + german("to everyone") + "</option>" in html
    assert '<option value="Tom Ilić">Tom Ilić</option>' in html


def test_a_pending_contribution_is_shown_to_its_author_only(harness: Harness, demo: Demo) -> None:
    code, token = demo.event.join_code, demo.event.presenter_token
    configure(harness, demo, screen_mode="contributions")
    page(harness, demo)  # the participant's cookie
    response = send(harness, demo, QUESTION)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "ok"
    assert data["message"] == german(
        "Thank you! Your contribution is shown once a moderator has approved it."
    )
    item = data["contribution"]
    assert (item["text"], item["state"], item["mine"], item["votes"]) == (
        QUESTION,
        "pending",
        True,
        0,
    )

    mine = item_html(page(harness, demo), item["id"])
    assert "pending" in mine and QUESTION in mine
    assert german("Waiting for approval") in mine
    assert "/vote" not in mine  # nobody upvotes what is not shown
    own = listed(harness, demo)
    assert own["contributions"] == []
    assert [i["id"] for i in own["mine"]] == [item["id"]]

    with someone_else(harness):
        assert QUESTION not in page(harness, demo)
        theirs = listed(harness, demo)
        assert theirs["contributions"] == [] and theirs["mine"] == []
    assert QUESTION not in harness.client.get(f"/present/{token}").text

    approve(harness, demo, item["id"])
    with someone_else(harness):
        eventually(lambda: QUESTION in page(harness, demo))
        shown = item_html(page(harness, demo), item["id"])
        assert "pending" not in shown and "/vote" in shown
        assert [i["text"] for i in listed(harness, demo)["contributions"]] == [QUESTION]
    assert QUESTION in harness.client.get(f"/present/{token}").text
    mine = item_html(page(harness, demo), item["id"])
    assert "pending" not in mine
    assert german("Your contribution") in mine
    assert f'action="/p/{code}/contributions/{item["id"]}/vote"' in mine


def test_post_moderation_shows_it_at_once(harness: Harness, demo: Demo) -> None:
    configure(harness, demo, moderation="post", panelists=["Dr. Anna Berg"])
    response = send(harness, demo, QUESTION, name="Karin", panelist="dr. anna berg")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["message"] == german("Thank you! Your contribution is shown.")
    assert data["contribution"]["state"] == "approved"
    assert data["contribution"]["panelist"] == "Dr. Anna Berg"
    with someone_else(harness):
        eventually(lambda: QUESTION in page(harness, demo))
        shown = item_html(page(harness, demo), data["contribution"]["id"])
        assert "Karin" in shown
        assert german("to %(name)s", name="Dr. Anna Berg") in shown


def test_without_javascript_the_form_sends_and_says_it_waits(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    page(harness, demo)
    response = harness.client.post(
        f"/p/{code}/contributions",
        data={"text": QUESTION, "name": "", "panelist": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/p/{code}?contributed=1#contributions"
    html = harness.client.get(response.headers["location"]).text
    status = re.search(r'<p id="contribution-status"[^>]*>(.*?)</p>', html, re.S)
    assert status
    assert status.group(1).strip() == german(
        "Thank you! Your contribution is shown once a moderator has approved it."
    )
    (item,) = harness.run(contributions.all_items, harness.rt, demo.event.id)
    assert item.name is None  # anonymous unless a name is given
    assert german("Waiting for approval") in item_html(html, item.id)


def test_upvote_with_and_without_javascript_counts_once(harness: Harness, demo: Demo) -> None:
    code = demo.event.join_code
    configure(harness, demo, moderation="post")
    with someone_else(harness):
        cid = send(harness, demo, QUESTION).json()["contribution"]["id"]
    eventually(lambda: QUESTION in page(harness, demo))
    vote_path = f"/p/{code}/contributions/{cid}/vote"

    by_form = harness.client.post(vote_path, data={"up": "1"}, follow_redirects=False)
    assert by_form.status_code == 303
    assert by_form.headers["location"] == f"/p/{code}#contribution-{cid}"
    by_json = harness.client.post(vote_path, json={"up": True}, headers=JSON)
    assert by_json.status_code == 200
    assert by_json.json() == {"status": "ok", "votes": 1, "voted": True}
    assert harness.run(contributions.counted_votes, harness.rt, cid) == 1
    assert listed(harness, demo)["voted"] == [cid]
    eventually(lambda: 'data-votes="1"' in item_html(page(harness, demo), cid))
    mine = item_html(page(harness, demo), cid)
    assert 'aria-pressed="true"' in mine
    assert '<input type="hidden" name="up" value="0">' in mine  # the form takes it back

    with someone_else(harness):
        assert 'aria-pressed="false"' in item_html(page(harness, demo), cid)  # not theirs
        other = harness.client.post(vote_path, json={"up": True}, headers=JSON)
        assert other.json()["votes"] == 2

    back = harness.client.post(vote_path, data={"up": "0"}, follow_redirects=False)
    assert back.status_code == 303
    assert harness.run(contributions.counted_votes, harness.rt, cid) == 1
    again = harness.client.post(vote_path, json={"up": False}, headers=JSON)
    assert again.json() == {"status": "ok", "votes": 1, "voted": False}


def test_a_pending_contribution_cannot_be_upvoted(harness: Harness, demo: Demo) -> None:
    cid = send(harness, demo, QUESTION).json()["contribution"]["id"]
    with someone_else(harness):
        response = harness.client.post(
            f"/p/{demo.event.join_code}/contributions/{cid}/vote", json={"up": True}, headers=JSON
        )
    assert response.status_code == 409
    assert response.json()["error"] == "contribution_not_votable"
    assert harness.run(contributions.counted_votes, harness.rt, cid) == 0


def test_bad_contributions_are_refused_in_german_and_store_nothing(
    harness: Harness, demo: Demo
) -> None:
    configure(harness, demo, panelists=["Dr. Anna Berg"])
    assert send(harness, demo, QUESTION).status_code == 200
    before = stored(harness)
    cases = {
        "empty_contribution": (send(harness, demo, "  \n "), {}),
        "contribution_too_long": (send(harness, demo, "x" * 301), {"max": 300}),
        "contribution_blocked": (send(harness, demo, "Das ist doch alles Scheiße hier"), {}),
        "duplicate_contribution": (send(harness, demo, QUESTION.upper()), {}),
        "unknown_panelist": (send(harness, demo, "Eine andere Frage", panelist="Niemand"), {}),
    }
    for code, (response, params) in cases.items():
        assert 400 <= response.status_code < 500, (code, response.status_code)
        body = response.json()
        assert body["error"] == code
        if code == "contribution_blocked":  # names the entry of the list that matched
            assert body["message"].startswith(german_message(code, words="").split("(")[0])
        else:
            assert body["message"] == german_message(code, **params)
    assert cases["empty_contribution"][0].json()["message"] == (
        "Bitte geben Sie zuerst einen Text ein."
    )
    assert stored(harness) == before

    configure(harness, demo, contributions_open=False)
    closed = send(harness, demo, "Noch eine ganz neue Frage an alle")
    assert closed.status_code == 409
    assert closed.json() == {
        "error": "contributions_closed",
        "message": german_message("contributions_closed"),
    }
    without_script = harness.client.post(
        f"/p/{demo.event.join_code}/contributions", data={"text": "Noch eine Frage, ohne Skript"}
    )
    assert without_script.status_code == 409
    assert german_message("contributions_closed") in without_script.text
    assert stored(harness) == before


def test_a_closed_event_shows_no_form(harness: Harness, demo: Demo) -> None:
    configure(harness, demo, contributions_open=False)
    html = page(harness, demo)
    assert re.search(r'<section id="contributions"[^>]*\shidden>', html)  # nothing to show
    assert "hidden" in form_tag(html, "contribution-form")
    closed = re.search(r'<p class="closed-note contribution-closed"\s*>(.*?)</p>', html)
    assert closed and closed.group(1) == german_message("contributions_closed")


def test_closed_but_with_contributions_keeps_the_list(harness: Harness, demo: Demo) -> None:
    configure(harness, demo, moderation="post")
    cid = send(harness, demo, QUESTION).json()["contribution"]["id"]
    configure(harness, demo, contributions_open=False)
    eventually(lambda: QUESTION in page(harness, demo))
    html = page(harness, demo)
    assert re.search(r'<section id="contributions"[^>]*"\s*>', html)  # shown, not hidden
    assert "hidden" in form_tag(html, "contribution-form")
    assert f"/contributions/{cid}/vote" in item_html(html, cid)  # upvotes go on


def test_sort_by_newest_without_javascript(harness: Harness, demo: Demo) -> None:
    configure(harness, demo, moderation="post")
    first = send(harness, demo, QUESTION).json()["contribution"]["id"]
    with someone_else(harness):
        second = send(harness, demo, "Und was wird aus der Telefonberatung?").json()
        second_id = second["contribution"]["id"]
        harness.client.post(
            f"/p/{demo.event.join_code}/contributions/{first}/vote", json={"up": True}, headers=JSON
        )
    eventually(lambda: 'data-votes="1"' in page(harness, demo))

    def order(html: str) -> list[int]:
        return [
            int(i)
            for i in re.findall(r'<li class="contribution[^"]*"\s+id="contribution-(\d+)"', html)
        ]

    assert order(page(harness, demo)) == [first, second_id]
    newest = page(harness, demo, "?order=new")
    assert order(newest) == [second_id, first]
    assert re.search(r'value="new" aria-pressed="true"', newest)
    assert order(page(harness, demo, "?order=nonsense")) == [first, second_id]


def test_too_fast_and_upvotes_on_hidden_or_foreign_ones_are_refused(
    harness: Harness, demo: Demo
) -> None:
    texts = [
        "Wie wird die Beratung per Video weiterentwickelt?",
        "Was passiert mit dem Homeoffice nach der Pandemie?",
        "Welche Rolle spielt die E-Akte für die Teams?",
    ]
    sent = [send(harness, demo, text).json()["contribution"]["id"] for text in texts]
    fourth = send(harness, demo, "Und wie geht es mit den Zugangskanälen weiter?")
    assert fourth.status_code == 409 and fourth.json()["error"] == "too_fast"
    assert fourth.json()["message"].startswith("Bitte warten Sie")
    harness.run(moderation.act, harness.rt, demo.event.id, sent[0], "reject", None)
    vote = harness.client.post(
        f"/p/{demo.event.join_code}/contributions/{sent[0]}/vote", json={"up": True}, headers=JSON
    )
    assert vote.status_code == 409 and vote.json()["error"] == "contribution_not_votable"
    foreign = harness.client.post(
        f"/p/{demo.event.join_code}/contributions/999999/vote", json={"up": True}, headers=JSON
    )
    assert foreign.status_code == 404 and foreign.json()["error"] == "unknown_contribution"
    assert stored(harness) == 3


def test_a_device_short_of_an_item_gets_the_whole_list(harness: Harness, demo: Demo) -> None:
    configure(harness, demo, moderation="post")
    ids = {send(harness, demo, QUESTION).json()["contribution"]["id"]}
    with someone_else(harness):
        sent = send(harness, demo, "Und was wird aus der E-Akte im Jobcenter?")
        ids.add(sent.json()["contribution"]["id"])
    url = f"/p/{demo.event.join_code}/contributions/frame"
    eventually(lambda: len(harness.client.get(url).json()["order"]) == 2)
    frame = harness.client.get(url).json()
    assert frame["full"] and {entry[0] for entry in frame["order"]} == ids
    assert set(frame["items"]) == {str(i) for i in ids}
    assert QUESTION in "".join(frame["items"].values())
    unknown = harness.client.get("/p/00000000/contributions/frame", headers=JSON)
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_code"
