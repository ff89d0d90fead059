"""Contributions seen together: duplicates of one another, and the orders in which the
audience, the screen, the moderators and the report list them."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from podium.domain.contributions import (
    ORDERS,
    State,
    Status,
    comparable,
    is_near_duplicate,
    order,
    public,
    queue_order,
    ranks,
    report_order,
    screen_shows_contributions,
)

PENDING = Status(State.PENDING)
APPROVED = Status(State.APPROVED)
REJECTED = Status(State.REJECTED)
ARCHIVED = Status(State.ARCHIVED)


# Duplicates


def test_comparable_form_ignores_case_punctuation_emoji_and_spacing() -> None:
    assert comparable("  Wann kommt   das NEUE Gesetz?!? 🙏🏽") == "wann kommt das neue gesetz"
    assert comparable("Don’t stop") == comparable("dont STOP")
    assert comparable("ＦＵＬＬ width") == "full width"


def test_a_retyped_question_is_a_duplicate() -> None:
    earlier = ["Wann tritt das neue Bürgergeld-Gesetz in Kraft?"]
    assert is_near_duplicate("wann tritt das neue Bürgergeld Gesetz in Kraft", earlier)
    assert is_near_duplicate("Wann tritt das neue Bürgergeld-Gesetz in Kraft?", earlier)
    assert is_near_duplicate("Wann tritt das neue Bürgergeldgesetz in Kraft??", earlier)


def test_a_question_with_a_typo_is_a_duplicate() -> None:
    earlier = ["Wie wird die Qualität der Beratung in den Jobcentern gemessen?"]
    assert is_near_duplicate(
        "Wie wird die Qualitat der Beratung in den Jobcentern gemesen?", earlier
    )


def test_a_different_question_is_not_a_duplicate() -> None:
    earlier = [
        "Wann tritt das neue Bürgergeld-Gesetz in Kraft?",
        "Wie wird die Qualität der Beratung gemessen?",
    ]
    assert not is_near_duplicate("Warum tritt das neue Gesetz erst 2026 in Kraft?", earlier)
    assert not is_near_duplicate("Wie wird die Qualität der Schulung gemessen?", earlier)
    assert not is_near_duplicate("Irgendwas", [])


def test_short_texts_only_match_exactly() -> None:
    assert is_near_duplicate("Danke!", ["danke"])
    assert not is_near_duplicate("Warum?", ["Wann?"])
    assert not is_near_duplicate("Super Idee", ["Gute Idee"])


def test_emoji_only_contributions_are_not_all_duplicates_of_each_other() -> None:
    assert not is_near_duplicate("👍", ["🎉"])
    assert is_near_duplicate("👍", ["👍"])


def test_threshold_can_be_relaxed() -> None:
    earlier = ["Wie viele Menschen beziehen derzeit Leistungen?"]
    text = "Wie viele Menschen beziehen aktuell Leistungen?"
    assert not is_near_duplicate(text, earlier)
    assert is_near_duplicate(text, earlier, threshold=0.8)


# Merging and ordering


@dataclass(frozen=True)
class Listed:
    id: int
    votes: int
    created_at: datetime
    status: Status = APPROVED


def at(minute: int) -> datetime:
    return datetime(2026, 3, 1, 9, minute, tzinfo=UTC)


# a: 2 votes, b: 5, c: 2 (older than a), d: none but newest
A, B, C, D = Listed(2, 2, at(10)), Listed(3, 5, at(20)), Listed(1, 2, at(5)), Listed(4, 0, at(30))
PINNED = Listed(5, 0, at(1), replace(APPROVED, pinned=True))
NAMES = {1: "c", 2: "a", 3: "b", 4: "d", 5: "pinned"}


def names(items: list[Listed]) -> list[str]:
    return [NAMES[i.id] for i in items]


def test_top_lists_most_upvoted_first_and_older_first_among_equals() -> None:
    assert names(order([A, B, C, D], "top")) == ["b", "c", "a", "d"]


def test_new_lists_newest_first() -> None:
    assert names(order([A, B, C, D], "new")) == ["d", "b", "a", "c"]


def test_new_puts_the_later_of_two_sent_in_the_same_second_first() -> None:
    twin = Listed(6, 9, at(30))
    assert [i.id for i in order([D, twin], "new")] == [6, 4]


def test_pinned_ones_lead_in_every_order() -> None:
    assert names(order([A, B, PINNED, C, D], "top")) == ["pinned", "b", "c", "a", "d"]
    assert names(order([A, B, PINNED, C, D], "new")) == ["pinned", "d", "b", "a", "c"]


def test_unknown_order_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        order([A], "random")


def test_public_shows_approved_ones_only_in_the_top_order() -> None:
    waiting = Listed(7, 50, at(2), PENDING)
    rejected = Listed(8, 40, at(3), REJECTED)
    assert names(public([waiting, A, rejected, B, PINNED])) == ["pinned", "b", "a"]


def test_ranks_name_the_ids_in_each_order_a_participant_can_choose() -> None:
    assert ranks([A, B, C, D, PINNED]) == {"top": [5, 3, 1, 2, 4], "new": [5, 4, 3, 2, 1]}
    assert set(ranks([])) == set(ORDERS)


def test_the_report_lists_what_the_audience_saw_first_by_support_pins_aside() -> None:
    waiting = Listed(7, 50, at(2), PENDING)
    archived = Listed(8, 1, at(3), ARCHIVED)
    assert [i.id for i in report_order([archived, A, waiting, PINNED, B])] == [3, 2, 5, 7, 8]


def test_the_screen_shows_contributions_when_chosen_or_while_one_is_answered() -> None:
    assert screen_shows_contributions("contributions", one_highlighted=False)
    assert screen_shows_contributions("poll", one_highlighted=True)
    assert screen_shows_contributions("contributions", one_highlighted=True)
    assert not screen_shows_contributions("poll", one_highlighted=False)


def test_the_queue_puts_the_one_on_the_panel_first_then_pinned_then_support() -> None:
    on_panel = Listed(9, 0, at(40), replace(APPROVED, highlighted=True))
    assert [i.id for i in queue_order([A, B, PINNED, C, on_panel, D])] == [9, 5, 3, 1, 2, 4]
