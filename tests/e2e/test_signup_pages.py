"""The sign-up in a real browser: the form on the series page, refused and sent,
the confirmation link from the queued mail and its page, and the organiser's
subscribers page pass axe-core's WCAG 2.1 A and AA rules; the honeypot is out of the
tab order, so a keyboard goes from the consent box straight to the button. The
forms post with a real Origin (the public pages' referrer policy is same-origin)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, People, Site, log_in
from tests.e2e.test_axe import violations
from tests.services.subscription_helpers import mails, signable_series
from tests.web.test_organiser_subscribers import populate

pytestmark = pytest.mark.browser


def test_the_sign_up_form_refused_sent_and_confirmed(
    site: Site, people: People, shot: Callable[..., Path]
) -> None:
    made = site.srv.run(signable_series, site.srv.rt)
    page = people.page(viewport=LAPTOP)
    page.goto(f"{site.url}/s/{made.slug}")  # German: the user guide's picture
    page.locator("#signup").scroll_into_view_if_needed()
    page.locator("#signup-email").fill("max.muster@example.org")
    shot(page, "series-signup.png", full_page=True)
    page = people.page(viewport=PHONE)
    page.goto(f"{site.url}/s/{made.slug}?lang=en")
    assert violations(page) == []
    page.get_by_label("Your e-mail address").fill("max@example.org")
    page.get_by_label("Only the events I choose:").check()
    page.get_by_role("button", name="Sign up").click()  # no event ticked, no consent
    expect(page.locator("#signup-error")).to_be_visible()
    assert violations(page) == []
    expect(page.get_by_label("Your e-mail address")).to_have_value("max@example.org")
    page.get_by_label(re.compile("^Beratung")).check()
    consent = page.get_by_label("I agree to the consent text above.")
    consent.check()
    consent.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign up")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Please check your mailbox")).to_be_visible()
    assert violations(page) == []
    [mail] = site.srv.run(mails, site.srv.rt)
    link = re.search(r"http://\S+/confirm/\S+", mail.text)
    assert link
    page.goto(link.group(0).replace("http://127.0.0.1:8000", site.url))
    assert violations(page) == []
    page.get_by_role("button", name="Confirm sign-up").click()
    expect(page.get_by_role("heading", name="Your sign-up is confirmed")).to_be_visible()
    assert violations(page) == []


def test_the_organisers_subscribers_page(
    site: Site, people: People, shot: Callable[..., Path]
) -> None:
    made = site.srv.run(populate, site.srv.rt, "bob@example.org")  # each state once
    page = people.page(viewport=LAPTOP)
    path = f"/admin/series/{made.series_id}/subscribers"
    log_in(page, site, path)
    page.goto(f"{site.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Digitale Reihe")
    expect(page.locator("table.subscribers tbody tr")).to_have_count(3)
    shot(page, "series-subscribers.png", full_page=True)
    assert violations(page) == []
