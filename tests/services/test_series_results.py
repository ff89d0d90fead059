"""A series' results side by side, read from the events' live results, on both stores."""

from __future__ import annotations

from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog import QuestionInput
from podium.services.series_results import series_results
from tests.services.series_helpers import FOLLOW_UP, KEY, OPENING, OUTWARD, demo_series


async def test_the_demo_series_compares_the_question_asked_again(runtime: Runtime) -> None:
    made = await demo_series(runtime)
    results = await series_results(runtime, made.series_id)
    assert [e.starts_at for e in results.events] == sorted(e.starts_at for e in results.events)
    [comparison] = results.comparisons
    assert comparison.key == KEY and comparison.title == OUTWARD
    first, second = comparison.events
    assert (first.event_id, second.event_id) == (made.opening_id, made.follow_up_id)
    assert first.respondents == second.respondents == made.participants
    for label, share in OPENING.items():
        row = comparison.rows.index(label)
        assert first.shares[row] is not None and first.shares[row].percent == share
        assert second.shares[row] is not None and second.shares[row].percent == FOLLOW_UP[label]


async def test_a_key_at_one_event_only_compares_nothing(runtime: Runtime) -> None:
    series = await catalog.create_series(runtime, "Reihe")
    event = await catalog.create_event(runtime, "Eins", series_id=series.id)
    await catalog.add_question(
        runtime, event.id, QuestionInput("single", "Ja?", ["ja", "nein"], match_key="ja")
    )
    await catalog.create_event(runtime, "Zwei", series_id=series.id)
    results = await series_results(runtime, series.id)
    assert [e.title for e in results.events] == ["Eins", "Zwei"]
    assert results.comparisons == ()
