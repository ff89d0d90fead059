"""The report as a download: one click on the results page, the options form, the
API, and clear refusals for what cannot be made. The file itself is made in the
report worker process, as in production."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from collections import Counter

import pytest
from openpyxl import load_workbook

from tests.reports.report_event import ReportEvent, report_event
from tests.web.conftest import Harness, csrf_of

API = "/api/v1"
JSON = {"Accept": "application/json"}
pytestmark = pytest.mark.sqlite_only  # the store is tested elsewhere; this is the product


@pytest.fixture
def event(harness: Harness) -> ReportEvent:
    made = harness.run(report_event, harness.rt, participants=24)
    harness.login()
    return made


def pdf_text(body: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_one_click_on_the_results_page_gives_the_pdf(harness: Harness, event: ReportEvent) -> None:
    page = harness.client.get(f"/admin/events/{event.event_id}/results")
    assert page.status_code == 200
    assert f'href="/admin/events/{event.event_id}/report.pdf"' in page.text
    response = harness.client.get(f"/admin/events/{event.event_id}/report.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"].endswith('-bericht.pdf"')
    text = pdf_text(response.content)
    figures = next(iter(event.percentages.values()))
    for label, share in figures.items():
        assert label.split()[0] in text
        assert f"{share} %" in text


def test_the_options_form_makes_the_chosen_report(harness: Harness, event: ReportEvent) -> None:
    page = harness.client.get(f"/admin/events/{event.event_id}/results")
    first = event.question_ids[0]
    response = harness.client.post(
        f"/admin/events/{event.event_id}/report",
        data={
            "csrf": csrf_of(page.text),
            "questions": [str(first)],
            "texts": "0",
            "contributions": "0",
            "cover_note": "Danke an alle, die mitgemacht haben.",
            "lang": "en",
            "format": "pdf",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].endswith('-report.pdf"')
    text = pdf_text(response.content)
    assert "Danke an alle, die mitgemacht haben." in text
    assert "Datenschutz im Homeoffice" not in text  # a contribution: left out


def test_the_api_gives_tables_that_add_up_to_its_results(
    harness: Harness, event: ReportEvent
) -> None:
    results = harness.client.get(f"{API}/events/{event.event_id}/results").json()
    expected = {
        (q["title"], o["label"], o["count"], o["whole_percent"])
        for q in results["questions"]
        if q["result"]["kind"] in ("single", "multiple")
        for o in q["result"]["options"]
    }
    response = harness.client.get(f"{API}/events/{event.event_id}/report.xlsx?lang=en")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["Results"].iter_rows(values_only=True))
    header = rows[0]
    at = {name: header.index(name) for name in header}
    choice_titles = {title for title, *_ in expected}
    shown = {
        (
            r[at["Question"]],
            r[at["Option, step or word"]],
            r[at["Count"]],
            r[at["Percent (rounded)"]],
        )
        for r in rows[1:]
        if r[at["Question"]] in choice_titles
    }
    assert shown == expected

    archive = harness.client.get(f"{API}/events/{event.event_id}/report.zip?lang=en")
    assert archive.status_code == 200
    files = zipfile.ZipFile(io.BytesIO(archive.content))
    answers = next(n for n in files.namelist() if "answers" in n)
    text = files.read(answers).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=","))
    number = table[0].index("Question no.")
    counted = Counter(int(row[number]) for row in table[1:])
    respondents = {
        n: q["result"]["respondents"] for n, q in enumerate(results["questions"], start=1)
    }
    assert counted == Counter({n: r for n, r in respondents.items() if r})


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("report.docx", 404, "unknown_report_format"),
        ("report.pdf?questions=999999", 422, "unknown_report_question"),
        ("report.pdf?lang=fr", 422, "unknown_report_language"),
        ("report.pdf?cover_note=" + "x" * 4001, 422, "cover_note_too_long"),
    ],
)
def test_what_cannot_be_made_is_refused_clearly(
    harness: Harness, event: ReportEvent, query: str, status: int, code: str
) -> None:
    response = harness.client.get(f"{API}/events/{event.event_id}/{query}", headers=JSON)
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    page = harness.client.get(f"/admin/events/{event.event_id}/{query}")
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")


def test_a_stranger_gets_no_report(harness: Harness, event: ReportEvent) -> None:
    harness.client.cookies.clear()
    assert harness.client.get(f"{API}/events/{event.event_id}/report.pdf").status_code == 401
    page = harness.client.get(f"/admin/events/{event.event_id}/report.pdf", follow_redirects=False)
    assert page.status_code in (303, 401)
