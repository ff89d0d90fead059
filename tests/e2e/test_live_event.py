"""The live event in real browsers: a moderator drives the real console, one
presenter screen and three participants' phones follow it, and the presenter's
chart changes after their votes without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from podium.services import live_control
from tests.e2e.conftest import (
    LAPTOP,
    PHONE,
    SCREEN_720,
    SCREEN_1080,
    People,
    Site,
    log_in,
)

pytestmark = pytest.mark.browser

NOT_EMPTY = re.compile(r"\S")


def control(console: Page, action: str, question_id: int, value: str | None = None) -> Locator:
    """A moderator control button, found by its form's hidden inputs (any UI language)."""
    selector = (
        f"form.control:has(input[name=action][value={action}])"
        f":has(input[name=question_id][value='{question_id}'])"
    )
    if value is not None:
        selector += f":has(input[name=value][value='{value}'])"
    return console.locator(f"{selector} button")


def go_live(console: Page, question_id: int) -> None:
    control(console, "go_live", question_id).click()
    # The controls are re-fetched after the state frame: the row becomes current.
    expect(console.locator(f"li#q{question_id}.current")).to_be_visible()


def show_results_on_screen(console: Page, question_id: int) -> None:
    control(console, "results_on_screen", question_id, "1").click()
    expect(control(console, "results_on_screen", question_id, "0")).to_be_visible()


def bar(screen: Page, label: str) -> Locator:
    return screen.locator("#results svg.chart g.bar").filter(
        has=screen.locator("text.label", has_text=label)
    )


def expect_bar(screen: Page, label: str, percent: str, count: int) -> None:
    value = bar(screen, label).locator("text.value")
    expect(value).to_contain_text(percent)
    expect(value.locator("tspan.count")).to_have_text(f"({count})")


def expect_row(page: Page, label: str, percent: str, count: int) -> None:
    """A bar in the compact chart (console, phones, results page): one row per option."""
    row = page.locator("#results li.bar-row").filter(has=page.locator(".bar-label", has_text=label))
    expect(row.locator(".bar-value strong")).to_have_text(percent)
    expect(row.locator(".bar-value .count")).to_have_text(f"({count})")


def expect_question(device: Page, title: str) -> None:
    expect(device.locator("#panel .question-title")).to_have_text(title)


def expect_received(device: Page) -> None:
    # The status region also announces new questions (class "info"); this is the receipt.
    expect(device.locator("#status:not(.info)")).to_have_text(NOT_EMPTY)
    expect(device.locator("#panel .error")).to_have_count(0)


def vote_choices(device: Page, labels: list[str]) -> None:
    for label in labels:
        device.get_by_role("checkbox", name=label).check()
    device.locator("form.answer-form button.primary").click()


def choice_button(device: Page, label: str) -> Locator:
    # By accessible name; the chosen button may carry a CSS check mark after its label.
    return device.get_by_role("button", name=re.compile(rf"^{re.escape(label)}\b"))


def send_words(device: Page, words: list[str]) -> None:
    fields = device.locator("form.answer-form input[name=word]")
    for i, word in enumerate(words):
        fields.nth(i).fill(word)
    device.locator("form.answer-form button.primary").click()


