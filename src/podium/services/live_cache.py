"""What every live view needs, in memory: each running event's questions, live
state and tallies. The tallies are a cache of the stored answers: built from the
rows when an event is loaded, then moved by the committed changes the hub
delivers, never read-incremented-written back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from podium.domain.questions import QuestionSpec
from podium.domain.tally import Tally
from podium.live.hub import Message
from podium.services.specs import spec_of
from podium.store.tables import Answer, Event, Question


@dataclass(frozen=True)
class LiveQuestion:
    id: int
    position: int
    title: str
    spec: QuestionSpec
    allow_change: bool
    voting_open: bool
    results_on_screen: bool
    results_on_devices: bool


@dataclass
class LiveEvent:
    id: int
    slug: str
    title: str
    format: str
    starts_at: datetime | None
    language: str
    join_code: str
    presenter_token: str
    current_question_id: int | None
    questions: dict[int, LiveQuestion]
    order: list[int]
    tallies: dict[int, Tally] = field(default_factory=dict)

    @property
    def current(self) -> LiveQuestion | None:
        if self.current_question_id is None:
            return None
        return self.questions.get(self.current_question_id)

    def ordered(self) -> list[LiveQuestion]:
        return [self.questions[i] for i in self.order]


Watcher = Callable[[str, int, int | None], None]  # (what, event_id, question_id)


class LiveCache:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._events: dict[int, LiveEvent] = {}
        self._by_code: dict[str, int] = {}
        self._by_token: dict[str, int] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._watchers: list[Watcher] = []

    def watch(self, watcher: Watcher) -> None:
        """Be told of every change: ("results", event, question) or ("state", event, None)."""
        self._watchers.append(watcher)

    def loaded(self, event_id: int) -> LiveEvent | None:
        return self._events.get(event_id)

    async def get(self, event_id: int) -> LiveEvent | None:
        if event_id in self._events:
            return self._events[event_id]
        lock = self._locks.setdefault(event_id, asyncio.Lock())
        async with lock:
            if event_id not in self._events:
                live = await self._load(event_id)
                if live is None:
                    return None
                self._remember(live)
        return self._events[event_id]

    async def by_code(self, join_code: str) -> LiveEvent | None:
        return await self._by(self._by_code, Event.join_code, join_code)

    async def by_presenter_token(self, token: str) -> LiveEvent | None:
        return await self._by(self._by_token, Event.presenter_token, token)

    async def _by(self, index: dict[str, int], column: Any, value: str) -> LiveEvent | None:
        event_id = index.get(value)
        if event_id is None:
            async with self._sessions() as session:
                event_id = await session.scalar(select(Event.id).where(column == value))
            if event_id is None:
                return None
        return await self.get(event_id)

    async def on_message(self, message: Message) -> None:
        kind = message.get("type")
        if kind == "answers":
            for event_id, question_id, old, new in message["items"]:
                live = self._events.get(event_id)
                tally = live.tallies.get(question_id) if live else None
                if tally is not None:
                    tally.replace(old, new)
                    self._tell("results", event_id, question_id)
        elif kind in ("state", "structure"):
            event_id = message["event_id"]
            if event_id in self._events:
                await self._refresh(event_id, rebuild=kind == "structure")
            self._tell("state", event_id, None)

    def _tell(self, what: str, event_id: int, question_id: int | None) -> None:
        for watcher in self._watchers:
            watcher(what, event_id, question_id)

    def _remember(self, live: LiveEvent) -> None:
        self._events[live.id] = live
        self._by_code[live.join_code] = live.id
        self._by_token[live.presenter_token] = live.id

    def _forget(self, event_id: int) -> None:
        live = self._events.pop(event_id, None)
        if live is not None:
            self._by_code.pop(live.join_code, None)
            self._by_token.pop(live.presenter_token, None)

    async def _refresh(self, event_id: int, rebuild: bool) -> None:
        """Reload the event's state; keep tallies of questions whose spec did not change."""
        lock = self._locks.setdefault(event_id, asyncio.Lock())
        async with lock:
            old = self._events.get(event_id)
            fresh = await self._load(event_id, keep=None if old is None else old)
            self._forget(event_id)
            if fresh is not None:
                self._remember(fresh)

    async def _load(self, event_id: int, keep: LiveEvent | None = None) -> LiveEvent | None:
        async with self._sessions() as session:
            event = await session.scalar(
                select(Event)
                .where(Event.id == event_id)
                .options(selectinload(Event.questions).selectinload(Question.options))
            )
            if event is None:
                return None
            questions = {q.id: _live_question(q) for q in event.questions}
            tallies: dict[int, Tally] = {}
            stale: list[int] = []
            for q in questions.values():
                kept = keep.tallies.get(q.id) if keep else None
                if kept is not None and kept.spec == q.spec:
                    tallies[q.id] = kept
                else:
                    tallies[q.id] = Tally(q.spec)
                    stale.append(q.id)
            if stale:
                await _count_stored(session, stale, tallies)
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
            )


def _live_question(q: Question) -> LiveQuestion:
    return LiveQuestion(
        id=q.id,
        position=q.position,
        title=q.title,
        spec=spec_of(q),
        allow_change=q.allow_change,
        voting_open=q.voting_open,
        results_on_screen=q.results_on_screen,
        results_on_devices=q.results_on_devices,
    )


async def _count_stored(
    session: AsyncSession, question_ids: list[int], tallies: dict[int, Tally]
) -> None:
    rows = await session.execute(
        select(Answer.question_id, Answer.value)
        .where(Answer.question_id.in_(question_ids), Answer.superseded.is_(False))
        .order_by(Answer.id)
    )
    for question_id, value in rows:
        tallies[question_id].add(value)
