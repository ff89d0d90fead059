"""Screen readers on the participant's page (WCAG 4.1.3): one polite status region,
in the HTML from the start and empty, through which every message passes, at most one
every few seconds (static/js/announcer.js); the newest waiting message wins."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from podium.services import live_control
from tests.e2e.conftest import PHONE, People, Site

pytestmark = pytest.mark.browser
LIVE = "[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]"
INTERVAL_MS = 3000  # announcer.js


def test_the_participants_page_has_one_live_region(site: Site, people: People) -> None:
    rt, demo = site.srv.rt, site.demo
    site.srv.run(live_control.go_live, rt, demo.event.id, demo.text)
    phone = people.page(viewport=PHONE)
    html = phone.request.get(site.join_url).text()
    assert '<p id="announcer" class="visually-hidden" role="status" aria-live="polite"></p>' in html
    phone.goto(site.join_url)
    expect(phone.locator("#contribution-text")).to_be_visible()
    # role=alert only appears with an answer the server refused: not on the page now.
    assert phone.locator(LIVE).count() == 1
    assert phone.locator(LIVE).get_attribute("id") == "announcer"
    people.assert_no_errors()


def test_announcements_wait_their_turn_and_the_latest_wins(site: Site, people: People) -> None:
    phone = people.page(viewport=PHONE)
    phone.clock.install()
    phone.goto(site.join_url)
    expect(phone.locator("#contribution-text")).to_be_visible()
    announcer = phone.locator("#announcer")
    expect(announcer).to_have_text("")
    phone.evaluate("document.getElementById('status').textContent = 'Antwort erhalten'")
    expect(announcer).to_have_text("Antwort erhalten")
    # Two more messages at once: neither is read before the interval is over …
    phone.evaluate(
        "() => { document.getElementById('contribution-status').textContent = 'Gesendet';"
        " document.querySelector('.contribution-news').textContent = '2 neue Beiträge'; }"
    )
    phone.clock.run_for(INTERVAL_MS - 500)
    expect(announcer).to_have_text("Antwort erhalten")
    # … then only the latest.
    phone.clock.run_for(1000)
    expect(announcer).to_have_text("2 neue Beiträge")
    people.assert_no_errors()