def test_presenter_and_three_participants_go_through_the_event(
    site: Site, people: People, shot
) -> None:
    demo = site.demo

    # The presenter screen, shared in the video call: the welcome screen first.
    screen = people.page(SCREEN_720)
    screen.goto(site.presenter_url)
    navigations: list[str] = []
    screen.on("framenavigated", lambda frame: navigations.append(frame.url))
    screen.evaluate("window.__marker = 1")
    code = screen.locator(".join-code")
    expect(code).to_have_text(re.compile(r"\d"))
    expect(screen.locator(".join-info .qr svg")).to_be_visible()
    expect(screen.locator(".screen-welcome h1")).to_have_text(demo.event.title)
    shot(screen, "presenter-welcome.png")

    # Participant 1 types the code from the screen on the start page; 2 and 3 use the link.
    phones = [people.page(PHONE) for _ in range(3)]
    phones[0].goto(site.url + "/")
    shot(phones[0], "start.png")
    phones[0].locator("#code").fill(code.inner_text())
    phones[0].locator("form[action='/join'] button[type=submit]").click()
    expect(phones[0]).to_have_url(site.join_url)
    for phone in phones[1:]:
        phone.goto(site.join_url)
    for phone in phones:
        expect(phone.locator("#panel .waiting")).to_be_visible()

    # The moderator logs in and opens the console.
    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{demo.event.id}")
    expect(console).to_have_url(site.console_url)
    expect(console.locator("#controls .question-row")).to_have_count(5)
    console.evaluate("window.__marker = 1")

    # 1. Top three topics: several choices each.
    go_live(console, demo.top3)
    for phone in phones:
        expect_question(phone, "Ihre drei Top-Themen?")
    expect(screen.locator("#panel .screen-question")).to_have_text("Ihre drei Top-Themen?")
    # A failed request of the console's script shows here, before it can cause a reload.
    people.assert_no_errors()
    show_results_on_screen(console, demo.top3)
    expect(screen.locator("#results svg.chart g.bar")).to_have_count(4)
    expect_bar(screen, "Homeoffice", "0 %", 0)
    shot(phones[0], "participant-question.png")

    votes = [["Homeoffice", "Führung"], ["Homeoffice"], ["Homeoffice", "Beratung"]]
    for phone, choice in zip(phones, votes, strict=True):
        vote_choices(phone, choice)
    for phone in phones:
        expect_received(phone)
        send = phone.locator("form.answer-form button.primary")
        expect(send).to_have_text(send.get_attribute("data-change") or "")
    shot(phones[0], "participant-received.png")

    expect_bar(screen, "Homeoffice", "100 %", 3)
    expect_bar(screen, "Führung", "33 %", 1)
    expect_bar(screen, "Beratung", "33 %", 1)
    expect_bar(screen, "Zugang", "0 %", 0)
    # The moderator's own live chart follows too.
    expect_row(console, "Homeoffice", "100 %", 3)
    # ... and, a moment later, the answer count in the console's question list.
    expect(console.locator(f"li#q{demo.top3} .q-n")).to_contain_text("3")
    shot(screen, "presenter-results-1280.png")
    shot(console, "moderator-console.png")
    screen.set_viewport_size(SCREEN_1080)
    expect_bar(screen, "Homeoffice", "100 %", 3)
    shot(screen, "presenter-results-1920.png")
    screen.set_viewport_size(SCREEN_720)

    # 2. A word cloud: the presenter shows the words once results are on screen.
    go_live(console, demo.words)
    for phone in phones:
        expect_question(phone, "Drei Schlagworte")
    expect(screen.locator("#panel .screen-question")).to_have_text("Drei Schlagworte")
    expect(screen.locator("#results svg.chart")).to_have_count(0)
    words = [["Digitalisierung", "Beratung", "Nähe"], ["digitalisierung", "Nähe"], ["Vertrauen"]]
    for phone, typed in zip(phones, words, strict=True):
        send_words(phone, typed)
    for phone in phones:
        expect_received(phone)
    show_results_on_screen(console, demo.words)
    cloud = screen.locator("#results svg.cloud")
    for word in ("Digitalisierung", "Beratung", "Nähe", "Vertrauen"):
        expect(cloud.locator("text", has_text=word)).to_have_count(1)
    # Two spellings of one word count as one word, shown largest.
    expect(cloud.locator("text[data-step='6']")).to_have_count(2)
    # A screen reader hears the leaders, not the whole cloud at every change.
    expect(screen.locator("#results-news")).to_have_text(
        re.compile(r"^(Digitalisierung 2, Nähe 2|Nähe 2, Digitalisierung 2), .*3 Personen")
    )
    assert screen.locator("#results").get_attribute("aria-live") is None
    shot(screen, "presenter-wordcloud.png")

    # 3. A single choice: one tap sends it.
    go_live(console, demo.single)
    for phone in phones:
        expect_question(phone, "Ja oder nein?")
    show_results_on_screen(console, demo.single)
    for phone, choice in zip(phones, ["Ja", "Ja", "Nein"], strict=True):
        choice_button(phone, choice).click()
    for phone, choice in zip(phones, ["Ja", "Ja", "Nein"], strict=True):
        expect_received(phone)
        expect(choice_button(phone, choice)).to_have_attribute("aria-pressed", "true")
    expect_bar(screen, "Ja", "67 %", 2)
    expect_bar(screen, "Nein", "33 %", 1)

    # Afterwards the organiser reads all results on one page.
    report = people.tab(console)
    report.goto(f"{site.url}/admin/events/{demo.event.id}/results")
    expect(report.locator("section.result-block")).to_have_count(5)
    expect(report.locator("section.result-block").first).to_contain_text("Homeoffice")
    shot(report, "results-page.png", full_page=True)

    # Everything arrived live: the presenter page is the one loaded at the start.
    assert screen.evaluate("window.__marker") == 1
    assert navigations == []
    # The console's controls post in place too (a full form post is only the fallback).
    assert console.evaluate("window.__marker") == 1, "the moderator console reloaded"

    people.assert_no_errors()


