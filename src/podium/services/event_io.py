"""An event's definition as YAML: to copy an event, keep it in version control,
or prepare it in an editor. Only what the organiser wrote travels; answers, join
codes, presenter links and slugs stay with the event they belong to."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import yaml
from sqlalchemy import select

from podium.domain.errors import RuleViolation
from podium.domain.questions import check_title
from podium.services.catalog_common import as_utc, retrying
from podium.services.catalog_events import EventFields, get_event, insert_event, load_event
from podium.services.catalog_questions import (
    CheckedQuestion,
    QuestionInput,
    check_question,
    insert_question,
)
from podium.services.catalog_series import insert_series
from podium.services.context import Context
from podium.services.organisations import default_organisation_id
from podium.store.tables import Event, Question, Series

VERSION = 1
EVENT_KEYS = (
    "podium_event",
    "series",
    "title",
    "description",
    "format",
    "starts_at",
    "language",
    "contributions",
    "questions",
)
CONTRIBUTION_KEYS = ("open", "moderation", "panelists", "blocked_words", "allowed_words")
QUESTION_KEYS = ("kind", "title", "options", "settings", "allow_change", "match_key")


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes multi-line text as a readable block."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


async def export_event(rt: Context, ref: str | int) -> str:
    event = await get_event(rt, ref)
    starts_at = as_utc(event.starts_at)
    data: dict[str, Any] = {
        "podium_event": VERSION,
        "series": event.series.title if event.series else None,
        "title": event.title,
        "description": event.description,
        "format": event.format,
        "starts_at": starts_at.isoformat() if starts_at else None,
        "language": event.language,
        "contributions": {
            "open": event.contributions_open,
            "moderation": event.moderation,
            "panelists": list(event.panelists or []),
            "blocked_words": list(event.blocked_words or []),
            "allowed_words": list(event.allowed_words or []),
        },
        "questions": [_question_document(q) for q in event.questions],
    }
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def _question_document(q: Question) -> dict[str, Any]:
    document: dict[str, Any] = {
        "kind": q.kind,
        "title": q.title,
        "options": [o.label for o in q.options],
        "settings": dict(q.settings or {}),
        "allow_change": q.allow_change,
    }
    if q.match_key:  # absent rather than null: files of older versions read the same
        document["match_key"] = q.match_key
    return document


async def import_event(rt: Context, text: str, organisation_id: int | None = None) -> Event:
    """Create the event (and its series, unless one of that title exists in the
    organisation) from YAML, for `organisation_id` (or the default organisation).
    Everything is checked before the one transaction that writes it."""
    series_title, fields, questions, contributions = _parse(text)

    async def once() -> Event:
        async with rt.sessions() as session, session.begin():
            org_id = organisation_id or await default_organisation_id(session)
            series_id = None
            if series_title is not None:
                series = await session.scalar(
                    select(Series)
                    .where(Series.title == series_title, Series.organisation_id == org_id)
                    .order_by(Series.id)
                )
                if series is None:
                    series = await insert_series(session, series_title, organisation_id=org_id)
                series_id = series.id
            event = await insert_event(session, replace(fields, series_id=series_id), org_id)
            for key, value in contributions.items():
                setattr(event, key, value)
            for question in questions:
                await insert_question(session, event.id, question)
            return await load_event(session, event.id)

    event = await retrying(once)
    await rt.structure_changed(event.id)
    return event


def _parse(
    text: str,
) -> tuple[str | None, EventFields, list[CheckedQuestion], dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleViolation("bad_yaml", detail=_describe(exc)) from None
    if not isinstance(data, dict):
        raise _bad("the file must describe one event as a mapping of keys")
    _only(data, EVENT_KEYS, "")
    if data.get("podium_event", VERSION) != VERSION:
        raise _bad(f"podium_event: only version {VERSION} is known")
    series = _text(data, "series", None)
    fields = EventFields.checked(
        title=_text(data, "title", ""),
        series_id=None,
        description=_text(data, "description", ""),
        format=_text(data, "format", ""),
        starts_at=_when(data.get("starts_at")),
        language=_text(data, "language", "de"),
    )
    raw_questions = data.get("questions") or []
    if not isinstance(raw_questions, list):
        raise _bad("questions: a list is expected")
    questions = [_question(raw, n) for n, raw in enumerate(raw_questions, start=1)]
    contributions = _contributions(data.get("contributions"))
    return (None if series is None else check_title(series)), fields, questions, contributions


def _contributions(raw: Any) -> dict[str, Any]:
    """The event's settings for written contributions, as Event columns."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _bad("contributions: a mapping is expected")
    _only(raw, CONTRIBUTION_KEYS, "contributions.")
    values: dict[str, Any] = {}
    if "open" in raw:
        if not isinstance(raw["open"], bool):
            raise _bad("contributions.open: true or false")
        values["contributions_open"] = raw["open"]
    if "moderation" in raw:
        if raw["moderation"] not in ("pre", "post"):
            raise _bad("contributions.moderation: pre or post")
        values["moderation"] = raw["moderation"]
    for key in ("panelists", "blocked_words", "allowed_words"):
        if key in raw:
            entries = raw[key] or []
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise _bad(f"contributions.{key}: a list of texts is expected")
            values[key] = [" ".join(e.split()) for e in entries if e.strip()]
    return values


def _question(raw: Any, n: int) -> CheckedQuestion:
    where = f"questions[{n}]"
    if not isinstance(raw, dict):
        raise _bad(f"{where}: a mapping is expected")
    _only(raw, QUESTION_KEYS, f"{where}.")
    options = raw.get("options") or []
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise _bad(f"{where}.options: a list of texts is expected (quote yes, no, numbers)")
    allow_change = raw.get("allow_change", True)
    if not isinstance(allow_change, bool):
        raise _bad(f"{where}.allow_change: true or false is expected")
    data = QuestionInput(
        kind=_text(raw, "kind", "", where),
        title=_text(raw, "title", "", where),
        options=options,
        settings=raw.get("settings") or {},
        allow_change=allow_change,
        match_key=_text(raw, "match_key", None, where),
    )
    try:
        return check_question(data)
    except RuleViolation as exc:
        exc.params["question"] = n  # so that the message can say which question is wrong
        raise


def _text(data: dict[str, Any], key: str, default: Any, where: str = "") -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        name = f"{where}.{key}" if where else key
        raise _bad(f"{name}: a text is expected (put it in quotes)")
    return value


def _when(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad("starts_at: a date and time like 2021-02-02T10:00:00+01:00 is expected")


def _only(data: dict[Any, Any], known: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in known:
            raise _bad(f"{where}{key}: unknown key (known: {', '.join(known)})")


def _bad(detail: str) -> RuleViolation:
    return RuleViolation("bad_yaml", detail=detail)


def _describe(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return problem
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
