"""The invitation's placeholders: filled by plain string work, every near miss of a
placeholder refused with its name, Python's formatting never reached; the subject
one short line; the join link only when it is public; the reminder's day before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.invitation_rules import check_sendable, reminder_due
from podium.domain.invitation_text import (
    DEFAULT_SUBJECTS,
    DEFAULT_TEXTS,
    MAX_SUBJECT,
    check_message,
    default_message,
    fill,
    fill_subject,
    placeholders_in,
)

VALUES = {
    "title": "Digitale Verwaltung",
    "date": "02.02.2021",
    "time": "10:00",
    "format": "Online-Podium",
    "series": "Digitale Reihe",
    "event_link": "https://podium.example.org/s/reihe/digitale-verwaltung",
    "join_link": "https://podium.example.org/p/12345678",
}


def code_of(call: object) -> RuleViolation:
    assert callable(call)
    with pytest.raises(RuleViolation) as caught:
        call()
    return caught.value


def test_fill_replaces_each_placeholder_and_leaves_the_rest() -> None:
    text = "Am {date} um {time}: {title} ({format}) – {event_link}"
    assert fill(text, VALUES) == (
        "Am 02.02.2021 um 10:00: Digitale Verwaltung (Online-Podium) – "
        "https://podium.example.org/s/reihe/digitale-verwaltung"
    )
    assert fill("Ohne Platzhalter: 100 % sicher.", VALUES) == "Ohne Platzhalter: 100 % sicher."
    assert fill("{title}{title}", VALUES) == "Digitale VerwaltungDigitale Verwaltung"


def test_a_value_with_braces_is_not_filled_again() -> None:
    assert fill("{title}", {"title": "{date}"}) == "{date}"


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("{0.__class__}", "{0.__class__}"),
        ("{title.__class__}", "{title.__class__}"),
        ("{title!r}", "{title!r}"),
        ("{title:>99}", "{title:>99}"),
        ("{Title}", "{Title}"),
        ("{ title }", "{ title }"),
        ("{titel} und {datum} und {titel}", "{titel}, {datum}"),
        ("{}", "{}"),
        ("{join-link}", "{join-link}"),
    ],
)
def test_unknown_placeholders_are_refused_by_name(template: str, names: str) -> None:
    error = code_of(lambda: placeholders_in(template))
    assert (error.code, error.params) == ("unknown_placeholder", {"names": names})


@pytest.mark.parametrize(
    "template", ["{title", "title}", "{{title}}", "{tit{le}", "{title}}", "Preis: 5 }", "{"]
)
def test_unbalanced_braces_are_refused(template: str) -> None:
    assert code_of(lambda: placeholders_in(template)).code == "unbalanced_brace"


def test_placeholders_are_listed_in_order() -> None:
    assert placeholders_in("{date} {title} {date}") == ["date", "title", "date"]


def test_check_message_trims_and_keeps_a_good_message() -> None:
    checked = check_message("  Einladung: {title}  ", "Hallo\r\n{event_link}\n", False)
    assert (checked.subject, checked.text) == ("Einladung: {title}", "Hallo\n{event_link}")


@pytest.mark.parametrize(
    ("subject", "text", "code"),
    [
        ("", "Text", "empty_subject"),
        ("   ", "Text", "empty_subject"),
        ("Zeile\r\nBcc: x@example.org", "Text", "subject_line_break"),
        ("Zeile\nzwei", "Text", "subject_line_break"),
        ("x" * (MAX_SUBJECT + 1), "Text", "subject_too_long"),
        ("Betreff", "  \n ", "empty_mail_text"),
        ("Betreff", "x" * 20_001, "mail_text_too_long"),
        ("Betreff", "a\x00b", "control_characters"),
        ("Betreff {0}", "Text", "unknown_placeholder"),
        ("Betreff", "Text {titel}", "unknown_placeholder"),
        ("Betreff", "Text {title", "unbalanced_brace"),
        ("Betreff", "Hier teilnehmen: {join_link}", "join_link_not_public"),
        ("{join_link}", "Text", "join_link_not_public"),
    ],
)
def test_check_message_refuses(subject: str, text: str, code: str) -> None:
    assert code_of(lambda: check_message(subject, text, False)).code == code


def test_the_join_link_is_allowed_once_it_is_public() -> None:
    assert check_message("B", "Hier: {join_link}", True).text == "Hier: {join_link}"
    assert check_message("x" * MAX_SUBJECT, "Text", False).subject == "x" * MAX_SUBJECT


def test_a_subject_stays_one_line_whatever_the_values() -> None:
    assert fill_subject("Einladung: {title}", {"title": "Zwei\r\nBcc: a@b.c"}) == (
        "Einladung: Zwei Bcc: a@b.c"
    )


def test_default_messages_are_valid_without_the_join_link() -> None:
    for (kind, lang), subject in DEFAULT_SUBJECTS.items():
        checked = check_message(subject, DEFAULT_TEXTS[(kind, lang)], False)
        assert checked == default_message(kind, lang)
        assert "{event_link}" in checked.text
    assert default_message("invitation", "de").subject.startswith("Einladung")
    assert default_message("invitation", "en").subject.startswith("Invitation")
    assert default_message("invitation", "fr") == default_message("invitation", "de")
    assert default_message("reminder", "de").subject.startswith("Erinnerung")


# A Tuesday evening and a Tuesday morning in Berlin (CET, UTC+1 in February).
EVENING = datetime(2021, 2, 2, 18, 0, tzinfo=UTC)  # 19:00 Berlin
MORNING = datetime(2021, 2, 2, 8, 0, tzinfo=UTC)  # 09:00 Berlin


@pytest.mark.parametrize(
    ("start", "now", "due"),
    [
        (EVENING, datetime(2021, 2, 1, 7, 0, tzinfo=UTC), True),  # Monday 08:00 Berlin
        (EVENING, datetime(2021, 2, 1, 6, 59, tzinfo=UTC), False),  # Monday 07:59
        (EVENING, datetime(2021, 2, 1, 22, 59, tzinfo=UTC), True),  # Monday 23:59
        (EVENING, datetime(2021, 2, 1, 23, 0, tzinfo=UTC), False),  # Tuesday 00:00: its day
        (EVENING, datetime(2021, 1, 31, 22, 0, tzinfo=UTC), False),  # Sunday 23:00
        (MORNING, datetime(2021, 1, 31, 21, 0, tzinfo=UTC), False),  # Sunday 22:00, 35 h before
        (MORNING, datetime(2021, 2, 1, 7, 0, tzinfo=UTC), True),  # Monday 08:00, 25 h before
        (None, datetime(2021, 2, 1, 7, 0, tzinfo=UTC), False),
        # Summer time: an event on Monday 29 March 2021 at 10:00 (UTC+2), clocks changed
        # on Sunday: the reminder from Sunday 08:00 Berlin (06:00 UTC).
        (datetime(2021, 3, 29, 8, 0, tzinfo=UTC), datetime(2021, 3, 28, 6, 0, tzinfo=UTC), True),
        (datetime(2021, 3, 29, 8, 0, tzinfo=UTC), datetime(2021, 3, 28, 5, 59, tzinfo=UTC), False),
    ],
)
def test_the_reminder_is_due_on_the_day_before_from_eight(
    start: datetime | None, now: datetime, due: bool
) -> None:
    assert reminder_due(start, now) is due


def test_naive_times_read_as_utc() -> None:
    assert reminder_due(EVENING.replace(tzinfo=None), datetime(2021, 2, 1, 7, 0))


@pytest.mark.parametrize(
    ("in_series", "series_public", "event_public", "cancelled", "start", "code"),
    [
        (False, True, True, False, EVENING, "invitation_no_series"),
        (True, False, True, False, EVENING, "invitation_not_public"),
        (True, True, False, False, EVENING, "invitation_not_public"),
        (True, True, True, True, EVENING, "invitation_cancelled"),
        (True, True, True, False, None, "invitation_past"),
        (True, True, True, False, datetime(2021, 2, 1, 7, 0, tzinfo=UTC), "invitation_past"),
        (True, True, True, False, datetime(2021, 2, 1, 6, 0, tzinfo=UTC), "invitation_past"),
        (True, True, True, False, EVENING, None),
    ],
)
def test_only_upcoming_public_events_of_a_series_can_be_sent_to(
    in_series: bool,
    series_public: bool,
    event_public: bool,
    cancelled: bool,
    start: datetime | None,
    code: str | None,
) -> None:
    now = datetime(2021, 2, 1, 7, 0, tzinfo=UTC)
    args = (in_series, series_public, event_public, cancelled, start, now)
    if code is None:
        check_sendable(*args)
    else:
        assert code_of(lambda: check_sendable(*args)).code == code
