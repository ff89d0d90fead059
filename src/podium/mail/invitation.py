"""An invitation (or reminder) as one subscriber receives it: the organiser's subject
and text with the placeholders filled in the subscriber's language, the event's
details and public page, the unsubscribe link and headers (RFC 8058), and the
event's calendar file.

The organiser's preview and test mail go through the same `compose`, so that what
they see is what a recipient gets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache, partial

from babel.dates import format_date, format_time

from podium import i18n
from podium.domain.invitation_rules import BERLIN
from podium.domain.invitation_text import fill, fill_subject
from podium.domain.unsubscribe import unsubscribe_headers, unsubscribe_path
from podium.mail.templating import language, render_mail, translated
from podium.reports.calendar_ics import CalendarEntry, calendar_file
from podium.services import invitations
from podium.services.context import Context
from podium.services.invitation_audience import InvitationEvent, Message, Recipient
from podium.services.mail_queue import Draft

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
TEST_KIND = "test-invitation"


def N_(message: str) -> str:  # marks a message for extraction; translated when used
    return message


TEST_SUBJECT = N_("[Test] %(subject)s")


def event_url(base_url: str, event: InvitationEvent) -> str:
    return f"{base_url.rstrip('/')}/s/{event.series_slug}/{event.slug}"


def unsubscribe_url(base_url: str, event: InvitationEvent, recipient: Recipient) -> str:
    return base_url.rstrip("/") + unsubscribe_path(event.series_slug, recipient.unsubscribe_key)


def placeholder_values(base_url: str, event: InvitationEvent, lang: str) -> dict[str, str]:
    """What each placeholder reads in `lang`; times in Europe/Berlin."""
    date = time = ""
    if event.starts_at is not None:
        local = event.starts_at.astimezone(BERLIN)
        with language(lang):
            loc = i18n.locale()
            date = format_date(local, "full", locale=loc)
            time = format_time(local, "short", locale=loc)
    base = base_url.rstrip("/")
    return {
        "title": event.title,
        "date": date,
        "time": time,
        "format": event.format,
        "series": event.series_title,
        "event_link": event_url(base_url, event),
        "join_link": f"{base}/p/{event.join_code}" if event.join_code else "",
    }


def calendar_attachment(base_url: str, event: InvitationEvent) -> dict[str, str]:
    """The event's ICS, as the series page serves it (same UID and sequence)."""
    return {
        "filename": f"{event.slug}.ics",
        "content_type": ICS_TYPE,
        "content": _calendar(base_url, event),
    }


@lru_cache(maxsize=16)
def _calendar(base_url: str, event: InvitationEvent) -> str:
    """Made once per run's event, not per recipient (its DTSTAMP is then the run's)."""
    entries = []
    if event.starts_at is not None:
        entries.append(
            CalendarEntry(
                id=event.id,
                title=event.title,
                description=event.description,
                starts_at=event.starts_at,
                sequence=event.ics_sequence,
                cancelled=event.cancelled,
                url=event_url(base_url, event),
            )
        )
    return calendar_file(entries, base_url.rstrip("/"), event.title).decode("utf-8")


def compose(base_url: str, message: Message, recipient: Recipient) -> Draft:
    """The mail to `recipient`. Kind, ref and run are set by services/invitations."""
    lang = recipient.lang if recipient.lang in i18n.LANGUAGES else i18n.LANGUAGES[0]
    event = message.event
    values = placeholder_values(base_url, event, lang)
    subject = fill_subject(message.subject, values)
    if message.kind == TEST_KIND:
        subject = translated(lang, TEST_SUBJECT, subject=subject)
    link = unsubscribe_url(base_url, event, recipient)
    text, html = render_mail(
        "invitation",
        lang,
        subject=subject,
        body=fill(message.text, values),
        values=values,
        event=event,
        event_url=values["event_link"],
        join_url=values["join_link"],
        sender=event.series_title,
        unsubscribe_url=link,
    )
    return Draft(
        kind=message.kind,
        ref=None,
        recipient=recipient.email,
        lang=lang,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(link),
        attachments=[calendar_attachment(base_url, event)],
    )


def composer(rt: Context) -> invitations.Compose:
    """`compose` for the services, bound to the server's address."""
    return partial(compose, rt.settings.base_url)


async def send_due_reminders(rt: Context, now: datetime | None = None) -> list[int]:
    """The periodic task's step: start every reminder run that is due (idempotent)."""
    return await invitations.reminders_due(rt, composer(rt), now or datetime.now(UTC))


def preview(base_url: str, message: Message, lang: str) -> Draft:
    """The mail as a subscriber with `lang` would see it (unsubscribe key shown as a
    stand-in)."""
    return compose(base_url, message, Recipient(0, "preview@example.org", lang, "…"))
