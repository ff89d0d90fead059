"""WCAG 1.4.10 Reflow: at 320 CSS pixels no page of the accessibility catalogue
(tests/e2e/a11y_pages.py) scrolls sideways, in German (the longer words) and English.
Data tables may scroll inside their own focusable, labelled region; the page may not."""

from __future__ import annotations

from functools import partial

import pytest
from playwright.sync_api import expect

from podium.services import live_control
from tests.e2e.a11y_pages import fill, organiser_pages, public_pages
from tests.e2e.conftest import People, Site, log_in

pytestmark = pytest.mark.browser
NARROWEST = {"width": 320, "height": 640}
WIDTH = "document.documentElement.scrollWidth"
# The regions that scroll by themselves can be reached and scrolled by keyboard.
REGIONS = """() => [...document.querySelectorAll('.table-scroll')].filter(r =>
  r.scrollWidth > r.clientWidth && !(r.tabIndex === 0 && r.getAttribute('role') === 'region'
  && (r.getAttribute('aria-label') || r.getAttribute('aria-labelledby')))).length"""


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_nothing_scrolls_sideways_at_320_px(site: Site, people: People, locale: str) -> None:
    filled = site.srv.run(fill, site)
    page = people.page(viewport=NARROWEST, locale=locale)
    wide: dict[str, int] = {}
    unlabelled: dict[str, int] = {}
    for name, path in public_pages(site, filled).items():
        page.goto(f"{site.url}{path}")
        if (width := page.evaluate(WIDTH)) > NARROWEST["width"]:
            wide[name] = width
    log_in(page, site, "/admin")
    for name, path in organiser_pages(site, filled).items():
        page.goto(f"{site.url}{path}")
        if (width := page.evaluate(WIDTH)) > NARROWEST["width"]:
            wide[name] = width
        if bad := page.evaluate(REGIONS):
            unlabelled[name] = bad
    assert wide == {}
    assert unlabelled == {}


def test_the_participants_questions_fit_at_320_px(site: Site, people: People) -> None:
    """Each question kind, open and with its results on the device, in German."""
    rt, demo = site.srv.rt, site.demo
    site.srv.run(fill, site)
    phone = people.page(viewport=NARROWEST)
    phone.goto(site.join_url)
    wide: dict[str, int] = {}
    for question_id in (demo.top3, demo.single, demo.scale, demo.words, demo.text):
        site.srv.run(live_control.go_live, rt, demo.event.id, question_id)
        form = phone.locator(f"#panel form.answer-form[data-question='{question_id}']")
        expect(form).to_be_visible()
        if (width := phone.evaluate(WIDTH)) > NARROWEST["width"]:
            wide[f"question {question_id}"] = width
        site.srv.run(
            partial(live_control.set_flags, results_on_devices=True), rt, demo.event.id, question_id
        )
        expect(phone.locator("#results")).to_be_visible()
        if (width := phone.evaluate(WIDTH)) > NARROWEST["width"]:
            wide[f"question {question_id} with results"] = width
    assert wide == {}
    people.assert_no_errors()
