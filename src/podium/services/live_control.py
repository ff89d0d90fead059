"""What a moderator does live: pick the current question, open and close voting,
show or hide results on the screen and on participants' devices."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from podium.domain.errors import NotFound
from podium.services.context import Context
from podium.store.tables import Event, Question


async def _question_of(rt: Context, event_id: int, question_id: int) -> Question:
    async with rt.sessions() as session:
        question = await session.get(Question, question_id)
    if question is None or question.event_id != event_id:
        raise NotFound("unknown_question")
    return question


async def set_current(rt: Context, event_id: int, question_id: int | None) -> None:
    """Show a question (or none: the welcome screen with the join code)."""
    if question_id is not None:
        await _question_of(rt, event_id, question_id)
    async with rt.sessions.begin() as session:
        # An UPDATE's result is a CursorResult (it has rowcount); the session's stubs
        # only promise a Result.
        done = cast(
            CursorResult[Any],
            await session.execute(
                update(Event).where(Event.id == event_id).values(current_question_id=question_id)
            ),
        )
        if done.rowcount == 0:
            raise NotFound("unknown_event")
    await rt.state_changed(event_id)


async def set_flags(
    rt: Context,
    event_id: int,
    question_id: int,
    *,
    voting_open: bool | None = None,
    results_on_screen: bool | None = None,
    results_on_devices: bool | None = None,
) -> None:
    await _question_of(rt, event_id, question_id)
    values = {
        name: value
        for name, value in (
            ("voting_open", voting_open),
            ("results_on_screen", results_on_screen),
            ("results_on_devices", results_on_devices),
        )
        if value is not None
    }
    if not values:
        return
    async with rt.sessions.begin() as session:
        await session.execute(update(Question).where(Question.id == question_id).values(**values))
    await rt.state_changed(event_id)


async def go_live(rt: Context, event_id: int, question_id: int) -> None:
    """The usual step: make a question current and open its voting, in one go.
    Voting on the question shown before closes, so that participants' devices,
    which follow the current question, never leave a poll open behind them."""
    await _question_of(rt, event_id, question_id)
    async with rt.sessions.begin() as session:
        previous = await session.scalar(
            select(Event.current_question_id).where(Event.id == event_id)
        )
        if previous is not None and previous != question_id:
            await session.execute(
                update(Question).where(Question.id == previous).values(voting_open=False)
            )
        await session.execute(
            update(Event).where(Event.id == event_id).values(current_question_id=question_id)
        )
        await session.execute(
            update(Question).where(Question.id == question_id).values(voting_open=True)
        )
    await rt.state_changed(event_id)
