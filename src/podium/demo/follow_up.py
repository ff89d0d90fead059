"""The demo series' second event, answered: so that the series' results page compares
the question it asks again with the opening's (the same comparison key).

The answers are planned like the opening's (podium.demo.plan, with the follow-up's
shares) and given through the participants' own service, in this process: the
audience of the opening is the one simulated over HTTP; this one only needs to have
been there, and a few hundred answers in-process take well under a second.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from podium.demo.plan import FOLLOW_UP_SHARES, plan
from podium.demo.simulate import polls_of
from podium.runtime import Runtime
from podium.services import live_control
from podium.services.catalog import get_event
from podium.services.participation import submit_answer
from podium.services.results import live_event
from podium.store.tables import Answer, Event, Question

FOLLOW_UP_SEED = 11


async def follow_up_event(rt: Runtime, opening_id: int) -> int | None:
    """The earliest other event of the opening's series that asks one of its keyed
    questions again, or None."""
    async with rt.sessions() as session:
        opening = await session.get(Event, opening_id)
        if opening is None or opening.series_id is None:
            return None
        keys = select(Question.match_key).where(
            Question.event_id == opening_id, Question.match_key.is_not(None)
        )
        return await session.scalar(
            select(Event.id)
            .join(Question, Question.event_id == Event.id)
            .where(
                Event.series_id == opening.series_id,
                Event.id != opening_id,
                Question.match_key.in_(keys),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(1)
        )


async def answer_follow_up(rt: Runtime, opening_id: int, participants: int) -> int | None:
    """Give the follow-up event's keyed questions `participants` planned answers each;
    once only (an event that has answers is left as it is). Returns the event's id."""
    event_id = await follow_up_event(rt, opening_id)
    if event_id is None:
        return None
    async with rt.sessions() as session:
        keyed = list(
            await session.scalars(
                select(Question.id).where(
                    Question.event_id == event_id, Question.match_key.is_not(None)
                )
            )
        )
        answered = await session.scalar(
            select(Answer.id).where(Answer.question_id.in_(keyed)).limit(1)
        )
    if answered is not None:
        return event_id
    for question_id in keyed:
        await live_control.set_flags(rt, event_id, question_id, voting_open=True)
    polls = [p for p in polls_of(await get_event(rt, event_id)) if p.question_id in keyed]
    live = await live_event(rt, event_id)
    for n, answers in enumerate(plan(polls, participants, FOLLOW_UP_SEED, FOLLOW_UP_SHARES)):
        token = f"follow-up-{n:030d}"
        for question_id, value in answers:
            await submit_answer(rt, live, token, question_id, value, str(uuid.uuid4()))
    for question_id in keyed:  # the follow-up is over: its results are what they are
        await live_control.set_flags(rt, event_id, question_id, voting_open=False)
    return event_id
