"""Written contributions over HTTP: participants send and upvote (forms that work
without script, or JSON from contributions.js); moderators act on the queue (forms
with the session's CSRF token, posted by moderation.js with `Accept: application/json`).

JSON answers: `{"status": "ok", "contribution": {...}}` or `{"error", "message"}`
with a 4xx. Form posts are redirected back to the page they came from.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from podium.domain.codes import parse_id
from podium.domain.contributions import Action
from podium.domain.display_text import neutralised
from podium.domain.errors import InvalidAnswer, NotFound, RuleViolation
from podium.i18n import gettext as _
from podium.live.fanout import DEVICE, FULL_LIST, MODERATOR
from podium.services import contributions, moderation
from podium.services.contribution_board import public
from podium.services.read_models import Item
from podium.web.auth import checked_form, require_moderator
from podium.web.deps import RowId, runtime
from podium.web.errors import wants_json
from podium.web.messages import message
from podium.web.routes.api_common import errors
from podium.web.routes.participant import event_by_code
from podium.web.security import give_participant_cookie, participant_token, participant_token_for

router = APIRouter(include_in_schema=False)


def item_json(item: Item, mine: bool = False) -> dict[str, Any]:
    """A contribution as the API and the scripts see it. The participant's own
    pending ones carry `mine`; nobody else ever gets a pending one. The texts as
    they are shown (markers for bidi overrides, domain/display_text.py): the scripts
    put them on the page."""
    return {
        "id": item.id,
        "text": neutralised(item.text),
        "name": None if item.name is None else neutralised(item.name),
        "panelist": None if item.panelist is None else neutralised(item.panelist),
        "state": item.state.value,
        "highlighted": item.status.highlighted,
        "answered": item.status.answered,
        "pinned": item.status.pinned,
        "votes": item.votes,
        "version": item.version,
        "created_at": item.created_at.isoformat(),
        **({"mine": True} if mine else {}),
    }


async def _fields(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise InvalidAnswer("malformed") from None
        if not isinstance(body, dict):
            raise InvalidAnswer("malformed")
        return body
    form = await request.form()
    return {key: str(value) for key, value in form.items()}


def _refused(request: Request, exc: RuleViolation) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"error": exc.code, "message": message(exc.code, exc.params)}, exc.status
        )
    raise exc  # the app's error page says it, in the user's language


@router.post("/p/{code}/contributions")
async def send(request: Request, code: str) -> Response:
    event = await event_by_code(request, code)
    rt = runtime(request)
    token = participant_token_for(request)
    back = f"/p/{code}"
    try:
        fields = await _fields(request)
        item = await contributions.submit(
            rt, event, token, fields.get("text"), fields.get("name"), fields.get("panelist")
        )
    except RuleViolation as exc:
        response = _refused(request, exc)
    else:
        if wants_json(request):
            note = (
                _("Thank you! Your contribution is shown once a moderator has approved it.")
                if not item.visible
                else _("Thank you! Your contribution is shown.")
            )
            response = JSONResponse(
                {"status": "ok", "contribution": item_json(item, mine=True), "message": note}
            )
        else:
            response = RedirectResponse(f"{back}?contributed=1#contributions", status_code=303)
    give_participant_cookie(request, response, rt.settings.secure_cookies)
    return response


@router.post("/p/{code}/contributions/{contribution_id}/vote")
async def upvote(request: Request, code: str, contribution_id: RowId) -> Response:
    event = await event_by_code(request, code)
    rt = runtime(request)
    token = participant_token_for(request)
    try:
        fields = await _fields(request)
        up = fields.get("up", True) not in (False, "0", "false", 0)
        item = await contributions.vote(rt, event, token, contribution_id, up)
    except RuleViolation as exc:
        response = _refused(request, exc)
    else:
        if wants_json(request):
            response = JSONResponse({"status": "ok", "votes": item.votes, "voted": up})
        else:
            response = RedirectResponse(
                f"/p/{code}#contribution-{contribution_id}", status_code=303
            )
    give_participant_cookie(request, response, rt.settings.secure_cookies)
    return response


@router.get("/api/v1/p/{code}/contributions", tags=["participant"], responses=errors(403, 404, 429))
async def public_list(request: Request, code: str) -> Response:
    """Approved contributions (pinned first, then by upvotes), and the caller's own."""
    event = await event_by_code(request, code)
    rt = runtime(request)
    items = public(await rt.board.get(event.id))
    token = participant_token(request)  # only a token podium issued has contributions
    own: list[Item] = []
    voted: set[int] = set()
    if token:
        own, voted = await contributions.mine(rt, event.id, token)
    return JSONResponse(
        {
            "open": event.contributions_open,
            "contributions": [item_json(i) for i in items],
            "mine": [item_json(i, mine=True) for i in own],
            "voted": sorted(voted),
        }
    )


@router.get("/p/{code}/contributions/frame")
async def full_list_frame(request: Request, code: str) -> Response:
    """The whole device list as a live frame has it (contribution_frames.py): for a
    device whose frames left it short of an item."""
    event = await event_by_code(request, code)
    return await _whole_list(request, event.id, DEVICE)


async def _whole_list(request: Request, event_id: int, audience: str) -> Response:
    rt = runtime(request)
    await rt.board.get(event_id)
    await rt.live.get(event_id)
    data = request.app.state.frames.render(FULL_LIST, event_id, audience, request.state.lang)
    if data is None:
        raise NotFound("unknown_event")
    return Response(data, media_type="application/json", headers={"Cache-Control": "no-store"})


