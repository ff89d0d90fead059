"""Deleting an event's answers and contributions (not the event): a page that says
what would go, then a POST with the CSRF token. What went is shown once on the same
page after the redirect, so that a reload sends nothing again."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from podium.services import catalog
from podium.services.retention import clear_event_data, event_data_counts
from podium.web.auth import checked_form
from podium.web.deps import render, runtime
from podium.web.routes.organiser_forms import organiser_router, parse_id, see_other

router = organiser_router()
# What the last clearing deleted travels in the redirect's query (answers,
# contributions, participants), not in the session: the session is a database row
# with no room for notes, and a query holds on every process. The worst a crafted
# link can do is show wrong numbers to an organiser, beside the real counts.
CLEARED = "deleted"


@router.get("/admin/events/{event_id}/clear")
async def confirm_clear(request: Request, event_id: str, deleted: str = "") -> Response:
    rt = runtime(request)
    event = await catalog.get_event(rt, parse_id(event_id))
    cleared = _counts(deleted)
    return render(
        request,
        "organiser/clear_data.html",
        event=event,
        counts=await event_data_counts(rt, event.id),
        cleared=cleared,
    )


@router.post("/admin/events/{event_id}/clear")
async def clear(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    await checked_form(request)
    counts = await clear_event_data(runtime(request), ident)
    note = f"{counts.answers}.{counts.contributions}.{counts.participants}"
    return see_other(f"/admin/events/{ident}/clear?{CLEARED}={note}")


def _counts(note: str) -> list[int] | None:
    """The three counts of a `deleted` note, or None when it is not one."""
    parts = note.split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 9 for p in parts):
        return None
    return [int(p) for p in parts]
