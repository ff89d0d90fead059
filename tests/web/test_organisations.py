"""Organisations in the web: an organiser sees, changes and exports only their
organisation's events and series; another organisation's answer 404 like ids nobody
uses; what an organiser creates is their organisation's; an administrator sees all."""

from __future__ import annotations

from podium.services import accounts, catalog
from podium.services.organisations import ensure_organisation
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of


def _other_organiser(h: Harness) -> None:
    h.run(accounts.create_user, h.rt, "b@example.org", PASSWORD, "B", organisation="Amt B")
    h.login("b@example.org")


def test_another_organisations_event_is_not_found(harness: Harness, demo: Demo) -> None:
    _other_organiser(harness)
    c = harness.client
    event_id = demo.event.id
    assert "Digitales Podium" not in c.get("/admin").text
    for path in (
        f"/admin/events/{event_id}",
        f"/admin/events/{event_id}/edit",
        f"/admin/events/{event_id}/export.yaml",
        f"/admin/events/{event_id}/results",
        f"/admin/questions/{demo.single}/edit",
        f"/moderate/{event_id}",
        f"/api/v1/events/{event_id}",
        f"/api/v1/events/{demo.event.slug}/results",
    ):
        response = c.get(path)
        assert response.status_code == 404, path
        assert "Digitales Podium" not in response.text, path
    assert c.get("/api/v1/events").json() == []
    token = harness.csrf("/admin")
    deleted = c.post(
        f"/admin/events/{event_id}/delete", data={"csrf": token}, follow_redirects=False
    )
    assert deleted.status_code == 404
    assert harness.run(catalog.get_event, harness.rt, event_id).title == "Digitales Podium"


def test_the_rightful_organiser_still_sees_it(harness: Harness, demo: Demo) -> None:
    harness.login()
    assert "Digitales Podium" in harness.client.get("/admin").text
    assert harness.client.get(f"/admin/events/{demo.event.id}").status_code == 200
    assert [e["id"] for e in harness.client.get("/api/v1/events").json()] == [demo.event.id]


def test_what_an_organiser_creates_is_their_organisations(harness: Harness) -> None:
    _other_organiser(harness)
    c = harness.client
    token = csrf_of(c.get("/admin/series/new").text)
    made = c.post(
        "/admin/series/new", data={"csrf": token, "title": "Reihe B"}, follow_redirects=False
    )
    assert made.status_code == 303
    b_id = harness.run(ensure_organisation, harness.rt, "Amt B")
    series = harness.run(catalog.list_series, harness.rt)
    assert [(s.title, s.organisation_id) for s in series] == [("Reihe B", b_id)]
    token = csrf_of(c.get("/admin/events/new").text)
    made = c.post(
        "/admin/events/new",
        data={"csrf": token, "title": "Termin B", "language": "de", "series_id": ""},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    events = harness.run(catalog.list_events, harness.rt, organisation_id=b_id)
    assert [e.title for e in events] == ["Termin B"]
    # the default organisation's organiser does not see them
    c.post("/logout", data={"csrf": harness.csrf("/admin")})
    harness.login()
    page = c.get("/admin").text
    assert "Reihe B" not in page and "Termin B" not in page


def test_another_organisations_series_cannot_hold_an_event(harness: Harness) -> None:
    harness.run(accounts.create_user, harness.rt, "b@example.org", PASSWORD, "", "organiser", "B")
    b_id = harness.run(ensure_organisation, harness.rt, "B")
    theirs = harness.run(catalog.create_series, harness.rt, "Fremd", organisation_id=b_id)
    harness.login()
    c = harness.client
    assert "Fremd" not in c.get("/admin/events/new").text
    token = csrf_of(c.get("/admin/events/new").text)
    refused = c.post(
        "/admin/events/new",
        data={"csrf": token, "title": "X", "language": "de", "series_id": str(theirs.id)},
    )
    assert refused.status_code == 422
    assert harness.run(catalog.list_events, harness.rt) == []
    assert c.get(f"/admin/series/{theirs.id}/edit").status_code == 404


def test_moderators_of_another_organisation_cannot_be_assigned(
    harness: Harness, demo: Demo
) -> None:
    harness.run(accounts.create_user, harness.rt, "m@example.org", PASSWORD, "", "moderator", "B")
    harness.login()
    c = harness.client
    token = harness.csrf(f"/admin/events/{demo.event.id}")
    response = c.post(
        f"/admin/events/{demo.event.id}/moderators",
        data={"csrf": token, "email": "m@example.org"},
    )
    assert response.status_code == 404
    assert harness.run(accounts.list_moderators, harness.rt, demo.event.id) == []


def test_an_administrator_sees_every_organisations_events(harness: Harness, demo: Demo) -> None:
    harness.run(
        accounts.create_user, harness.rt, "admin@example.org", PASSWORD, "", "administrator"
    )
    harness.login("admin@example.org")
    assert "Digitales Podium" in harness.client.get("/admin").text
    assert harness.client.get(f"/admin/events/{demo.event.id}").status_code == 200
