"""An invitation as one subscriber reads it, without a database: placeholders in the
subscriber's language with Berlin time, the organiser's text escaped in the HTML part
and left as typed in the plain one, links, the unsubscribe headers, the calendar."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from podium.mail.invitation import compose, placeholder_values, preview
from podium.services.invitation_audience import InvitationEvent, Message, Recipient

BASE = "https://podium.example.org"
EVENT = InvitationEvent(
    id=7,
    slug="digitale-verwaltung",
    title="Digitale Verwaltung & Recht",
    description="Wie weiter?",
    format="Online-Podium",
    starts_at=datetime(2021, 2, 2, 9, 0, tzinfo=UTC),  # 10:00 in Berlin
    language="de",
    cancelled=False,
    ics_sequence=2,
    series_id=3,
    series_slug="digitale-reihe",
    series_title="Digitale Reihe",
    join_code=None,
    reminder=False,
)
PERSON = Recipient(11, "max@example.org", "de", "k3y")


def message(text: str, subject: str = "Einladung: {title}", kind: str = "invitation") -> Message:
    return Message(kind, subject, text, EVENT)


def test_placeholders_read_in_the_subscribers_language_in_berlin_time() -> None:
    german = placeholder_values(BASE, EVENT, "de")
    english = placeholder_values(BASE, EVENT, "en")
    assert (german["date"], german["time"]) == ("Dienstag, 2. Februar 2021", "10:00")
    assert (english["date"], english["time"]) == ("Tuesday, February 2, 2021", "10:00\u202fAM")
    assert german["event_link"] == f"{BASE}/s/digitale-reihe/digitale-verwaltung"
    assert german["join_link"] == ""
    joinable = placeholder_values(
        BASE, InvitationEvent(**{**EVENT.__dict__, "join_code": "12345678"}), "de"
    )
    assert joinable["join_link"] == f"{BASE}/p/12345678"


def test_the_text_is_escaped_in_html_and_kept_in_plain_text() -> None:
    draft = compose(BASE, message("Hallo <b>alle</b> & {title}\n\nMehr: {event_link}"), PERSON)
    assert draft.subject == "Einladung: Digitale Verwaltung & Recht"
    assert "Hallo <b>alle</b> & Digitale Verwaltung & Recht" in draft.text
    assert "Hallo &lt;b&gt;alle&lt;/b&gt; &amp; Digitale Verwaltung &amp; Recht" in draft.html
    assert "<b>" not in draft.html
    link = f"{BASE}/s/digitale-reihe/digitale-verwaltung"
    assert f'<a href="{link}"' in draft.html  # the organiser's link, clickable
    assert "Wann: Dienstag, 2. Februar 2021, 10:00" in draft.text
    assert "Format: Online-Podium" in draft.text


def test_unsubscribe_link_and_headers() -> None:
    draft = compose(BASE, message("Hallo"), PERSON)
    url = f"{BASE}/s/digitale-reihe/unsubscribe/k3y"
    assert draft.headers == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert url in draft.text and f'href="{url}"' in draft.html
    assert draft.lang == "de" and draft.recipient == "max@example.org"


def test_the_calendar_is_the_series_pages() -> None:
    (attachment,) = compose(BASE, message("Hallo"), PERSON).attachments
    assert attachment["filename"] == "digitale-verwaltung.ics"
    assert attachment["content_type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    (item,) = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    assert str(item["uid"]) == "event-7@podium.example.org"
    assert int(item["sequence"]) == 2
    assert item.decoded("dtstart") == datetime(2021, 2, 2, 9, 0, tzinfo=UTC)
    assert str(item["url"]) == f"{BASE}/s/digitale-reihe/digitale-verwaltung"


def test_an_english_subscriber_reads_the_frame_in_english() -> None:
    draft = compose(BASE, message("Hallo"), Recipient(12, "ann@example.org", "en", "x"))
    assert "When: Tuesday, February 2, 2021" in draft.text
    assert "Unsubscribe" in draft.html and '<html lang="en">' in draft.html


def test_a_test_mail_says_so_in_the_subject_and_the_preview_matches() -> None:
    test = compose(BASE, message("Hallo", kind="test-invitation"), PERSON)
    assert test.subject == "[Test] Einladung: Digitale Verwaltung & Recht"
    shown = preview(BASE, message("Hallo"), "de")
    assert shown.subject == "Einladung: Digitale Verwaltung & Recht"
    assert (
        shown.text.split("/unsubscribe/")[0]
        == compose(BASE, message("Hallo"), PERSON).text.split("/unsubscribe/")[0]
    )
