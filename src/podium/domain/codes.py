"""Random identifiers: join codes people type, tokens nobody can guess, slugs."""

from __future__ import annotations

import re
import secrets
import unicodedata

JOIN_CODE_DIGITS = 8


def new_join_code() -> str:
    """Eight digits: easy to type on a phone, read aloud, and show on a shared screen."""
    return "".join(secrets.choice("0123456789") for _ in range(JOIN_CODE_DIGITS))


def normalise_join_code(typed: str) -> str | None:
    """What a person typed ("1234 5678", "#1234-5678") as a code, or None."""
    digits = re.sub(r"[\s#\-.]", "", typed or "")
    if len(digits) == JOIN_CODE_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None


def format_join_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


def new_token() -> str:
    """A secret of 192 random bits, URL-safe: participant and presenter tokens."""
    return secrets.token_urlsafe(24)


_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def slugify(text: str, max_length: int = 60) -> str:
    text = text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "event"


_ANSWER_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def is_answer_id(value: str) -> bool:
    """A client-made answer id (a UUID, or any 8-64 URL-safe characters)."""
    return bool(_ANSWER_ID.match(value or ""))


MAX_ID = 2_147_483_647  # the largest id every supported database stores


def parse_id(value: object) -> int | None:
    """A row id from a URL or form field, or None: never an int the database cannot take."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None
