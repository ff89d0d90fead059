"""The organiser deletes an event's answers and contributions, not the event: after
a confirmation that says what goes, with the CSRF token, and only as organiser; the
live views start again at zero and the event takes answers again."""

from __future__ import annotations

import uuid

import pytest

from podium.domain.publication import Publication
from podium.live.fanout import DEVICE, SCREEN, Fanout
from podium.services import accounts, contributions, live_control, moderation, publication
from podium.services.participation import submit_answer
from podium.services.results import event_results, live_event
from podium.services.retention import Counts, event_data_counts
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of
from tests.web.organiser_helpers import Admin, admin

__all__ = ["admin"]  # the fixture, imported so that pytest finds it here
pytestmark = pytest.mark.sqlite_only  # the store is tested in tests/services/test_retention.py


async def audience(h: Harness, demo: Demo, people: int = 2) -> None:
    rt, event_id = h.rt, demo.event.id
    await live_control.go_live(rt, event_id, demo.single)
    await moderation.configure(rt, event_id, moderation="post")
    live = await live_event(rt, event_id)
    yes = demo.option_ids[demo.single][0]
    for n in range(people):
        await submit_answer(rt, live, f"{n:040d}", demo.single, [yes], str(uuid.uuid4()))
    await contributions.submit(rt, live, f"{0:040d}", "Wann kommt die E-Akte?", "Anna", None)


def respondents(h: Harness, demo: Demo) -> int:
    results = h.run(event_results, h.rt, demo.event.id)
    return sum(row.result.respondents for row in results.questions)


@pytest.fixture
def with_audience(harness: Harness, demo: Demo) -> Demo:
    harness.run(audience, harness, demo)
    return demo


def test_the_event_page_links_to_the_confirmation(admin: Admin, with_audience: Demo) -> None:
    event_id = with_audience.event.id
    page = admin.get(f"/admin/events/{event_id}").text
    assert f'href="/admin/events/{event_id}/clear"' in page
    confirm = admin.get(f"/admin/events/{event_id}/clear")
    assert confirm.status_code == 200
    assert "Delete the answers and contributions of “Digitales Podium”?" in confirm.text
    assert "This deletes 2 answers, 1 contribution, 2 participants." in confirm.text
    assert f'action="/admin/events/{event_id}/clear"' in confirm.text
    assert h_counts(admin, with_audience) == Counts(2, 1, 2)  # looking deletes nothing


def h_counts(admin: Admin, demo: Demo) -> Counts:
    return admin.h.run(event_data_counts, admin.h.rt, demo.event.id)


def test_clearing_deletes_them_and_says_what_went(admin: Admin, with_audience: Demo) -> None:
    h, event_id = admin.h, with_audience.event.id
    fanout: Fanout = h.client.app.state.fanout  # type: ignore[attr-defined]
    streams = [fanout.subscribe(event_id, audience, "de") for audience in (SCREEN, DEVICE)]
    assert respondents(h, with_audience) == 2

    done = admin.post(f"/admin/events/{event_id}/clear")
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/events/{event_id}/clear?deleted=2.1.2"
    page = admin.get(done.headers["location"]).text
    assert "Deleted: 2 answers, 1 contribution, 2 participants." in page
    assert all(stream.closed for stream in streams)  # screens and phones reconnect afresh
    assert respondents(h, with_audience) == 0
    assert h_counts(admin, with_audience) == Counts()
    again = admin.get(f"/admin/events/{event_id}/clear").text  # said there; now nothing left
    assert "Nothing to delete" in again and "Deleted:" not in again
    assert admin.get(f"/admin/events/{event_id}").status_code == 200  # the event stays

    code = with_audience.event.join_code
    assert h.client.get(f"/p/{code}").status_code == 200
    option = with_audience.option_ids[with_audience.single][1]
    body = {"question_id": with_audience.single, "answer_id": str(uuid.uuid4()), "value": option}
    sent = h.client.post(f"/p/{code}/answer", json=body, headers={"Accept": "application/json"})
    assert sent.status_code == 200, sent.text
    assert respondents(h, with_audience) == 1


def test_the_published_results_show_nothing_after(admin: Admin, with_audience: Demo) -> None:
    h, event_id = admin.h, with_audience.event.id
    token = h.run(publication.publish, h.rt, event_id, Publication()).token
    assert "Wann kommt die E-Akte?" in h.client.get(f"/r/{token}").text
    admin.post(f"/admin/events/{event_id}/clear")
    public = h.client.get(f"/r/{token}")
    assert public.status_code == 200  # still published, the link unchanged
    assert "Wann kommt die E-Akte?" not in public.text


def test_german_confirmation(admin: Admin, with_audience: Demo) -> None:
    admin.h.client.cookies.set("podium_lang", "de")
    page = admin.get(f"/admin/events/{with_audience.event.id}/clear").text
    assert "Antworten und Beiträge von „Digitales Podium“ löschen?" in page
    assert "Gelöscht werden 2 Antworten, 1 Beitrag, 2 Teilnehmende." in page


def test_without_csrf_nothing_is_deleted(admin: Admin, with_audience: Demo) -> None:
    client, event_id = admin.h.client, with_audience.event.id
    assert client.post(f"/admin/events/{event_id}/clear").status_code == 403
    forged = client.post(f"/admin/events/{event_id}/clear", data={"csrf": "forged"})
    assert forged.status_code == 403
    assert h_counts(admin, with_audience) == Counts(2, 1, 2)


def test_moderators_and_strangers_are_refused(harness: Harness, with_audience: Demo) -> None:
    event_id = with_audience.event.id
    stranger = harness.client.post(f"/admin/events/{event_id}/clear", follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")
    harness.run(accounts.create_user, harness.rt, "mod@example.org", PASSWORD, role="moderator")
    harness.run(accounts.assign_moderator, harness.rt, event_id, "mod@example.org")
    harness.login("mod@example.org")
    token = csrf_of(harness.client.get("/login").text)
    assert harness.client.get(f"/admin/events/{event_id}/clear").status_code == 403
    refused = harness.client.post(f"/admin/events/{event_id}/clear", data={"csrf": token})
    assert refused.status_code == 403
    assert harness.run(event_data_counts, harness.rt, event_id) == Counts(2, 1, 2)


def test_unknown_or_malformed_events_are_404(admin: Admin) -> None:
    assert admin.get("/admin/events/9999/clear").status_code == 404
    assert admin.get("/admin/events/abc/clear").status_code == 404
    assert admin.post("/admin/events/9999/clear").status_code == 404
