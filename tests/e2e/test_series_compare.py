"""The organiser compares the demo series in a real browser: from the dashboard to the
series' results page, the small multiples of the question asked at both events and
its table, in German."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, People, Site, log_in
from tests.services.series_helpers import FOLLOW_UP, OPENING, demo_series

pytestmark = pytest.mark.browser


def test_the_organiser_sees_how_the_answers_moved(site: Site, people: People, shot) -> None:
    made = site.srv.run(demo_series, site.srv.rt)
    page = people.page(LAPTOP)
    log_in(page, site, "/admin")
    page.locator(f"#series-{made.series_id}").get_by_role(
        "link", name="Veranstaltungen vergleichen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reihenvergleich")

    chart = page.locator("svg.series-multiples")
    expect(chart).to_have_count(1)
    expect(chart.locator("g.series-panel")).to_have_count(2)
    expect(chart.locator("title")).to_contain_text("n = 100")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400  # drawn, not collapsed

    table = page.locator("table.series-table")
    expect(table.locator("caption")).to_contain_text("Zahlen je Veranstaltung")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    for row, shares in ((rows.nth(0), OPENING), (rows.nth(1), FOLLOW_UP)):
        expect(row.locator("th[scope=row]")).to_have_count(1)
        for label, share in shares.items():
            column = table.locator("thead th").filter(has_text=label)
            expect(column).to_have_attribute("scope", "col")
            expect(row).to_contain_text(f"{share} %")
    expect(rows.nth(0)).to_contain_text("02.02.2021")
    expect(rows.nth(1)).to_contain_text("27.04.2021")
    expect(page.get_by_role("link", name="Reihenvergleich (PDF)")).to_be_visible()
    shot(page, "series-comparison.png", full_page=True)
    people.assert_no_errors()
