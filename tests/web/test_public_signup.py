"""A visitor signs up on the series page, confirms by the mail's link, unsubscribes:
no cookie either way, the same answer for known and unknown addresses, one mail an
hour, bots and floods turned away, and every wrong input answered with a 4xx and a
message in German and English while nothing stored changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import Cookies, Response
from markupsafe import escape
from sqlalchemy import select, update

from podium.domain.subscription import SlidingWindow
from podium.runtime import Runtime
from podium.services import catalog, consent_texts
from podium.store.audience_tables import Subscriber
from podium.store.tables import MailRow
from tests.services.catalog_helpers import snapshot
from tests.services.subscription_helpers import Signable, signable_series
from tests.web.conftest import Harness

pytestmark = pytest.mark.sqlite_only  # the store is tested in tests/services

CONFIRM_LINK = re.compile(
    r"http://127\.0\.0\.1:8000(/s/[^/]+/confirm/[A-Za-z0-9_-]{43})\?lang=(de|en)"
)


class Visitor:
    """Someone without an account: no cookie is sent (nor could one be kept)."""

    def __init__(self, harness: Harness) -> None:
        self.h = harness

    def _call(self, method: str, path: str, **kwargs: Any) -> Response:
        kept = self.h.client.cookies
        self.h.client.cookies = Cookies()  # the organiser's, if any, are put aside
        try:
            response = self.h.client.request(method, path, **kwargs)
            assert "set-cookie" not in response.headers, path
            assert not self.h.client.cookies
            return response
        finally:
            self.h.client.cookies = kept

    def get(self, path: str, **kwargs: Any) -> Response:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self._call("POST", path, **kwargs)


@pytest.fixture
def series(harness: Harness) -> Signable:
    return harness.run(signable_series, harness.rt)


@pytest.fixture
def visitor(harness: Harness) -> Visitor:
    return Visitor(harness)


def form(h: Harness, s: Signable, **changes: Any) -> dict[str, Any]:
    version = h.run(consent_texts.current_consent, h.rt, s.series_id).version
    data: dict[str, Any] = {
        "email": "max@example.org",
        "scope": "series",
        "consent": "1",
        "consent_version": str(version),
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def mails(h: Harness) -> list[MailRow]:
    async def read(rt: Runtime) -> list[MailRow]:
        async with rt.sessions() as session:
            return list(await session.scalars(select(MailRow).order_by(MailRow.id)))

    return h.run(read, h.rt)


def subscribers(h: Harness) -> list[Subscriber]:
    async def read(rt: Runtime) -> list[Subscriber]:
        async with rt.sessions() as session:
            return list(await session.scalars(select(Subscriber).order_by(Subscriber.id)))

    return h.run(read, h.rt)


def sign(visitor: Visitor, h: Harness, s: Signable, lang: str = "de", **changes: Any) -> Response:
    return visitor.post(f"/s/{s.slug}/signup?lang={lang}", data=form(h, s, **changes))


def test_the_form_is_on_the_series_page(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    page = visitor.get(f"/s/{series.slug}?lang=en")
    assert page.status_code == 200
    html = page.text
    assert 'action="/s/' + series.slug + '/signup?lang=en#signup"' in html
    assert '<label for="signup-email">Your e-mail address</label>' in html
    assert 'type="email" autocomplete="email" required' in html
    assert '<input type="hidden" name="consent_version" value="1">' in html
    assert "I agree that the organiser of this series may send me invitations" in html
    assert "<legend>What would you like to be invited to?</legend>" in html
    assert html.count('name="events"') == 2  # the upcoming public events, not "Intern"
    assert f'value="{series.private}"' not in html and f'value="{series.past}"' not in html
    honeypot = html.split('<div class="visually-hidden" aria-hidden="true">')[1].split("</div>")[0]
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert 'name="csrf"' not in html
    german = visitor.get(f"/s/{series.slug}").text
    assert "Einladungen per E-Mail" in german and "Ich willige ein" in german


def test_sign_up_confirm_and_the_mail(harness: Harness, series: Signable, visitor: Visitor) -> None:
    sent = sign(visitor, harness, series, "en", scope="events", events=[str(series.first)])
    assert sent.status_code == 200
    assert "Please check your mailbox" in sent.text and "may take a while" in sent.text
    [mail] = mails(harness)
    assert mail.kind == "confirm" and mail.lang == "en" and mail.recipient == "max@example.org"
    assert mail.subject == "Please confirm your sign-up: Digitale Reihe"
    [row] = subscribers(harness)
    key = row.unsubscribe_key
    assert mail.headers == {
        "List-Unsubscribe": f"<http://127.0.0.1:8000/s/{series.slug}/unsubscribe/{key}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert "- Beratung (" in mail.text and "valid until" in mail.text
    found = CONFIRM_LINK.search(mail.text)
    assert found and found.group(2) == "en"
    path = found.group(1)
    page = visitor.get(path + "?lang=en")  # what a mail scanner does: it confirms nothing
    assert page.status_code == 200 and f'action="{path}?lang=en"' in page.text
    assert subscribers(harness)[0].state == "pending"
    done = visitor.post(path + "?lang=en")
    assert done.status_code == 200
    assert "Your sign-up is confirmed" in done.text and "<li>Beratung</li>" in done.text
    assert subscribers(harness)[0].state == "confirmed"
    again = visitor.post(path + "?lang=de")
    assert again.status_code == 410
    assert "Dieser Link wurde bereits verwendet: Ihre Anmeldung ist bestätigt." in again.text


def test_known_and_unknown_addresses_get_the_same_answer(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    sign(visitor, harness, series, email="known@example.org")
    known = sign(visitor, harness, series, email="known@example.org")
    unknown = sign(visitor, harness, series, email="unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert [m.recipient for m in mails(harness)] == ["known@example.org", "unknown@example.org"]


def test_one_mail_an_hour(harness: Harness, series: Signable, visitor: Visitor) -> None:
    sign(visitor, harness, series)
    before = harness.run(snapshot, harness.rt)
    for _ in range(3):
        assert sign(visitor, harness, series, email="MAX@example.org").status_code == 200
    assert harness.run(snapshot, harness.rt) == before
    assert len(mails(harness)) == 1


def test_a_bot_filling_the_honeypot_is_answered_alike_and_stores_nothing(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    harness.run(consent_texts.current_consent, harness.rt, series.series_id)
    before = harness.run(snapshot, harness.rt)
    bot = sign(visitor, harness, series, website="http://spam.example")
    assert harness.run(snapshot, harness.rt) == before
    person = sign(visitor, harness, series, email="person@example.org")
    assert bot.status_code == person.status_code == 200 and bot.text == person.text


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "Too many sign-ups have been sent from your connection. Please try again in 60"
            " minutes.",
        ),
        (
            "de",
            "Von Ihrem Anschluss wurden zu viele Anmeldungen gesendet. Bitte versuchen Sie es"
            " in 60 Minuten erneut.",
        ),
    ],
)
def test_a_flood_from_one_address_is_refused(
    harness: Harness, series: Signable, visitor: Visitor, lang: str, text: str
) -> None:
    clock = Clock()
    harness.client.app.state.signup_limiter = SlidingWindow(2, clock=clock)  # type: ignore[attr-defined]
    for n in range(2):
        assert sign(visitor, harness, series, lang, email=f"n{n}@example.org").status_code == 200
    before = harness.run(snapshot, harness.rt)
    refused = sign(visitor, harness, series, lang, email="third@example.org")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "3600"
    assert text in refused.text and 'value="third@example.org"' in refused.text
    assert harness.run(snapshot, harness.rt) == before
    clock.now += 3600
    assert sign(visitor, harness, series, lang, email="third@example.org").status_code == 200


BAD = [
    (
        {"email": "Max <max@example.org>"},
        "email",
        "Please enter a valid e-mail address.",
        "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    ),
    (
        {"email": "max@example.org\r\nBcc: eve@example.org"},
        "email",
        "Please enter a valid e-mail address.",
        "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    ),
    (
        {"email": "max" * 90 + "@example.org"},
        "email",
        "An e-mail address may have at most 254 characters.",
        "Eine E-Mail-Adresse darf höchstens 254 Zeichen haben.",
    ),
    (
        {"email": ""},
        "email",
        "Please enter a valid e-mail address.",
        "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    ),
    (
        {"consent": None},
        "consent",
        "Please tick the box to agree to the consent text.",
        "Bitte kreuzen Sie das Kästchen an, um in den Einwilligungstext einzuwilligen.",
    ),
    (
        {"scope": "events"},
        "events",
        "Please choose at least one event, or the whole series.",
        "Bitte wählen Sie mindestens eine Veranstaltung oder die ganze Reihe.",
    ),
    (
        {"scope": "events", "events": ["private"]},
        "events",
        "One of the chosen events is no longer open for sign-up. Please choose again.",
        "Für eine der ausgewählten Veranstaltungen ist keine Anmeldung mehr möglich.",
    ),
    (
        {"scope": "events", "events": ["not-a-number"]},
        "events",
        "One of the chosen events is no longer open for sign-up. Please choose again.",
        "Für eine der ausgewählten Veranstaltungen ist keine Anmeldung mehr möglich.",
    ),
    (
        {"consent_version": "7"},
        "consent",
        "The consent text has just been changed.",
        "Der Einwilligungstext wurde soeben geändert.",
    ),
]


@pytest.mark.parametrize(("changes", "field", "english", "german"), BAD)
def test_bad_input_is_refused_in_the_visitors_language(
    harness: Harness,
    series: Signable,
    visitor: Visitor,
    changes: dict[str, Any],
    field: str,
    english: str,
    german: str,
) -> None:
    changes = dict(changes)
    if changes.get("events") == ["private"]:
        changes["events"] = [str(series.private)]
    harness.run(consent_texts.current_consent, harness.rt, series.series_id)
    before = harness.run(snapshot, harness.rt)
    for lang, text in (("en", english), ("de", german)):
        refused = sign(visitor, harness, series, lang, **changes)
        assert 400 <= refused.status_code < 500, refused.text
        assert text in refused.text
        summary = refused.text.split('id="signup-error"')[1].split("</div>")[0]
        target = f"signup-event-{series.first}" if field == "events" else f"signup-{field}"
        assert f'href="#{target}"' in summary
        typed = changes.get("email", "max@example.org")
        if "\r" not in typed:
            assert f'value="{escape(typed)}"' in refused.text  # what was typed is kept
    assert harness.run(snapshot, harness.rt) == before


def test_a_changed_consent_text_is_shown_and_must_be_agreed_to_again(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    data = form(harness, series)
    harness.run(consent_texts.save_consent, harness.rt, series.series_id, "Neuer Text", "New text")
    refused = visitor.post(f"/s/{series.slug}/signup?lang=en", data=data)
    assert refused.status_code == 409
    assert "New text" in refused.text and 'name="consent_version" value="2"' in refused.text
    box = refused.text.split('id="signup-consent"')[1].split(">")[0]
    assert "checked" not in box and 'aria-invalid="true"' in box  # to be ticked anew
    assert 'value="max@example.org"' in refused.text
    assert subscribers(harness) == []


def test_links_that_are_expired_forged_or_of_another_series(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    other = harness.run(signable_series, harness.rt, "Andere Reihe")
    sign(visitor, harness, series)
    found = CONFIRM_LINK.search(mails(harness)[0].text)
    assert found
    token = found.group(1).rsplit("/", 1)[1]

    async def expire(rt: Runtime) -> None:
        async with rt.sessions() as session, session.begin():
            await session.execute(
                update(Subscriber).values(token_expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )

    harness.run(expire, harness.rt)
    before = harness.run(snapshot, harness.rt)
    cases = [
        (
            f"/s/{series.slug}/confirm/{token}",
            410,
            "This confirmation link has expired.",
            "Dieser Bestätigungslink ist abgelaufen.",
        ),
        (
            f"/s/{other.slug}/confirm/{token}",
            404,
            "belongs to another series",
            "gehört zu einer anderen Reihe",
        ),
        (
            f"/s/{series.slug}/confirm/{'A' * 43}",
            404,
            "This confirmation link is not valid.",
            "Dieser Bestätigungslink ist nicht gültig.",
        ),
        (
            f"/s/{series.slug}/confirm/short",
            404,
            "This confirmation link is not valid.",
            "Dieser Bestätigungslink ist nicht gültig.",
        ),
        (
            f"/s/{series.slug}/unsubscribe/{'A' * 43}",
            404,
            "This unsubscribe link is not valid.",
            "Dieser Abmeldelink ist nicht gültig.",
        ),
    ]
    for path, status, english, german in cases:
        for lang, text in (("en", english), ("de", german)):
            refused = visitor.post(f"{path}?lang={lang}")
            assert refused.status_code == status, path
            assert text in refused.text
    assert harness.run(snapshot, harness.rt) == before


def test_unsubscribe_by_page_and_by_one_click(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    for email in ("a@example.org", "b@example.org"):
        sign(visitor, harness, series, email=email)
    a, b = subscribers(harness)
    page = visitor.get(f"/s/{series.slug}/unsubscribe/{a.unsubscribe_key}?lang=en")
    assert page.status_code == 200 and "<button" in page.text
    assert subscribers(harness)[0].state == "pending"  # a GET unsubscribes nobody
    done = visitor.post(f"/s/{series.slug}/unsubscribe/{a.unsubscribe_key}?lang=en")
    assert done.status_code == 200 and "You will receive no more invitations" in done.text
    again = visitor.post(f"/s/{series.slug}/unsubscribe/{a.unsubscribe_key}?lang=en")
    assert again.status_code == 200 and "You had already unsubscribed" in again.text
    # RFC 8058: the mail client posts the body, from its own origin, with no cookie
    one_click = visitor.post(
        f"/s/{series.slug}/unsubscribe/{b.unsubscribe_key}",
        content=b"List-Unsubscribe=One-Click",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "origin": "https://mail.example.net",
        },
    )
    assert one_click.status_code == 200
    assert [s.state for s in subscribers(harness)] == ["withdrawn", "withdrawn"]


def test_a_sign_up_from_another_site_is_refused(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    refused = visitor.post(
        f"/s/{series.slug}/signup",
        data=form(harness, series),
        headers={"origin": "https://evil.example"},
    )
    assert refused.status_code == 403 and subscribers(harness) == []


def test_no_form_without_upcoming_events(harness: Harness, visitor: Visitor) -> None:
    async def empty(rt: Runtime) -> str:
        return (await catalog.create_series(rt, "Leer", public=True)).slug

    slug = harness.run(empty, harness.rt)
    assert 'id="signup"' not in visitor.get(f"/s/{slug}").text
    back = visitor.get(f"/s/{slug}/signup?lang=en", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == f"/s/{slug}?lang=en#signup"


def test_the_pages_let_the_browser_send_its_origin(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    """With no-referrer a browser posts a form with `Origin: null`, refused as from
    another site; same-origin sends the real one (and nothing to other sites)."""
    page = visitor.get(f"/s/{series.slug}")
    assert page.headers["referrer-policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in page.text
    sent = visitor.post(
        f"/s/{series.slug}/signup",
        data=form(harness, series),
        headers={"origin": "http://127.0.0.1:8000"},
    )
    assert sent.status_code == 200 and sent.headers["referrer-policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in sent.text


def test_links_with_a_secret_are_neither_cached_nor_indexed(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    for path in (
        f"/s/{series.slug}/confirm/{'A' * 43}",
        f"/s/{series.slug}/unsubscribe/{'A' * 43}",
    ):
        shown = visitor.get(path)
        assert shown.headers["cache-control"] == "no-store"
        assert shown.headers["x-robots-tag"] == "noindex"
        assert shown.headers["referrer-policy"] == "same-origin"
    assert visitor.get(f"/s/{series.slug}").headers["cache-control"] == "no-cache"


def test_an_event_called_signup_keeps_its_page(
    harness: Harness, series: Signable, visitor: Visitor
) -> None:
    async def make(rt: Runtime) -> str:
        event = await catalog.create_event(
            rt,
            "Signup",
            series_id=series.series_id,
            starts_at=series.now + timedelta(days=5),
            public=True,
        )
        return event.slug

    assert harness.run(make, harness.rt) == "signup"
    shown = visitor.get(f"/s/{series.slug}/signup?lang=en")
    assert shown.status_code == 200 and "<h1>Signup</h1>" in shown.text
