"""The results page and the moderators' API list every contribution with its state
and upvotes; participants' API never lists a pending one."""

from __future__ import annotations

from podium.services import contributions, moderation
from tests.web.conftest import Demo, Harness


def send(h: Harness, demo: Demo, token: str, text: str) -> contributions.Item:
    live = h.run(h.rt.live.get, demo.event.id)
    return h.run(contributions.submit, h.rt, live, token, text)


def test_results_and_api_show_state_and_upvotes(harness: Harness, demo: Demo) -> None:
    shown = send(harness, demo, "p" * 40, "Mehr Videoberatung für alle")
    waiting = send(harness, demo, "q" * 40, "Noch nicht entschieden")
    harness.run(moderation.act, harness.rt, demo.event.id, shown.id, "approve", None)
    live = harness.run(harness.rt.live.get, demo.event.id)
    harness.run(contributions.vote, harness.rt, live, "r" * 40, shown.id, True)
    public = harness.client.get(f"/api/v1/p/{demo.event.join_code}/contributions").json()
    assert [c["text"] for c in public["contributions"]] == ["Mehr Videoberatung für alle"]
    assert public["contributions"][0]["votes"] == 1
    harness.login()
    page = harness.client.get(f"/admin/events/{demo.event.id}/results").text
    assert "Mehr Videoberatung für alle" in page and "Noch nicht entschieden" in page
    assert "Freigegeben" in page and "Wartet" in page
    listed = harness.client.get(f"/api/v1/events/{demo.event.id}/contributions").json()
    by_id = {c["id"]: c for c in listed["contributions"]}
    assert by_id[shown.id]["state"] == "approved" and by_id[shown.id]["votes"] == 1
    assert by_id[waiting.id]["state"] == "pending"


def test_the_moderators_api_needs_a_login(harness: Harness, demo: Demo) -> None:
    response = harness.client.get(
        f"/api/v1/events/{demo.event.id}/contributions", headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
