"""Participant tokens: podium's signature holds for what it issued and for nothing else."""

from __future__ import annotations

import pytest

from podium.domain.errors import InvalidAnswer
from podium.domain.participant_token import (
    TOKEN_CHARS,
    access_code_matches,
    admission,
    admitted,
    check_access_code,
    derive_key,
    issue,
    verify,
)

KEY = derive_key("k" * 32, "participant-token")
OTHER = derive_key("o" * 32, "participant-token")


def test_an_issued_token_verifies_under_its_key_only() -> None:
    token = issue(KEY)
    assert len(token) == TOKEN_CHARS == 49
    assert token[32] == "."
    assert verify(KEY, token)
    assert not verify(OTHER, token)
    assert not verify(derive_key("k" * 32, "access"), token)  # another purpose, another key


def test_tokens_are_different_every_time() -> None:
    assert len({issue(KEY) for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "token",
    [
        None,
        "",
        "a" * 32,  # an unsigned token as podium gave them before
        "a" * 49,
        "a" * 32 + "." + "b" * 16,  # the right shape, an invented tag
        "a" * 32 + "." + "b" * 15,
        "ä" * 32 + "." + "b" * 16,
    ],
)
def test_invented_tokens_are_refused(token: str | None) -> None:
    assert not verify(KEY, token)


def test_every_altered_character_is_refused() -> None:
    token = issue(KEY)
    for i, char in enumerate(token):
        if i == 32:
            continue
        altered = token[:i] + ("A" if char != "A" else "B") + token[i + 1 :]
        assert not verify(KEY, altered), i


def test_an_admission_holds_for_its_event_code_and_token_only() -> None:
    key = derive_key("k" * 32, "access")
    token, other = issue(KEY), issue(KEY)
    proof = admission(key, 7, "Blau 42", token)
    assert admitted(key, 7, "Blau 42", token, proof)
    assert admitted(key, 7, " blau 42 ", token, proof)  # as compared: case and spaces
    assert not admitted(key, 8, "Blau 42", token, proof)  # another event
    assert not admitted(key, 7, "Rot 17", token, proof)  # the organiser changed the code
    assert not admitted(key, 7, "Blau 42", other, proof)  # copied to another browser
    assert not admitted(key, 7, "Blau 42", token, None)
    assert not admitted(key, 7, "Blau 42", token, "x" * 16)


def test_the_typed_access_code_ignores_case_and_surrounding_spaces() -> None:
    assert access_code_matches("Blau 42", "  BLAU 42 ")
    assert not access_code_matches("Blau 42", "Blau 43")
    assert not access_code_matches("Blau 42", "")
    assert not access_code_matches("", "")  # no code set: nothing matches it


def test_the_organisers_access_code_is_checked() -> None:
    assert check_access_code("  Blau 42 ") == "Blau 42"
    assert check_access_code("   ") is None
    assert check_access_code(None) is None
    with pytest.raises(InvalidAnswer) as too_long:
        check_access_code("x" * 65)
    assert too_long.value.code == "access_code_too_long"
    with pytest.raises(InvalidAnswer):
        check_access_code("a\u202eb")
