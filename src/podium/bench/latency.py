"""Percentiles, and matching acknowledged answers to the presenter frames that show them.

A results frame does not name the answers it holds. What it does show are the
counts per option, and the bench chooses its answers (see ladder.py) so that each
acknowledged answer raises a weighted total of those counts, the *score*, by a known
amount. The score after an answer is acknowledged is its *target*: the answer is
seen by a presenter at the first frame whose score reaches the target.

This assumes that the server commits answers in the order in which their
acknowledgements reach the bench. The writer commits in batches and acknowledges a
batch's answers together, so answers that swap places are ones acknowledged within
the same few milliseconds; the error is of that order.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Sequence

PERCENTILES = (50, 90, 99)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of values sorted ascending (p in 0..100)."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0..100")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise_ms(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """count, mean, p50, p90, p99 and max of durations given in seconds, as milliseconds."""
    values = sorted(seconds)
    summary: dict[str, float | int | None] = {"count": len(values)}
    if not values:
        summary.update({"mean": None, "max": None, **{f"p{p}": None for p in PERCENTILES}})
        return summary
    summary["mean"] = round(1000 * sum(values) / len(values), 2)
    for p in PERCENTILES:
        summary[f"p{p}"] = round(1000 * percentile(values, p), 2)
    summary["max"] = round(1000 * values[-1], 2)
    return summary


class PresenterTrack:
    """One presenter's frames and the answers it has not shown yet."""

    def __init__(self) -> None:
        self._times: list[float] = []
        self._scores: list[int] = []  # running maximum, so that bisect works
        self._waiting: list[tuple[int, float]] = []  # heap of (target, ack time)
        self.samples: list[float] = []  # seconds from acknowledgement to frame
        self.frames = 0

    def frame(self, at: float, score: int) -> None:
        """A results frame arrived at `at` showing `score`."""
        self.frames += 1
        top = max(score, self._scores[-1]) if self._scores else score
        self._times.append(at)
        self._scores.append(top)
        while self._waiting and self._waiting[0][0] <= top:
            _, acked = heapq.heappop(self._waiting)
            self.samples.append(max(0.0, at - acked))

    def acked(self, target: int, at: float) -> None:
        """An answer acknowledged at `at` is shown once a frame's score reaches `target`."""
        if self._scores and self._scores[-1] >= target:
            # A frame arrived before the acknowledgement did: the presenter was first.
            i = bisect.bisect_left(self._scores, target)
            self.samples.append(max(0.0, self._times[i] - at))
        else:
            heapq.heappush(self._waiting, (target, at))

    @property
    def unseen(self) -> int:
        return len(self._waiting)


class LatencyMatcher:
    """The expected score, raised by each acknowledged answer, checked against every presenter."""

    def __init__(self, base: int, presenters: int) -> None:
        self.expected = base
        self.tracks = [PresenterTrack() for _ in range(presenters)]

    def acked(self, increment: int, at: float) -> None:
        if increment <= 0:
            return  # moves no total: it cannot be told apart in a frame
        self.expected += increment
        for track in self.tracks:
            track.acked(self.expected, at)

    def frame(self, presenter: int, at: float, score: int) -> None:
        self.tracks[presenter].frame(at, score)

    @property
    def unseen(self) -> int:
        return sum(t.unseen for t in self.tracks)

    def samples(self) -> list[float]:
        """Every (answer, presenter) pair that was seen: seconds from ack to frame."""
        return [s for t in self.tracks for s in t.samples]
