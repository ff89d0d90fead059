"""After the event the organiser takes the word cloud along: on the results page it
is drawn as on the downloads, and the SVG, the PNG (made in the browser) and the
word list download with the moderators' hides applied."""

from __future__ import annotations

import base64
import csv
import io
import struct
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from podium.services import live_control, word_edits
from tests.e2e.conftest import LAPTOP, People, Site, log_in

pytestmark = pytest.mark.browser

TYPED = [["Homeoffice", "E-Akte"], ["Home-Office"], ["homeoffice", "Videoberatung"], ["Quatsch"]]

# Share of dark pixels in a PNG, measured by the browser that drew it.
DARK_SHARE = """async (data) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let dark = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 1] < 128) dark += 1;
  return dark / (pixels.length / 4);
}"""


def answer_as_participants(site: Site) -> None:
    demo = site.demo
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.words)
    for words in TYPED:
        with httpx.Client(base_url=site.url) as participant:  # own cookie: own participant
            response = participant.post(
                f"/p/{demo.event.join_code}/answer",
                json={"question_id": demo.words, "answer_id": str(uuid.uuid4()), "value": words},
                headers={"Accept": "application/json"},
            )
            assert response.status_code == 200, response.text
    event = site.srv.rt.live.loaded(demo.event.id)
    quatsch = next(w.key for w in event.tallies[demo.words].result().words if w.word == "Quatsch")
    site.srv.run(word_edits.hide, site.srv.rt, demo.event.id, demo.words, quatsch, None)


def download(page: Page, name: str, role: str = "link") -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role(role, name=name).click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_the_organiser_downloads_the_word_cloud(site: Site, people: People, shot) -> None:
    answer_as_participants(site)
    demo = site.demo
    page = people.page(LAPTOP, accept_downloads=True)
    log_in(page, site, f"/admin/events/{demo.event.id}/results")
    block = page.locator("section.result-block").filter(has=page.locator(f"#rq{demo.words}"))
    cloud = block.locator("svg.cloud")
    expect(cloud.locator("text[data-step='6']")).to_have_text("Homeoffice")
    expect(cloud.locator("text")).to_have_count(3)  # "Quatsch" is hidden
    block.locator("ul.downloads").scroll_into_view_if_needed()
    shot(page, "results-wordcloud.png")

    name, data = download(page, "Wortwolke (SVG)")
    assert name == "digitales-podium-drei-schlagworte.svg"
    root = ET.fromstring(data)
    words = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("data-step")}
    assert words == {"Homeoffice", "E-Akte", "Videoberatung"}

    name, png = download(page, "Wortwolke (PNG)", role="button")
    assert name == "digitales-podium-drei-schlagworte.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (2 * 1000, 2 * int(root.get("height")))  # twice the SVG
    share = page.evaluate(DARK_SHARE, base64.b64encode(png).decode())
    assert 0.005 < share < 0.5, share  # words drawn on white, not a blank or black image

    name, table = download(page, "Wörter (CSV)")
    assert name == "digitales-podium-drei-schlagworte-woerter.csv"
    rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig")), delimiter=";"))
    assert rows[:2] == [
        ["Wort", "Nennungen", "Schreibweisen"],
        ["Homeoffice", "3", "Home-Office, Homeoffice, homeoffice"],
    ]
    people.assert_no_errors()
