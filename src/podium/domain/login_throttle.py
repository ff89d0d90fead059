"""How many failed sign-ins are let through, per account and per client address.

Every attempt costs an argon2 hash (64 MiB, tens of milliseconds): without a limit a
login form is a lever for guessing passwords and for exhausting memory. The check
comes before the hash. Kept in memory per process (documented in SECURITY.md): with
several processes the limits hold per process, which still bounds guessing."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

WINDOW = 15 * 60.0  # seconds a failure is remembered
PER_ACCOUNT = 5  # failures per account within the window
PER_ADDRESS = 20  # failures per client address within the window (a shared NAT, typos)
MAX_KEYS = 10_000  # keys remembered; the least recently failed are forgotten first


class Failures:
    """The times of recent failures per key, at most `max_keys` keys."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float], max_keys: int):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._times: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, key: str) -> int | None:
        """Seconds until `key` may try again, or None when it may now."""
        times = self._times.get(key)
        if times is None:
            return None
        now = self._clock()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._times[key]
            return None
        if len(times) < self.limit:
            return None
        return max(1, int(times[0] + self.window - now + 0.999))

    def add(self, key: str) -> None:
        times = self._times.get(key)
        if times is None:
            times = self._times[key] = deque()
            while len(self._times) > self._max_keys:
                self._times.popitem(last=False)
        self._times.move_to_end(key)
        times.append(self._clock())

    def clear(self, key: str) -> None:
        self._times.pop(key, None)


class LoginThrottle:
    """Ask `wait` before checking a password; tell `failed` or `succeeded` after."""

    def __init__(
        self,
        per_account: int = PER_ACCOUNT,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self._accounts = Failures(per_account, window, clock, max_keys)
        self._addresses = Failures(per_address, window, clock, max_keys)

    def wait(self, account: str, address: str) -> int | None:
        """Seconds to wait before this account may be tried from this address, or None."""
        waits = [w for w in (self._accounts.wait(account), self._addresses.wait(address)) if w]
        return max(waits) if waits else None

    def failed(self, account: str, address: str) -> None:
        self._accounts.add(account)
        self._addresses.add(address)

    def succeeded(self, account: str) -> None:
        """The right password: the account's count starts again (its owner is back).
        The address keeps its count: one good account must not reset a guesser's."""
        self._accounts.clear(account)
