"""An event's participant access code, set by its organiser (domain/participant_token.py:
what it is and how it is compared)."""

from __future__ import annotations

from podium.domain.errors import NotFound
from podium.domain.participant_token import check_access_code
from podium.services.context import Context
from podium.store.tables import Event


async def set_access_code(rt: Context, event_id: int, typed: str | None) -> str | None:
    """Store the code as typed (empty: none). A new code turns the admissions given
    under the old one invalid: every participant types the new one once."""
    code = check_access_code(typed)
    async with rt.sessions() as session, session.begin():
        event = await session.get(Event, event_id)
        if event is None:
            raise NotFound("unknown_event")
        if event.access_code == code:
            return code
        event.access_code = code
    await rt.structure_changed(event_id)  # every process's live cache reloads the event
    return code
