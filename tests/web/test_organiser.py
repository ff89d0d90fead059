"""The organiser's UI under /admin: access, series, events, YAML in and out.

The tests read pages as a user would: text, order, status. Questions and
moderators are in test_organiser_questions.py."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime

from starlette.routing import Route

from podium.services import accounts, catalog
from podium.web import routes
from tests.web.conftest import PASSWORD, Harness, csrf_of
from tests.web.organiser_helpers import (
    Admin,
    admin,
    control,
    event_titles,
    order_of,
    series_titles,
)

__all__ = ["admin"]  # the fixture, imported so that pytest finds it here


def organiser_routes() -> list[tuple[str, str]]:
    """(method, path) of every route in the organiser_*.py modules, ids set to 1."""
    found = []
    for module in pkgutil.iter_modules(routes.__path__):
        if not module.name.startswith("organiser"):
            continue
        router = getattr(
            importlib.import_module(f"{routes.__name__}.{module.name}"), "router", None
        )
        for route in router.routes if router else ():
            if isinstance(route, Route):
                path = re.sub(r"\{[^}]+\}", "1", route.path)
                found += [(method, path) for method in sorted(route.methods or ())]
    return found


# --- who may enter ---


def test_every_admin_route_sends_an_anonymous_visitor_to_log_in(harness: Harness) -> None:
    found = organiser_routes()
    assert len(found) > 20
    for method, path in [*found, ("GET", "/admin/events/abc")]:
        response = harness.client.request(method, path, follow_redirects=False)
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/login?next=/admin"), (method, path)


def test_a_moderator_account_is_refused_with_403(harness: Harness) -> None:
    harness.run(accounts.create_user, harness.rt, "mod@example.org", PASSWORD, role="moderator")
    harness.login("mod@example.org")
    token = csrf_of(harness.client.get("/login").text)
    assert harness.client.get("/admin").status_code == 403
    refused = harness.client.post("/admin/series/new", data={"csrf": token, "title": "X"})
    assert refused.status_code == 403
    assert series_titles(harness) == []


# --- series and events ---


def test_series_and_event_appear_on_the_overview(admin: Admin) -> None:
    series_id = admin.new_series("Qualitätsarbeit im SGB II", "Vier Termine")
    event_id = admin.new_event(
        "Digitales Podium",
        series_id=str(series_id),
        format="Online-Podium",
        starts_at="2021-02-02T10:00",
    )
    page = admin.get("/admin").text
    event = admin.h.run(catalog.get_event, admin.h.rt, event_id)
    for text in ("Qualitätsarbeit im SGB II", "Vier Termine", "Digitales Podium", "Online-Podium"):
        assert text in page
    assert f"{event.join_code[:4]} {event.join_code[4:]}" in page
    assert "Feb 2, 2021, 10:00" in page
    for link in (
        f'href="/admin/events/{event_id}/edit"',
        f'href="/moderate/{event_id}"',
        f'href="/present/{event.presenter_token}" target="_blank"',
        f'href="/admin/events/{event_id}/results"',
        f'href="/admin/events/{event_id}/export.yaml"',
    ):
        assert link in page
    # The event is listed inside its series' section, not among events without one.
    assert order_of(page, "Digitales Podium", "Events without a series") == [
        "Digitales Podium",
        "Events without a series",
    ]


def test_event_time_is_berlin_time_stored_as_utc(admin: Admin) -> None:
    winter = admin.new_event("Winter", starts_at="2021-02-02T10:00")
    summer = admin.new_event("Summer", starts_at="2021-07-01T10:00")
    stored = {e.title: e.starts_at for e in admin.h.run(catalog.list_events, admin.h.rt)}
    assert stored["Winter"].replace(tzinfo=UTC) == datetime(2021, 2, 2, 9, 0, tzinfo=UTC)
    assert stored["Summer"].replace(tzinfo=UTC) == datetime(2021, 7, 1, 8, 0, tzinfo=UTC)
    assert 'value="2021-02-02T10:00"' in admin.get(f"/admin/events/{winter}/edit").text
    assert 'value="2021-07-01T10:00"' in admin.get(f"/admin/events/{summer}/edit").text
    assert "Jul 1, 2021, 10:00" in admin.get(f"/admin/events/{summer}").text


def test_event_page_shows_details_and_links(admin: Admin) -> None:
    event_id = admin.new_event("Podium", format="Hybrid", language="en", description="Hallo")
    event = admin.h.run(catalog.get_event, admin.h.rt, event_id)
    page = admin.get(f"/admin/events/{event_id}").text
    assert "<h1>Podium</h1>" in page
    for text in ("Hybrid", "English", "Hallo", "No series", "no date", "No questions yet."):
        assert text in page
    assert f"http://127.0.0.1:8000/p/{event.join_code}" in page
    assert f"http://127.0.0.1:8000/present/{event.presenter_token}" in page


def test_edit_series_and_event(admin: Admin) -> None:
    first = admin.new_series("Reihe A")
    second = admin.new_series("Reihe B")
    event_id = admin.new_event("Termin", series_id=str(first))
    preset = admin.get(f"/admin/events/new?series={second}").text
    assert f'<option value="{second}" selected>Reihe B</option>' in preset
    form = admin.get(f"/admin/series/{first}/edit").text
    assert 'value="Reihe A"' in form
    assert admin.post(f"/admin/series/{first}/edit", {"title": "Reihe A2"}).status_code == 303
    form = admin.get(f"/admin/events/{event_id}/edit").text
    assert 'value="Termin"' in form
    assert f'<option value="{first}" selected>Reihe A2</option>' in form
    edited = admin.post(
        f"/admin/events/{event_id}/edit",
        {
            "title": "Termin 2",
            "series_id": str(second),
            "format": "Online",
            "starts_at": "",
            "language": "en",
            "description": "",
        },
    )
    page = admin.follow(edited).text
    assert "<h1>Termin 2</h1>" in page
    assert "Reihe B" in page
    assert "English" in page


def test_reorder_series_and_events(admin: Admin) -> None:
    first = admin.new_series("Erste Reihe")
    admin.new_series("Zweite Reihe")
    assert admin.post(f"/admin/series/{first}/move", {"direction": "down"}).status_code == 303
    page = admin.get("/admin").text
    assert order_of(page, "Erste Reihe", "Zweite Reihe") == ["Zweite Reihe", "Erste Reihe"]
    admin.new_event("Termin eins")
    second = admin.new_event("Termin zwei")
    assert admin.post(f"/admin/events/{second}/move", {"direction": "up"}).status_code == 303
    page = admin.get("/admin").text
    assert order_of(page, "Termin eins", "Termin zwei") == ["Termin zwei", "Termin eins"]


def test_delete_series_after_confirmation_keeps_its_events(admin: Admin) -> None:
    series_id = admin.new_series("Alte Reihe")
    admin.new_event("Bleibt", series_id=str(series_id))
    confirm = admin.get(f"/admin/series/{series_id}/delete")
    assert confirm.status_code == 200
    assert "Delete the series “Alte Reihe”?" in confirm.text
    assert series_titles(admin.h) == ["Alte Reihe"]  # asking deletes nothing
    page = admin.follow(admin.post(f"/admin/series/{series_id}/delete")).text
    assert "Alte Reihe" not in page
    assert order_of(page, "Events without a series", "Bleibt")[0] == "Events without a series"


def test_delete_event_after_confirmation(admin: Admin) -> None:
    event_id = admin.new_event("Weg damit")
    confirm = admin.get(f"/admin/events/{event_id}/delete")
    assert "Delete the event “Weg damit”?" in confirm.text
    assert f'action="/admin/events/{event_id}/delete"' in confirm.text
    assert event_titles(admin.h) == ["Weg damit"]
    page = admin.follow(admin.post(f"/admin/events/{event_id}/delete")).text
    assert "Weg damit" not in page
    assert event_titles(admin.h) == []
    assert admin.get(f"/admin/events/{event_id}").status_code == 404


def test_new_presenter_link_revokes_the_old_one(admin: Admin) -> None:
    event_id = admin.new_event("Geheim")
    old = admin.h.run(catalog.get_event, admin.h.rt, event_id).presenter_token
    assert admin.get(f"/present/{old}").status_code == 200
    page = admin.follow(admin.post(f"/admin/events/{event_id}/presenter-link")).text
    new = admin.h.run(catalog.get_event, admin.h.rt, event_id).presenter_token
    assert new != old
    assert f"/present/{new}" in page
    assert f"/present/{old}" not in page
    assert admin.get(f"/present/{old}").status_code == 404


# --- bad input ---


def test_empty_series_title_is_shown_at_the_form_and_nothing_stored(admin: Admin) -> None:
    response = admin.post("/admin/series/new", {"title": "   ", "description": "Getippt"})
    assert response.status_code == 422
    assert '<p class="error form-error" role="alert" id="series-error">' in response.text
    assert "Please enter a title." in response.text
    assert 'aria-invalid="true" aria-describedby="series-error"' in response.text
    assert "Getippt</textarea>" in response.text  # what the user typed stays
    assert series_titles(admin.h) == []


def test_bad_event_fields_keep_what_was_typed(admin: Admin) -> None:
    cases = {
        "starts_at": ("nächsten Dienstag", "Please enter a date and time"),
        "language": ("fr", "Please choose one of these languages: de, en."),
        "series_id": ("9" * 30, "This series does not exist."),
        "format": ("x" * 201, "The format may have at most 200 characters."),
    }
    for name, (value, text) in cases.items():
        data = {"title": "Mein Termin", "language": "de", name: value}
        response = admin.post("/admin/events/new", data)
        assert response.status_code == 422, name
        assert text in response.text, name
        assert 'value="Mein Termin"' in response.text
        assert 'aria-invalid="true"' in control(response.text, f"event-{name}"), name
    unknown = admin.post("/admin/events/new", {"title": "T", "language": "de", "series_id": "99"})
    assert "This series does not exist." in unknown.text
    assert admin.post("/admin/events/new", {}).status_code == 422  # every field missing
    # Berlin midnight of year 1 has no UTC time: a message, not a crash.
    too_early = admin.post("/admin/events/new", {"title": "Alt", "starts_at": "0001-01-01T00:30"})
    assert too_early.status_code == 422
    assert event_titles(admin.h) == []


def test_malformed_or_unknown_ids_are_404(admin: Admin) -> None:
    for path in (
        "/admin/events/abc",
        "/admin/events/1e3/edit",
        "/admin/events/99999999999999999999999",
        "/admin/events/2147483648",  # beyond a PostgreSQL integer
        "/admin/events/0",
        "/admin/events/12",
        "/admin/series/-1/edit",
        "/admin/questions/x/edit",
        "/admin/events/7/export.yaml",
    ):
        response = admin.get(path)
        assert response.status_code == 404, path
        assert 'role="alert"' in response.text
    assert admin.post("/admin/series/abc/move", {"direction": "up"}).status_code == 404
    assert admin.post("/admin/events/abc/delete").status_code == 404


def test_a_move_in_no_direction_is_a_400(admin: Admin) -> None:
    series_id = admin.new_series("Reihe")
    assert (
        admin.post(f"/admin/series/{series_id}/move", {"direction": "sideways"}).status_code == 400
    )
    assert admin.post(f"/admin/series/{series_id}/move").status_code == 400


def test_a_wrong_csrf_token_is_403_and_changes_nothing(admin: Admin) -> None:
    event_id = admin.new_event("Bleibt")
    forged = {"csrf": "forged"}
    client = admin.h.client
    assert client.post("/admin/series/new", data={**forged, "title": "X"}).status_code == 403
    assert client.post(f"/admin/events/{event_id}/delete", data=forged).status_code == 403
    assert client.post(f"/admin/events/{event_id}/delete").status_code == 403  # no token at all
    assert series_titles(admin.h) == []
    assert event_titles(admin.h) == ["Bleibt"]


def test_every_page_renders_in_german_too(admin: Admin) -> None:
    series_id = admin.new_series("Reihe")
    event_id = admin.new_event("Termin", series_id=str(series_id), starts_at="2021-02-02T10:00")
    admin.post(f"/admin/events/{event_id}/questions", {"kind": "words", "title": "Worte"})
    (question_id,) = [q.id for q in admin.h.run(catalog.get_event, admin.h.rt, event_id).questions]
    admin.h.client.cookies.set("podium_lang", "de")
    for path in (
        "/admin",
        "/admin/series/new",
        f"/admin/series/{series_id}/edit",
        f"/admin/series/{series_id}/delete",
        "/admin/events/new",
        f"/admin/events/{event_id}",
        f"/admin/events/{event_id}/edit",
        f"/admin/events/{event_id}/delete",
        f"/admin/questions/{question_id}/edit",
        f"/admin/questions/{question_id}/delete",
        "/admin/import",
    ):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert '<html lang="de">' in page.text
    failed = admin.post("/admin/series/new", {"title": ""})
    assert failed.status_code == 422
    assert 'role="alert"' in failed.text
