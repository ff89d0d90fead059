"""A series' results side by side: the questions its organisers gave a comparison key,
with each event's current results (the live cache's, as on the events' results
pages), compared by the domain's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from podium.domain.series_compare import AskedQuestion, Comparison, compare_series
from podium.services.catalog_series import load_series
from podium.services.context import Context
from podium.services.results import event_results
from podium.store.tables import Event, Question


@dataclass(frozen=True)
class SeriesEvent:
    id: int
    title: str
    starts_at: datetime | None
    language: str


@dataclass(frozen=True)
class SeriesResults:
    id: int
    title: str
    description: str
    events: tuple[SeriesEvent, ...]  # all of the series, in date order
    comparisons: tuple[Comparison, ...]
    organiser: str
    generated_at: datetime  # UTC

    @property
    def language(self) -> str:
        """The report's language unless one is chosen: the first event's."""
        return self.events[0].language if self.events else "de"


def _date_order(event: SeriesEvent) -> tuple[int, datetime, int]:
    moment = event.starts_at
    if moment is None:
        return (1, datetime.min.replace(tzinfo=UTC), event.id)
    return (0, moment if moment.tzinfo else moment.replace(tzinfo=UTC), event.id)


async def series_results(rt: Context, series_id: int) -> SeriesResults:
    """The series with every compared question; NotFound for an unknown series."""
    async with rt.sessions() as session:
        series = await load_series(session, series_id)
        keyed = list(
            (
                await session.execute(
                    select(Question.id, Question.event_id, Question.match_key)
                    .join(Event, Event.id == Question.event_id)
                    .where(Event.series_id == series_id, Question.match_key.is_not(None))
                )
            ).all()
        )
        events = sorted(
            (SeriesEvent(e.id, e.title, e.starts_at, e.language) for e in series.events),
            key=_date_order,
        )
        title, description = series.title, series.description or ""
    keys = {question_id: key for question_id, _, key in keyed}
    asked: list[AskedQuestion] = []
    for event in events:
        if not any(event_id == event.id for _, event_id, _ in keyed):
            continue  # an event without keys need not be loaded into the cache
        results = await event_results(rt, event.id)
        for row in results.questions:
            key = keys.get(row.question.id)
            if key is not None:
                asked.append(
                    AskedQuestion(
                        event.id, event.title, event.starts_at, key, row.question.title, row.result
                    )
                )
    return SeriesResults(
        id=series_id,
        title=title,
        description=description,
        events=tuple(events),
        comparisons=compare_series(asked),
        organiser=rt.settings.organisation,
        generated_at=datetime.now(UTC),
    )
