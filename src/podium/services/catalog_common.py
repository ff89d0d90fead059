"""Checks and helpers shared by the catalog's series, event and question actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.codes import slugify
from podium.domain.errors import RuleViolation
from podium.domain.questions import check_title

T = TypeVar("T")

MAX_DESCRIPTION = 10_000
MAX_FORMAT = 200
LANGUAGES = ("de", "en")
# A unique constraint can still be hit by a concurrent writer between our check and
# our insert (slug, join code); the whole action is then simply run again.
CONFLICT_ATTEMPTS = 5


def check_storable(text: str) -> str:
    """U+0000 cannot be stored in PostgreSQL's text (SQLite takes it): refused on
    every backend alike, as a rule, before it reaches the database."""
    if "\x00" in text:
        raise RuleViolation("control_characters")
    return text


def check_stored_title(title: str) -> str:
    """A series', event's or question's title."""
    return check_storable(check_title(title))


def check_description(text: str) -> str:
    text = check_storable((text or "").strip())
    if len(text) > MAX_DESCRIPTION:
        raise RuleViolation("description_too_long", max=MAX_DESCRIPTION)
    return text


def check_format(text: str) -> str:
    text = check_storable(" ".join((text or "").split()))
    if len(text) > MAX_FORMAT:
        raise RuleViolation("format_too_long", max=MAX_FORMAT)
    return text


def check_language(language: str) -> str:
    language = (language or "").strip().lower()
    if language not in LANGUAGES:
        raise RuleViolation("bad_language", allowed=", ".join(LANGUAGES))
    return language


def check_starts_at(value: Any) -> datetime | None:
    """Stored in UTC. A time without a zone is refused: guessing it would move the
    event by an hour or two without anyone noticing."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise RuleViolation("bad_starts_at")
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleViolation("starts_at_without_timezone")
    return value.astimezone(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time in UTC; SQLite hands times back without their zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def unique_slug(session: AsyncSession, column: Any, title: str, prefix: str) -> str:
    """slugify(title), then -2, -3 ... until free in `column`.

    Never all digits: a reference like "3" always means the id 3."""
    base = slugify(title)
    if base.isdigit():
        base = f"{prefix}-{base}"
    taken = set(
        await session.scalars(select(column).where((column == base) | column.like(f"{base}-%")))
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def reordered(items: Sequence[T], item: T, delta: int) -> list[T]:
    """`items` with `item` moved by `delta` places, stopping at either end."""
    result = list(items)
    index = result.index(item)
    result.pop(index)
    result.insert(max(0, min(len(result), index + delta)), item)
    return result


def renumber(items: Sequence[Any]) -> list[Any]:
    """Give items positions 0..n-1 in their order; return those whose position changed."""
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    return changed


async def retrying(action: Callable[[], Awaitable[T]]) -> T:
    """Run a whole transaction again when a concurrent insert took our unique value."""
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            return await action()
        except IntegrityError:
            if attempt == CONFLICT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
