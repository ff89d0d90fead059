"""The administrators' accounts page (tests/e2e/a11y_pages.py walks the pages an
organiser sees; this one needs an administrator): axe-core finds no WCAG 2.1 AA
violation, with an invitation link shown and a log, in German and English; nothing
scrolls sideways at 320 px."""

from __future__ import annotations

from functools import partial

import pytest
from playwright.sync_api import Page

from podium.services import accounts
from tests.e2e.conftest import LAPTOP, People, Site
from tests.e2e.test_axe import violations
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser
ADMIN = "admin@example.org"


def _admin_page(site: Site, people: People, locale: str, viewport: dict[str, int]) -> Page:
    site.srv.run(partial(accounts.create_user, role="administrator"), site.srv.rt, ADMIN, PASSWORD)
    page = people.page(viewport=viewport, locale=locale)
    page.goto(f"{site.url}/login?next=/admin/accounts")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
    page.goto(f"{site.url}/admin/accounts")
    page.locator("#invite-email").fill("neu@example.org")
    with page.expect_navigation():
        page.locator("form[action='/admin/accounts/invite'] button[type=submit]").click()
    assert page.locator(".account-link").count() == 1
    return page


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_the_accounts_page_has_no_violation(site: Site, people: People, locale: str) -> None:
    page = _admin_page(site, people, locale, LAPTOP)
    assert violations(page) == []
    page.goto(f"{site.url}/admin/accounts")
    assert violations(page) == []
    people.assert_no_errors()


def test_the_accounts_page_fits_at_320_px(site: Site, people: People) -> None:
    page = _admin_page(site, people, "de-DE", {"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
