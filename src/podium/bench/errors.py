"""Errors counted by kind: HTTP status, connect errors, timeouts, dropped streams."""

from __future__ import annotations

from collections import Counter

import httpx


def kind_of(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect error"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "server closed the connection"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "read/write error"
    return type(exc).__name__


class Errors:
    """Counts per phase and kind, e.g. ("answer", "HTTP 409") or ("join", "timeout")."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.samples: list[str] = []

    def add(self, phase: str, kind: str, detail: str = "") -> None:
        self.counts[f"{phase}: {kind}"] += 1
        if len(self.samples) < 10:
            self.samples.append(f"{phase}: {kind} {detail}".strip())

    def exception(self, phase: str, exc: BaseException) -> None:
        self.add(phase, kind_of(exc), str(exc)[:200])

    def total(self, phase: str | None = None) -> int:
        if phase is None:
            return sum(self.counts.values())
        return sum(n for k, n in self.counts.items() if k.startswith(f"{phase}: "))

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))
