"""Questions: add, edit, reorder, delete. Every definition passes the domain's
`check_spec` before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from podium.domain.errors import NotAllowed, NotFound, RuleViolation
from podium.domain.questions import MAX_OPTION_LABEL, Kind, PercentBase, check_spec
from podium.domain.series_compare import check_match_key
from podium.services.catalog_common import (
    check_storable,
    check_stored_title,
    renumber,
    reordered,
)
from podium.services.context import Context
from podium.services.specs import SETTING_KEYS, settings_of, spec_from
from podium.store.tables import Answer, Event, Question, QuestionOption

INT_SETTINGS = frozenset({"max_choices", "scale_min", "scale_max", "max_words", "max_length"})
LABEL_SETTINGS = frozenset({"min_label", "max_label"})
# Changing these would leave stored answers outside the question they answered.
SCALE_SETTINGS = ("scale_min", "scale_max")


@dataclass
class QuestionInput:
    kind: str
    title: str
    options: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    allow_change: bool = True
    match_key: str | None = None  # compares it with questions of the same key in the series


@dataclass(frozen=True)
class CheckedQuestion:
    kind: Kind
    title: str
    labels: list[str]
    settings: dict[str, Any]
    allow_change: bool
    match_key: str | None = None


def check_question(data: QuestionInput) -> CheckedQuestion:
    """The question as it will be stored, or the first rule it breaks."""
    title = check_stored_title(data.title)
    try:
        kind = Kind(str(data.kind).strip().lower())
    except ValueError:
        raise RuleViolation("unknown_kind", kind=str(data.kind)) from None
    # Options mean nothing to scales, word clouds and texts; a form may still send them.
    labels = [_label(o) for o in data.options] if kind in (Kind.SINGLE, Kind.MULTIPLE) else []
    spec = spec_from(kind, list(enumerate(labels)), _settings(data.settings))
    check_spec(spec)
    return CheckedQuestion(
        kind,
        title,
        labels,
        settings_of(spec),
        bool(data.allow_change),
        check_match_key(data.match_key),
    )


async def insert_question(session: AsyncSession, event_id: int, checked: CheckedQuestion) -> int:
    """Append a checked question to the event, inside the caller's transaction."""
    if not await session.scalar(select(exists().where(Event.id == event_id))):
        raise NotFound("unknown_event")
    last = await session.scalar(
        select(func.max(Question.position)).where(Question.event_id == event_id)
    )
    question = Question(
        event_id=event_id,
        position=0 if last is None else last + 1,
        kind=str(checked.kind),
        title=checked.title,
        settings=checked.settings,
        allow_change=checked.allow_change,
        match_key=checked.match_key,
        options=[QuestionOption(position=i, label=lb) for i, lb in enumerate(checked.labels)],
    )
    session.add(question)
    await session.flush()
    return question.id


async def add_question(rt: Context, event_id: int, data: QuestionInput) -> Question:
    checked = check_question(data)
    async with rt.sessions() as session, session.begin():
        question = await _load(session, await insert_question(session, event_id, checked))
    await rt.structure_changed(event_id)
    return question


async def get_question(rt: Context, question_id: int) -> Question:
    async with rt.sessions() as session:
        return await _load(session, question_id)


async def update_question(rt: Context, question_id: int, data: QuestionInput) -> Question:
    """Edit a question. Options keep their ids (and so their votes) by label first, then
    by position. Once answered, a question may be relabelled and extended, but not
    changed in kind, scale range or by removing options."""
    checked = check_question(data)
    async with rt.sessions() as session, session.begin():
        question = await _load(session, question_id)
        old_rows = list(question.options)
        keep = _match_options([o.label for o in old_rows], checked.labels)
        if await _has_answers(session, question_id) and (
            checked.kind != question.kind
            or len(keep) < len(old_rows)
            or any(checked.settings.get(k) != question.settings.get(k) for k in SCALE_SETTINGS)
        ):
            raise NotAllowed("question_has_answers")
        rows = []
        for position, label in enumerate(checked.labels):
            row = old_rows[keep[position]] if position in keep else QuestionOption()
            row.position, row.label = position, label
            rows.append(row)
        question.options = rows  # old rows left out are deleted (delete-orphan)
        question.kind = str(checked.kind)
        question.title = checked.title
        question.settings = checked.settings
        question.allow_change = checked.allow_change
        question.match_key = checked.match_key
        await session.flush()
        question = await _load(session, question_id)
    await rt.structure_changed(question.event_id)
    return question


