"""What the legal pages state: from the server's plain settings to the facts of the
imprint, the privacy notice and the accessibility statement.

The pages' wording lives in templates (web/templates/legal/); what they may claim
is decided here, once: a missing name or address is said, not papered over; the
privacy notice names what this server actually does (IP addresses stored with the
consent log or not, how long answers are kept, whether mails leave at all); the
accessibility statement lists its known limitations as codes, which the template
words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# The date this version of the statements' text was prepared (the model statement of
# EU 2018/1523 asks for it); a new wording or a new list of limitations moves it.
STATEMENT_PREPARED = date(2026, 12, 4)


class Compliance(StrEnum):
    """The three states of the EU model statement (Implementing Decision 2018/1523)."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class Limitation(StrEnum):
    """A known barrier or a part not yet checked; the template words each one. A later
    issue replaces the unchecked parts with findings of tests."""

    # BITV 2.0 § 4: explanations in German Sign Language and in Easy Language
    NO_SIGN_OR_EASY_LANGUAGE = "no_sign_or_easy_language"
    # axe, reflow and keyboard walks cover every page (tests/e2e/a11y_pages.py), but no
    # person has yet used podium with a screen reader (NVDA, JAWS, VoiceOver)
    NO_SCREEN_READER_TEST = "no_screen_reader_test"
    # Typst writes the reports; they were never checked against PDF/UA
    PDF_REPORTS = "pdf_reports"


KNOWN_LIMITATIONS: tuple[Limitation, ...] = (
    Limitation.NO_SIGN_OR_EASY_LANGUAGE,
    Limitation.NO_SCREEN_READER_TEST,
    Limitation.PDF_REPORTS,
)


class Method(StrEnum):
    """How compliance was assessed: what the project's tests really do."""

    AXE_CI = "axe_ci"  # axe-core's WCAG 2.1 A/AA rules in the browser tests
    KEYBOARD_TESTS = "keyboard_tests"  # browser tests that work pages by keyboard
    SELF_ASSESSMENT = "self_assessment"  # no external test (BITV-Test) so far


ASSESSMENT: tuple[Method, ...] = (Method.AXE_CI, Method.KEYBOARD_TESTS, Method.SELF_ASSESSMENT)


@dataclass(frozen=True)
class LegalSettings:
    """The plain values the pages are made from: the server's settings, and the
    cookies' lifetimes as the web layer sets them."""

    name: str = ""
    organisation: str = ""
    address: str = ""
    representative: str = ""
    email: str = ""
    phone: str = ""
    dpo: str = ""
    accessibility_contact: str = ""
    enforcement: str = ""
    store_ip: bool = False
    unconfirmed_days: int = 14
    confirm_hours: int = 48
    signups_per_hour: int = 20
    retention_days: int = 0
    smtp: bool = False
    participant_cookie_days: int = 30
    session_hours: int = 12
    language_cookie_days: int = 365


@dataclass(frozen=True)
class Contact:
    name: str
    address: tuple[str, ...]
    representative: str
    email: str
    phone: str


@dataclass(frozen=True)
class Imprint:
    body: Contact
    # The setting names still empty that an imprint (§ 5 DDG, § 18 MStV) needs: a
    # name, a postal address and a way to write quickly.
    missing: tuple[str, ...]

    @property
    def configured(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str  # "participant", "session", "language", "access": the template words it
    lifetime: int
    unit: str  # "days" or "hours"

    def names(self, cookie: str) -> bool:
        """Whether a cookie as a browser gets it is this one: the session's has the
        `__Host-` prefix over https, the access code's admission one per event."""
        name = cookie.removeprefix("__Host-")
        if self.purpose == "access":
            return name.startswith(self.name) and name[len(self.name) :].isdigit()
        return name == self.name


def documented_cookie(cookies: tuple[Cookie, ...], name: str) -> bool:
    return any(cookie.names(name) for cookie in cookies)


@dataclass(frozen=True)
class Privacy:
    controller: Contact
    controller_known: bool
    dpo: str  # empty: none named
    rights_contact: str  # where data subjects write: the DPO, else the body's e-mail
    store_ip: bool
    unconfirmed_days: int
    confirm_hours: int
    signups_per_hour: int  # from one client address, against bots
    retention_days: int  # 0: kept until an organiser deletes them or `podium purge`
    smtp: bool  # False: mails are written to the outbox folder, none leaves the server
    cookies: tuple[Cookie, ...]


@dataclass(frozen=True)
class Link:
    """A text that may end in an address: shown as a link when it does."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Accessibility:
    body: str  # who makes the statement; empty: not configured
    status: Compliance
    limitations: tuple[Limitation, ...]
    methods: tuple[Method, ...]
    prepared: date
    contact: str  # empty: none configured
    enforcement: Link


def address_lines(raw: str) -> tuple[str, ...]:
    """`;` or newlines separate the lines of a postal address."""
    return tuple(line.strip() for line in re.split(r"[;\n]", raw) if line.strip())


def responsible(values: LegalSettings) -> Contact:
    return Contact(
        name=(values.name or values.organisation).strip(),
        address=address_lines(values.address),
        representative=values.representative.strip(),
        email=values.email.strip(),
        phone=values.phone.strip(),
    )


def imprint(values: LegalSettings) -> Imprint:
    body = responsible(values)
    needed = (
        ("legal_name", body.name),
        ("legal_address", body.address),
        ("legal_email", body.email),
    )
    return Imprint(body=body, missing=tuple(name for name, value in needed if not value))


def privacy(values: LegalSettings) -> Privacy:
    body = responsible(values)
    dpo = values.dpo.strip()
    return Privacy(
        controller=body,
        controller_known=bool(body.name and body.address),
        dpo=dpo,
        rights_contact=dpo or body.email,
        store_ip=values.store_ip,
        unconfirmed_days=values.unconfirmed_days,
        confirm_hours=values.confirm_hours,
        signups_per_hour=values.signups_per_hour,
        retention_days=values.retention_days,
        smtp=values.smtp,
        cookies=(
            Cookie("podium_p", "participant", values.participant_cookie_days, "days"),
            Cookie("podium_session", "session", values.session_hours, "hours"),
            Cookie("podium_lang", "language", values.language_cookie_days, "days"),
            # podium_a{event id}: an event with an access code, as long as the token
            Cookie("podium_a", "access", values.participant_cookie_days, "days"),
        ),
    )


_URL = re.compile(r"(https?://\S+)\s*$")


def link_at_end(raw: str) -> Link:
    """ "Schlichtungsstelle ..., https://..." -> the name and the address apart."""
    text = raw.strip()
    found = _URL.search(text)
    if found is None:
        return Link(text, None)
    label = text[: found.start()].rstrip(" ,;:–-")
    return Link(label or found.group(1), found.group(1).rstrip(".,;"))


def accessibility(
    values: LegalSettings, limitations: tuple[Limitation, ...] = KNOWN_LIMITATIONS
) -> Accessibility:
    """Fully compliant only without a known limitation; with some, partially (the
    model statement's word for "largely, except for what is listed")."""
    return Accessibility(
        body=responsible(values).name,
        status=Compliance.PARTIAL if limitations else Compliance.FULL,
        limitations=limitations,
        methods=ASSESSMENT,
        prepared=STATEMENT_PREPARED,
        contact=(values.accessibility_contact or values.email).strip(),
        enforcement=link_at_end(values.enforcement),
    )
