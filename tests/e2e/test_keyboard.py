"""Keyboard only (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.7): a participant joins with the code,
votes, sends a contribution and upvotes another; a moderator runs a question and
approves a contribution; no click anywhere. Every focused control shows its focus, and
a full Tab walk of each page comes back to the top without a trap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from podium.services import contributions, moderation
from tests.e2e.a11y_pages import fill, organiser_pages, public_pages
from tests.e2e.conftest import LAPTOP, PHONE, People, Site, log_in
from tests.e2e.keyboard import tab_to, tab_walk

pytestmark = pytest.mark.browser
NOT_EMPTY = re.compile(r"\S")
MINE = "Wann kommt die E-Akte in die Außenstellen?"
OTHERS = "Gibt es Schulungen für alle?"


def type_code(page: Page, code: str) -> None:
    for digit in code:
        page.keyboard.press(digit)


def test_a_participant_by_keyboard_only(site: Site, people: People) -> None:
    rt, demo = site.srv.rt, site.demo
    live = site.srv.run(rt.live.get, demo.event.id)
    other = site.srv.run(contributions.submit, rt, live, "o" * 40, OTHERS)
    site.srv.run(moderation.act, rt, demo.event.id, other.id, "approve", None)
    console = people.page(viewport=LAPTOP)
    log_in(console, site, f"/moderate/{demo.event.id}")

    phone = people.page(viewport=PHONE)
    phone.goto(site.url)
    tab_to(phone, phone.locator("#code"))
    type_code(phone, demo.event.join_code)
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(rf"/p/{demo.event.join_code}$"))

    # The moderator, by keyboard too: the skip link, then the question's first control.
    tab_to(console, console.locator("a.skip-link[href='#questions']"))
    console.keyboard.press("Enter")
    expect(console.locator("#questions")).to_be_focused()
    go_live = console.locator(f"li#q{demo.top3} form.control button").first
    tab_to(console, go_live)
    console.keyboard.press("Enter")
    expect(console.locator(f"li#q{demo.top3}.current")).to_be_visible()

    expect(phone.locator("#panel .question-title")).to_have_text("Ihre drei Top-Themen?")
    tab_to(phone, phone.get_by_role("checkbox", name="Führung"))
    phone.keyboard.press("Space")
    expect(phone.get_by_role("checkbox", name="Führung")).to_be_checked()
    tab_to(phone, phone.locator("form.answer-form button.primary"))
    phone.keyboard.press("Enter")
    expect(phone.locator("#status:not(.info)")).to_have_text(NOT_EMPTY)

    tab_to(phone, phone.locator("#contribution-text"))
    phone.keyboard.type(MINE)
    tab_to(phone, phone.locator("form.contribution-form button[type=submit]"))
    phone.keyboard.press("Enter")
    expect(phone.locator("#contribution-list li", has_text=MINE)).to_be_visible()

    upvote = phone.locator("#contribution-list li", has_text=OTHERS).locator("form.vote button")
    tab_to(phone, upvote, back=True)  # it is above the form: Shift+Tab goes back to it
    phone.keyboard.press("Space")
    expect(upvote).to_have_attribute("aria-pressed", "true")

    # The moderator approves it from the queue: skip link, then Tab to its button.
    tab_to(console, console.locator("a.skip-link[href='#contributions']"), back=True)
    console.keyboard.press("Enter")
    expect(console.locator("#contributions")).to_be_focused()
    approve = console.locator("#contributions li[data-id]", has_text=MINE).locator(
        "button[name=action][value=approve]"
    )
    tab_to(console, approve)
    console.keyboard.press("Enter")
    item = console.locator("#contributions li[data-id]", has_text=MINE)
    expect(item.locator("button[name=action][value=highlight]")).to_be_visible()
    people.assert_no_errors()


def test_every_page_has_a_tab_walk_without_a_trap(site: Site, people: People) -> None:
    """From the top, Tab goes through every control once and back to the top; every
    stop shows its focus. Chromium gives a date field one stop per part (day, month,
    year, hours, minutes): that is one field to the walk, not a loop."""
    filled = site.srv.run(fill, site)
    page = people.page(viewport=LAPTOP)
    unseen: dict[str, list[str]] = {}
    pages = public_pages(site, filled)
    pages.pop("presenter")  # no control on it; its stream would keep the walk busy
    for name, path in pages.items():
        page.goto(f"{site.url}{path}")
        if hidden := [str(s["name"]) for s in tab_walk(page) if not s["shown"]]:
            unseen[name] = hidden
    log_in(page, site, "/admin")
    for name, path in organiser_pages(site, filled).items():
        page.goto(f"{site.url}{path}")
        if hidden := [str(s["name"]) for s in tab_walk(page) if not s["shown"]]:
            unseen[name] = hidden
    assert unseen == {}


def test_the_console_skip_links_come_first(site: Site, people: People) -> None:
    page = people.page(viewport=LAPTOP)
    log_in(page, site, f"/moderate/{site.demo.event.id}")
    stops = [str(s["name"]) for s in tab_walk(page)[:3]]
    assert [s.split(" ", 1)[1] for s in stops] == [
        "Zum Inhalt springen",
        "Zu den Fragen springen",
        "Zur Warteschlange springen",
    ]
