"""WCAG 1.4.10 Reflow: at 320 CSS pixels no page of the accessibility catalogue
(tests/e2e/a11y_pages.py) scrolls sideways, in German (the longer words) and English.
Data tables may scroll inside their own focusable, labelled region; the page may not."""

from __future__ import annotations

import pytest

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
