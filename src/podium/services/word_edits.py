"""Moderators correct a word cloud: merge two words, hide one, undo either.

The rules are domain/word_edits.py; an edit is a row of its own, never a change of
the answers, and an undone edit stays as the record of what was done. After each
commit the event's live state is reloaded everywhere (the "state" message), so the
live cloud, the results page and the API show the corrected cloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from podium.domain.errors import NotAllowed, NotFound
from podium.domain.questions import Kind
from podium.domain.tally import WordsResult
from podium.domain.word_edits import EditAction, WordEdit, check_hide, check_merge
from podium.services.context import Context
from podium.services.live_cache import LiveEvent
from podium.store.tables import User, WordEditRow, utcnow


@dataclass(frozen=True)
class EditRecord:
    """One edit as the audit trail shows it."""

    id: int
    action: EditAction
    word: str
    into_word: str | None
    by: str | None  # the moderator's e-mail address
    at: datetime
    undone_at: datetime | None
    undone_by: str | None


async def _words_question(rt: Context, event_id: int, question_id: int) -> LiveEvent:
    event = await rt.live.get(event_id)
    if event is None:
        raise NotFound("unknown_event")
    question = event.questions.get(question_id)
    if question is None:
        raise NotFound("unknown_question")
    if question.spec.kind is not Kind.WORDS:
        raise NotAllowed("not_a_word_cloud")
    return event


def _shown(event: LiveEvent, question_id: int) -> dict[str, str]:
    """The words the cloud shows now: key -> word."""
    result = event.tallies[question_id].result()
    assert isinstance(result, WordsResult)
    return {w.key: w.word for w in result.words}


def active_edits(event: LiveEvent, question_id: int) -> tuple[WordEdit, ...]:
    return event.tallies[question_id].edits


async def merge(
    rt: Context, event_id: int, question_id: int, key: str, into: str, user_id: int | None
) -> None:
    """Count `key` as `into` from now on (both must be words the cloud shows)."""
    event = await _words_question(rt, event_id, question_id)
    shown = _shown(event, question_id)
    if key not in shown or into not in shown:
        raise NotFound("unknown_word")
    check_merge(key, into, active_edits(event, question_id))
    await _store(
        rt, event_id, question_id, EditAction.MERGE, key, shown[key], user_id, into, shown[into]
    )


async def hide(rt: Context, event_id: int, question_id: int, key: str, user_id: int | None) -> None:
    """Leave the word out of the cloud (for this question; undo brings it back)."""
    event = await _words_question(rt, event_id, question_id)
    shown = _shown(event, question_id)
    if key not in shown:
        raise NotFound("unknown_word")
    check_hide(key, active_edits(event, question_id))
    await _store(rt, event_id, question_id, EditAction.HIDE, key, shown[key], user_id)


async def _store(
    rt: Context,
    event_id: int,
    question_id: int,
    action: EditAction,
    key: str,
    word: str,
    user_id: int | None,
    into: str | None = None,
    into_word: str | None = None,
) -> None:
    async with rt.sessions.begin() as session:
        session.add(
            WordEditRow(
                question_id=question_id,
                action=action.value,
                word_key=key,
                into_key=into,
                word=word,
                into_word=into_word,
                user_id=user_id,
            )
        )
    await rt.state_changed(event_id)


async def undo(
    rt: Context, event_id: int, question_id: int, edit_id: int, user_id: int | None
) -> None:
    """Take an edit back: a merge is split again, a hidden word comes back."""
    await _words_question(rt, event_id, question_id)
    async with rt.sessions.begin() as session:
        done = await session.execute(
            update(WordEditRow)
            .where(
                WordEditRow.id == edit_id,
                WordEditRow.question_id == question_id,
                WordEditRow.undone_at.is_(None),
            )
            .values(undone_at=utcnow(), undone_by=user_id)
            .returning(WordEditRow.id)
        )
        if done.first() is None:
            raise NotAllowed("edit_already_undone")
    await rt.state_changed(event_id)


async def history(rt: Context, question_id: int) -> list[EditRecord]:
    """Every edit of the question, newest first, with who made and who undid it."""
    maker, undoer = aliased(User), aliased(User)
    async with rt.sessions() as session:
        rows = await session.execute(
            select(WordEditRow, maker.email, undoer.email)
            .outerjoin(maker, maker.id == WordEditRow.user_id)
            .outerjoin(undoer, undoer.id == WordEditRow.undone_by)
            .where(WordEditRow.question_id == question_id)
            .order_by(WordEditRow.id.desc())
        )
        return [
            EditRecord(
                id=row.id,
                action=EditAction(row.action),
                word=row.word,
                into_word=row.into_word,
                by=by,
                at=row.created_at,
                undone_at=row.undone_at,
                undone_by=undone_by,
            )
            for row, by, undone_by in rows
        ]
