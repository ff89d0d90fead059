"""The access decision, exhaustively: every role, with and without an organisation,
against a resource of the same, another and no organisation, assigned or not, for both
actions."""

from __future__ import annotations

import itertools

import pytest

from podium.domain.access import (
    ROLES,
    Decision,
    decide,
    manages_accounts,
    needs_organisation,
    organises,
    sees_all,
)

A, B = 1, 2


def expected(
    role: str, user_org: int | None, res_org: int | None, assigned: bool, action: str
) -> Decision:
    if role == "administrator":
        return Decision.ALLOWED
    if role == "organiser":
        same = user_org is not None and user_org == res_org
        return Decision.ALLOWED if same else Decision.HIDDEN
    if role == "moderator":
        return Decision.ALLOWED if action == "moderate" and assigned else Decision.FORBIDDEN
    return Decision.FORBIDDEN


CASES = list(
    itertools.product(
        (*ROLES, "participant", ""),
        (A, B, None),
        (A, B, None),
        (False, True),
        ("organise", "moderate"),
    )
)


@pytest.mark.parametrize(("role", "user_org", "res_org", "assigned", "action"), CASES)
def test_every_combination(
    role: str, user_org: int | None, res_org: int | None, assigned: bool, action: str
) -> None:
    assert decide(role, user_org, res_org, assigned, action) is expected(  # type: ignore[arg-type]
        role, user_org, res_org, assigned, action
    )


def test_the_cases_that_matter_spelled_out() -> None:
    assert decide("organiser", A, A, False, "organise") is Decision.ALLOWED
    assert decide("organiser", A, B, False, "organise") is Decision.HIDDEN
    assert decide("organiser", A, B, True, "moderate") is Decision.HIDDEN
    assert decide("organiser", None, None, False, "organise") is Decision.HIDDEN
    assert decide("moderator", A, A, False, "moderate") is Decision.FORBIDDEN
    assert decide("moderator", A, A, True, "organise") is Decision.FORBIDDEN
    assert decide("moderator", A, B, True, "moderate") is Decision.ALLOWED
    assert decide("administrator", None, B, False, "organise") is Decision.ALLOWED


def test_roles() -> None:
    assert [r for r in ROLES if organises(r)] == ["administrator", "organiser"]
    assert [r for r in ROLES if sees_all(r)] == ["administrator"]
    assert [r for r in ROLES if manages_accounts(r)] == ["administrator"]
    assert [r for r in ROLES if needs_organisation(r)] == ["organiser", "moderator"]
