"""The sign-up's rules: secrets and their hashes, expiry, one mail an hour, the
states, what may be chosen, the honeypot, the consent, and the rate limit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from podium.domain import subscription as rules
from podium.domain.consent_text import checked_wording, default_consent, wording_for
from podium.domain.errors import RuleViolation
from podium.domain.subscription import ConfirmCheck, Scope, SlidingWindow

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_a_secret_has_256_bits_and_is_stored_as_its_sha256() -> None:
    secret = rules.new_secret()
    assert len(secret) == 43 and rules.looks_like_secret(secret)
    assert rules.secret_hash(secret) == hashlib.sha256(secret.encode()).hexdigest()
    assert len(rules.secret_hash(secret)) == 64
    assert rules.new_secret() != secret
    for forged in ("", "abc", secret + "x", secret[:-1] + "!", "../" + secret[3:]):
        assert not rules.looks_like_secret(forged)


def test_a_link_expires_after_the_hours_set() -> None:
    expires = rules.token_expiry(NOW, 48)
    assert expires == NOW + timedelta(hours=48)
    assert not rules.is_expired(expires, NOW + timedelta(hours=47, minutes=59))
    assert rules.is_expired(expires, NOW + timedelta(hours=48))
    assert rules.is_expired(None, NOW)
    assert not rules.is_expired(expires.replace(tzinfo=None), NOW)  # SQLite's naive UTC


def test_at_most_one_mail_an_hour() -> None:
    assert rules.may_mail_again(None, NOW)
    assert not rules.may_mail_again(NOW - timedelta(minutes=59), NOW)
    assert rules.may_mail_again(NOW - timedelta(hours=1), NOW)


@pytest.mark.parametrize(
    ("state", "last", "mail", "restart"),
    [
        (None, None, True, True),
        ("pending", NOW - timedelta(minutes=10), False, False),
        ("pending", NOW - timedelta(hours=2), True, True),
        ("withdrawn", NOW - timedelta(days=3), True, True),
        ("withdrawn", NOW - timedelta(minutes=3), False, False),
        ("confirmed", NOW - timedelta(days=3), True, False),
        ("confirmed", NOW - timedelta(minutes=30), False, False),
    ],
)
def test_what_a_sign_up_does_to_a_known_address(
    state: str | None, last: datetime | None, mail: bool, restart: bool
) -> None:
    assert rules.sign_up_step(state, last, NOW) == rules.SignUpStep(mail, restart)


def test_a_confirmed_extension_adds_and_never_takes_away() -> None:
    two = Scope(False, frozenset({1, 2}))
    assert rules.scope_after_confirming("confirmed", two, Scope(False, frozenset({3}))) == Scope(
        False, frozenset({1, 2, 3})
    )
    assert rules.scope_after_confirming("confirmed", Scope(True), Scope(False, frozenset({3}))) == (
        Scope(True)
    )
    assert rules.scope_after_confirming("pending", two, Scope(False, frozenset({3}))) == Scope(
        False, frozenset({3})
    )


def test_the_choice_is_the_series_or_some_of_its_upcoming_events() -> None:
    assert rules.checked_scope(True, [9], [1, 2]) == Scope(True)
    assert rules.checked_scope(False, [2], [1, 2]) == Scope(False, frozenset({2}))
    with pytest.raises(RuleViolation) as none:
        rules.checked_scope(False, [], [1, 2])
    assert none.value.code == "no_events_chosen"
    with pytest.raises(RuleViolation) as other:
        rules.checked_scope(False, [1, 3], [1, 2])
    assert other.value.code == "unknown_signup_event"


def test_the_honeypot() -> None:
    assert not rules.is_bot("") and not rules.is_bot("  ")
    assert rules.is_bot("http://spam.example")


def test_consent_must_be_given_to_the_current_text() -> None:
    rules.checked_consent(True, 2, 2)
    with pytest.raises(RuleViolation) as missing:
        rules.checked_consent(False, 2, 2)
    assert missing.value.code == "consent_missing" and missing.value.status == 422
    with pytest.raises(RuleViolation) as changed:
        rules.checked_consent(True, 1, 2)
    assert changed.value.code == "consent_text_changed" and changed.value.status == 409


@pytest.mark.parametrize(
    "typed",
    [
        "Max <max@example.org>",
        "max@example.org\r\nBcc: all@example.org",
        "max@example.org, eve@example.org",
        "max",
        "@example.org",
        "",
    ],
)
def test_addresses_with_names_lists_or_header_breaks_are_refused(typed: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        rules.checked_signup_address(typed)
    assert refused.value.code == "bad_email"


def test_overlong_addresses_and_the_key_of_an_address() -> None:
    with pytest.raises(RuleViolation) as long:
        rules.checked_signup_address("a" * 60 + "@" + "b." * 100 + "de")
    assert long.value.code == "email_too_long" and long.value.params == {"max": 254}
    assert rules.email_key(" Max.Muster@Example.ORG ") == "max.muster@example.org"
    with pytest.raises(RuleViolation):
        rules.checked_language("fr")


def test_which_confirmation_links_confirm() -> None:
    good = ConfirmCheck(1, "pending", NOW + timedelta(hours=1), used=False)
    rules.check_confirmation(good, 1, NOW)
    cases = [
        (None, 1, "confirm_link_unknown", 404),
        (ConfirmCheck(1, "withdrawn", None, used=False), 1, "confirm_link_unknown", 404),
        (good, 2, "confirm_link_other_series", 404),
        (ConfirmCheck(1, "confirmed", None, used=True), 1, "confirm_link_used", 410),
        (ConfirmCheck(1, "pending", NOW, used=False), 1, "confirm_link_expired", 410),
    ]
    for found, series_id, code, status in cases:
        with pytest.raises(RuleViolation) as refused:
            rules.check_confirmation(found, series_id, NOW)
        assert (refused.value.code, refused.value.status) == (code, status)


def test_unconfirmed_sign_ups_go_after_the_days_set() -> None:
    assert rules.purge_before(NOW, 14) == NOW - timedelta(days=14)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limit_is_a_sliding_hour_per_client() -> None:
    clock = Clock()
    window = SlidingWindow(3, clock=clock)
    assert [window.hit("10.0.0.1") for _ in range(3)] == [None, None, None]
    assert window.hit("10.0.0.2") is None  # another client has its own count
    clock.now += 600
    assert window.hit("10.0.0.1") == 3000  # the first hit leaves the window in 50 minutes
    with pytest.raises(RuleViolation) as refused:
        window.check("10.0.0.1")
    assert refused.value.status == 429 and refused.value.code == "too_many_signups"
    assert refused.value.params == {"minutes": 50}
    assert refused.value.retry_after == 3000  # type: ignore[attr-defined]
    clock.now += 3000
    assert window.hit("10.0.0.1") is None  # refused hits did not count


def test_the_rate_limit_remembers_a_bounded_number_of_clients() -> None:
    window = SlidingWindow(1, clock=Clock(), max_keys=2)
    for client in ("a", "b", "c"):
        assert window.hit(client) is None
    assert window.hit("a") is None  # forgotten: the oldest went first
    assert window.hit("c") is not None


def test_the_default_consent_names_who_and_what_in_both_languages() -> None:
    wording = default_consent("Stadt Musterstadt", "Digitale Reihe", 14, store_ip=False)
    assert "Stadt Musterstadt" in wording.text_de and "Stadt Musterstadt" in wording.text_en
    assert "„Digitale Reihe“" in wording.text_de and "“Digitale Reihe”" in wording.text_en
    assert "E-Mail-Adresse" in wording.text_de and "14 Tagen" in wording.text_de
    assert "IP" not in wording.text_de and "IP" not in wording.text_en
    with_ip = default_consent("", "Reihe", 7, store_ip=True)
    assert "IP-Adresse" in with_ip.text_de and "IP address" in with_ip.text_en
    assert "die Veranstalterin dieser Reihe" in with_ip.text_de


def test_an_edited_consent_needs_german_and_may_lack_english() -> None:
    assert checked_wording(" Text ", "") == type(checked_wording("a", ""))("Text", "")
    for de, en, code in (
        ("", "x", "consent_text_empty"),
        ("x" * 10_001, "", "consent_text_too_long"),
    ):
        with pytest.raises(RuleViolation) as refused:
            checked_wording(de, en)
        assert refused.value.code == code
    assert wording_for("Deutsch", "", "en") == "Deutsch"
    assert wording_for("Deutsch", "English", "en") == "English"
    assert wording_for("Deutsch", "English", "de") == "Deutsch"
