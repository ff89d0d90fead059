"""The subject and text of an invitation (or the day-before reminder) as the
organiser writes them: placeholders such as {title} stand for the event's details,
filled in for each recipient.

The substitution is plain string work on a parsed template, never `str.format` on
the organiser's text: `{0.__class__}` or `{title.upper}` must not reach Python's
formatting machinery, so every brace pair must hold exactly one known name. An
unknown name or a lone brace is refused with the names, so that the organiser sees
what to fix; nothing else in the text is touched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from podium.domain.errors import RuleViolation

PLACEHOLDERS = ("title", "date", "time", "format", "series", "event_link", "join_link")
# Only when the organiser made the event's join link public (domain/series_page.py):
# a mail must not give away what the public page still hides.
JOIN_LINK = "join_link"
MAX_SUBJECT = 200
MAX_TEXT = 20_000
KINDS = ("invitation", "reminder")

_TOKEN = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Checked:
    subject: str
    text: str


def placeholders_in(template: str) -> list[str]:
    """The placeholder names of `template` in order; a brace that is not part of a
    `{name}` pair (unbalanced, nested) or an unknown name is refused."""
    names: list[str] = []
    unknown: list[str] = []
    position = 0
    for found in _TOKEN.finditer(template):
        if "{" in template[position : found.start()] or "}" in template[position : found.start()]:
            raise RuleViolation("unbalanced_brace")
        name = found.group(1)
        (names if name in PLACEHOLDERS else unknown).append(name)
        position = found.end()
    rest = template[position:]
    if "{" in rest or "}" in rest:
        raise RuleViolation("unbalanced_brace")
    if unknown:
        shown = ", ".join("{" + n + "}" for n in dict.fromkeys(unknown))
        raise RuleViolation("unknown_placeholder", names=shown)
    return names


def check_message(subject: str, text: str, join_link_public: bool) -> Checked:
    """The organiser's subject and text, checked before they are saved or sent."""
    subject = subject.strip()
    text = text.replace("\r\n", "\n").strip()
    if not subject:
        raise RuleViolation("empty_subject")
    if "\r" in subject or "\n" in subject:
        raise RuleViolation("subject_line_break")
    if len(subject) > MAX_SUBJECT:
        raise RuleViolation("subject_too_long", max=MAX_SUBJECT)
    if not text:
        raise RuleViolation("empty_mail_text")
    if len(text) > MAX_TEXT:
        raise RuleViolation("mail_text_too_long", max=MAX_TEXT)
    if "\x00" in subject or "\x00" in text:
        raise RuleViolation("control_characters")
    used = placeholders_in(subject) + placeholders_in(text)
    if JOIN_LINK in used and not join_link_public:
        raise RuleViolation("join_link_not_public")
    return Checked(subject, text)


def fill(template: str, values: Mapping[str, str]) -> str:
    """`template` with each placeholder replaced by its value (checked templates only;
    a missing value reads as empty)."""
    placeholders_in(template)
    return _TOKEN.sub(lambda m: values.get(m.group(1), ""), template)


def fill_subject(template: str, values: Mapping[str, str]) -> str:
    """The subject line: a value with a line break (a title pasted with one) must not
    start a new header line."""
    return " ".join(fill(template, values).split())


# What the organiser starts from, per language and kind. Short: the mail adds the
# event's details, its page and calendar file below the text. Without {join_link}:
# it is not public for most events when the invitation goes out.
DEFAULT_SUBJECTS: dict[tuple[str, str], str] = {
    ("invitation", "de"): "Einladung: {title} am {date}",
    ("invitation", "en"): "Invitation: {title} on {date}",
    ("reminder", "de"): "Erinnerung: {title} morgen um {time}",
    ("reminder", "en"): "Reminder: {title} tomorrow at {time}",
}

DEFAULT_TEXTS: dict[tuple[str, str], str] = {
    ("invitation", "de"): (
        "Guten Tag,\n\n"
        "wir laden Sie herzlich zur nächsten Veranstaltung der Reihe „{series}“ ein:"
        " „{title}“ am {date} um {time}.\n\n"
        "Alle Einzelheiten und wie Sie teilnehmen, finden Sie hier: {event_link}\n\n"
        "Wir freuen uns auf Ihre Teilnahme.\n\n"
        "Mit freundlichen Grüßen"
    ),
    ("invitation", "en"): (
        "Hello,\n\n"
        "we would like to invite you to the next event of the series “{series}”:"
        " “{title}” on {date} at {time}.\n\n"
        "All details and how to take part: {event_link}\n\n"
        "We look forward to seeing you.\n\n"
        "Kind regards"
    ),
    ("reminder", "de"): (
        "Guten Tag,\n\n"
        "wir erinnern Sie an die Veranstaltung „{title}“ morgen, {date}, um {time}.\n\n"
        "Alle Einzelheiten und wie Sie teilnehmen, finden Sie hier: {event_link}\n\n"
        "Mit freundlichen Grüßen"
    ),
    ("reminder", "en"): (
        "Hello,\n\n"
        "a reminder of tomorrow's event “{title}” on {date} at {time}.\n\n"
        "All details and how to take part: {event_link}\n\n"
        "Kind regards"
    ),
}


def default_message(kind: str, lang: str) -> Checked:
    """The default subject and text of `kind` in `lang` (German when unknown)."""
    key = (kind if kind in KINDS else "invitation", lang if lang in ("de", "en") else "de")
    return Checked(DEFAULT_SUBJECTS[key], DEFAULT_TEXTS[key])
