"""The bench's answers: every step raises the presenter's weighted total."""

from __future__ import annotations

from podium.bench.ladder import Ladder


def test_multiple_choice_ladder_rises_with_every_step() -> None:
    ladder = Ladder.build([11, 12, 13, 14, 15, 16, 17], max_choices=3, allow_change=True)
    assert len(ladder) == 7 + 21 + 35  # every set of one to three of seven options
    assert all(b > a for a, b in zip(ladder.weights, ladder.weights[1:], strict=False))
    assert all(ladder.increment(step) > 0 for step in range(len(ladder)))
    assert ladder.value(0) == [11]
    assert ladder.value(1) == [12]
    assert ladder.value(2) == [11, 12]
    assert all(1 <= len(ladder.value(s)) <= 3 for s in range(len(ladder)))


def test_score_of_counts_follows_the_steps() -> None:
    ladder = Ladder.build([1, 2, 3], max_choices=2, allow_change=True)
    # Two participants: one at step 2 ([1, 2]), one at step 0 ([1]).
    counts = [2, 1, 0]
    assert ladder.score(counts) == ladder.weights[2] + ladder.weights[0]
    # The second moves up one step: the score rises by exactly the increment.
    after = [1, 2, 0]  # step 1 is [2]
    assert ladder.value(1) == [2]
    assert ladder.score(after) - ladder.score(counts) == ladder.increment(1)


def test_single_choice_and_no_changes() -> None:
    single = Ladder.build([5, 6, 7], max_choices=1, allow_change=True)
    assert [single.value(s) for s in range(len(single))] == [[5], [6], [7]]
    once = Ladder.build([5, 6, 7], max_choices=3, allow_change=False)
    assert len(once) == 1
