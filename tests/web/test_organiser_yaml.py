"""The organiser's YAML buttons: export downloads an event, import creates one,
and a bad file says why and creates nothing."""

from __future__ import annotations

import pytest

from tests.web.organiser_helpers import Admin, admin, event_titles, series_titles

__all__ = ["admin"]  # the fixture, imported so that pytest finds it here

# --- YAML ---


def test_export_downloads_yaml_and_import_creates_the_event(admin: Admin) -> None:
    series_id = admin.new_series("Reihe")
    event_id = admin.new_event("Digitales Podium", series_id=str(series_id), format="Online")
    added = admin.post(
        f"/admin/events/{event_id}/questions",
        {"kind": "multiple", "title": "Top-Themen?", "options": "A\nB\nC", "max_choices": "2"},
    )
    assert added.status_code == 303
    export = admin.get(f"/admin/events/{event_id}/export.yaml")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/yaml")
    assert export.headers["content-disposition"] == 'attachment; filename="digitales-podium.yaml"'
    assert "title: Digitales Podium" in export.text
    assert "Top-Themen?" in export.text

    form = admin.get("/admin/import").text
    assert 'enctype="multipart/form-data"' in form
    copy = export.text.replace("title: Digitales Podium", "title: Zweites Podium")
    imported = admin.post(
        "/admin/import", files={"file": ("podium.yaml", copy.encode(), "application/yaml")}
    )
    page = admin.follow(imported).text
    assert "<h1>Zweites Podium</h1>" in page
    assert "Top-Themen?" in page
    assert "up to 2 choices" in page
    assert sorted(event_titles(admin.h)) == ["Digitales Podium", "Zweites Podium"]
    assert series_titles(admin.h) == ["Reihe"]  # the series of that title is reused


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"title: [unclosed", "The file could not be read"),
        (b"title: ''\n", "Please enter a title."),
        (b"\xff\xfe\x00binary", "not a text file"),
    ],
)
def test_a_bad_import_says_why_and_creates_nothing(
    admin: Admin, content: bytes, expected: str
) -> None:
    response = admin.post("/admin/import", files={"file": ("x.yaml", content, "text/yaml")})
    assert response.status_code == 422
    assert expected in response.text
    assert 'role="alert"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert event_titles(admin.h) == []


def test_import_without_a_file_is_a_4xx(admin: Admin) -> None:
    response = admin.post("/admin/import", files={"other": ("x.txt", b"", "text/plain")})
    assert response.status_code == 422
    assert "Please choose a file" in response.text
