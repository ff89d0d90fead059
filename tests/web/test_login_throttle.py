"""Failed sign-ins: refused with 429 before any hash after a few; one answer for an
unknown address and a wrong password, both after the same argon2 work."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.domain.login_throttle import PER_ACCOUNT, PER_ADDRESS, WINDOW
from podium.services import accounts
from tests.web.conftest import PASSWORD, Harness, csrf_of


@pytest.fixture
def verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The argon2 verifications run, by the hash they checked against."""
    calls: list[str] = []
    real = accounts._hasher

    class Counted:
        def verify(self, password_hash: str, password: str) -> bool:
            calls.append(password_hash)
            return real.verify(password_hash, password)

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(accounts, "_hasher", Counted())
    return calls


def attempt(client: TestClient, email: str, password: str, lang: str = "en") -> tuple[int, str]:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"csrf": token, "email": email, "password": password, "next": "/admin"},
        headers={"accept-language": lang},
        follow_redirects=False,
    )
    return response.status_code, response.text


def test_the_sixth_wrong_password_is_refused_before_hashing(
    harness: Harness, verifies: list[str]
) -> None:
    client = harness.client
    for _ in range(PER_ACCOUNT):
        assert attempt(client, "orga@example.org", "wrong password")[0] == 400
    assert len(verifies) == PER_ACCOUNT
    token = csrf_of(client.get("/login").text)
    refused = client.post(
        "/login",
        data={"csrf": token, "email": "Orga@Example.org", "password": PASSWORD},
        headers={"accept-language": "en"},
        follow_redirects=False,
    )
    assert refused.status_code == 429
    assert WINDOW - 60 < int(refused.headers["retry-after"]) <= WINDOW  # the first failure's
    assert "Too many failed sign-ins. Please wait 15 minutes and try again." in refused.text
    assert len(verifies) == PER_ACCOUNT  # not even the right password was hashed
    german = attempt(client, "orga@example.org", PASSWORD, "de")
    assert german[0] == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten" in german[1]
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_thirty_wrong_passwords_are_not_thirty_hashes(
    harness: Harness, verifies: list[str]
) -> None:
    codes = [attempt(harness.client, "orga@example.org", f"wrong {n}")[0] for n in range(30)]
    assert codes == [400] * PER_ACCOUNT + [429] * (30 - PER_ACCOUNT)
    assert len(verifies) == PER_ACCOUNT


def test_an_address_trying_many_accounts_is_refused_too(
    harness: Harness, verifies: list[str]
) -> None:
    for n in range(PER_ADDRESS):
        assert attempt(harness.client, f"guess{n}@example.org", "wrong password")[0] == 400
    assert attempt(harness.client, "orga@example.org", PASSWORD)[0] == 429
    assert len(verifies) == PER_ADDRESS


def test_a_good_sign_in_still_works_after_a_typo_or_two(harness: Harness) -> None:
    for _ in range(PER_ACCOUNT - 1):
        assert attempt(harness.client, "orga@example.org", "typo")[0] == 400
    assert attempt(harness.client, "orga@example.org", PASSWORD)[0] == 303
    # The count started again: the same number of typos is allowed once more.
    for _ in range(PER_ACCOUNT - 1):
        assert attempt(harness.client, "orga@example.org", "typo")[0] == 400
    assert attempt(harness.client, "orga@example.org", PASSWORD)[0] == 303


def test_unknown_address_and_wrong_password_answer_alike(
    harness: Harness, verifies: list[str]
) -> None:
    harness.run(accounts.create_user, harness.rt, "off@example.org", PASSWORD)
    harness.run(accounts.set_active, harness.rt, "off@example.org", False)
    answers = []
    for email, password in (
        ("nobody@example.org", PASSWORD),  # no such account
        ("orga@example.org", "wrong password"),  # a wrong password
        ("off@example.org", PASSWORD),  # a deactivated account, right password
    ):
        before = len(verifies)
        status, body = attempt(harness.client, email, password)
        assert len(verifies) == before + 1, email  # argon2 ran on every path
        answers.append((status, body.replace(email, "EMAIL")))
    assert answers[0][0] == 400
    assert answers[0] == answers[1] == answers[2]  # byte for byte, but the typed address
    assert "E-mail address or password is wrong." in answers[0][1]
