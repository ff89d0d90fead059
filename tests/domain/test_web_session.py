"""The rules of a server-side session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from podium.domain import web_session as rules


def test_the_row_id_is_the_hash_of_the_cookie_secret() -> None:
    secret = rules.new_secret()
    assert rules.session_id(secret) != secret and len(rules.session_id(secret)) == 64
    assert rules.looks_like_secret(secret)
    assert rules.new_secret() != secret


def test_twelve_hours_absolute() -> None:
    start = datetime(2026, 12, 4, 8, tzinfo=UTC)
    end = rules.expires_at(start)
    assert end == start + timedelta(hours=12) and rules.LIFETIME_HOURS == 12
    assert rules.is_live(end, end - timedelta(seconds=1))
    assert not rules.is_live(end, end)


def test_last_seen_is_written_every_five_minutes_at_most() -> None:
    seen = datetime(2026, 12, 4, 8, tzinfo=UTC)
    assert not rules.needs_touch(seen, seen + timedelta(minutes=4))
    assert rules.needs_touch(seen, seen + timedelta(minutes=5))


def test_an_anonymous_cookie_holds_only_a_csrf_token_and_is_never_looked_up() -> None:
    csrf = rules.new_csrf()
    cookie = rules.anonymous_cookie(csrf)
    assert rules.anonymous_csrf(cookie) == csrf
    assert not rules.looks_like_secret(cookie)
    assert rules.anonymous_csrf("a.short") is None
    assert rules.anonymous_csrf(rules.new_secret()) is None
    assert not rules.looks_like_secret("anything")  # what a test or a script may send
