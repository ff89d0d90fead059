"""The report's rules: which questions, how wide the bars of "answers over time"
are, pseudonyms that differ per export, and answers as readers understand them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from podium.domain.errors import InvalidAnswer, NotFound
from podium.domain.questions import Kind, Option, QuestionSpec
from podium.domain.report import (
    MAX_BUCKETS,
    MAX_COVER_NOTE,
    ReportOptions,
    answer_cell,
    bucket_start,
    bucket_width,
    check_cover_note,
    check_format,
    chosen_questions,
    includes_answers_of,
    pseudonym,
)

T0 = datetime(2026, 3, 12, 10, 7, 30, tzinfo=UTC)


def test_questions_follow_the_events_order_whatever_order_they_were_asked_in() -> None:
    assert chosen_questions([5, 3, 9], None) == (5, 3, 9)
    assert chosen_questions([5, 3, 9], [9, 5]) == (5, 9)
    assert chosen_questions([5, 3, 9], []) == ()


def test_a_question_of_another_event_is_refused_not_dropped() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        chosen_questions([5, 3], [3, 12, 11])
    assert refused.value.code == "unknown_report_question"
    assert refused.value.params == {"ids": "11, 12"}


def test_open_texts_are_left_out_only_when_the_organiser_says_so() -> None:
    without = ReportOptions(include_texts=False)
    assert not includes_answers_of(Kind.TEXT, without)
    assert includes_answers_of(Kind.WORDS, without)
    assert includes_answers_of(Kind.TEXT, ReportOptions())


def test_formats_and_cover_notes() -> None:
    assert [check_format(f) for f in ("pdf", "xlsx", "zip")] == ["pdf", "xlsx", "zip"]
    with pytest.raises(NotFound):
        check_format("docx")
    assert check_cover_note("  Danke!  ") == "Danke!"
    assert len(check_cover_note("x" * MAX_COVER_NOTE)) == MAX_COVER_NOTE
    with pytest.raises(InvalidAnswer) as refused:
        check_cover_note("x" * (MAX_COVER_NOTE + 1))
    assert refused.value.params == {"max": MAX_COVER_NOTE}


@pytest.mark.parametrize(
    ("span", "minutes"),
    [
        (timedelta(0), 1),
        (timedelta(minutes=39), 1),
        (timedelta(minutes=40), 2),
        (timedelta(minutes=90), 5),  # an online panel of an hour and a half
        (timedelta(hours=8), 15),
        (timedelta(days=3), 120),
        (timedelta(days=400), 1440),
    ],
)
def test_bars_are_as_narrow_as_a_readable_chart_allows(span: timedelta, minutes: int) -> None:
    width = bucket_width(T0, T0 + span)
    assert width == timedelta(minutes=minutes)
    if minutes < 1440:
        assert span // width < MAX_BUCKETS


def test_buckets_start_at_whole_multiples_of_their_width() -> None:
    width = timedelta(minutes=15)
    assert bucket_start(T0, T0, width) == T0.replace(minute=0, second=0)
    assert bucket_start(T0 + timedelta(minutes=8), T0, width) == T0.replace(minute=15, second=0)
    five = timedelta(minutes=5)
    assert bucket_start(T0 + timedelta(minutes=52), T0, five) == T0.replace(
        hour=10, minute=55, second=0
    )


def test_a_pseudonym_holds_within_one_export_and_differs_between_exports() -> None:
    first, second = b"a" * 16, b"b" * 16
    assert pseudonym(first, 7) == pseudonym(first, 7)
    assert pseudonym(first, 7) != pseudonym(first, 8)
    assert pseudonym(first, 7) != pseudonym(second, 7)
    assert pseudonym(first, 7) != "7" and len(pseudonym(first, 7)) == 10
    names = {pseudonym(first, n) for n in range(10_000)}
    assert len(names) == 10_000


def test_answers_read_as_labels_words_numbers_and_text() -> None:
    options = (Option(11, "Homeoffice"), Option(12, "Führung auf Distanz"))
    multiple = QuestionSpec(Kind.MULTIPLE, options, max_choices=2)
    assert answer_cell(multiple, [11, 12]) == "Homeoffice | Führung auf Distanz"
    assert answer_cell(QuestionSpec(Kind.SCALE), 4) == 4
    assert answer_cell(QuestionSpec(Kind.WORDS), ["Mut", "Zeit"]) == "Mut | Zeit"
    assert answer_cell(QuestionSpec(Kind.TEXT), "=1+1") == "=1+1"  # neutralised when written
