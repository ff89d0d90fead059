"""The demo event of the seed in real browsers: the moderator logs in with the demo
account, one presenter screen and three participants go through its polls, and
the presenter's chart and word cloud change after their votes without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from podium.demo.seed import ensure_demo
from podium.services.catalog_events import get_event
from podium.settings import Settings
from tests.e2e.conftest import LAPTOP, PHONE, SCREEN_720, People
from tests.e2e.test_live_event import (
    expect_bar,
    expect_question,
    expect_received,
    go_live,
    send_words,
    show_results_on_screen,
    vote_choices,
)
from tests.server import live_server

pytestmark = pytest.mark.browser

HOMEOFFICE = "Organisation von Homeoffice"
FUEHRUNG = "Führung und Zusammenarbeit auf Distanz"


def test_three_participants_go_through_the_demo_event(settings: Settings, browser) -> None:
    with live_server(settings) as srv:
        info = srv.run(ensure_demo, srv.rt)
        event = srv.run(get_event, srv.rt, info.event_id)
        inward, outward, words = (q.id for q in event.questions[:3])
        people = People(browser)
        try:
            screen = people.page(SCREEN_720)
            screen.goto(f"{srv.url}/present/{info.presenter_token}")
            screen.evaluate("window.__marker = 1")
            phones = [people.page(PHONE) for _ in range(3)]
            for phone in phones:
                phone.goto(f"{srv.url}/p/{info.join_code}")

            console = people.page(LAPTOP)
            console.goto(f"{srv.url}/login?next=/moderate/{info.event_id}")
            console.locator("#email").fill(info.organiser_email)
            console.locator("#password").fill(info.organiser_password)
            with console.expect_navigation():
                console.locator("form[action='/login'] button[type=submit]").click()
            expect(console.locator("#controls .question-row")).to_have_count(4)

            go_live(console, inward)
            show_results_on_screen(console, inward)
            for phone in phones:
                expect_question(phone, event.questions[0].title)
            votes = [[HOMEOFFICE, FUEHRUNG], [HOMEOFFICE], [FUEHRUNG, "Interne Kommunikation"]]
            for phone, choice in zip(phones, votes, strict=True):
                vote_choices(phone, choice)
            for phone in phones:
                expect_received(phone)
            expect_bar(screen, HOMEOFFICE, "67 %", 2)
            expect_bar(screen, FUEHRUNG, "67 %", 2)
            expect_bar(screen, "Interne Kommunikation", "33 %", 1)

            go_live(console, outward)
            show_results_on_screen(console, outward)
            for phone in phones:
                expect_question(phone, event.questions[1].title)
            for phone in phones:
                vote_choices(phone, ["Änderungen bei der Beratung"])
            expect_bar(screen, "Änderungen bei der Beratung", "100 %", 3)

            go_live(console, words)
            show_results_on_screen(console, words)
            typed = [["Homeoffice", "E-Akte"], ["homeoffice"], ["Videoberatung", "Homeoffice"]]
            for phone, entry in zip(phones, typed, strict=True):
                expect_question(phone, event.questions[2].title)
                send_words(phone, entry)
            cloud = screen.locator("#results svg.cloud")
            expect(cloud.locator("text[data-step='6']", has_text="Homeoffice")).to_have_count(1)
            expect(cloud.locator("text", has_text="Videoberatung")).to_have_count(1)

            assert screen.evaluate("window.__marker") == 1  # never reloaded
            people.assert_no_errors()
        finally:
            people.close()
