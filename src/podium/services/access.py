"""The access decision (domain/access.py) for a stored event, series or question: the
facts it needs, read in one small query each."""

from __future__ import annotations

from sqlalchemy import exists, select

from podium.domain.access import Action, Decision, decide
from podium.services.context import Context
from podium.store.tables import Event, EventModerator, Question, Series, User


async def event_decision(rt: Context, user: User, event_id: int, action: Action) -> Decision:
    """A missing event is decided like one of no organisation: hidden from organisers,
    forbidden to moderators, and for administrators the route answers its own 404."""
    async with rt.sessions() as session:
        owner = await session.scalar(select(Event.organisation_id).where(Event.id == event_id))
        assigned = user.role == "moderator" and bool(
            await session.scalar(
                select(
                    exists().where(
                        EventModerator.event_id == event_id, EventModerator.user_id == user.id
                    )
                )
            )
        )
    return decide(user.role, user.organisation_id, owner, assigned, action)


async def series_decision(rt: Context, user: User, series_id: int) -> Decision:
    async with rt.sessions() as session:
        owner = await session.scalar(select(Series.organisation_id).where(Series.id == series_id))
    return decide(user.role, user.organisation_id, owner, False, "organise")


async def question_decision(rt: Context, user: User, question_id: int, action: Action) -> Decision:
    """A question is its event's."""
    async with rt.sessions() as session:
        event_id = await session.scalar(select(Question.event_id).where(Question.id == question_id))
    if event_id is None:
        return decide(user.role, user.organisation_id, None, False, action)
    return await event_decision(rt, user, event_id, action)


def owned_by(user: User) -> int | None:
    """The organisation whose rows a list shows this user; None: all of them
    (administrators)."""
    return None if user.role == "administrator" else (user.organisation_id or -1)
