"""Loading a running event into the live cache: one read of its questions and
settings, and of every answer row of the questions whose tallies are not kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from podium.domain.blocklist import default_blocklist
from podium.domain.contributions import Moderation
from podium.domain.tally import Tally
from podium.domain.word_edits import EditAction, WordEdit
from podium.services.live_model import CountedRows, LiveEvent, LiveQuestion
from podium.services.specs import spec_of
from podium.store.tables import Answer, Event, Question, WordEditRow


async def load_event(
    sessions: async_sessionmaker[AsyncSession], event_id: int, keep: LiveEvent | None = None
) -> LiveEvent | None:
    """The event as stored now, None when it is gone. With `keep`, the tallies of
    questions whose spec did not change are taken from it (they are exact already);
    the others are counted from every answer row, read in one statement."""
    async with sessions() as session:
        event = await session.scalar(
            select(Event)
            .where(Event.id == event_id)
            .options(selectinload(Event.questions).selectinload(Question.options))
        )
        if event is None:
            return None
        questions = {q.id: live_question(q, event.language) for q in event.questions}
        tallies: dict[int, Tally] = {}
        rows: dict[int, CountedRows] = {}
        stale: list[int] = []
        for q in questions.values():
            kept = keep.tallies.get(q.id) if keep else None
            if keep is not None and kept is not None and kept.spec == q.spec:
                tallies[q.id] = kept
                rows[q.id] = keep.rows[q.id]
            else:
                tallies[q.id] = Tally(q.spec)
                rows[q.id] = CountedRows()
                stale.append(q.id)
        if stale:
            for row_id, question_id, value, superseded in await read_answer_rows(session, stale):
                rows[question_id].known.add(row_id)
                if not superseded:
                    tallies[question_id].add(value)
        # A kept tally gets the edits in force now too: an undo may have come.
        edits = await read_word_edits(session, [q.id for q in event.questions])
        for question_id, tally in tallies.items():
            tally.edits = edits.get(question_id, ())
        return LiveEvent(
            id=event.id,
            slug=event.slug,
            title=event.title,
            format=event.format,
            starts_at=event.starts_at,
            language=event.language,
            join_code=event.join_code,
            presenter_token=event.presenter_token,
            current_question_id=event.current_question_id,
            questions=questions,
            order=[q.id for q in event.questions],
            tallies=tallies,
            rows=rows,
            contributions_open=event.contributions_open,
            moderation=Moderation(event.moderation),
            panelists=tuple(event.panelists or ()),
            blocklist=default_blocklist(event.language).merged(
                event.blocked_words or (), event.allowed_words or ()
            ),
            screen_mode=event.screen_mode,
            screen_shows_participants=event.screen_shows_participants,
            participant_salt=event.participant_salt,
            access_code=event.access_code,
        )


def live_question(q: Question, language: str) -> LiveQuestion:
    return LiveQuestion(
        id=q.id,
        position=q.position,
        title=q.title,
        spec=spec_of(q, language),
        allow_change=q.allow_change,
        voting_open=q.voting_open,
        results_on_screen=q.results_on_screen,
        results_on_devices=q.results_on_devices,
    )


async def read_answer_rows(
    session: AsyncSession, question_ids: list[int]
) -> list[tuple[int, int, Any, bool]]:
    """Every answer row of the questions, superseded ones included (their ids tell
    which changes this read holds): (row id, question id, value, superseded).
    One statement, so one consistent state of the table."""
    found = await session.execute(
        select(Answer.id, Answer.question_id, Answer.value, Answer.superseded)
        .where(Answer.question_id.in_(question_ids))
        .order_by(Answer.id)
    )
    return [(r[0], r[1], r[2], r[3]) for r in found]


async def read_word_edits(
    session: AsyncSession, question_ids: list[int]
) -> dict[int, tuple[WordEdit, ...]]:
    """The moderators' word-cloud edits in force, per question, oldest first."""
    if not question_ids:
        return {}
    found: dict[int, list[WordEdit]] = {}
    rows = await session.scalars(
        select(WordEditRow)
        .where(WordEditRow.question_id.in_(question_ids), WordEditRow.undone_at.is_(None))
        .order_by(WordEditRow.id)
    )
    for row in rows:
        found.setdefault(row.question_id, []).append(
            WordEdit(row.id, EditAction(row.action), row.word_key, row.into_key)
        )
    return {question_id: tuple(edits) for question_id, edits in found.items()}
