"""The rules of a series' sign-up with double opt-in (pure: no I/O, clocks injected).

An address counts as subscribed only once its confirmation link was followed. The
link's secret travels in the mail; the subscriber's row keeps only its sha256.
Whatever happens, the visitor is answered the same (known address or not, throttled
or not, a bot's honeypot or not): the answer must not tell a stranger who signed up.

States: `pending` (asked, not confirmed) -> `confirmed` -> `withdrawn`. A new
sign-up of a pending or withdrawn address starts over as pending with the new
choice; a confirmed address that signs up again (for more events) keeps what it
confirmed, and the extension counts only once its own link is followed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from podium.domain.errors import NotFound, RuleViolation
from podium.domain.mail_address import checked_address

PENDING = "pending"
CONFIRMED = "confirmed"
WITHDRAWN = "withdrawn"
STATES = (PENDING, CONFIRMED, WITHDRAWN)

# What the consent log records (ConsentLogEntry.action)
REQUESTED = "requested"
# CONFIRMED and WITHDRAWN name their log entries too

LANGUAGES = ("de", "en")
TOKEN_BYTES = 32  # 256 random bits: the confirmation link and the unsubscribe key
_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what token_urlsafe(32) makes
# A second confirmation mail to the same address waits this long: a form sent ten
# times must not fill a stranger's mailbox.
MAIL_INTERVAL = timedelta(hours=1)
RATE_WINDOW = 3600.0  # seconds: signup_per_hour counts in a sliding hour


class Gone(RuleViolation):
    """The link was real but is no longer of use (expired)."""

    status = 410


class TooMany(RuleViolation):
    """Too many sign-ups from one client address; `retry_after` seconds."""

    status = 429

    def __init__(self, code: str, retry_after: int = 60, **params: object) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


class Stale(RuleViolation):
    """The form was made from a state that changed meanwhile (a new consent text)."""

    status = 409


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_secret(raw: str) -> bool:
    """A link's secret as podium makes them: anything else is refused before a query."""
    return bool(_SECRET.match(raw or ""))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def token_expiry(now: datetime, confirm_hours: int) -> datetime:
    return _utc(now) + timedelta(hours=confirm_hours)


def is_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or _utc(expires_at) <= _utc(now)


def may_mail_again(last_mail_at: datetime | None, now: datetime) -> bool:
    """At most one confirmation mail per hour per address."""
    return last_mail_at is None or _utc(now) - _utc(last_mail_at) >= MAIL_INTERVAL


def purge_before(now: datetime, unconfirmed_days: int) -> datetime:
    """Sign-ups asked for before this moment and never confirmed are deleted."""
    return _utc(now) - timedelta(days=unconfirmed_days)


def email_key(address: str) -> str:
    """What makes two addresses the same subscriber: compared lower-cased."""
    return address.strip().lower()


def checked_signup_address(raw: str) -> str:
    """The typed address, or RuleViolation (bad_email, email_too_long)."""
    return checked_address(raw)


def checked_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise RuleViolation("unknown_language")
    return lang


def is_bot(honeypot: str) -> bool:
    """The hidden field people never see was filled in: a bot. It gets the same
    answer as everyone (so it learns nothing) and nothing is stored."""
    return bool(honeypot.strip())


def checked_consent(given: bool, shown_version: int | None, current_version: int) -> None:
    """The box must be ticked, for the text that is current: the organiser may have
    changed it since the form was loaded, and consent to a text not shown is none."""
    if not given:
        raise RuleViolation("consent_missing")
    if shown_version != current_version:
        raise Stale("consent_text_changed")


@dataclass(frozen=True)
class Scope:
    """What a subscriber consented to: the whole series, or these events."""

    whole_series: bool
    event_ids: frozenset[int] = frozenset()

    def merged(self, other: Scope) -> Scope:
        """A confirmed subscriber's scope after confirming `other` too: more, never less."""
        if self.whole_series or other.whole_series:
            return Scope(True)
        return Scope(False, self.event_ids | other.event_ids)


def checked_scope(whole_series: bool, chosen: Iterable[int], upcoming_ids: Iterable[int]) -> Scope:
    """The whole series, or a non-empty choice of the series' upcoming public events."""
    if whole_series:
        return Scope(True)
    picked = frozenset(chosen)
    if not picked:
        raise RuleViolation("no_events_chosen")
    if not picked <= frozenset(upcoming_ids):
        raise RuleViolation("unknown_signup_event")
    return Scope(False, picked)


@dataclass(frozen=True)
class SignUpStep:
    """What a sign-up does to a known address (or a new one: state None)."""

    mail: bool  # store the request and queue a confirmation mail
    restart: bool  # back to pending with the new choice (else: an extension to confirm)


def sign_up_step(state: str | None, last_mail_at: datetime | None, now: datetime) -> SignUpStep:
    if state is not None and state not in STATES:
        raise ValueError(state)
    if state is not None and not may_mail_again(last_mail_at, now):
        return SignUpStep(mail=False, restart=False)
    return SignUpStep(mail=True, restart=state != CONFIRMED)


def scope_after_confirming(state: str, current: Scope, requested: Scope) -> Scope:
    """Pending: what was asked for. Confirmed (an extension): both together."""
    return current.merged(requested) if state == CONFIRMED else requested


@dataclass(frozen=True)
class ConfirmCheck:
    """A confirmation link's row as far as the decision needs it."""

    series_id: int
    state: str
    expires_at: datetime | None
    used: bool


def check_confirmation(found: ConfirmCheck | None, series_id: int, now: datetime) -> None:
    """Refuse a forged, used, expired or foreign link; None when it may confirm."""
    if found is None or found.state == WITHDRAWN:
        raise NotFound("confirm_link_unknown")
    if found.series_id != series_id:
        raise NotFound("confirm_link_other_series")
    if found.used:
        raise Gone("confirm_link_used")
    if is_expired(found.expires_at, now):
        raise Gone("confirm_link_expired")


class SlidingWindow:
    """At most `limit` hits per key within `window` seconds (per process, in memory).

    Keys are client addresses; at most `max_keys` are remembered, the least recently
    seen forgotten first, so a flood of addresses cannot fill the memory."""

    def __init__(
        self,
        limit: int,
        window: float = RATE_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def hit(self, key: str) -> int | None:
        """Count a hit: None when allowed, else the seconds until one is allowed again
        (a refused hit does not count)."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self._max_keys:
                self._hits.popitem(last=False)
        self._hits.move_to_end(key)
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, int(hits[0] + self.window - now + 0.999))
        hits.append(now)
        return None

    def check(self, key: str) -> None:
        """TooMany (429, with retry_after) when `key` is over its limit."""
        wait = self.hit(key)
        if wait is not None:
            raise TooMany("too_many_signups", retry_after=wait, minutes=max(1, (wait + 59) // 60))
