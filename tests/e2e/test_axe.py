"""axe-core's WCAG 2.1 A and AA rules (tests/e2e/axe/) on podium's pages: the results
page with its report and publishing forms open, the published results as a stranger
sees them, the series comparison, the presenter screen and the participant's page.
Every violation fails, with where it is."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from podium.domain.publication import Publication
from podium.services import live_control, publication
from podium.services.participation import submit_answer
from podium.services.results import live_event
from tests.e2e.conftest import LAPTOP, PHONE, People, Site, log_in
from tests.services.series_helpers import demo_series

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
