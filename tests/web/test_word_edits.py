"""The moderators' word page: merge, hide, undo over plain forms; the results page and
the API follow; the audit trail names who did what."""

from __future__ import annotations

import re
import uuid

from podium.services import live_control
from tests.web.conftest import Demo, Harness, csrf_of


def answer(h: Harness, demo: Demo, words: list[str]) -> None:
    h.client.cookies.clear()
    response = h.client.post(
        f"/p/{demo.event.join_code}/answer",
        json={"question_id": demo.words, "answer_id": str(uuid.uuid4()), "value": words},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text


def page(h: Harness, demo: Demo) -> str:
    response = h.client.get(f"/moderate/{demo.event.id}/words/{demo.words}")
    assert response.status_code == 200
    return response.text


def key_in(html: str, word: str) -> str:
    row = re.search(rf'<th scope="row">{word}</th>.*?name="key" value="([^"]+)"', html, re.S)
    assert row, word
    return row.group(1)


def test_merge_hide_and_undo_through_the_forms(harness: Harness, demo: Demo) -> None:
    harness.run(live_control.go_live, harness.rt, demo.event.id, demo.words)
    for words in (["Homeoffice", "Telearbeit"], ["Home-Office"], ["Telearbeit"], ["Quatsch"]):
        answer(harness, demo, words)
    harness.login()
    html = page(harness, demo)
    csrf = csrf_of(html)
    url = f"/moderate/{demo.event.id}/words/{demo.words}"
    merged = harness.client.post(
        url,
        data={
            "csrf": csrf,
            "action": "merge",
            "key": key_in(html, "Telearbeit"),
            "into": key_in(html, "Homeoffice"),
        },
        follow_redirects=False,
    )
    assert merged.status_code == 303
    hidden = harness.client.post(
        url, data={"csrf": csrf, "action": "hide", "key": key_in(html, "Quatsch")}
    )
    assert hidden.status_code == 200
    results = harness.client.get(f"/api/v1/events/{demo.event.id}/results").json()
    cloud = next(r for r in results["questions"] if r["id"] == demo.words)
    # three respondents named Homeoffice or Telearbeit (one of them both): three, not four
    assert {w["word"]: w["count"] for w in cloud["result"]["words"]} == {"Homeoffice": 3}
    assert cloud["result"]["respondents"] == 4
    html = page(harness, demo)
    assert "orga@example.org" in html and "Telearbeit" in html  # the audit trail
    undo_id = re.findall(r'name="edit_id" value="(\d+)"', html)[-1]  # the oldest: the merge
    harness.client.post(url, data={"csrf": csrf, "action": "undo", "edit_id": undo_id})
    page_after = harness.client.get(f"/admin/events/{demo.event.id}/results").text
    assert "Telearbeit" in page_after and "Quatsch" not in page_after
    refused = harness.client.post(url, data={"action": "hide", "key": "x"})
    assert refused.status_code == 403  # no CSRF token


def test_only_moderators_and_only_word_clouds(harness: Harness, demo: Demo) -> None:
    response = harness.client.get(
        f"/moderate/{demo.event.id}/words/{demo.words}", follow_redirects=False
    )
    assert response.status_code in (303, 401)
    harness.login()
    assert harness.client.get(f"/moderate/{demo.event.id}/words/{demo.top3}").status_code == 404
