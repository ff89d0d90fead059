"""A word cloud's files from the results page and the API: the picture and the word
lists carry what the results page shows (merges and hides included), in the user's
language; wrong requests get a clear 4xx."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook

from podium.services import live_control, word_edits
from tests.web.conftest import Demo, Harness
from tests.web.test_word_edits import answer

SVG = "{http://www.w3.org/2000/svg}"


def key_of(h: Harness, demo: Demo, word: str) -> str:
    event = h.rt.live.loaded(demo.event.id)
    return next(w.key for w in event.tallies[demo.words].result().words if w.word == word)


def prepare(h: Harness, demo: Demo) -> None:
    """Four participants; "Telearbeit" merged into "Homeoffice", "Quatsch" hidden."""
    h.run(live_control.go_live, h.rt, demo.event.id, demo.words)
    for words in (
        ["Homeoffice", "Telearbeit"],
        ["Home-Office", "Nähe"],
        ["Telearbeit"],
        ["Quatsch"],
    ):
        answer(h, demo, words)
    event_id, question_id = demo.event.id, demo.words
    into, key = key_of(h, demo, "Homeoffice"), key_of(h, demo, "Telearbeit")
    h.run(word_edits.merge, h.rt, event_id, question_id, key, into, None)
    h.run(word_edits.hide, h.rt, event_id, question_id, key_of(h, demo, "Quatsch"), None)
    h.login()


def files(demo: Demo, api: bool = False) -> str:
    base = f"/api/v1/events/{demo.event.id}" if api else f"/admin/events/{demo.event.id}"
    return f"{base}/results/{demo.words}/"


def api_counts(h: Harness, demo: Demo) -> dict[str, int]:
    results = h.client.get(f"/api/v1/events/{demo.event.id}/results").json()
    cloud = next(r for r in results["questions"] if r["id"] == demo.words)
    return {w["word"]: w["count"] for w in cloud["result"]["words"]}


def test_the_files_hold_what_the_results_show(harness: Harness, demo: Demo) -> None:
    prepare(harness, demo)
    expected = api_counts(harness, demo)
    # three participants named Homeoffice or Telearbeit, one of them both: once each
    assert expected == {"Homeoffice": 3, "Nähe": 1}

    page = harness.client.get(f"/admin/events/{demo.event.id}/results").text
    assert '<svg class="cloud"' in page and "Quatsch" not in page
    for name in ("cloud.svg", "words.csv", "words.xlsx"):
        assert f'href="{files(demo)}{name}"' in page
    assert f'href="/moderate/{demo.event.id}/words/{demo.words}"' in page  # clean up first

    svg = harness.client.get(files(demo) + "cloud.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"] == (
        'attachment; filename="digitales-podium-drei-schlagworte.svg"'
    )
    assert "no-store" in svg.headers["cache-control"]
    root = ET.fromstring(svg.content)
    drawn = {t.text for t in root.iter(f"{SVG}text") if t.get("data-step")}
    assert drawn == set(expected)
    assert f"Homeoffice: {expected['Homeoffice']}" in root.find(f"{SVG}desc").text

    text = harness.client.get(files(demo) + "words.csv")
    assert text.headers["content-type"] == "text/csv; charset=utf-8"
    assert text.headers["content-disposition"].endswith('-drei-schlagworte-woerter.csv"')
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Wort", "Nennungen", "Schreibweisen"]
    assert rows[1] == [
        "Homeoffice",
        str(expected["Homeoffice"]),
        "Home-Office, Homeoffice, Telearbeit",
    ]
    assert rows[2] == ["Nähe", "1", "Nähe"]
    assert {r[0]: int(r[1]) for r in rows[1:]} == expected

    book = load_workbook(io.BytesIO(harness.client.get(files(demo) + "words.xlsx").content))
    sheet = book["Wörter"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert {row[0]: row[1] for row in cells[1:]} == expected
    assert book.properties.title == "Drei Schlagworte"


def test_the_api_gives_the_same_files_in_the_callers_language(harness: Harness, demo: Demo) -> None:
    prepare(harness, demo)
    english = {"Accept-Language": "en"}
    response = harness.client.get(files(demo, api=True) + "words.csv", headers=english)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=","))
    assert rows[0] == ["Word", "Mentions", "Spellings"]
    assert rows[1][:2] == ["Homeoffice", str(api_counts(harness, demo)["Homeoffice"])]
    assert response.headers["content-disposition"].endswith('-drei-schlagworte-words.csv"')
    svg = harness.client.get(files(demo, api=True) + "cloud.svg", headers=english)
    assert "4 respondents" in svg.text and 'xml:lang="en"' in svg.text
    assert "Quatsch" not in svg.text  # hidden by the moderators


def test_wrong_requests_are_told_why(harness: Harness, demo: Demo) -> None:
    api = f"/api/v1/events/{demo.event.id}/results"
    anonymous = harness.client.get(f"{api}/{demo.words}/cloud.svg")
    assert anonymous.status_code == 401
    page = harness.client.get(files(demo) + "cloud.svg", follow_redirects=False)
    assert page.status_code in (303, 401)
    harness.login()
    german = {"Accept-Language": "de"}
    choice = harness.client.get(f"{api}/{demo.top3}/words.csv", headers=german)
    assert choice.status_code == 404
    assert choice.json() == {
        "error": "not_a_word_cloud",
        "message": "Diese Frage ist keine Wortwolke.",
    }
    other = harness.client.get(f"{api}/{demo.words}/words.pdf", headers=german)
    assert other.status_code == 404 and other.json()["error"] == "unknown_download"
    unknown = harness.client.get(f"{api}/99999/cloud.svg")
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_question"
    assert harness.client.get(f"{api}/0/cloud.svg").status_code == 422
    assert harness.client.get(f"{api}/{2**40}/cloud.svg").status_code == 422
    html = harness.client.get(f"/admin/events/{demo.event.id}/results/{demo.top3}/cloud.svg")
    assert html.status_code == 404 and "keine Wortwolke" in html.text


def test_an_empty_cloud_downloads_as_a_picture_and_a_header_row(
    harness: Harness, demo: Demo
) -> None:
    harness.login()
    svg = harness.client.get(files(demo) + "cloud.svg")
    assert svg.status_code == 200 and "0 Personen" in svg.text
    rows = harness.client.get(files(demo) + "words.csv").content.decode("utf-8-sig")
    assert rows == "Wort;Nennungen;Schreibweisen\r\n"
