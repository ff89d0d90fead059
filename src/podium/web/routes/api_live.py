"""The API for moderators: read and change what is live."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from podium.domain.errors import NotFound
from podium.services import live_control
from podium.services.results import live_state
from podium.store.tables import Event
from podium.web.api_models import LiveStateOut, LiveUpdateIn
from podium.web.deps import runtime
from podium.web.routes.api_common import errors, moderated_event, moderated_event_csrf
from podium.web.routes.api_convert import live_state_out

router = APIRouter(tags=["moderator"])


@router.get("/events/{ref}/live", responses=errors(401, 403, 404, 422))
async def get_live(
    request: Request, found: Annotated[Event, Depends(moderated_event)]
) -> LiveStateOut:
    """The current question and every question's flags."""
    return live_state_out(await live_state(runtime(request), found.id))


@router.post("/events/{ref}/live", responses=errors(401, 403, 404, 422))
async def set_live(
    request: Request, update: LiveUpdateIn, found: Annotated[Event, Depends(moderated_event_csrf)]
) -> LiveStateOut:
    """Change the live state; answers the state after the change.

    Needs the session's CSRF token in the `X-CSRF-Token` header. Every question id is
    checked before anything changes: a wrong one changes nothing (404)."""
    rt = runtime(request)
    ids = {q.id for q in found.questions}
    change_current = "current_question_id" in update.model_fields_set
    flags = update.flags()
    target = update.question_id
    if target is None and flags:
        target = update.current_question_id if change_current else found.current_question_id
    for question_id in (update.current_question_id if change_current else None, target):
        if question_id is not None and question_id not in ids:
            raise NotFound("unknown_question")
    if flags and target is None:
        raise NotFound("unknown_question")  # no question named and none is current
    if change_current:
        await live_control.set_current(rt, found.id, update.current_question_id)
    if flags and target is not None:
        await live_control.set_flags(rt, found.id, target, **flags)
    return live_state_out(await live_state(rt, found.id))
