"""The series' results page and its PDF, from the organiser dashboard: the question
the demo asks again, with both events' n and percentages, as chart and table."""

from __future__ import annotations

import re

import pytest

from podium.services import catalog
from tests.services.series_helpers import FOLLOW_UP, OPENING, OUTWARD, DemoSeries, demo_series
from tests.web.conftest import Harness
from tests.web.test_report_download import pdf_text

pytestmark = pytest.mark.sqlite_only  # the store is tested with the service


@pytest.fixture
def series(harness: Harness) -> DemoSeries:
    made = harness.run(demo_series, harness.rt)
    harness.login()
    return made


def test_the_dashboard_links_to_the_comparison(harness: Harness, series: DemoSeries) -> None:
    page = harness.client.get("/admin").text
    assert f'href="/admin/series/{series.series_id}/results"' in page


def test_the_page_shows_both_events_n_and_percentages(harness: Harness, series: DemoSeries) -> None:
    response = harness.client.get(f"/admin/series/{series.series_id}/results")
    assert response.status_code == 200
    page = response.text
    assert "Reihenvergleich" in page  # German first
    assert OUTWARD.split("„")[0] in page
    assert "top-themen-aussen" in page
    # the small multiples, with the figures in their text alternative
    svg = re.search(r"<svg[^>]*series-multiples.*?</svg>", page, re.S)
    assert svg and 'role="img"' in svg.group()
    assert "n = 100" in svg.group()
    # the table: events as rows, the options as columns, proper header cells
    table = re.search(r'<table class="series-table">.*?</table>', page, re.S)
    assert table
    cells = table.group()
    assert '<th scope="col">Veranstaltung</th>' in cells and '<th scope="col">Datum</th>' in cells
    for label in OPENING:
        assert f'<th scope="col" class="num">{label}</th>' in cells
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", cells, re.S)
    assert len(rows) == 2
    opening, follow_up = rows
    assert "Auftakt" in opening and "02.02.2021" in opening
    assert '<td class="num">100</td>' in opening and '<td class="num">100</td>' in follow_up
    for label, share in OPENING.items():
        assert f"{share} % <span" in opening, label
    for label, share in FOLLOW_UP.items():
        assert f"{share} % <span" in follow_up, label


def test_the_series_pdf_holds_both_events_figures(harness: Harness, series: DemoSeries) -> None:
    page = harness.client.get(f"/admin/series/{series.series_id}/results").text
    assert f'href="/admin/series/{series.series_id}/report.pdf"' in page
    response = harness.client.get(f"/admin/series/{series.series_id}/report.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    text = re.sub(r"\s+", " ", pdf_text(response.content).replace("\u00a0", " "))
    assert "Reihenvergleich" in text  # the events' language, German
    for share in (*OPENING.values(), *FOLLOW_UP.values()):
        assert f"{share} %" in text


def test_an_unknown_series_or_language_is_refused(harness: Harness, series: DemoSeries) -> None:
    assert harness.client.get("/admin/series/999999/results").status_code == 404
    assert harness.client.get("/admin/series/999999/report.pdf").status_code == 404
    wrong = harness.client.get(f"/admin/series/{series.series_id}/report.pdf?lang=fr")
    assert wrong.status_code == 422


def test_a_series_without_keys_says_how_to_compare(harness: Harness) -> None:
    series = harness.run(catalog.create_series, harness.rt, "Neue Reihe")
    harness.login()
    page = harness.client.get(f"/admin/series/{series.id}/results").text
    assert "Noch keine Frage hat bei zwei oder mehr Veranstaltungen" in page
    assert "series-multiples" not in page
    english = harness.client.get(
        f"/admin/series/{series.id}/results", headers={"Accept-Language": "en"}
    ).text
    assert "No question has a comparison key at two events or more" in english
