"""What a participant does: join an event and answer its questions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError

from podium.domain.errors import NotAllowed, NotFound
from podium.domain.questions import accept_answer
from podium.services.context import Context
from podium.services.live_cache import LiveEvent
from podium.store.tables import Answer, Participant
from podium.store.writer import AnswerWrite, Outcome, WriteResult


def token_hash(salt: str, token: str) -> str:
    """A participant's key in one event. Salted with the event's random salt
    (`Event.participant_salt`), so that one browser's rows in two events cannot be
    linked, and an event that got a deleted event's id does not get its participants."""
    return hashlib.sha256(f"{salt}:{token}".encode()).hexdigest()


async def event_salt(rt: Context, event_id: int) -> str:
    """The event's salt, from the live cache (a query only when it is not loaded)."""
    event = await rt.live.get(event_id)
    if event is None:
        raise NotFound("unknown_event")
    return event.participant_salt


async def participant_id(rt: Context, event_id: int, token: str) -> int:
    """The participant row of this token in this event, created on first sight."""
    digest = token_hash(await event_salt(rt, event_id), token)
    cached = rt.writer.known_participant(event_id, digest)
    if cached is not None:
        return cached
    query = select(Participant.id).where(
        Participant.event_id == event_id, Participant.token_hash == digest
    )
    async with rt.sessions() as session:
        found = await session.scalar(query)
        if found is None:
            session.add(Participant(event_id=event_id, token_hash=digest))
            try:
                await session.commit()
            except IntegrityError:  # the same browser joined twice at once
                await session.rollback()
            found = await session.scalar(query)
    assert found is not None
    rt.writer.remember_participant(event_id, digest, found)
    return found


@dataclass(frozen=True)
class Submitted:
    question_id: int
    value: Any
    result: WriteResult


async def submit_answer(
    rt: Context, event: LiveEvent, token: str, question_id: int, raw: Any, answer_id: str
) -> Submitted:
    """Check an answer against the rules, store it durably, and say how it went.

    Raises NotFound for a question that is not this event's, NotAllowed when
    voting is closed, the answer id is taken, or changing is not allowed, and
    InvalidAnswer for an answer that breaks the question's rules.
    """
    question = event.questions.get(question_id)
    value = accept_answer(question, answer_id, raw, event.blocklist)
    assert question is not None  # accepted: it is the event's
    # A new participant's row is created by the writer, in the answer's own transaction.
    digest = token_hash(event.participant_salt, token)
    write = AnswerWrite(answer_id, question_id, None, value, question.allow_change, digest)
    result = await rt.writer.submit(write, event.id)
    if result.outcome is Outcome.ID_REUSED:
        raise NotAllowed("answer_id_reused")
    if result.outcome is Outcome.ALREADY_ANSWERED:
        raise NotAllowed("already_answered")
    return Submitted(question_id, value, result)


async def current_answer(rt: Context, event_id: int, token: str, question_id: int) -> Any | None:
    """The participant's stored answer to a question, to show it on their page."""
    digest = token_hash(await event_salt(rt, event_id), token)
    async with rt.sessions() as session:
        return await session.scalar(
            select(Answer.value)
            .join(Participant, Participant.id == Answer.participant_id)
            .where(
                Participant.event_id == event_id,
                Participant.token_hash == digest,
                Answer.question_id == question_id,
                Answer.superseded == false(),
            )
        )
