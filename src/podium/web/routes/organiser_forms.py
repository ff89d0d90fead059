"""What the organiser's routes share: their router, ids from URLs, the state of a
form that failed, and event times in Europe/Berlin."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from fastapi import APIRouter, Depends
from markupsafe import Markup
from starlette.responses import RedirectResponse

from podium import i18n
from podium.domain.codes import parse_id as parse_row_id
from podium.domain.errors import NotFound, RuleViolation
from podium.services.catalog_common import as_utc
from podium.web.auth import require_organiser_of_path
from podium.web.messages import message

# The platform's users are German public bodies: a time typed into a form means
# the clock on their wall, whatever the server's zone is.
BERLIN = ZoneInfo("Europe/Berlin")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type=datetime-local> shows and sends


class BadRequest(RuleViolation):
    status = 400


def organiser_router() -> APIRouter:
    """A router whose every route needs an organiser who may organise the event,
    series or question its path names. As a router dependency the check runs before
    anything else is read, so a new route cannot forget it."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(require_organiser_of_path)])


def see_other(url: str) -> RedirectResponse:
    """Post/Redirect/Get: a reload after a successful POST does not send it again."""
    return RedirectResponse(url, status_code=303)


def parse_id(raw: str) -> int:
    """An id from a URL: anything but a number the database can hold is a page that
    does not exist, answered before any query runs."""
    ident = parse_row_id(raw)
    if ident is None:
        raise NotFound("not_found")
    return ident


def parse_series_choice(raw: str) -> int | None:
    """The series select of the event form: empty means "no series"."""
    if not raw.strip():
        return None
    ident = parse_row_id(raw)
    if ident is None:
        raise RuleViolation("unknown_series")
    return ident


def parse_direction(raw: str) -> int:
    """The move buttons send up or down; the services take a delta."""
    if raw == "up":
        return -1
    if raw == "down":
        return 1
    raise BadRequest("bad_request")


def parse_local_time(raw: str) -> datetime | None:
    """A datetime-local value as Europe/Berlin time; the catalog stores it in UTC."""
    text = raw.strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=BERLIN)
        when.astimezone(UTC)  # the first and last days of the calendar have no UTC time
    except (ValueError, OverflowError):
        raise RuleViolation("bad_date") from None
    return when


def local_input(value: datetime | None) -> str:
    """A stored time as the datetime-local field shows it, in Berlin time."""
    utc = as_utc(value)
    return utc.astimezone(BERLIN).strftime(LOCAL_INPUT) if utc else ""


def local_time(value: datetime | None) -> str:
    """A stored time for reading, in Berlin time and the user's language."""
    utc = as_utc(value)
    if utc is None:
        return ""
    local = utc.astimezone(BERLIN)
    loc = i18n.locale()
    return f"{format_date(local, 'medium', locale=loc)}, {format_time(local, 'short', locale=loc)}"


# Which fields a rule violation is about, so that they can be marked invalid.
FIELDS_OF_CODE: dict[str, tuple[str, ...]] = {
    "empty_title": ("title",),
    "title_too_long": ("title",),
    "bad_match_key": ("match_key",),
    "match_key_too_long": ("match_key",),
    "description_too_long": ("description",),
    "format_too_long": ("format",),
    "bad_date": ("starts_at",),
    "bad_starts_at": ("starts_at",),
    "starts_at_without_timezone": ("starts_at",),
    "bad_language": ("language",),
    "unknown_series": ("series_id",),
    "unknown_kind": ("kind",),
    "too_few_options": ("options",),
    "too_many_options": ("options",),
    "empty_option": ("options",),
    "option_too_long": ("options",),
    "bad_option": ("options",),
    "bad_max_choices": ("max_choices",),
    "bad_scale": ("scale_min", "scale_max"),
    "scale_label_too_long": ("min_label", "max_label"),
    "bad_max_words": ("max_words",),
    "bad_max_length": ("max_length",),
    "question_has_answers": ("kind", "options"),
    "bad_email": ("email",),
    "unknown_user": ("email",),
    "bad_yaml": ("file",),
    "no_file": ("file",),
    "file_too_large": ("file",),
    "file_not_text": ("file",),
}


@dataclass(frozen=True)
class FormState:
    """A form's values and, after a failed POST, its message and invalid fields.

    `prefix` keeps ids unique when a page holds several forms."""

    prefix: str
    values: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None
    invalid: frozenset[str] = frozenset()

    @classmethod
    def failed(
        cls,
        prefix: str,
        values: Mapping[str, str],
        exc: RuleViolation,
        fields: Iterable[str] | None = None,
    ) -> FormState:
        """The form again with the violation's message; `fields` overrides which
        fields are marked (an uploaded file is wrong as a whole)."""
        if fields is None:
            fields = set(FIELDS_OF_CODE.get(exc.code, ()))
            if exc.code in ("bad_setting", "unknown_setting") and "name" in exc.params:
                fields.add(str(exc.params["name"]))
        return cls(prefix, dict(values), message(exc.code, exc.params), frozenset(fields))

    @property
    def error_id(self) -> str:
        return f"{self.prefix}-error"

    def id(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def aria(self, name: str, hint: str | None = None) -> Markup:
        """aria-invalid and aria-describedby for a field: its hint, and the message
        when the last attempt failed because of it."""
        described = [self.id(hint)] if hint else []
        attrs = ""
        if name in self.invalid:
            attrs = ' aria-invalid="true"'
            described.insert(0, self.error_id)
        if described:
            attrs += f' aria-describedby="{" ".join(described)}"'
        return Markup(attrs)
