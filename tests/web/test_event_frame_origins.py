"""The organiser lists, in the event form, the sites that may frame the event's
presenter view; the view's policy then names them besides the server's."""

from __future__ import annotations

from podium.services import catalog
from podium.services.frame_origins import event_frame_origins
from tests.web.organiser_helpers import Admin, admin, control

__all__ = ["admin"]

FIELDS = {"series_id": "", "language": "de", "format": "", "starts_at": "", "description": ""}


def presenter_policy_of(admin: Admin, event_id: int) -> str:
    event = admin.h.run(catalog.get_event, admin.h.rt, event_id)
    return admin.get(f"/present/{event.presenter_token}").headers["content-security-policy"]


def test_listed_origins_are_stored_shown_again_and_frame_the_presenter_view(admin: Admin) -> None:
    typed = "https://BBB.example.org/\nhttps://teams.example.org:8443, https://bbb.example.org"
    event_id = admin.new_event("Podium", frame_ancestors=typed)
    stored = admin.h.run(event_frame_origins, admin.h.rt, event_id)
    assert stored == ["https://bbb.example.org", "https://teams.example.org:8443"]
    form = admin.get(f"/admin/events/{event_id}/edit").text
    assert ">https://bbb.example.org\nhttps://teams.example.org:8443</textarea>" in form
    policy = presenter_policy_of(admin, event_id)
    assert policy.endswith(
        "; frame-ancestors https://bbb.example.org https://teams.example.org:8443"
    )
    edited = admin.post(f"/admin/events/{event_id}/edit", {**FIELDS, "title": "Podium"})
    assert edited.status_code == 303
    assert admin.h.run(event_frame_origins, admin.h.rt, event_id) == []
    assert presenter_policy_of(admin, event_id).endswith("; frame-ancestors 'none'")


def test_a_bad_origin_is_refused_with_its_reason_and_nothing_changes(admin: Admin) -> None:
    event_id = admin.new_event("Podium", frame_ancestors="https://bbb.example.org")
    refused = admin.post(
        f"/admin/events/{event_id}/edit",
        {**FIELDS, "title": "Neu", "frame_ancestors": "http://intranet.example.org"},
    )
    assert refused.status_code == 422
    assert (
        "“http://intranet.example.org” does not use https. Only http://localhost may use "
        "plain http."
    ) in refused.text
    assert 'aria-invalid="true"' in control(refused.text, "event-frame_ancestors")
    assert "http://intranet.example.org</textarea>" in refused.text  # kept as typed
    assert admin.h.run(catalog.get_event, admin.h.rt, event_id).title == "Podium"
    assert admin.h.run(event_frame_origins, admin.h.rt, event_id) == ["https://bbb.example.org"]
    path = admin.post(
        "/admin/events/new", {**FIELDS, "title": "X", "frame_ancestors": "https://a.org/x"}
    )
    assert path.status_code == 422
    assert "has a path" in path.text
    assert [e.title for e in admin.h.run(catalog.list_events, admin.h.rt)] == ["Podium"]


def test_the_message_is_german_for_a_german_organiser(admin: Admin) -> None:
    admin.h.client.cookies.set("podium_lang", "de")
    refused = admin.post("/admin/events/new", {**FIELDS, "title": "X", "frame_ancestors": "*"})
    assert refused.status_code == 422
    assert "„*“ ist kein Origin" in refused.text