async def delete_question(rt: Context, question_id: int) -> None:
    """Delete the question and its answers; the moderator's screen moves off it."""
    async with rt.sessions() as session, session.begin():
        question = await _load(session, question_id)
        event_id = question.event_id
        await session.delete(question)
        await session.execute(
            update(Event)
            .where(Event.current_question_id == question_id)
            .values(current_question_id=None)
        )
        await session.flush()
        renumber(await _questions_of(session, event_id))
    await rt.structure_changed(event_id)


async def move_question(rt: Context, question_id: int, delta: int) -> None:
    """Move up (delta < 0) or down (delta > 0) within its event."""
    async with rt.sessions() as session, session.begin():
        question = await _load(session, question_id)
        event_id = question.event_id
        renumber(reordered(await _questions_of(session, event_id), question, delta))
    await rt.structure_changed(event_id)


def _match_options(old: list[str], new: list[str]) -> dict[int, int]:
    """Which old option each new label continues: {new index: old index}.

    An unchanged label keeps its option even when moved, so reordering never moves
    votes; changed labels take over the remaining old options in order."""
    keep: dict[int, int] = {}
    free = list(range(len(old)))
    for i, label in enumerate(new):
        match = next((j for j in free if old[j] == label), None)
        if match is not None:
            keep[i] = match
            free.remove(match)
    rest = [i for i in range(len(new)) if i not in keep]
    for i, j in zip(rest, free, strict=False):
        keep[i] = j
    return keep


async def _has_answers(session: AsyncSession, question_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(Answer.question_id == question_id))))


async def _load(session: AsyncSession, question_id: int) -> Question:
    question = await session.scalar(
        select(Question)
        .where(Question.id == question_id)
        .options(selectinload(Question.options))
        .execution_options(populate_existing=True)
    )
    if question is None:
        raise NotFound("unknown_question")
    return question


async def _questions_of(session: AsyncSession, event_id: int) -> list[Question]:
    return list(
        await session.scalars(
            select(Question)
            .where(Question.event_id == event_id)
            .order_by(Question.position, Question.id)
        )
    )


def _label(raw: Any) -> str:
    if not isinstance(raw, str):
        raise RuleViolation("bad_option")
    return check_storable(" ".join(raw.split()))


def _settings(raw: dict[str, Any]) -> dict[str, Any]:
    """Form strings and YAML values to the types the spec expects. Empty means default."""
    if not isinstance(raw, dict):
        raise RuleViolation("bad_setting", name="settings")
    settings: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in SETTING_KEYS:
            raise RuleViolation("unknown_setting", name=str(name))
        if value is None or value == "":
            continue
        if name in INT_SETTINGS:
            settings[name] = _int_setting(name, value)
        elif name in LABEL_SETTINGS:
            if not isinstance(value, str):
                raise RuleViolation("bad_setting", name=name)
            label = check_storable(" ".join(value.split()))
            if len(label) > MAX_OPTION_LABEL:
                raise RuleViolation("scale_label_too_long", max=MAX_OPTION_LABEL)
            settings[name] = label
        else:
            if value not in {str(b) for b in PercentBase}:
                raise RuleViolation("bad_setting", name=name)
            settings[name] = value
    return settings


def _int_setting(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdigit():
            return int(text)
    raise RuleViolation("bad_setting", name=name)