def test_participant_page_works_by_keyboard(site: Site, people: People) -> None:
    demo = site.demo
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.top3)
    phone = people.page(PHONE)
    phone.goto(site.join_url)
    expect_question(phone, "Ihre drei Top-Themen?")

    def tab_to(target: Locator) -> None:
        for _ in range(30):
            phone.keyboard.press("Tab")
            if target.evaluate("el => el === document.activeElement"):
                outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
                assert outline != "none", "the focused control shows no focus outline"
                return
        raise AssertionError(f"Tab never reached {target}")

    tab_to(phone.get_by_role("checkbox", name="Führung"))
    phone.keyboard.press("Space")
    tab_to(phone.get_by_role("checkbox", name="Zugang"))
    phone.keyboard.press("Space")
    expect(phone.get_by_role("checkbox", name="Führung")).to_be_checked()
    expect(phone.get_by_role("checkbox", name="Zugang")).to_be_checked()
    tab_to(phone.locator("form.answer-form button.primary"))
    phone.keyboard.press("Enter")
    expect_received(phone)

    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.single)
    expect_question(phone, "Ja oder nein?")
    tab_to(choice_button(phone, "Nein"))
    phone.keyboard.press("Enter")
    expect_received(phone)
    expect(choice_button(phone, "Nein")).to_have_attribute("aria-pressed", "true")

    live = site.srv.rt.live.loaded(demo.event.id)
    assert live is not None
    result = live.tallies[demo.top3].result()
    assert {o.label: o.count for o in result.options} == {
        "Homeoffice": 0,
        "Führung": 1,
        "Beratung": 0,
        "Zugang": 1,
    }
    people.assert_no_errors()


def test_an_answer_that_cannot_be_changed_locks_the_form(site: Site, people: People) -> None:
    """A question that allows no change: after the tap both buttons are locked, as
    they are on the page the server renders (see the no-JavaScript test)."""
    demo = site.demo
    phone = people.page(PHONE)
    phone.goto(site.join_url)
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.single)
    expect_question(phone, "Ja oder nein?")
    choice_button(phone, "Ja").click()
    expect_received(phone)
    expect(choice_button(phone, "Ja")).to_have_attribute("aria-pressed", "true")
    expect(choice_button(phone, "Nein")).to_be_disabled()
    expect(choice_button(phone, "Ja")).to_be_disabled()
    people.assert_no_errors()


def test_voting_without_javascript(site: Site, people: People) -> None:
    demo = site.demo
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.top3)
    phone = people.page(PHONE, java_script_enabled=False)
    phone.goto(site.join_url)
    expect_question(phone, "Ihre drei Top-Themen?")
    phone.get_by_role("checkbox", name="Beratung").check()
    phone.get_by_role("checkbox", name="Zugang").check()
    with phone.expect_navigation():
        phone.locator("form.answer-form button.primary").click()
    expect_received(phone)
    # The page after the post shows the answer as sent.
    expect(phone.get_by_role("checkbox", name="Beratung")).to_be_checked()
    expect(phone.get_by_role("checkbox", name="Homeoffice")).not_to_be_checked()

    # A single choice without a script: the tapped button is the form's submitter.
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.single)
    phone.reload()  # without a script the page does not follow by itself
    expect_question(phone, "Ja oder nein?")
    with phone.expect_navigation():
        choice_button(phone, "Ja").click()
    expect_received(phone)
    expect(choice_button(phone, "Ja")).to_have_attribute("aria-pressed", "true")
    # This question allows no change: the form is locked now.
    expect(choice_button(phone, "Ja")).to_be_disabled()
    expect(choice_button(phone, "Nein")).to_be_disabled()

    live = site.srv.rt.live.loaded(demo.event.id)
    assert live is not None
    top3 = {o.label: o.count for o in live.tallies[demo.top3].result().options}
    assert top3 == {"Homeoffice": 0, "Führung": 0, "Beratung": 1, "Zugang": 1}
    single = {o.label: o.count for o in live.tallies[demo.single].result().options}
    assert single == {"Ja": 1, "Nein": 0}