# --- moderators --------------------------------------------------------------------------


@router.get("/moderate/{event_id}/contributions/frame")
async def full_queue_frame(request: Request, event_id: RowId) -> Response:
    """The whole queue as a live frame has it: for a console short of an item."""
    await require_moderator(request, event_id)
    return await _whole_list(request, event_id, MODERATOR)


def _done(request: Request, event_id: int, payload: dict[str, Any]) -> Response:
    if wants_json(request):
        return JSONResponse({"status": "ok", **payload})
    return RedirectResponse(f"/moderate/{event_id}#contributions", status_code=303)


def _version(form: dict[str, str]) -> int | None:
    return parse_id(form.get("version"))


@router.post("/moderate/{event_id}/contributions/{contribution_id}/act")
async def act(request: Request, event_id: RowId, contribution_id: RowId) -> Response:
    await require_moderator(request, event_id)
    form = await checked_form(request)
    rt = runtime(request)
    item = await moderation.act(
        rt, event_id, contribution_id, form.get("action", ""), _version(form)
    )
    return _done(request, event_id, {"contribution": item_json(item)})


@router.post("/moderate/{event_id}/contributions/bulk")
async def bulk(request: Request, event_id: RowId) -> Response:
    """One action on several contributions. `ids` once per ticked box (the form without
    script) or joined with commas (moderation.js); each succeeds or fails on its own."""
    await require_moderator(request, event_id)
    form = await request.form()
    await checked_form(request)
    action = str(form.get("action", ""))
    if action not in set(Action):
        raise InvalidAnswer("unknown_action")
    ids = [
        number
        for field in form.getlist("ids")
        for part in str(field).split(",")
        if (number := parse_id(part.strip()))
    ]
    outcomes = await moderation.act_many(runtime(request), event_id, ids, action)
    results = [
        {"id": cid, "status": "ok"}
        if not isinstance(outcome, RuleViolation)
        else {
            "id": cid,
            "error": outcome.code,
            "message": message(outcome.code, outcome.params),
        }
        for cid, outcome in outcomes
    ]
    return _done(request, event_id, {"results": results})


@router.post("/moderate/{event_id}/contributions/{contribution_id}/edit")
async def edit(request: Request, event_id: RowId, contribution_id: RowId) -> Response:
    await require_moderator(request, event_id)
    form = await checked_form(request)
    item = await moderation.edit(
        runtime(request), event_id, contribution_id, form.get("text"), _version(form)
    )
    return _done(request, event_id, {"contribution": item_json(item)})


@router.post("/moderate/{event_id}/contributions/merge")
async def merge(request: Request, event_id: RowId) -> Response:
    await require_moderator(request, event_id)
    form = await checked_form(request)
    keep, duplicate = parse_id(form.get("keep")), parse_id(form.get("duplicate"))
    if keep is None or duplicate is None:
        raise NotFound("unknown_contribution")
    item = await moderation.merge(runtime(request), event_id, keep, duplicate)
    return _done(request, event_id, {"contribution": item_json(item)})


@router.post("/moderate/{event_id}/contributions/{contribution_id}/ban")
async def ban(request: Request, event_id: RowId, contribution_id: RowId) -> Response:
    await require_moderator(request, event_id)
    await checked_form(request)
    rejected = await moderation.ban_author(runtime(request), event_id, contribution_id)
    return _done(request, event_id, {"rejected": rejected})


@router.post("/moderate/{event_id}/contributions/{contribution_id}/delete")
async def remove(request: Request, event_id: RowId, contribution_id: RowId) -> Response:
    await require_moderator(request, event_id)
    await checked_form(request)
    await moderation.remove(runtime(request), event_id, contribution_id)
    return _done(request, event_id, {})


@router.post("/moderate/{event_id}/contributions/settings")
async def settings(request: Request, event_id: RowId) -> Response:
    """Open or close, pre or post moderation, panelists, the event's blocklist edits
    (one entry per line), what the screen shows, whether it shows the number of
    participants (`screen_participants` "1" or "0"). Fields left out stay as they are."""
    await require_moderator(request, event_id)
    form = await checked_form(request)

    def lines(name: str) -> list[str] | None:
        return form[name].splitlines() if name in form else None

    await moderation.configure(
        runtime(request),
        event_id,
        contributions_open=(form["open"] == "1") if "open" in form else None,
        moderation=form.get("moderation"),
        panelists=lines("panelists"),
        blocked_words=lines("blocked_words"),
        allowed_words=lines("allowed_words"),
        screen_mode=form.get("screen_mode"),
        screen_shows_participants=(
            (form["screen_participants"] == "1") if "screen_participants" in form else None
        ),
    )
    return _done(request, event_id, {})


@router.get("/api/v1/events/{event_id}/contributions", tags=["moderators"])
async def moderator_list(request: Request, event_id: RowId) -> Response:
    """Every contribution of the event with its state and upvotes (moderators)."""
    await require_moderator(request, event_id)
    items = await contributions.all_items(runtime(request), event_id)
    return JSONResponse(
        {
            "contributions": [
                {
                    **item_json(i),
                    "original_text": i.original_text,
                    "merged_into_id": i.merged_into_id,
                }
                for i in items
            ]
        }
    )
