from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from podium.domain.contributions import (
    ORDERS,
    Action,
    InvalidContribution,
    Limits,
    Moderation,
    RateLimit,
    State,
    Status,
    apply,
    check_rate,
    check_seen,
    clean_name,
    clean_panelist,
    clean_text,
    comparable,
    initial_state,
    is_near_duplicate,
    order,
    public,
    queue_order,
    ranks,
    report_order,
    screen_shows_contributions,
    visible_to_audience,
)
from podium.domain.errors import NotAllowed, RuleViolation

PENDING = Status(State.PENDING)
APPROVED = Status(State.APPROVED)
REJECTED = Status(State.REJECTED)
ARCHIVED = Status(State.ARCHIVED)
PANEL = ("Dr. Anna Schmidt", "Jörg Müller")


def refused(status: Status, action: Action) -> NotAllowed:
    with pytest.raises(NotAllowed) as caught:
        apply(status, action)
    return caught.value


def invalid(call: Callable[..., object], *args: object) -> InvalidContribution:
    with pytest.raises(InvalidContribution) as caught:
        call(*args)
    return caught.value


# Moderation


def test_pre_moderation_holds_contributions_back_and_post_shows_them_at_once() -> None:
    assert initial_state(Moderation.PRE) is State.PENDING
    assert initial_state(Moderation.POST) is State.APPROVED
    assert not visible_to_audience(Status(initial_state(Moderation.PRE)))
    assert visible_to_audience(Status(initial_state(Moderation.POST)))


def test_only_approved_contributions_ever_reach_the_audience() -> None:
    assert visible_to_audience(APPROVED)
    assert visible_to_audience(Status(State.APPROVED, highlighted=True, pinned=True))
    for hidden in (PENDING, REJECTED, ARCHIVED, Status(State.ARCHIVED, answered=True)):
        assert not visible_to_audience(hidden)


def test_approve_brings_pending_rejected_and_archived_ones_on_screen() -> None:
    for status in (PENDING, REJECTED, ARCHIVED):
        assert apply(status, Action.APPROVE) == APPROVED


def test_approving_an_archived_answered_question_keeps_it_answered() -> None:
    assert apply(Status(State.ARCHIVED, answered=True), Action.APPROVE) == Status(
        State.APPROVED, answered=True
    )


def test_reject_takes_a_highlighted_pinned_one_off_screen_entirely() -> None:
    shown = Status(State.APPROVED, highlighted=True, pinned=True)
    assert apply(shown, Action.REJECT) == REJECTED
    assert apply(PENDING, Action.REJECT) == REJECTED


def test_put_back_returns_to_the_queue_with_a_clean_slate() -> None:
    busy = Status(State.APPROVED, highlighted=True, answered=True, pinned=True)
    assert apply(busy, Action.PUT_BACK) == PENDING
    assert apply(REJECTED, Action.PUT_BACK) == PENDING
    assert apply(Status(State.ARCHIVED, answered=True), Action.PUT_BACK) == PENDING


def test_archive_works_from_every_other_state_and_drops_highlight_and_pin() -> None:
    for status in (PENDING, REJECTED):
        assert apply(status, Action.ARCHIVE) == ARCHIVED
    shown = Status(State.APPROVED, highlighted=True, answered=True, pinned=True)
    assert apply(shown, Action.ARCHIVE) == Status(State.ARCHIVED, answered=True)


def test_highlight_pin_and_answered_toggle_on_an_approved_one() -> None:
    highlighted = apply(APPROVED, Action.HIGHLIGHT)
    assert highlighted == Status(State.APPROVED, highlighted=True)
    assert apply(highlighted, Action.UNHIGHLIGHT) == APPROVED
    pinned = apply(APPROVED, Action.PIN)
    assert pinned == Status(State.APPROVED, pinned=True)
    assert apply(pinned, Action.UNPIN) == APPROVED
    answered = apply(APPROVED, Action.ANSWERED)
    assert answered == Status(State.APPROVED, answered=True)
    assert apply(answered, Action.UNANSWERED) == APPROVED


