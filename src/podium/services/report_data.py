"""What an event's report shows, read once for the PDF and the tables.

The results are the live cache's (the same numbers as the results page and the API,
with the moderators' merges and hides applied); everything else is read from the
database. A report may be made while the event runs: it is a snapshot, and says so.
Answers themselves are not read here but streamed by `answer_rows`, so that a large
event's export never holds them all at once.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from podium.domain.contributions import report_order
from podium.domain.questions import QuestionSpec
from podium.domain.report import (
    ReportOptions,
    bucket_start,
    bucket_width,
    chosen_questions,
    includes_answers_of,
    pseudonym,
)
from podium.domain.tally import Result
from podium.services.context import Context
from podium.services.read_models import Item, all_items
from podium.services.report_logo import logo_svg
from podium.services.results import live_event
from podium.store.answer_export import current_answers
from podium.store.tables import Answer, Event, Participant, Question, Series

STREAM_ROWS = 2000  # rows fetched at a time while streaming answers


@dataclass(frozen=True)
class ReportEvent:
    id: int
    slug: str
    title: str
    description: str
    series_title: str | None
    format: str
    starts_at: datetime | None
    language: str
    organiser: str
    logo_svg: str = ""  # the organisation's logo for the title page, "" for none


@dataclass(frozen=True)
class TimeBucket:
    start: datetime  # UTC
    answers: int


@dataclass(frozen=True)
class Participation:
    joined: int  # participants the event knows (everyone who answered or contributed)
    answers: int  # answers given, changed ones included
    width: timedelta  # of each bucket
    buckets: tuple[TimeBucket, ...]  # every bucket from the first answer to the last


@dataclass(frozen=True)
class ReportQuestion:
    id: int
    number: int  # 1, 2, ... in the event's order, counting every question of the event
    title: str
    spec: QuestionSpec
    result: Result


@dataclass(frozen=True)
class ReportData:
    event: ReportEvent
    options: ReportOptions
    participation: Participation
    questions: tuple[ReportQuestion, ...]  # the chosen ones, in the event's order
    contributions: tuple[Item, ...]  # all of them, oldest first (empty when left out)
    generated_at: datetime  # UTC
    running: bool  # voting is open somewhere: the report is a snapshot

    @property
    def published_contributions(self) -> list[Item]:
        """What a published report lists: what the audience saw, in the report's order."""
        return [i for i in report_order(self.contributions) if i.visible]


@dataclass(frozen=True)
class AnswerRow:
    question_id: int
    participant: str  # the export's pseudonym
    created_at: datetime
    value: Any  # as stored: domain.report.answer_cell makes it readable


async def report_data(rt: Context, event_id: int, options: ReportOptions) -> ReportData:
    """Everything the report shows; unknown questions in `options` are an error."""
    live = await live_event(rt, event_id)
    ordered = live.ordered()
    chosen = chosen_questions([q.id for q in ordered], options.questions)
    questions = tuple(
        ReportQuestion(q.id, number, q.title, q.spec, live.tallies[q.id].result())
        for number, q in enumerate(ordered, start=1)
        if q.id in chosen and includes_answers_of(q.spec.kind, options)
    )
    async with rt.sessions() as session:
        row = (
            await session.execute(
                select(Event.description, Series.title)
                .outerjoin(Series, Series.id == Event.series_id)
                .where(Event.id == event_id)
            )
        ).one()
        joined = await session.scalar(
            select(func.count()).select_from(Participant).where(Participant.event_id == event_id)
        )
        participation = await _participation(session, event_id, joined or 0)
    event = ReportEvent(
        id=live.id,
        slug=live.slug,
        title=live.title,
        description=row[0] or "",
        series_title=row[1],
        format=live.format,
        starts_at=live.starts_at,
        language=live.language,
        organiser=rt.settings.organisation,
        logo_svg=logo_svg(rt.settings.report_logo),
    )
    contributions: tuple[Item, ...] = ()
    if options.include_contributions:
        contributions = tuple(await all_items(rt.sessions, event_id))
    return ReportData(
        event=event,
        options=options,
        participation=participation,
        questions=questions,
        contributions=contributions,
        generated_at=datetime.now(UTC),
        running=any(q.voting_open for q in ordered),
    )


def _answers_of(event_id: int) -> Any:
    return select(Question.id).where(Question.event_id == event_id).scalar_subquery()


async def _participation(session: Any, event_id: int, joined: int) -> Participation:
    bounds = (
        await session.execute(
            select(func.min(Answer.created_at), func.max(Answer.created_at), func.count()).where(
                Answer.question_id.in_(_answers_of(event_id))
            )
        )
    ).one()
    first, last, total = bounds
    if not total:
        return Participation(joined, 0, timedelta(minutes=1), ())
    first, last = _utc(first), _utc(last)
    width = bucket_width(first, last)
    # Counted by the database, a row per bucket: reading 100,000 timestamps into
    # Python would cost the live event's loop a second per report.
    origin = bucket_start(first, first, width)
    seconds = int(width.total_seconds())
    index = _epoch(session.get_bind().dialect.name, Answer.created_at) - int(origin.timestamp())
    bucket = (index // seconds).label("bucket")
    rows = await session.execute(
        select(bucket, func.count())
        .where(Answer.question_id.in_(_answers_of(event_id)))
        .group_by(bucket)
    )
    counts = {origin + n * width: count for n, count in rows}
    start, end = bucket_start(first, first, width), bucket_start(last, first, width)
    buckets = []
    while start <= end:
        buckets.append(TimeBucket(start, counts.get(start, 0)))
        start += width
    return Participation(joined, total, width, tuple(buckets))


def _epoch(dialect: str, column: Any) -> Any:
    """Whole seconds since 1970 of a stored UTC time, in the database's own terms."""
    if dialect == "sqlite":  # stored as ISO text in UTC
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(func.extract("epoch", column)), BigInteger)


def _utc(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back (stored in UTC); PostgreSQL aware ones
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def sqlite_answer_rows(
    path: str, event_id: int, question_ids: tuple[int, ...]
) -> Iterator[AnswerRow]:
    """`answer_rows` from a SQLite file, read synchronously (a report worker's way)."""
    key = secrets.token_bytes(16)
    for question_id, participant_id, created_at, value in current_answers(
        path, event_id, question_ids
    ):
        yield AnswerRow(question_id, pseudonym(key, participant_id), created_at, value)


async def answer_rows(
    sessions: async_sessionmaker[AsyncSession], event_id: int, question_ids: tuple[int, ...]
) -> AsyncIterator[AnswerRow]:
    """The current answers of the questions, oldest first, each participant named by a
    pseudonym that holds for this export only. Takes sessions rather than the runtime:
    a report worker process streams them over its own connection."""
    key = secrets.token_bytes(16)
    async with sessions() as session:
        # Core rows a partition at a time: one await per 2,000 rows, not one per row
        connection = await session.connection()
        stream = await connection.stream(
            select(Answer.question_id, Answer.participant_id, Answer.created_at, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(
                Question.event_id == event_id,
                Answer.question_id.in_(question_ids),
                Answer.superseded.is_(False),
            )
            .order_by(Answer.id)
            .execution_options(yield_per=STREAM_ROWS)
        )
        async for rows in stream.partitions():
            for question_id, participant_id, created_at, value in rows:
                yield AnswerRow(
                    question_id, pseudonym(key, participant_id), _utc(created_at), value
                )
