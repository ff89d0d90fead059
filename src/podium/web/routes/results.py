"""The organiser's results page: every question's chart and its numbers as a table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.errors import NotFound
from podium.web.auth import require_moderator
from podium.web.deps import RowId, render, runtime

router = APIRouter(include_in_schema=False)


@router.get("/admin/events/{event_id}/results")
async def results_page(request: Request, event_id: RowId) -> Response:
    await require_moderator(request, event_id)
    event = await runtime(request).live.get(event_id)
    if event is None:
        raise NotFound("unknown_event")
    rows = [(q, event.tallies[q.id].result()) for q in event.ordered()]
    return render(request, "results/event.html", event=event, rows=rows)
