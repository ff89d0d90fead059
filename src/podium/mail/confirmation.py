"""The confirmation mail of a sign-up: only the reference to the sign-up (the series,
what was chosen), the link, when it expires, and what happens if it was not the
recipient who signed up. No advertising: a confirmation mail that advertises is
itself a mail sent without consent.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from podium import i18n
from podium.domain.unsubscribe import unsubscribe_headers, unsubscribe_path
from podium.mail.templating import language, render_mail, translated
from podium.services.mail_queue import Draft
from podium.services.subscriptions import ConfirmationRequest
from podium.settings import Settings

KIND = "confirm"
BERLIN = ZoneInfo("Europe/Berlin")


def confirm_path(series_slug: str, token: str) -> str:
    return f"/s/{series_slug}/confirm/{token}"


def _when(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(BERLIN)
    with language(lang):
        loc = i18n.locale()
        return (
            f"{format_date(local, 'medium', locale=loc)}, {format_time(local, 'short', locale=loc)}"
        )


def confirmation_draft(settings: Settings, request: ConfirmationRequest) -> Draft:
    base = settings.base_url.rstrip("/")
    lang = request.lang
    unsubscribe_url = base + unsubscribe_path(request.series_slug, request.unsubscribe_key)
    title = " ".join(request.series_title.split())
    text, html = render_mail(
        "confirmation",
        lang,
        series_title=title,
        whole_series=request.whole_series,
        events=[(e.title, _when(e.starts_at, lang)) for e in request.events],
        # the page it opens speaks the subscriber's language, whatever the browser's
        confirm_url=f"{base}{confirm_path(request.series_slug, request.token)}?lang={lang}",
        expires=_when(request.expires_at, lang),
        unconfirmed_days=request.unconfirmed_days,
        sender=settings.legal_name or settings.organisation,
        unsubscribe_url=unsubscribe_url,
    )
    return Draft(
        kind=KIND,
        ref=f"{KIND}:{request.subscriber_id}:{request.token_hash[:16]}",
        recipient=request.recipient,
        lang=lang,
        subject=translated(lang, "Please confirm your sign-up: %(title)s", title=title),
        text=text,
        html=html,
        headers=unsubscribe_headers(unsubscribe_url),
    )
