"""After the event the organiser publishes the results from the results page; a
stranger's browser (no cookies, no sign-in) opens the link and sees the charts,
fetching nothing from anywhere else and keeping no cookie; unpublished, the same
link answers 404 on the next reload."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from podium.services import live_control
from podium.services.participation import submit_answer
from podium.services.results import live_event
from tests.e2e.conftest import LAPTOP, People, Site, log_in

pytestmark = pytest.mark.browser


async def answer(site: Site) -> None:
    rt, demo = site.srv.rt, site.demo
    await live_control.go_live(rt, demo.event.id, demo.single)
    live = await live_event(rt, demo.event.id)
    yes, no = demo.option_ids[demo.single]
    for n, choice in enumerate([yes, yes, no]):
        await submit_answer(rt, live, f"{n:040d}", demo.single, [choice], str(uuid.uuid4()))


def landmarks_and_headings(page: Page) -> None:
    """The basics an accessibility check looks at first."""
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main#main")).to_have_count(1)
    expect(page.locator("header")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == "de"
    for nav in page.locator("nav").all():
        assert nav.get_attribute("aria-label")
    for section in page.locator("section[aria-labelledby]").all():
        target = section.get_attribute("aria-labelledby")
        expect(page.locator(f"#{target}")).to_have_count(1)


def test_publish_open_as_a_stranger_and_unpublish(site: Site, people: People) -> None:
    site.srv.run(answer, site)
    organiser = people.page(viewport=LAPTOP)
    results = f"/admin/events/{site.demo.event.id}/results"
    log_in(organiser, site, results)
    organiser.goto(f"{site.url}{results}")
    section = organiser.locator("#publish")
    expect(section).to_contain_text("Die Ergebnisse sind nicht veröffentlicht.")
    section.get_by_role("button", name="Veröffentlichen", exact=True).click()
    link_field = organiser.get_by_label("Öffentlicher Link")
    expect(link_field).to_be_visible()
    link = link_field.input_value()
    assert link.startswith("http") and "/r/" in link

    stranger = people.page(viewport=LAPTOP)
    requested: list[str] = []
    stranger.on("request", lambda request: requested.append(request.url))
    path = link.split("/r/", 1)[1]
    public_url = f"{site.url}/r/{path}"  # the server's own address (base_url may differ)
    response = stranger.goto(public_url)
    assert response is not None and response.status == 200
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("Ergebnisse")
    expect(stranger.locator(f"#rq{site.demo.single}")).to_contain_text("Ja oder nein?")
    expect(stranger.locator(f'.results[data-question="{site.demo.single}"]')).to_be_visible()
    expect(stranger.get_by_role("link", name="Bericht (PDF)")).to_be_visible()
    landmarks_and_headings(stranger)
    assert stranger.context.cookies() == []
    assert stranger.evaluate("document.cookie") == ""
    assert all(url.startswith(site.url) or url.startswith("data:") for url in requested), requested

    organiser.locator("#publish").get_by_role("button", name="Veröffentlichung beenden").click()
    expect(organiser.locator("#publish")).to_contain_text(
        "Die Ergebnisse sind nicht veröffentlicht."
    )
    reloaded = stranger.reload()
    assert reloaded is not None and reloaded.status == 404
    expect(stranger.get_by_role("alert")).to_contain_text("nicht (mehr) veröffentlicht")
    assert stranger.context.cookies() == []
    # the 404 itself is logged by the browser; nothing else may be
    people.errors[:] = [e for e in people.errors if "status of 404" not in e]
    people.assert_no_errors()
