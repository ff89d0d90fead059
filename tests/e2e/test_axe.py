"""axe-core's WCAG 2.1 A and AA rules (tests/e2e/axe/) on podium's pages: the results
page with its report and publishing forms open, the published results as a stranger
sees them, the series comparison, the presenter screen and the participant's page.
Every violation fails, with where it is."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from podium.domain.publication import Publication
from podium.services import accounts, live_control, publication
from podium.services.participation import submit_answer
from podium.services.results import live_event
from tests.e2e.a11y_pages import fill, organiser_pages, public_pages
from tests.e2e.conftest import LAPTOP, PHONE, People, Site, log_in
from tests.services.series_helpers import demo_series
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser
AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Page) -> list[str]:
    page.evaluate(AXE)  # through the debugging protocol: the page's CSP allows no inline script
    found: list[dict[str, Any]] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        WCAG_AA,
    )
    return [f"{v['id']}: {v['help']} at {v['nodes']}" for v in found]


async def answered(site: Site) -> str:
    rt, demo = site.srv.rt, site.demo
    await live_control.go_live(rt, demo.event.id, demo.single)
    live = await live_event(rt, demo.event.id)
    yes, no = demo.option_ids[demo.single]
    for n, choice in enumerate([yes, yes, no]):
        await submit_answer(rt, live, f"{n:040d}", demo.single, [choice], str(uuid.uuid4()))
    published = await publication.publish(rt, demo.event.id, Publication())
    return published.token


def test_the_results_page_with_its_report_form(site: Site, people: People) -> None:
    site.srv.run(answered, site)
    page = people.page(viewport=LAPTOP)
    results = f"/admin/events/{site.demo.event.id}/results"
    log_in(page, site, results)
    page.goto(f"{site.url}{results}")
    page.locator("#rreport").locator("..").locator("details summary").click()
    assert violations(page) == []


def test_the_published_results_on_a_phone(site: Site, people: People) -> None:
    token = site.srv.run(answered, site)
    page = people.page(viewport=PHONE)
    page.goto(f"{site.url}/r/{token}")
    assert violations(page) == []


def test_the_series_comparison(site: Site, people: People) -> None:
    made = site.srv.run(demo_series, site.srv.rt)
    page = people.page(viewport=LAPTOP)
    results = f"/admin/series/{made.series_id}/results"
    log_in(page, site, results)
    page.goto(f"{site.url}{results}")
    assert violations(page) == []


def test_the_presenter_screen_and_the_participants_page(site: Site, people: People) -> None:
    site.srv.run(answered, site)
    screen = people.page(viewport=LAPTOP)
    screen.goto(site.presenter_url)
    assert violations(screen) == []
    phone = people.page(viewport=PHONE)
    phone.goto(site.join_url)
    assert violations(phone) == []


# --- every page, every state, both languages ------------------------------------------

LOCALES = ["de-DE", "en-US"]
MODERATOR = "moderatorin@example.org"
NOT_EMPTY = re.compile(r"\S")
TOO_LARGE = """() => { const f = document.createElement('form'); f.method = 'post';
  f.action = '/login'; const t = document.createElement('textarea'); t.name = 'email';
  t.value = 'x'.repeat(3 * 1024 * 1024); f.append(t); document.body.append(f); f.submit(); }"""


def expected_statuses(people: People, *paths: str) -> None:
    """The error pages' own status (404, 413 …) is what Chromium logs; nothing else may be."""
    people.errors[:] = [
        e
        for e in people.errors
        if not ("the server responded with a status of" in e and any(p in e for p in paths))
    ]


