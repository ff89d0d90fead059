"""The sign-up form on a series' public page: what it shows (the current consent
text and its version, the upcoming events to choose) and, after a refused attempt,
what was typed, the message, and which field it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from podium.domain.errors import RuleViolation
from podium.services.consent_texts import current_consent
from podium.services.context import Context
from podium.services.series_page import PublicEvent, SeriesPage
from podium.web.messages import message

# The field a refusal is about: the error summary links to it, the field says so.
FIELD_OF_CODE: dict[str, str] = {
    "bad_email": "email",
    "email_too_long": "email",
    "control_characters": "email",
    "consent_missing": "consent",
    "consent_text_changed": "consent",
    "no_events_chosen": "events",
    "unknown_signup_event": "events",
}


@dataclass(frozen=True)
class SignupForm:
    version: int
    consent_text: str
    events: Sequence[PublicEvent]  # the upcoming public events that can be chosen
    email: str = ""
    whole_series: bool = True
    chosen: frozenset[int] = frozenset()
    consent_given: bool = False
    error: str | None = None
    error_field: str | None = None
    invalid: frozenset[str] = field(default_factory=frozenset)

    def field_id(self, name: str) -> str:
        if name == "events":
            return f"signup-event-{self.events[0].id}" if self.events else "signup-scope-events"
        return f"signup-{name}"

    def described(self, name: str, *hints: str) -> str:
        """The aria-describedby ids of a field: the error first when it is about it."""
        ids = (["signup-error"] if name in self.invalid else []) + list(hints)
        return " ".join(ids)


def signable(page: SeriesPage) -> list[PublicEvent]:
    return [e for e in page.upcoming if not e.cancelled]


@dataclass(frozen=True)
class Typed:
    """What the visitor sent, to show again with the message."""

    email: str = ""
    whole_series: bool = True
    chosen: frozenset[int] = frozenset()
    consent_given: bool = False


async def signup_form(
    rt: Context,
    page: SeriesPage,
    lang: str,
    typed: Typed | None = None,
    refused: RuleViolation | None = None,
    preview: bool = False,
) -> SignupForm | None:
    """The form, or None when the series has nothing to sign up for (no upcoming
    public event) or is not public; `preview`: the organiser's, before it is."""
    events = signable(page)
    if not (page.public or preview) or not events:
        return None
    consent = await current_consent(rt, page.id)
    if typed is None:
        return SignupForm(consent.version, consent.text(lang), events)
    name = FIELD_OF_CODE.get(refused.code) if refused else None
    # consent to a text that changed must be given anew, to the text now shown
    stale = refused is not None and refused.code == "consent_text_changed"
    return SignupForm(
        consent.version,
        consent.text(lang),
        events,
        email=typed.email,
        whole_series=typed.whole_series,
        chosen=typed.chosen,
        consent_given=typed.consent_given and not stale,
        error=message(refused.code, refused.params) if refused else None,
        error_field=name,
        invalid=frozenset({name}) if name else frozenset(),
    )
