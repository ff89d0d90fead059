"""A signed-in browser's session, kept on the server: the rules, without I/O.

The cookie holds a random secret; the `sessions` table holds only its sha256, so a
copy of the database opens no session. Ending a session deletes its row, which every
process sees at once (a signed cookie alone stays valid until it expires)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

# Absolute: a session ends 12 hours after sign-in, however busy (a working day).
LIFETIME = timedelta(hours=12)
LIFETIME_HOURS = 12
# last_seen_at is written at most this often: one UPDATE per organiser page would
# cost more than the few minutes of precision are worth.
TOUCH_EVERY = timedelta(minutes=5)
# A browser that has not signed in still needs a CSRF token for the sign-in form.
# Its cookie says so by this prefix (a session secret is URL-safe base64: no dot), so
# that such a request never looks in the database.
ANONYMOUS = "a."


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def session_id(secret: str) -> str:
    """The row id of the session whose cookie holds `secret`."""
    return hashlib.sha256(secret.encode()).hexdigest()


def expires_at(signed_in_at: datetime) -> datetime:
    return signed_in_at + LIFETIME


def is_live(expires: datetime, now: datetime) -> bool:
    return now < expires


def needs_touch(last_seen: datetime, now: datetime) -> bool:
    return now - last_seen >= TOUCH_EVERY


def anonymous_cookie(csrf: str) -> str:
    return ANONYMOUS + csrf


def anonymous_csrf(cookie: str | None) -> str | None:
    """The CSRF token a not-yet-signed-in browser holds in its cookie, if that is one."""
    if cookie and cookie.startswith(ANONYMOUS) and 16 <= len(cookie) - len(ANONYMOUS) <= 64:
        return cookie[len(ANONYMOUS) :]
    return None


def looks_like_secret(cookie: str | None) -> bool:
    """Worth a lookup: a session secret's shape (anything else is refused unread)."""
    return bool(cookie) and 32 <= len(cookie or "") <= 64 and "." not in (cookie or "")
