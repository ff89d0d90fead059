"""axe-core's WCAG 2.1 A and AA rules on the legal pages, in both languages, filled
in and not: a public body's statement of accessibility must itself be accessible."""

from __future__ import annotations

import pytest

from podium.settings import Settings
from tests.e2e.conftest import LAPTOP, PHONE, People, Site
from tests.e2e.test_axe import violations

pytestmark = pytest.mark.browser
PAGES = ("imprint", "privacy", "accessibility")
NARROWEST = {"width": 320, "height": 640}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "legal_name": "Landesamt für Beispiele",
            "legal_address": "Musterstraße 1; 10115 Berlin",
            "legal_email": "poststelle@example.org",
            "legal_dpo": "dsb@example.org",
        }
    )


def test_the_legal_pages_in_both_languages(site: Site, people: People) -> None:
    page = people.page(viewport=PHONE)
    narrow = people.page(viewport=NARROWEST)
    for name in PAGES:
        for lang in ("de", "en"):
            page.goto(f"{site.url}/legal/{name}?lang={lang}")
            assert violations(page) == [], (name, lang)
            # WCAG 1.4.10: nothing scrolls sideways at 320 CSS pixels, long German
            # compounds ("Behindertengleichstellungsgesetz") included
            narrow.goto(page.url)
            width = narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert width <= 0, f"{name} ({lang}) scrolls sideways at 320 px"
    people.assert_no_errors()


def test_the_footer_leads_from_the_participants_page_to_the_statement(
    site: Site, people: People
) -> None:
    page = people.page(viewport=LAPTOP)
    page.goto(site.join_url)
    page.get_by_role("navigation", name="Rechtliche Hinweise").get_by_role(
        "link", name="Barrierefreiheit"
    ).click()
    page.wait_for_url("**/legal/accessibility?lang=de")
    assert page.get_by_role("heading", level=1).inner_text() == "Erklärung zur Barrierefreiheit"
    assert violations(page) == []
    people.assert_no_errors()
