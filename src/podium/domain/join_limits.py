"""How often one client address may ask for a participant token or try a join code.

Both limits are token buckets per address: a bucket holds up to `capacity` and fills
again at `per_second`. A room of phones behind one NAT shares one address, so the
capacity is the size of a room that joins at once (everyone scans the QR code within
a minute), and the refill lets the next room in a few minutes later; a script that
asks thousands of times a second empties it in a fraction of a second and then gets
`per_second` at most.

- Issuing tokens: every token the server hands out takes one from the address's
  bucket (default 300, refilled at 3 a second).
- Join codes: only a lookup that FAILS takes one (default 30 in ten minutes); the
  right code never counts, however many phones use it. An address whose bucket is
  empty is refused before its lookup, so that its answer tells nothing of whether a
  code exists.

The clock is passed in (seconds, monotonic): the rule is the same in tests.
IPv6 clients count by their /64 network: one household or phone has a whole /64 and
could otherwise take a new address for every request.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field

from podium.domain.errors import RuleViolation

MAX_ADDRESSES = 100_000  # buckets held; full ones are dropped first (they equal none)


class Throttled(RuleViolation):
    """Too many requests of one kind from one address; try again after `retry_after`
    seconds (sent as Retry-After)."""

    status = 429

    def __init__(self, code: str, retry_after: int = 1, **params: object) -> None:
        super().__init__(code, seconds=retry_after, **params)
        self.retry_after = retry_after


def is_local(host: str | None) -> bool:
    """A request from the server's own host (loopback): a reverse proxy on the same
    machine, or a load test. Its address says nothing about the client, so the
    per-address limits do not count it: otherwise a local proxy would put every
    participant into one bucket, and one guesser would lock out the whole room."""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def address_key(host: str | None) -> str:
    """The address a limit counts by: IPv4 as it is, IPv6 by its /64 network."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # a test client's name, a Unix socket
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass
class Buckets:
    """Token buckets by key. `capacity` <= 0 turns the limit off."""

    capacity: float
    per_second: float
    max_keys: int = MAX_ADDRESSES
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)  # key: (level, at)

    @property
    def enabled(self) -> bool:
        return self.capacity > 0 and self.per_second > 0

    def level(self, key: str, now: float) -> float:
        """What the key's bucket holds now."""
        level, at = self._levels.get(key, (self.capacity, now))
        return min(self.capacity, level + max(0.0, now - at) * self.per_second)

    def wait(self, key: str, now: float) -> int:
        """Seconds until the key may take one (0: now), rounded up; nothing taken."""
        if not self.enabled:
            return 0
        missing = 1.0 - self.level(key, now)
        return 0 if missing <= 0 else max(1, math.ceil(missing / self.per_second))

    def take(self, key: str, now: float) -> int:
        """Take one if the bucket holds one: 0. Otherwise nothing taken, and the
        seconds to wait."""
        waiting = self.wait(key, now)
        if waiting or not self.enabled:
            return waiting
        self._levels[key] = (self.level(key, now) - 1.0, now)
        if len(self._levels) > self.max_keys:
            self._prune(now)
        return 0

    def _prune(self, now: float) -> None:
        """Drop full buckets; if still too many, the fullest down to half the bound:
        an emptied bucket (a script's) is the last to be forgotten."""
        for key in [k for k in self._levels if self.level(k, now) >= self.capacity]:
            del self._levels[key]
        if len(self._levels) > self.max_keys:
            excess = len(self._levels) - self.max_keys // 2
            fullest = sorted(self._levels, key=lambda k: -self.level(k, now))[:excess]
            for key in fullest:
                del self._levels[key]

    def __len__(self) -> int:
        return len(self._levels)
