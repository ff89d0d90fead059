"""In real browsers, without a reload: the console's live panel follows "back to the
welcome page", its participant figure follows phones as they come and go, the screen
shows that figure while the box in the console is ticked, and an author's phone stops
saying "Wartet auf Freigabe" once the contribution is rejected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from podium.services import live_control, moderation
from tests.e2e.conftest import LAPTOP, PHONE, People, Site, log_in

pytestmark = pytest.mark.browser


def test_the_console_clears_its_live_panel_back_on_the_welcome_page(
    site: Site, people: People
) -> None:
    demo = site.demo
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.top3)
    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{demo.event.id}")
    expect(console.locator("#results li.bar-row")).to_have_count(4)
    expect(console.locator("#controls .now strong")).to_have_text("Ihre drei Top-Themen?")

    console.locator("#controls form.control", has=console.locator("input[value=welcome]")).locator(
        "button"
    ).click()
    expect(console.locator("#results li.bar-row")).to_have_count(0)
    expect(console.locator("#results .empty")).to_have_text("Zurzeit wird keine Frage angezeigt.")
    expect(console.locator("#controls .now")).to_contain_text("die Begrüßungsseite")
    people.assert_no_errors()


def test_the_console_counts_phones_without_a_click(site: Site, people: People) -> None:
    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{site.demo.event.id}")
    devices = console.locator("#controls .devices")
    expect(devices).to_have_text("0 Teilnehmende verbunden")
    phones = [people.page(PHONE) for _ in range(2)]
    for phone in phones:
        phone.goto(site.join_url)
    expect(devices).to_have_text("2 Teilnehmende verbunden")
    phones[0].close()
    expect(devices).to_have_text("1 teilnehmende Person verbunden")
    people.assert_no_errors()


def test_a_rejected_contribution_leaves_its_authors_phone(site: Site, people: People) -> None:
    author = people.page(PHONE)
    author.goto(site.join_url)
    author.locator("#contribution-text").fill("Was wird aus der Beratung vor Ort?")
    author.locator("form.contribution-form button[type=submit]").click()
    mine = author.locator("#contribution-list li.pending")
    expect(mine).to_have_count(1)
    expect(mine.locator(".badge.waiting")).to_have_text("Wartet auf Freigabe")
    item_id = int(mine.get_attribute("data-id") or 0)

    site.srv.run(moderation.act, site.srv.rt, site.demo.event.id, item_id, "reject", None)
    # well before the half-minute recheck: the frame names the pending ids
    expect(mine).to_have_count(0, timeout=3000)
    expect(author.locator("#contribution-list")).not_to_contain_text(re.compile("Freigabe"))
    people.assert_no_errors()


def test_ticking_the_box_shows_the_participant_count_on_an_open_screen(
    site: Site, people: People
) -> None:
    screen = people.page(LAPTOP)
    screen.goto(site.presenter_url)
    count = screen.locator("#participants")
    expect(count).to_be_hidden()
    expect(count).to_have_attribute("aria-live", "off")
    phones = [people.page(PHONE) for _ in range(2)]
    for phone in phones:
        phone.goto(site.join_url)

    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{site.demo.event.id}")
    expect(console.locator("#controls .devices")).to_have_text("2 Teilnehmende verbunden")
    form = console.locator("#contribution-settings")
    form.locator("summary").click()
    box = form.get_by_label("Teilnehmendenzahl auf dem Bildschirm zeigen")
    expect(box).not_to_be_checked()
    box.check()
    form.get_by_role("button", name="Einstellungen speichern").click()
    expect(count).to_be_visible()
    expect(count).to_have_text("2 Teilnehmende")
    phones[0].close()
    expect(count).to_have_text("1 teilnehmende Person")

    box.uncheck()
    form.get_by_role("button", name="Einstellungen speichern").click()
    expect(count).to_be_hidden()
    expect(count).to_have_text("")
    expect(box).not_to_be_checked()
    people.assert_no_errors()