def test_marking_the_highlighted_question_answered_takes_the_highlight_off() -> None:
    on_stage = Status(State.APPROVED, highlighted=True, pinned=True)
    assert apply(on_stage, Action.ANSWERED) == Status(State.APPROVED, answered=True, pinned=True)


def test_an_action_that_does_not_apply_is_refused_naming_action_and_state() -> None:
    error = refused(APPROVED, Action.APPROVE)
    assert error.code == "contribution_not_possible"
    assert error.params == {"action": "approve", "state": "approved"}
    assert error.status == 409
    assert refused(PENDING, Action.HIGHLIGHT).params == {"action": "highlight", "state": "pending"}


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (APPROVED, Action.APPROVE),
        (REJECTED, Action.REJECT),
        (ARCHIVED, Action.REJECT),
        (PENDING, Action.PUT_BACK),
        (ARCHIVED, Action.ARCHIVE),
        (PENDING, Action.HIGHLIGHT),
        (REJECTED, Action.PIN),
        (ARCHIVED, Action.ANSWERED),
        (Status(State.ARCHIVED, answered=True), Action.UNANSWERED),
        (APPROVED, Action.UNHIGHLIGHT),
        (APPROVED, Action.UNPIN),
        (APPROVED, Action.UNANSWERED),
        (Status(State.APPROVED, highlighted=True), Action.HIGHLIGHT),
        (Status(State.APPROVED, pinned=True), Action.PIN),
        (Status(State.APPROVED, answered=True), Action.ANSWERED),
    ],
)
def test_every_impossible_action_is_refused(status: Status, action: Action) -> None:
    assert refused(status, action).code == "contribution_not_possible"


def test_actions_arriving_as_plain_strings_work_like_the_enum() -> None:
    assert apply(PENDING, "approve") == APPROVED  # type: ignore[arg-type]


def test_a_moderator_acting_on_an_outdated_view_is_told_it_changed() -> None:
    check_seen(3, 3)
    check_seen(3, None)
    with pytest.raises(NotAllowed) as caught:
        check_seen(4, 3)
    assert caught.value.code == "contribution_changed"
    assert caught.value.status == 409


# Text, name, panelist


def test_text_is_trimmed_and_spaces_folded_but_paragraphs_kept() -> None:
    raw = "  Wie  geht\tes\u00a0weiter?  \r\n\r\n\r\n\r\n  Zweiter   Absatz \n Zeile  "
    assert clean_text(raw) == "Wie geht es weiter?\n\nZweiter Absatz\nZeile"


def test_text_is_stored_in_composed_form() -> None:
    assert clean_text("Mu\u0308ller") == "Müller"


def test_text_must_be_a_string() -> None:
    for raw in (None, 42, ["Frage"], b"Frage"):
        assert invalid(clean_text, raw).code == "malformed"


def test_empty_text_is_refused() -> None:
    for raw in ("", "   ", "\n\n\t"):
        assert invalid(clean_text, raw).code == "empty_contribution"


def test_text_with_control_characters_is_refused() -> None:
    for raw in ("Frage\x00", "a\x1bb", "ab\x0c", "\u202eevil"):
        assert invalid(clean_text, raw).code == "control_characters"


def test_text_length_is_counted_after_cleaning_and_the_limit_named() -> None:
    assert clean_text("x" * 300) == "x" * 300
    assert clean_text("  " + "x" * 300 + "  ") == "x" * 300
    error = invalid(clean_text, "x" * 301)
    assert (error.code, error.params, error.status) == ("contribution_too_long", {"max": 300}, 422)
    assert invalid(clean_text, "x" * 11, Limits(max_length=10)).params == {"max": 10}


def test_text_shorter_than_a_configured_minimum_is_refused() -> None:
    error = invalid(clean_text, "Hä?", Limits(min_length=5))
    assert (error.code, error.params) == ("contribution_too_short", {"min": 5})


def test_unusable_limits_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        Limits(min_length=0)
    with pytest.raises(ValueError):
        Limits(max_length=5, min_length=10)


