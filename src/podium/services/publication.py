"""Publishing an event's results under a secret link, and revoking it.

The public page asks the database for the link on every request, through the unique
index of `events.results_token`: no process keeps it, so unpublishing (or publishing
again, which makes a new secret) closes the old link at once on every process.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from podium.domain.errors import NotFound
from podium.domain.publication import (
    TOKEN_BYTES,
    Publication,
    checked_publication,
    looks_like_token,
    publication_of,
    token_opens,
)
from podium.services.context import Context
from podium.store.tables import Event, Question


@dataclass(frozen=True)
class Published:
    event_id: int
    token: str
    publication: Publication


async def publish(rt: Context, event_id: int, wanted: Publication) -> Published:
    """Publish the results with these options under a new secret: a link published
    before stops working. Unknown questions are refused (unknown_report_question)."""
    async with rt.sessions() as session, session.begin():
        found = await session.scalar(select(Event.id).where(Event.id == event_id))
        if found is None:
            raise NotFound("unknown_event")
        order = (
            await session.scalars(
                select(Question.id)
                .where(Question.event_id == event_id)
                .order_by(Question.position, Question.id)
            )
        ).all()
        publication = checked_publication(order, wanted)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        await session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(results_token=token, results_options=publication.as_stored())
        )
    return Published(event_id, token, publication)


async def unpublish(rt: Context, event_id: int) -> None:
    """Close the link; nothing is left of it to open again."""
    async with rt.sessions() as session, session.begin():
        done = await session.execute(
            update(Event)
            .where(Event.id == event_id)
            .values(results_token=None, results_options=None)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound("unknown_event")


async def publication(rt: Context, event_id: int) -> Published | None:
    """The event's published link and its options, or None (the organiser's view)."""
    async with rt.sessions() as session:
        row = (
            await session.execute(
                select(Event.results_token, Event.results_options).where(Event.id == event_id)
            )
        ).one_or_none()
    if row is None:
        raise NotFound("unknown_event")
    token, stored = row
    if token is None:
        return None
    return Published(event_id, token, publication_of(stored))


async def published_event(rt: Context, token: str) -> Published:
    """The event a public link opens, read now; NotFound (unknown_results_link) for a
    link never made, revoked, or replaced by a newer one."""
    if not looks_like_token(token):
        raise NotFound("unknown_results_link")
    async with rt.sessions() as session:
        row = (
            await session.execute(
                select(Event.id, Event.results_token, Event.results_options).where(
                    Event.results_token == token
                )
            )
        ).one_or_none()
    if row is None or not token_opens(row[1], token):
        raise NotFound("unknown_results_link")
    return Published(row[0], row[1], publication_of(row[2]))
