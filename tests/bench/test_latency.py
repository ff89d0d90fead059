"""Percentiles and the matching of acknowledged answers to presenter frames."""

from __future__ import annotations

import pytest

from podium.bench.latency import LatencyMatcher, PresenterTrack, percentile, summarise_ms


def test_nearest_rank_percentiles() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == 50
    assert percentile(values, 90) == 90
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile(values, 0) == 1
    assert percentile([7.0], 99) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2  # rank ceil(0.5 * 4) = 2


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_summary_in_milliseconds() -> None:
    summary = summarise_ms([0.010, 0.020, 0.030, 0.040, 1.0])
    assert summary["count"] == 5
    assert summary["p50"] == 30.0
    assert summary["p99"] == 1000.0
    assert summary["max"] == 1000.0
    assert summary["mean"] == 220.0
    assert summarise_ms([]) == {
        "count": 0,
        "mean": None,
        "max": None,
        "p50": None,
        "p90": None,
        "p99": None,
    }


def test_answer_seen_at_the_first_frame_that_reaches_its_target() -> None:
    track = PresenterTrack()
    track.acked(target=5, at=10.0)
    track.acked(target=8, at=10.1)
    track.frame(10.2, 4)  # neither yet
    assert track.samples == [] and track.unseen == 2
    track.frame(10.3, 6)  # the first
    assert track.samples == [pytest.approx(0.3)]
    track.frame(10.5, 9)  # the second
    assert track.samples == [pytest.approx(0.3), pytest.approx(0.4)]
    assert track.unseen == 0


def test_a_frame_that_came_before_the_acknowledgement_counts_as_zero() -> None:
    track = PresenterTrack()
    track.frame(1.0, 3)
    track.frame(2.0, 10)
    track.acked(target=7, at=2.5)  # frame 2.0 already showed it
    track.acked(target=2, at=0.5)  # frame 1.0 showed it half a second later
    assert track.samples == [0.0, pytest.approx(0.5)]


def test_a_lower_score_after_a_higher_one_does_not_undo_it() -> None:
    track = PresenterTrack()
    track.frame(1.0, 10)
    track.frame(2.0, 4)  # e.g. an answer stored without its acknowledgement reaching us
    track.acked(target=9, at=1.5)
    assert track.samples == [0.0]


def test_matcher_adds_increments_and_checks_every_presenter() -> None:
    matcher = LatencyMatcher(base=100, presenters=2)
    matcher.acked(increment=3, at=1.0)  # target 103
    matcher.acked(increment=0, at=1.1)  # moves nothing: not matched
    matcher.acked(increment=4, at=1.2)  # target 107
    assert matcher.expected == 107
    matcher.frame(0, 1.25, 103)
    matcher.frame(1, 1.30, 107)
    assert matcher.unseen == 1  # presenter 0 has not shown the second one
    matcher.frame(0, 1.40, 107)
    assert matcher.unseen == 0
    # presenter 0: 0.25 and 0.20 s; presenter 1: 0.30 and 0.10 s
    assert sorted(round(s, 2) for s in matcher.samples()) == [0.1, 0.2, 0.25, 0.3]
