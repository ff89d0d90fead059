"""The invitations page in a real browser, in German: write, confirm the number,
send; the run's progress follows the queue live (the script polls while mails are
waiting), a polite status says when it is done, and polling stops then. axe finds
nothing to fix on the page with its preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Request, expect
from sqlalchemy import select

from podium.services import accounts
from podium.store.tables import MailRow
from tests.e2e.conftest import LAPTOP, ORGANISER, People, Site, log_in
from tests.e2e.test_axe import violations
from tests.services.invitation_helpers import Audience, audience

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]


def prepared(site: Site) -> Audience:
    user = site.srv.run(accounts.get_user_by_email, site.srv.rt, ORGANISER)
    assert user is not None
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    return site.srv.run(audience, site.srv.rt, start=start, user_id=user.id)


async def deliver_all(site: Site) -> None:
    async with site.srv.rt.sessions() as session, session.begin():
        for row in await session.scalars(select(MailRow)):
            row.state = "sent"


def test_send_and_follow_the_progress(site: Site, people: People, shot: Shot) -> None:
    a = prepared(site)
    page = people.page(viewport=LAPTOP)
    path = f"/admin/events/{a.event_id}/invitations"
    log_in(page, site, path)
    page.goto(f"{site.url}{path}")
    expect(page.locator("#invitation-subject")).to_have_value("Einladung: {title} am {date}")
    page.get_by_role("button", name="An 3 Empfängerinnen und Empfänger senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Die Einladung an 3 Personen senden?")
    polls: list[Request] = []
    page.on("request", lambda r: polls.append(r) if r.url.endswith("progress.json") else None)
    page.get_by_role("button", name="Ja, an 3 Personen senden").click()
    line = page.locator(".run-progress")
    expect(line).to_have_text("0 von 3 versendet, 3 ausstehend")
    page.wait_for_event("request", lambda r: r.url.endswith("progress.json"))
    site.srv.run(deliver_all, site)
    expect(line).to_have_text("3 von 3 versendet, 0 ausstehend")
    expect(page.locator("#runs-status")).to_have_text("3 von 3 versendet, 0 ausstehend")
    expect(page.locator("li[data-run]")).to_have_attribute("data-done", "1")
    expect(page.locator("progress")).to_have_attribute("value", "3")
    shot(page, "invitations.png", full_page=True)
    seen = len(polls)
    # Nothing to wait for but time: two poll intervals pass without another request.
    page.wait_for_timeout(4500)
    assert len(polls) == seen
    people.assert_no_errors()


def test_the_page_with_its_preview_passes_axe(site: Site, people: People) -> None:
    a = prepared(site)
    page = people.page(viewport=LAPTOP)
    path = f"/admin/events/{a.event_id}/invitations"
    log_in(page, site, path)
    page.goto(f"{site.url}{path}")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.locator("#preview-h")).to_be_visible()
    assert violations(page) == []
    people.assert_no_errors()