def checked(page: Page, state: str, found: dict[str, list[str]]) -> None:
    """Collect every page's violations first, so one run shows them all."""
    got = violations(page)
    if got:
        found[state] = got


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_has_no_violation(site: Site, people: People, locale: str) -> None:
    filled = site.srv.run(fill, site)
    page = people.page(viewport=LAPTOP, locale=locale)
    found: dict[str, list[str]] = {}
    for name, path in public_pages(site, filled).items():
        page.goto(f"{site.url}{path}")
        checked(page, name, found)
    page.goto(f"{site.url}/login")
    with page.expect_navigation():
        page.evaluate(TOO_LARGE)
    assert "413" in page.title() or page.locator("h1").count() == 1
    checked(page, "413", found)
    log_in(page, site, "/admin")
    for name, path in organiser_pages(site, filled).items():
        page.goto(f"{site.url}{path}")
        checked(page, name, found)
    # 403: a moderator (no organiser) at the organiser's dashboard
    site.srv.run(partial(accounts.create_user, role="moderator"), site.srv.rt, MODERATOR, PASSWORD)
    other = people.page(viewport=LAPTOP, locale=locale)
    other.goto(f"{site.url}/login?next=/admin")
    other.locator("#email").fill(MODERATOR)
    other.locator("#password").fill(PASSWORD)
    with other.expect_navigation():
        other.locator("form[action='/login'] button[type=submit]").click()
    response = other.goto(f"{site.url}/admin")
    assert response is not None and response.status == 403
    checked(other, "403", found)
    assert found == {}
    expected_statuses(people, "/no/such/page", "/p/99999999", "/login", "/admin")
    people.assert_no_errors()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_live_event_in_every_state(site: Site, people: People, locale: str) -> None:
    rt, demo = site.srv.rt, site.demo
    filled = site.srv.run(fill, site)
    found: dict[str, list[str]] = {}
    screen = people.page(viewport=LAPTOP, locale=locale)
    screen.goto(site.presenter_url)
    expect(screen.locator(".join-code")).to_have_text(NOT_EMPTY)
    checked(screen, "presenter: welcome", found)

    start = people.page(viewport=PHONE, locale=locale)
    start.goto(site.url)
    start.locator("#code").fill("12")
    with start.expect_navigation():
        start.locator("form[action='/join'] button[type=submit]").click()
    checked(start, "join: a wrong code", found)

    phone = people.page(viewport=PHONE, locale=locale)
    phone.goto(site.join_url)
    expect(phone.get_by_text(filled.approved)).to_be_visible()
    checked(phone, "participant: welcome with contributions", found)
    answers: list[tuple[int, Callable[[], None]]] = [
        (demo.top3, lambda: vote_choices(phone, ["Führung"])),
        (demo.single, lambda: phone.locator("#panel form.answer-form button").first.click()),
        (demo.scale, lambda: phone.locator("#panel .scale button").nth(2).click()),
        (demo.words, lambda: send_words(phone, ["Akte"])),
        (demo.text, lambda: send_text(phone, "Mehr Zeit")),
    ]
    for question_id, answer in answers:
        site.srv.run(live_control.go_live, rt, demo.event.id, question_id)
        expect(
            phone.locator(f"#panel form.answer-form[data-question='{question_id}']")
        ).to_be_visible()
        checked(phone, f"participant: question {question_id} open", found)
        if question_id == demo.text:  # an empty text is refused: the error state
            phone.locator("form.answer-form button.primary").click()
            expect(phone.locator("#panel .error")).to_be_visible()
            checked(phone, "participant: an answer refused", found)
        answer()
        expect(phone.locator("#status:not(.info)")).to_have_text(NOT_EMPTY)
        checked(phone, f"participant: question {question_id} answered", found)
        site.srv.run(
            partial(live_control.set_flags, results_on_devices=True, results_on_screen=True),
            rt,
            demo.event.id,
            question_id,
        )
        expect(phone.locator("#results")).to_be_visible()
        checked(phone, f"participant: question {question_id} with results", found)
        expect(screen.locator("#results")).to_be_visible()
        checked(screen, f"presenter: question {question_id} with results", found)

    console = people.page(viewport=LAPTOP, locale=locale)
    log_in(console, site, f"/moderate/{demo.event.id}")
    item = console.locator("#contributions li[data-id]", has_text=filled.approved)
    item.locator("button[name=action][value=highlight]").click()
    expect(screen.locator("#contributions .highlight")).to_be_visible()
    checked(screen, "presenter: a highlighted contribution", found)
    checked(console, "moderator console with its queue", found)
    assert found == {}
    expected_statuses(people, "/join", "/answer")
    people.assert_no_errors()


def send_words(device: Page, words: list[str]) -> None:
    fields = device.locator("form.answer-form input[name=word]")
    for i, word in enumerate(words):
        fields.nth(i).fill(word)
    device.locator("form.answer-form button.primary").click()


def send_text(device: Page, text: str) -> None:
    device.locator("form.answer-form textarea[name=text]").fill(text)
    device.locator("form.answer-form button.primary").click()


def vote_choices(device: Page, labels: list[str]) -> None:
    for label in labels:
        device.get_by_role("checkbox", name=label).check()
    device.locator("form.answer-form button.primary").click()
