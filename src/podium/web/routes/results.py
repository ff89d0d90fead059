"""The organiser's results page: every question's chart and its numbers as a table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.contributions import State
from podium.services import contributions
from podium.services.results import event_results
from podium.web.auth import require_moderator
from podium.web.deps import RowId, render, runtime

router = APIRouter(include_in_schema=False)


@router.get("/admin/events/{event_id}/results")
async def results_page(request: Request, event_id: RowId) -> Response:
    await require_moderator(request, event_id)
    results = await event_results(runtime(request), event_id)
    rows = [(row.question, row.result) for row in results.questions]
    items = await contributions.all_items(runtime(request), event_id)
    # approved first, then by upvotes: what the room supported most leads
    items.sort(key=lambda i: (i.state is not State.APPROVED, -i.votes, i.id))
    return render(
        request, "results/event.html", event=results.event, rows=rows, contributions=items
    )
