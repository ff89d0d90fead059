"""Reading an event's results and live state, for the JSON API and exports.

Results come from the live cache (the in-memory tallies, kept equal to the stored
answers); the live state (current question, flags) is read from the database, so
that it is right the moment a moderator's change is committed, in every process.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from podium.domain.errors import NotFound
from podium.domain.tally import Result
from podium.services.context import Context
from podium.services.live_cache import LiveEvent, LiveQuestion
from podium.store.tables import Event, Question


@dataclass(frozen=True)
class QuestionResult:
    question: LiveQuestion
    result: Result


@dataclass(frozen=True)
class EventResults:
    event: LiveEvent
    questions: tuple[QuestionResult, ...]  # in the event's order


@dataclass(frozen=True)
class QuestionFlags:
    question_id: int
    voting_open: bool
    results_on_screen: bool
    results_on_devices: bool


@dataclass(frozen=True)
class LiveState:
    event_id: int
    current_question_id: int | None
    questions: tuple[QuestionFlags, ...]  # in the event's order

    @property
    def current(self) -> QuestionFlags | None:
        return next((q for q in self.questions if q.question_id == self.current_question_id), None)


async def live_event(rt: Context, event_id: int) -> LiveEvent:
    event = await rt.live.get(event_id)
    if event is None:
        raise NotFound("unknown_event")
    return event


def question_result(event: LiveEvent, question_id: int) -> Result:
    """One question's result now; raises NotFound for a question of another event."""
    tally = event.tallies.get(question_id)
    if tally is None:
        raise NotFound("unknown_question")
    return tally.result()


async def event_results(rt: Context, event_id: int) -> EventResults:
    """Every question of the event with its result, in the event's order."""
    event = await live_event(rt, event_id)
    rows = tuple(QuestionResult(q, question_result(event, q.id)) for q in event.ordered())
    return EventResults(event, rows)


async def live_state(rt: Context, event_id: int) -> LiveState:
    """The event's current question and every question's live flags, as stored."""
    async with rt.sessions() as session:
        current = await session.execute(
            select(Event.current_question_id).where(Event.id == event_id)
        )
        row = current.one_or_none()
        if row is None:
            raise NotFound("unknown_event")
        flags = await session.execute(
            select(
                Question.id,
                Question.voting_open,
                Question.results_on_screen,
                Question.results_on_devices,
            )
            .where(Question.event_id == event_id)
            .order_by(Question.position, Question.id)
        )
        questions = tuple(QuestionFlags(*r) for r in flags)
    return LiveState(event_id, row[0], questions)