def test_emoji_sequences_survive_cleaning() -> None:
    family = "👨\u200d👩\u200d👧 Familie?"
    assert clean_text(family) == family


def test_no_name_means_anonymous() -> None:
    assert clean_name(None) is None
    assert clean_name("") is None
    assert clean_name("   ") is None


def test_name_is_one_line_with_folded_spaces() -> None:
    assert clean_name("  Anna \n  Schmidt ") == "Anna Schmidt"


def test_bad_names_are_refused() -> None:
    assert invalid(clean_name, 7).code == "malformed"
    assert invalid(clean_name, "Anna\x07").code == "control_characters"
    error = invalid(clean_name, "x" * 61)
    assert (error.code, error.params) == ("name_too_long", {"max": 60})
    assert clean_name("x" * 60) == "x" * 60


def test_panelist_is_optional_and_spelled_as_listed() -> None:
    assert clean_panelist(None, PANEL) is None
    assert clean_panelist("", PANEL) is None
    assert clean_panelist("Jörg Müller", PANEL) == "Jörg Müller"
    assert clean_panelist(" jo\u0308rg  müller ", PANEL) == "Jörg Müller"


def test_a_panelist_not_on_the_panel_is_refused() -> None:
    assert invalid(clean_panelist, "Max Mustermann", PANEL).code == "unknown_panelist"
    assert invalid(clean_panelist, "Jörg Müller", ()).code == "unknown_panelist"
    assert invalid(clean_panelist, 3, PANEL).code == "unknown_panelist"


def test_every_contribution_error_is_a_rule_violation_shown_as_422() -> None:
    assert issubclass(InvalidContribution, RuleViolation)
    assert InvalidContribution.status == 422


# Rate limit


def test_up_to_the_limit_contributions_are_let_through() -> None:
    check_rate([], 100.0)
    check_rate([90.0, 95.0], 100.0)


def test_one_too_many_in_the_window_says_how_long_to_wait() -> None:
    with pytest.raises(NotAllowed) as caught:
        check_rate([50.0, 70.0, 90.0], 100.0)
    assert caught.value.code == "too_fast"
    assert caught.value.params == {"seconds": 10}  # at 110 the one from 50 has aged out


def test_a_contribution_exactly_a_window_ago_no_longer_counts() -> None:
    check_rate([40.0, 70.0, 90.0], 100.0)
    with pytest.raises(NotAllowed):
        check_rate([40.001, 70.0, 90.0], 100.0)


def test_wait_is_rounded_up_to_whole_seconds_and_at_least_one() -> None:
    with pytest.raises(NotAllowed) as caught:
        check_rate([40.2, 70.0, 90.0], 100.0)
    assert caught.value.params == {"seconds": 1}
    with pytest.raises(NotAllowed) as caught:
        check_rate([40.95, 41.0, 41.1], 100.9)
    assert caught.value.params == {"seconds": 1}  # 0.05 s left: "wait 0 seconds" would be odd
    with pytest.raises(NotAllowed) as caught:
        check_rate([95.5, 96.0, 97.0], 100.0)
    assert caught.value.params == {"seconds": 56}


def test_wait_counts_from_the_contribution_that_frees_the_next_slot() -> None:
    # Five in the window (after a limit was raised) with a limit of 3: three must age
    # out before the next one is allowed, the last of them the one from 80.
    with pytest.raises(NotAllowed) as caught:
        check_rate([91.0, 50.0, 60.0, 80.0, 95.0], 100.0)
    assert caught.value.params == {"seconds": 40}


def test_rate_limit_settings() -> None:
    check_rate([10.0], 12.0, RateLimit(count=2, seconds=5))
    with pytest.raises(NotAllowed) as caught:
        check_rate([10.0, 11.0], 12.0, RateLimit(count=2, seconds=5))
    assert caught.value.params == {"seconds": 3}
    with pytest.raises(ValueError):
        RateLimit(count=0)
    with pytest.raises(ValueError):
        RateLimit(seconds=0)


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
