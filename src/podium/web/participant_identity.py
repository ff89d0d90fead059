"""Participant tokens issued and checked, admissions by access code, and the limits
per client address on issuing and on wrong codes (the rules: domain/participant_token.py
and domain/join_limits.py).

One object per app (`identity(app)`), in this process's memory: with several
processes each counts its own requests, so an address gets the limits once per
process (docs/SECURITY.md). Behind a reverse proxy the address is the proxy's
(`podium serve` does not read X-Forwarded-For): every participant then shares one
bucket, and the limits must be raised to the size of the audience.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from podium.domain import participant_token as tokens
from podium.domain.join_limits import Buckets, Throttled, address_key, is_local
from podium.services.live_cache import LiveEvent
from podium.settings import Settings

ACCESS_COOKIE = "podium_a"  # + the event's id: one admission per event
VERIFIED_KEPT = 100_000  # tokens remembered as verified: ~10 MB at most
JOIN_FAILURE_WINDOW = 600.0  # seconds: join_code_failures counts in ten minutes


def access_cookie(event_id: int) -> str:
    return f"{ACCESS_COOKIE}{event_id}"


@lru_cache(maxsize=4096)
def _key(host: str | None) -> str:
    return address_key(host)


class ParticipantIdentity:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.token_key = tokens.derive_key(settings.secret_key, "participant-token")
        self.access_key = tokens.derive_key(settings.secret_key, "access")
        self.issuing = Buckets(
            settings.participant_tokens_burst, settings.participant_tokens_per_second
        )
        failures = settings.join_code_failures
        self.failures = Buckets(failures, failures / JOIN_FAILURE_WINDOW)
        self.clock = clock
        self._verified: set[str] = set()

    def valid(self, token: str | None) -> bool:
        """Whether podium issued the token. Tokens that verified are remembered (a set
        lookup instead of an HMAC on each of a participant's answers); only those, so
        that invented ones cannot fill it, and at most VERIFIED_KEPT of them."""
        if token in self._verified:
            return True
        if not tokens.verify(self.token_key, token):
            return False
        if len(self._verified) >= VERIFIED_KEPT:
            self._verified.clear()
        self._verified.add(token)  # type: ignore[arg-type]  # verified: a str
        return True

    def issue(self, host: str | None) -> str:
        """A new token for a client at `host`; Throttled when its address had its share."""
        waiting = 0 if is_local(host) else self.issuing.take(_key(host), self.clock())
        if waiting:
            raise Throttled("too_many_participants", waiting)
        return tokens.issue(self.token_key)

    def lookups_blocked(self, host: str | None) -> int:
        """Seconds the address must wait before it may look up a code (0: it may).
        Free while nobody has failed: the hot path asks on every answer."""
        if not self.failures or not self.failures.enabled or is_local(host):
            return 0
        return self.failures.wait(_key(host), self.clock())

    def check_lookup(self, host: str | None) -> None:
        waiting = self.lookups_blocked(host)
        if waiting:
            raise Throttled("too_many_wrong_codes", waiting)

    def lookup_failed(self, host: str | None) -> None:
        """A wrong join or access code from `host`: it counts."""
        if not is_local(host):
            self.failures.take(_key(host), self.clock())

    def admission(self, event: LiveEvent, token: str) -> str:
        return tokens.admission(self.access_key, event.id, event.access_code or "", token)

    def admitted(self, event: LiveEvent, token: str | None, cookies: Mapping[str, str]) -> bool:
        """Whether the token may take part: any token in an event without access code."""
        if not event.access_code:
            return True
        if token is None:
            return False
        shown = cookies.get(access_cookie(event.id))
        return tokens.admitted(self.access_key, event.id, event.access_code, token, shown)


def identity(app: Any) -> ParticipantIdentity:
    """The app's (a Starlette app: `request.app`, `scope["app"]`), made on first use."""
    state = app.state
    found: ParticipantIdentity | None = getattr(state, "participant_identity", None)
    if found is None:
        found = state.participant_identity = ParticipantIdentity(state.settings)
    return found
