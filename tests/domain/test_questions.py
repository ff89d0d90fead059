from dataclasses import dataclass

import pytest

from podium.domain.blocklist import default_blocklist
from podium.domain.errors import InvalidAnswer, NotAllowed, NotFound, RuleViolation
from podium.domain.questions import (
    Kind,
    Option,
    QuestionSpec,
    accept_answer,
    check_allowed,
    check_spec,
    check_title,
    validate_answer,
)

TOPICS = tuple(Option(i, f"Thema {i}") for i in range(1, 7))
TOP3 = QuestionSpec(Kind.MULTIPLE, TOPICS, max_choices=3)
SINGLE = QuestionSpec(Kind.SINGLE, TOPICS[:3])
SCALE = QuestionSpec(Kind.SCALE, scale_min=1, scale_max=5, min_label="gar nicht", max_label="sehr")
WORDS = QuestionSpec(Kind.WORDS, max_words=3)
TEXT = QuestionSpec(Kind.TEXT, max_length=20)


def code_of(spec: QuestionSpec, raw: object) -> str:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(spec, raw)
    return caught.value.code


def test_multiple_choice_accepts_up_to_max_and_sorts_ids() -> None:
    assert validate_answer(TOP3, ["5", "2", "3"]) == [2, 3, 5]
    assert validate_answer(TOP3, [4]) == [4]


def test_multiple_choice_counts_a_repeated_option_once() -> None:
    assert validate_answer(TOP3, ["2", "2", 2]) == [2]


def test_multiple_choice_rejects_too_many_and_says_the_limit() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(TOP3, [1, 2, 3, 4])
    assert caught.value.code == "too_many_choices"
    assert caught.value.params == {"max": 3}


def test_choice_rejects_options_of_another_question_and_empty_and_junk() -> None:
    assert code_of(TOP3, [1, 99]) == "unknown_option"
    assert code_of(TOP3, []) == "no_choice"
    assert code_of(TOP3, ["abc"]) == "malformed"
    assert code_of(TOP3, {"a": 1}) == "malformed"
    assert code_of(TOP3, [True]) == "malformed"


def test_single_choice_takes_exactly_one() -> None:
    assert validate_answer(SINGLE, "2") == [2]
    assert code_of(SINGLE, [1, 2]) == "too_many_choices"


def test_scale_within_bounds() -> None:
    assert validate_answer(SCALE, "4") == 4
    assert validate_answer(SCALE, ["1"]) == 1
    assert code_of(SCALE, 6) == "out_of_scale"
    assert code_of(SCALE, 0) == "out_of_scale"
    assert code_of(SCALE, "3.5") == "malformed"


def test_words_fold_whitespace_drop_empty_and_case_duplicates() -> None:
    assert validate_answer(WORDS, ["  Home   Office ", "", "home office", "E-Akte"]) == [
        "Home Office",
        "E-Akte",
    ]


def test_words_limits() -> None:
    assert code_of(WORDS, ["a1", "b1", "c1", "d1"]) == "too_many_words"
    assert code_of(WORDS, ["", "  "]) == "no_words"
    assert code_of(WORDS, ["x" * 41]) == "word_too_long"
    assert code_of(WORDS, ["?!"]) == "word_without_letters"
    assert code_of(WORDS, ["ok\x00"]) == "control_characters"


def test_text_trimmed_and_bounded() -> None:
    assert validate_answer(TEXT, "  Mehr Videoberatung  ") == "Mehr Videoberatung"
    assert code_of(TEXT, "   ") == "empty_text"
    assert code_of(TEXT, "x" * 21) == "text_too_long"
    assert code_of(TEXT, 5) == "malformed"


def test_spec_checks() -> None:
    check_spec(TOP3)
    with pytest.raises(RuleViolation, match="too_few_options"):
        check_spec(QuestionSpec(Kind.SINGLE, TOPICS[:1]))
    with pytest.raises(RuleViolation, match="bad_max_choices"):
        check_spec(QuestionSpec(Kind.MULTIPLE, TOPICS[:2], max_choices=3))
    with pytest.raises(RuleViolation, match="bad_scale"):
        check_spec(QuestionSpec(Kind.SCALE, scale_min=5, scale_max=1))
    with pytest.raises(RuleViolation, match="empty_option"):
        check_spec(QuestionSpec(Kind.SINGLE, (Option(1, "a"), Option(2, " "))))


def test_titles_are_trimmed_and_required() -> None:
    assert check_title("  Ihre  drei Themen ") == "Ihre drei Themen"
    with pytest.raises(RuleViolation, match="empty_title"):
        check_title("   ")


def test_typed_answers_with_blocked_words_are_refused() -> None:
    blocklist = default_blocklist("de")
    for spec, value in ((WORDS, ["Homeoffice", "Schei$$e"]), (TEXT, "du Idiot")):
        with pytest.raises(InvalidAnswer) as caught:
            check_allowed(spec, value, blocklist)
        assert caught.value.code == "answer_blocked" and caught.value.params["words"]
    check_allowed(WORDS, ["Homeoffice", "Digitalisierung"], blocklist)  # fine
    check_allowed(TEXT, "Mehr Videoberatung", blocklist)
    # options are the organiser's words: a choice is never checked
    check_allowed(SINGLE, [1], blocklist)
    # a room types the same words again: the second look is from memory, same answer
    assert blocklist.find_short("Schei$$e") == blocklist.find_short("Schei$$e") != ()


@dataclass(frozen=True)
class Asked:
    spec: QuestionSpec
    voting_open: bool = True


ANSWER_ID = "0b6c2f4e-9a1d-4c3b-8e5f-2a7d9c1b0e34"
BLOCKLIST = default_blocklist("de")


def refusal(question: Asked | None, raw: object, answer_id: str = ANSWER_ID) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        accept_answer(question, answer_id, raw, BLOCKLIST)
    return caught.value


def test_an_accepted_answer_is_its_canonical_value() -> None:
    assert accept_answer(Asked(TOP3), ANSWER_ID, ["5", "2"], BLOCKLIST) == [2, 5]
    assert accept_answer(Asked(WORDS), "abcd1234", [" Home  office "], BLOCKLIST) == ["Home office"]


def test_an_answer_to_no_question_of_the_event_is_not_found() -> None:
    refused = refusal(None, [1])
    assert isinstance(refused, NotFound) and refused.code == "unknown_question"


def test_an_answer_id_no_client_makes_is_refused_before_anything_else() -> None:
    assert refusal(Asked(SINGLE, voting_open=False), "x", answer_id="short").code == (
        "bad_answer_id"
    )


def test_no_answer_is_accepted_while_voting_is_closed_however_valid() -> None:
    refused = refusal(Asked(SINGLE, voting_open=False), [1])
    assert isinstance(refused, NotAllowed) and refused.code == "voting_closed"


def test_an_answer_against_the_questions_rules_or_the_blocklist_is_invalid() -> None:
    assert refusal(Asked(SINGLE), [1, 2]).code == "too_many_choices"
    blocked = refusal(Asked(TEXT), "du Idiot")
    assert isinstance(blocked, InvalidAnswer) and blocked.code == "answer_blocked"
