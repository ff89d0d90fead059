"""The participant's token: issued and signed by podium, never made up by a client.

A token is `random.tag`: 192 random bits (URL-safe, 32 characters) and an
HMAC-SHA256 of them under the server's key, cut to 96 bits (16 characters). A
client that invents a token cannot make its tag, and one that alters a character
breaks it; both are refused. The token does not name an event: one cookie serves
every event a browser joins, and services/participation.token_hash salts it per
event, so that a browser's rows in two events cannot be linked.

An event's access code admits a token to that one event: the admission is an HMAC
of (event, access code, token) under another key, kept by the browser in a cookie of
its own. Changing the event's access code turns every earlier admission invalid.

The keys are derived from the server's secret key, one per purpose, so that no tag
here can be mistaken for a signed session or the other way round.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import unicodedata

from podium.domain.errors import InvalidAnswer, RuleViolation

RANDOM_BYTES = 24  # 192 bits: 32 URL-safe characters
TAG_BYTES = 12  # 96 bits: forging one is a 2**96 guess
RANDOM_CHARS = 32
TAG_CHARS = 16
TOKEN_CHARS = RANDOM_CHARS + 1 + TAG_CHARS
ACCESS_CODE_MAX = 64  # Event.access_code's column


def derive_key(secret_key: str, purpose: str) -> bytes:
    """A key for one purpose ("participant-token", "access"), from the server's secret."""
    return hmac.digest(secret_key.encode(), f"podium {purpose} v1".encode(), "sha256")


def _tag(key: bytes, message: bytes) -> str:
    digest = hmac.digest(key, message, "sha256")[:TAG_BYTES]
    return base64.urlsafe_b64encode(digest).decode()


def issue(key: bytes) -> str:
    """A new token: random, signed with `key`."""
    random_part = secrets.token_urlsafe(RANDOM_BYTES)
    return f"{random_part}.{_tag(key, random_part.encode())}"


def verify(key: bytes, token: str | None) -> bool:
    """Whether podium issued `token` (constant time in the tag: a wrong guess's timing
    tells nothing about the right tag)."""
    if token is None or len(token) != TOKEN_CHARS or token[RANDOM_CHARS] != ".":
        return False
    random_part, tag = token[:RANDOM_CHARS], token[RANDOM_CHARS + 1 :]
    try:
        expected = _tag(key, random_part.encode())
    except UnicodeEncodeError:  # a cookie's characters are latin-1, not all encodable
        return False
    return hmac.compare_digest(expected, tag)


def normalise_access_code(typed: str | None) -> str:
    """What a participant types, as compared: spaces around it dropped, case ignored
    (a code read from a screen is typed in any case on a phone)."""
    return (typed or "").strip().casefold()[:ACCESS_CODE_MAX]


def admission(key: bytes, event_id: int, access_code: str, token: str) -> str:
    """The proof that `token` typed `access_code` for `event_id`."""
    message = f"{event_id}\n{normalise_access_code(access_code)}\n{token}".encode()
    return _tag(key, message)


def admitted(key: bytes, event_id: int, access_code: str, token: str, shown: str | None) -> bool:
    """Whether `shown` is this token's admission to the event under its current code."""
    if not shown or len(shown) != TAG_CHARS:
        return False
    return hmac.compare_digest(admission(key, event_id, access_code, token), shown)


def access_code_matches(access_code: str, typed: str | None) -> bool:
    """Whether a participant typed the event's access code (constant time)."""
    expected = normalise_access_code(access_code).encode()
    return bool(expected) and hmac.compare_digest(expected, normalise_access_code(typed).encode())


class TokenRefused(RuleViolation):
    """The request's participant token (or its admission) is not one podium issued."""

    status = 403


def check_access_code(typed: str | None) -> str | None:
    """The access code an organiser sets, as stored: None for none (empty)."""
    code = (typed or "").strip()
    if not code:
        return None
    if len(code) > ACCESS_CODE_MAX:
        raise InvalidAnswer("access_code_too_long", max=ACCESS_CODE_MAX)
    if any(unicodedata.category(c).startswith("C") for c in code):
        raise InvalidAnswer("control_characters")
    return code
