"""The whole way of a member of the public, in a real browser against a real SMTP
server on loopback, in German and in English: the series page, the sign-up, the
confirmation mail and its link, the organiser's invitation with the event's calendar
file, and unsubscribing from it (a second time too, and by one-click POST).

The mails are read as the SMTP server received them, headers included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from podium.reports.calendar_ics import event_uid
from podium.services import accounts
from podium.settings import Settings
from podium.store.audience_tables import ConsentLogEntry, Subscriber
from tests.e2e.conftest import LAPTOP, ORGANISER, People, Site, log_in
from tests.e2e.test_axe import violations
from tests.server import live_server
from tests.services.subscription_helpers import Signable, signable_series
from tests.smtp_server import Received, SmtpServer
from tests.web.conftest import PASSWORD, make_event

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]

VISITOR = {"de": "erika.muster@example.org", "en": "jane.doe@example.org"}
LOCALE = {"de": "de-DE", "en": "en-GB"}
# What the visitor reads, as a German or an English reader reads it.
WORDS = {
    "de": {
        "email": "Ihre E-Mail-Adresse",
        "consent": "Ich willige gemäß dem obenstehenden Text ein.",
        "sign_up": "Anmelden",
        "sent": "Bitte sehen Sie in Ihr Postfach",
        "confirm_subject": "Bitte bestätigen Sie Ihre Anmeldung: Digitale Reihe",
        "confirm": "Anmeldung bestätigen",
        "confirmed": "Ihre Anmeldung ist bestätigt",
        "unsubscribe": "Abmelden",
        "unsubscribed": "Sie sind abgemeldet",
    },
    "en": {
        "email": "Your e-mail address",
        "consent": "I agree to the consent text above.",
        "sign_up": "Sign up",
        "sent": "Please check your mailbox",
        "confirm_subject": "Please confirm your sign-up: Digitale Reihe",
        "confirm": "Confirm sign-up",
        "confirmed": "Your sign-up is confirmed",
        "unsubscribe": "Unsubscribe",
        "unsubscribed": "You are unsubscribed",
    },
}


@dataclass
class MailSite:
    site: Site
    smtp: SmtpServer


@pytest.fixture
def mail_site(settings: Settings) -> Iterator[MailSite]:
    with SmtpServer() as smtp:
        sending = settings.model_copy(update={"smtp_url": smtp.url, "mail_rate": 50.0})
        with live_server(sending) as srv:
            demo = srv.run(make_event, srv.rt)
            srv.run(accounts.create_user, srv.rt, ORGANISER, PASSWORD)
            yield MailSite(Site(srv, demo), smtp)


def mail_to(smtp: SmtpServer, address: str, count: int) -> list[Received]:
    """The mails to `address`, once `count` have arrived."""
    got = smtp.wait_for(count)
    assert [m.recipients for m in got] == [[address]] * count
    return got


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def picture(people: People, shot: Shot, message: EmailMessage, name: str) -> None:
    """The mail's HTML part as a mail program shows it: the user guides' picture."""
    page = people.page(viewport={"width": 720, "height": 300})
    page.set_content(html(message))
    shot(page, name, full_page=True)


def link(text: str, kind: str) -> str:
    found = re.search(rf"http://\S+/{kind}/\S+", text)
    assert found, text
    return found.group(0)


def calendar_of(message: EmailMessage) -> icalendar.Calendar:
    [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename().endswith(".ics")
    return icalendar.Calendar.from_ical(ics.get_content())


def sign_up(page: Page, url: str, lang: str, address: str) -> None:
    words = WORDS[lang]
    page.goto(url)  # no ?lang=: the browser's language decides
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_label(words["email"]).fill(address)
    page.get_by_label(words["consent"]).check()
    page.get_by_role("button", name=words["sign_up"], exact=True).click()
    expect(page.get_by_role("heading", name=words["sent"])).to_be_visible()
    assert violations(page) == []


def send_invitation(page: Page, site: Site, event_id: int, lang: str) -> None:
    path = f"/admin/events/{event_id}/invitations"
    log_in(page, site, path)
    page.goto(f"{site.url}{path}?start={lang}")
    page.locator("button[formaction$='/invitations/send']").click()
    page.locator("form[action$='/invitations/send'] button.primary").click()
    expect(page.locator(".run-progress")).to_contain_text("1")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_find_sign_up_confirm_be_invited_and_unsubscribe(
    mail_site: MailSite, browser: Browser, shot: Shot, lang: str
) -> None:
    site, smtp = mail_site.site, mail_site.smtp
    made: Signable = site.srv.run(signable_series, site.srv.rt)
    address = VISITOR[lang]
    words = WORDS[lang]
    people = People(browser)
    try:
        visitor = people.page(viewport=LAPTOP, locale=LOCALE[lang])
        sign_up(visitor, f"{site.url}/s/{made.slug}", lang, address)

        [confirmation] = mail_to(smtp, address, 1)
        message = confirmation.message
        assert message["Subject"] == words["confirm_subject"]
        assert message["Content-Language"] == lang
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"]
        if lang == "de":
            picture(people, shot, message, "mail-confirmation.png")
        visitor.goto(link(plain(message), "confirm"))
        assert violations(visitor) == []
        visitor.get_by_role("button", name=words["confirm"]).click()
        expect(visitor.get_by_role("heading", name=words["confirmed"])).to_be_visible()

        organiser = people.page(viewport=LAPTOP)
        send_invitation(organiser, site, made.first, lang)
        invitation = mail_to(smtp, address, 2)[1].message
        assert invitation["Content-Language"] == lang
        if lang == "de":
            picture(people, shot, invitation, "mail-invitation.png")
        calendar = calendar_of(invitation)
        [entry] = calendar.walk("VEVENT")
        assert str(entry["UID"]) == event_uid(made.first, site.srv.rt.settings.base_url)
        assert entry.decoded("DTSTART") == made.now + timedelta(days=10)  # "Beratung"
        unsubscribe = link(plain(invitation), "unsubscribe")
        assert invitation["List-Unsubscribe"] == f"<{unsubscribe.split('?')[0]}>"

        visitor.goto(unsubscribe)
        visitor.get_by_role("button", name=words["unsubscribe"]).click()
        expect(visitor.get_by_role("heading", name=words["unsubscribed"])).to_be_visible()
        assert violations(visitor) == []
        first = visitor.locator("main p").first.inner_text()
        visitor.goto(unsubscribe)  # the second time: said politely, nothing changes
        visitor.get_by_role("button", name=words["unsubscribe"]).click()
        expect(visitor.get_by_role("heading", name=words["unsubscribed"])).to_be_visible()
        assert visitor.locator("main p").first.inner_text() != first
        # and a mail client's one-click POST (RFC 8058) answers too, with no cookie
        one_click = httpx.post(
            unsubscribe.split("?")[0],
            content="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert one_click.status_code == 200
        assert "set-cookie" not in one_click.headers
        people.assert_no_errors()
    finally:
        people.close()

    state, actions = site.srv.run(consent_history, site, address)
    assert state == "withdrawn"
    assert actions == ["requested", "confirmed", "withdrawn"]


async def consent_history(site: Site, address: str) -> tuple[str, list[str]]:
    async with site.srv.rt.sessions() as session:
        subscriber = await session.scalar(select(Subscriber).where(Subscriber.email == address))
        assert subscriber is not None
        actions = await session.scalars(
            select(ConsentLogEntry.action)
            .where(ConsentLogEntry.subscriber_id == subscriber.id)
            .order_by(ConsentLogEntry.id)
        )
        return subscriber.state, list(actions)
