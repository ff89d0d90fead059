"""Layout in a real browser: the presenter screen fits 1280×720 and 1920×1080 with
nothing cut off and type large enough for a shared video, and the participant
page reflows to a 320 px wide phone without sideways scrolling (WCAG 1.4.10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from podium.services import live_control
from podium.services.catalog_questions import QuestionInput, add_question
from tests.e2e.conftest import SCREEN_720, SCREEN_1080, People, Site

pytestmark = pytest.mark.browser

# Drawn font size (CSS px) of the smallest chart text: about 24 pt on a slide, so it
# stays readable when the screen is shared as a video (720p / 1080p).
MIN_SCREEN_TEXT_PX = {1280: 20, 1920: 30}


def inside_viewport(page: Page, locator: Locator) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    size = page.viewport_size
    assert size is not None
    assert box["x"] >= 0 and box["y"] >= 0, f"{locator} starts outside the screen: {box}"
    assert box["x"] + box["width"] <= size["width"] + 0.5, f"{locator} is cut off right: {box}"
    assert box["y"] + box["height"] <= size["height"] + 0.5, f"{locator} is cut off below: {box}"


def no_scrolling(page: Page) -> None:
    overflow = page.evaluate(
        """() => ({
            x: document.documentElement.scrollWidth - window.innerWidth,
            y: document.documentElement.scrollHeight - window.innerHeight,
        })"""
    )
    assert overflow["x"] <= 0, f"the page scrolls sideways by {overflow['x']} px"
    assert overflow["y"] <= 0, f"the page scrolls down by {overflow['y']} px"


@pytest.mark.parametrize("viewport", [SCREEN_720, SCREEN_1080], ids=["1280x720", "1920x1080"])
def test_presenter_screen_fits_and_reads_well(
    site: Site, people: People, viewport: dict[str, int]
) -> None:
    demo = site.demo
    rt, event_id = site.srv.rt, demo.event.id
    screen = people.page(viewport)
    screen.goto(site.presenter_url)

    expect(screen.locator(".join-code")).to_be_visible()
    no_scrolling(screen)
    for part in (".screen-welcome h1", ".join-info .qr svg", ".join-code", ".join-url"):
        inside_viewport(screen, screen.locator(part))

    site.srv.run(live_control.go_live, rt, event_id, demo.top3)
    site.srv.run(live_control.set_flags, rt, event_id, demo.top3, results_on_screen=True)
    bars = screen.locator("#results svg.chart g.bar")
    expect(bars).to_have_count(4)
    no_scrolling(screen)
    inside_viewport(screen, screen.locator(".screen-question"))
    inside_viewport(screen, screen.locator(".join-code"))
    for i in range(4):
        inside_viewport(screen, bars.nth(i).locator("text.label"))
        inside_viewport(screen, bars.nth(i).locator("text.value"))

    # SVG text scales with the chart: the drawn size is font-size times the SVG's scale.
    drawn = screen.evaluate(
        """() => [...document.querySelectorAll('#results svg.chart text')].map(
              (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )
    smallest = min(drawn)
    assert smallest >= MIN_SCREEN_TEXT_PX[viewport["width"]], (
        f"chart text is drawn only {smallest:.1f} px high at {viewport['width']} px width"
    )
    title = screen.locator(".screen-question").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert title >= 1.5 * MIN_SCREEN_TEXT_PX[viewport["width"]], f"question title {title} px"
    people.assert_no_errors()


SEED_POLL = QuestionInput(
    "multiple",
    "Was waren in den letzten Monaten Ihre drei TOP-Themen bezüglich "
    "„Wandel bei einem Blick nach innen“?",
    [
        "Organisation von Homeoffice",
        "Führung und Zusammenarbeit auf Distanz",
        "Digitale Ausstattung und E-Akte",
        "Zusammenhalt im Team",
        "Gesundheit und Belastung der Mitarbeitenden",
        "Interne Kommunikation",
        "Personalgewinnung und Einarbeitung",
    ],
    {"max_choices": 3},
)


@pytest.mark.parametrize("viewport", [SCREEN_720, SCREEN_1080], ids=["1280x720", "1920x1080"])
def test_the_seed_poll_fits_the_presenter_screen(
    site: Site, people: People, viewport: dict[str, int], shot
) -> None:
    """The real poll of the source event: a two-line title and seven long options."""
    rt, event_id = site.srv.rt, site.demo.event.id
    question = site.srv.run(add_question, rt, event_id, SEED_POLL)
    site.srv.run(live_control.go_live, rt, event_id, question.id)
    site.srv.run(live_control.set_flags, rt, event_id, question.id, results_on_screen=True)
    screen = people.page(viewport)
    screen.goto(site.presenter_url)
    bars = screen.locator("#results svg.chart g.bar")
    expect(bars).to_have_count(7)
    shot(screen, f"seed-poll-{viewport['width']}.png", guide=False)
    no_scrolling(screen)
    inside_viewport(screen, screen.locator(".screen-question"))
    inside_viewport(screen, screen.locator("#results .n"))
    for i in range(7):
        inside_viewport(screen, bars.nth(i).locator("text.label"))
        inside_viewport(screen, bars.nth(i).locator("text.value"))
    people.assert_no_errors()


def test_participant_page_reflows_on_a_small_phone(site: Site, people: People) -> None:
    demo = site.demo
    rt, event_id = site.srv.rt, demo.event.id
    phone = people.page({"width": 320, "height": 568})
    phone.goto(site.join_url)
    for question, title in (
        (demo.top3, "Ihre drei Top-Themen?"),
        (demo.scale, "Wie zufrieden?"),
        (demo.words, "Drei Schlagworte"),
        (demo.text, "Ihre Wortmeldung"),
    ):
        site.srv.run(live_control.go_live, rt, event_id, question)
        expect(phone.locator("#panel .question-title")).to_have_text(title)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{title!r}: the page is {width} px wide on a 320 px phone"
    people.assert_no_errors()
