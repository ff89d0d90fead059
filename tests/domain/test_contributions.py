from collections.abc import Callable

import pytest

from podium.domain.contributions import (
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
    initial_state,
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
