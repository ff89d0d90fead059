"""The origins an event lets frame its presenter view (domain/frame_origins.py checks
them), read and stored apart from the event's other fields: the presenter view reads
them once per page or stream it opens, not on any participant's path."""

from __future__ import annotations

from sqlalchemy import select, update

from podium.domain.errors import NotFound
from podium.domain.frame_origins import check_origin, content_security_policy, server_origins
from podium.services.context import Context
from podium.store.tables import Event


async def event_frame_origins(rt: Context, event_id: int) -> list[str]:
    async with rt.sessions() as session:
        stored = await session.scalar(select(Event.frame_ancestors).where(Event.id == event_id))
    return [str(origin) for origin in stored or []]


async def set_event_frame_origins(rt: Context, event_id: int, origins: list[str]) -> None:
    """Store a list that domain/frame_origins.parse_origins made (checked again: a
    caller that skipped it must not put a directive into the policy)."""
    checked = [check_origin(origin) for origin in origins]
    async with rt.sessions() as session, session.begin():
        result = await session.execute(
            update(Event).where(Event.id == event_id).values(frame_ancestors=checked)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound("not_found")


async def presenter_policy(rt: Context, event_id: int) -> str:
    """The presenter view's Content-Security-Policy: framed by the server's origins
    and the event's own, by nobody when both lists are empty."""
    origins = server_origins(rt.settings.frame_ancestors) + await event_frame_origins(rt, event_id)
    return content_security_policy(origins)
