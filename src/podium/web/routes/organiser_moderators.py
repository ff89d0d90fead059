"""Who may moderate an event: assign an existing account by e-mail, remove it."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from podium.domain.errors import RuleViolation
from podium.services import accounts, catalog
from podium.web.auth import checked_form
from podium.web.deps import runtime
from podium.web.routes.organiser_events import event_page
from podium.web.routes.organiser_forms import FormState, organiser_router, parse_id, see_other

router = organiser_router()


@router.post("/admin/events/{event_id}/moderators")
async def assign_moderator(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    try:
        await accounts.assign_moderator(runtime(request), ident, form.get("email", ""))
    except RuleViolation as exc:
        if exc.code == "unknown_event":
            raise  # the page itself is gone: a 404 page, not a form message
        failed = FormState.failed("moderator", form, exc)
        return await event_page(request, ident, moderator_form=failed, status=exc.status)
    return see_other(f"/admin/events/{ident}#moderators")


@router.post("/admin/events/{event_id}/moderators/remove")
async def remove_moderator(request: Request, event_id: str) -> Response:
    rt = runtime(request)
    event = await catalog.get_event(rt, parse_id(event_id))
    form = await checked_form(request)
    await accounts.unassign_moderator(rt, event.id, form.get("email", ""))
    return see_other(f"/admin/events/{event.id}#moderators")
