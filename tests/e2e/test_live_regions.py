"""Screen readers (WCAG 4.1.3). The participant's page: one polite status region, in
the HTML from the start and empty, through which every message passes, at most one
every few seconds (static/js/announcer.js); the newest waiting message wins. The
presenter's contributions region is patched in place (static/js/patch.js)."""

from __future__ import annotations

from functools import partial

import pytest
from playwright.sync_api import expect

from podium.services import contributions, live_control, moderation
from tests.e2e.conftest import LAPTOP, PHONE, People, Site

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


MARK = """() => { document.querySelector('#contributions .screen-contributions').__kept = 1;
  document.querySelectorAll('#contributions li[data-id]').forEach(li => { li.__kept = 1; }); }"""
KEPT = """() => ({section: document.querySelector('#contributions .screen-contributions').__kept,
  items: [...document.querySelectorAll('#contributions li[data-id]')].map(li =>
    [li.querySelector('.text').textContent, li.__kept || 0])})"""


def test_the_presenters_contributions_change_in_place(site: Site, people: People) -> None:
    """The screen's contributions are a polite live region: an upvote that reorders
    them moves the items that are there, it does not replace the region (which a
    screen reader would read again from the top)."""
    rt, event_id = site.srv.rt, site.demo.event.id
    site.srv.run(partial(moderation.configure, screen_mode="contributions"), rt, event_id)
    live = site.srv.run(rt.live.get, event_id)
    first = site.srv.run(contributions.submit, rt, live, "a" * 40, "Erste Frage")
    second = site.srv.run(contributions.submit, rt, live, "b" * 40, "Zweite Frage")
    for sent in (first, second):
        site.srv.run(moderation.act, rt, event_id, sent.id, "approve", None)
    screen = people.page(viewport=LAPTOP)
    screen.goto(site.presenter_url)
    items = screen.locator("#contributions li[data-id] .text")
    expect(items).to_have_count(2)
    assert screen.locator("#contributions").get_attribute("aria-live") == "polite"
    screen.evaluate(MARK)
    order = items.all_text_contents()
    later = first if order[-1] == "Erste Frage" else second
    site.srv.run(contributions.vote, rt, live, "c" * 40, later.id, True)
    expect(items.first).to_have_text(later.text)
    kept = screen.evaluate(KEPT)
    assert kept["section"] == 1
    assert sorted(kept["items"]) == [["Erste Frage", 1], ["Zweite Frage", 1]]
    people.assert_no_errors()
