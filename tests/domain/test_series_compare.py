"""Comparing a question across the events of a series: options matched by label,
missing ones absent rather than 0 %, percent of respondents, date order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.questions import Kind, PercentBase
from podium.domain.series_compare import (
    AskedQuestion,
    Share,
    check_match_key,
    compare_series,
)
from podium.domain.tally import (
    ChoiceResult,
    OptionResult,
    ScaleResult,
    ScaleStep,
    TextResult,
    WordCount,
    WordsResult,
)


def choice(respondents: int, counts: dict[str, int], base=PercentBase.ANSWERS) -> ChoiceResult:
    options = tuple(
        OptionResult(n, label, c, 0.0, 0) for n, (label, c) in enumerate(counts.items())
    )
    return ChoiceResult(Kind.MULTIPLE, respondents, sum(counts.values()), base, options)


def asked(event: int, month: int | None, result, key: str = "k") -> AskedQuestion:
    when = None if month is None else datetime(2021, month, 1, tzinfo=UTC)
    return AskedQuestion(event, f"Event {event}", when, key, f"Q at {event}", result)


def test_options_are_matched_by_folded_label_and_missing_ones_are_absent() -> None:
    april = choice(50, {"videoberatung ": 10, "Telefon": 20, "Neu": 5})
    february = choice(200, {"Videoberatung": 50, "Telefon": 44, "Alt": 30})
    [comparison] = compare_series([asked(2, 4, april), asked(1, 2, february)])
    assert [e.event_id for e in comparison.events] == [1, 2]  # date order, not given order
    rows = [" ".join(r.split()).casefold() for r in comparison.rows]
    assert rows == ["videoberatung", "telefon", "alt", "neu"]
    first, second = comparison.events
    assert first.respondents == 200 and second.respondents == 50
    # percent of respondents, even for a question counted of all answers
    assert first.shares == (Share(50, 25), Share(44, 22), Share(30, 15), None)
    assert second.shares == (Share(10, 20), Share(20, 40), None, Share(5, 10))
    assert comparison.title == "Q at 2"  # as asked most recently


def test_a_key_at_one_event_only_or_of_open_texts_is_not_compared() -> None:
    alone = asked(1, 2, choice(10, {"a": 1, "b": 2}), key="alone")
    texts = [
        asked(1, 2, TextResult(Kind.TEXT, 3, ("x",)), key="t"),
        asked(2, 3, TextResult(Kind.TEXT, 3, ("y",)), key="t"),
    ]
    assert compare_series([alone, *texts]) == ()


def test_a_question_of_another_kind_under_the_same_key_is_left_out() -> None:
    scale = ScaleResult(Kind.SCALE, 4, 3.0, (ScaleStep(3, 4, 100.0, 100),), "", "")
    questions = [
        asked(1, 2, choice(10, {"a": 5, "b": 5})),
        asked(2, 3, scale),
        asked(3, 4, choice(20, {"a": 5, "b": 15})),
    ]
    [comparison] = compare_series(questions)
    assert [e.event_id for e in comparison.events] == [1, 3]


def test_scales_compare_steps_by_value_and_carry_the_mean() -> None:
    def scale(n: int, steps: dict[int, int]) -> ScaleResult:
        mean = sum(v * c for v, c in steps.items()) / n
        rows = tuple(ScaleStep(v, c, 0.0, 0) for v, c in steps.items())
        return ScaleResult(Kind.SCALE, n, mean, rows, "", "")

    [comparison] = compare_series(
        [asked(1, 2, scale(4, {1: 2, 2: 2})), asked(2, 5, scale(2, {1: 0, 2: 1, 3: 1}))]
    )
    assert comparison.rows == ("1", "2", "3")
    first, second = comparison.events
    assert first.mean == pytest.approx(1.5) and second.mean == pytest.approx(2.5)
    assert first.shares == (Share(2, 50), Share(2, 50), None)
    assert second.shares == (Share(0, 0), Share(1, 50), Share(1, 50))


def test_word_clouds_compare_their_top_words_with_zero_where_nobody_named_one() -> None:
    def words(n: int, counts: dict[str, int]) -> WordsResult:
        return WordsResult(
            Kind.WORDS, n, tuple(WordCount(w, c, (w,), w.casefold()) for w, c in counts.items())
        )

    [comparison] = compare_series(
        [
            asked(1, 2, words(10, {"Homeoffice": 6, "Akte": 2})),
            asked(2, 3, words(5, {"homeoffice": 1})),
        ]
    )
    assert [w.casefold() for w in comparison.rows] == ["homeoffice", "akte"]
    assert comparison.events[1].shares == (Share(1, 20), Share(0, 0))


def test_events_without_a_date_come_last() -> None:
    questions = [
        asked(5, None, choice(1, {"a": 1, "b": 0})),
        asked(6, 9, choice(1, {"a": 1, "b": 0})),
    ]
    [comparison] = compare_series(questions)
    assert [e.event_id for e in comparison.events] == [6, 5]


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("  Top-Themen-2021 ", "top-themen-2021"), ("", None), (None, None), ("a.b_c", "a.b_c")],
)
def test_a_match_key_is_trimmed_and_lower_case(raw: str | None, stored: str | None) -> None:
    assert check_match_key(raw) == stored


@pytest.mark.parametrize("raw", ["mit leerzeichen", "-vorn", "hinten-", "ä-umlaut", "a/b"])
def test_a_match_key_is_slug_like(raw: str) -> None:
    with pytest.raises(RuleViolation) as exc:
        check_match_key(raw)
    assert exc.value.code == "bad_match_key"


def test_a_match_key_has_at_most_80_characters() -> None:
    assert check_match_key("a" * 80) == "a" * 80
    with pytest.raises(RuleViolation) as exc:
        check_match_key("a" * 81)
    assert exc.value.code == "match_key_too_long"
