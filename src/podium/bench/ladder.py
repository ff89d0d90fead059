"""Which values the bench sends, so that every answer shows on the presenter's screen.

Option i of the poll gets the weight 2**i; a value (a set of options) weighs the sum
of its options' weights, and a frame's *score* is the sum over options of weight x
count. Distinct sets of options have distinct weights, so a participant who walks
up the ladder of all allowed sets, sorted by weight, raises the score with every
answer, the first one included. After the top step a participant cannot change
again without lowering the score: the bench gives it a fresh identity instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_OPTIONS = 10  # 1,023 sets at most: enough steps, bounded work


@dataclass(frozen=True)
class Ladder:
    option_ids: tuple[int, ...]
    steps: tuple[tuple[int, ...], ...]  # option positions of each step, by rising weight
    weights: tuple[int, ...]

    @classmethod
    def build(cls, option_ids: Sequence[int], max_choices: int, allow_change: bool) -> Ladder:
        ids = tuple(option_ids)
        if not ids:
            raise ValueError("a poll with options is needed")
        usable = range(min(len(ids), MAX_OPTIONS))
        sets = [
            combo
            for size in range(1, max(1, min(max_choices, len(usable))) + 1)
            for combo in combinations(usable, size)
        ]
        sets.sort(key=_weight)
        if not allow_change:
            sets = sets[:1]  # one answer per participant: no changes to climb
        return cls(ids, tuple(sets), tuple(_weight(s) for s in sets))

    def __len__(self) -> int:
        return len(self.steps)

    def value(self, step: int) -> list[int]:
        """The answer of this step: the option ids (a list suits single and multiple)."""
        return [self.option_ids[i] for i in self.steps[step]]

    def increment(self, step: int) -> int:
        """How much the score rises when a participant moves from step-1 (or nothing) to step."""
        return self.weights[step] - (self.weights[step - 1] if step > 0 else 0)

    def score(self, counts: Sequence[int]) -> int:
        """The weighted total of a results frame's counts, given in option order."""
        if len(counts) != len(self.option_ids):
            raise ValueError(f"{len(counts)} counts for {len(self.option_ids)} options")
        return sum(count << i for i, count in enumerate(counts[:MAX_OPTIONS]))


def _weight(positions: tuple[int, ...]) -> int:
    return sum(1 << i for i in positions)
