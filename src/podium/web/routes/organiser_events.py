"""Events: the event page, create, edit, move, delete after confirmation, and a new
presenter link."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TypedDict

from fastapi import Request
from starlette.responses import Response

from podium.domain.errors import RuleViolation
from podium.domain.frame_origins import parse_origins
from podium.domain.participant_token import check_access_code
from podium.i18n import gettext as _
from podium.services import accounts, catalog
from podium.services.access_codes import set_access_code
from podium.services.frame_origins import event_frame_origins, set_event_frame_origins
from podium.store.tables import Event
from podium.web.auth import checked_form, creators_organisation, listed_organisation
from podium.web.deps import render, runtime
from podium.web.routes.organiser_forms import (
    FormState,
    local_input,
    local_time,
    organiser_router,
    parse_direction,
    parse_id,
    parse_local_time,
    parse_series_choice,
    see_other,
)
from podium.web.routes.organiser_question_form import KINDS, NEW_QUESTION, settings_summary

router = organiser_router()


async def event_page(
    request: Request,
    event_id: int,
    question_form: FormState | None = None,
    moderator_form: FormState | None = None,
    status: int = 200,
) -> Response:
    """The event page; the questions and moderators modules show it again, with
    their form's message, when a POST fails."""
    rt = runtime(request)
    event = await catalog.get_event(rt, event_id)
    base = rt.settings.base_url.rstrip("/")
    return render(
        request,
        "organiser/event.html",
        status,
        event=event,
        moderators=await accounts.list_moderators(rt, event.id),
        question_form=question_form or FormState("new-question", NEW_QUESTION),
        moderator_form=moderator_form or FormState("moderator"),
        kinds=KINDS,
        participant_url=f"{base}/p/{event.join_code}",
        presenter_url=f"{base}/present/{event.presenter_token}",
        local_time=local_time,
        summary=settings_summary,
    )


async def _form_page(
    request: Request, event: Event | None, form: FormState, status: int = 200
) -> Response:
    return render(
        request,
        "organiser/event_form.html",
        status,
        event=event,
        form=form,
        series_list=await catalog.list_series(
            runtime(request), organisation_id=await listed_organisation(request)
        ),
    )


class EventFields(TypedDict):
    title: str
    series_id: int | None
    description: str
    format: str
    starts_at: datetime | None
    language: str
    public: bool
    join_link_public: bool
    cancelled: bool


def _fields(form: Mapping[str, str]) -> EventFields:
    """The form's fields as the catalog takes them; a bad date raises bad_date."""
    return EventFields(
        title=form.get("title", ""),
        series_id=parse_series_choice(form.get("series_id", "")),
        description=form.get("description", ""),
        format=form.get("format", ""),
        starts_at=parse_local_time(form.get("starts_at", "")),
        language=form.get("language", ""),
        public=form.get("public") == "1",
        join_link_public=form.get("join_link_public") == "1",
        cancelled=form.get("cancelled") == "1",
    )


# The origins that may frame the presenter view (domain/frame_origins.py): one field
# of its own, checked before anything is stored.
FRAME_FIELD = "frame_ancestors"


def _frame_origins(form: Mapping[str, str]) -> list[str]:
    return parse_origins(form.get(FRAME_FIELD, ""))


def _failed(form: Mapping[str, str], exc: RuleViolation, frame_field: bool = False) -> FormState:
    return FormState.failed("event", form, exc, (FRAME_FIELD,) if frame_field else None)


@router.get("/admin/events/new")
async def new_event(request: Request, series: str = "") -> Response:
    values = {
        "series_id": series if series.isascii() and series.isdigit() else "",
        "language": request.state.lang,
    }
    return await _form_page(request, None, FormState("event", values))


@router.post("/admin/events/new")
async def create_event(request: Request) -> Response:
    form = await checked_form(request)
    origins, refused, status = _extras(form)
    if refused is not None:
        return await _form_page(request, None, refused, status)
    try:
        event = await catalog.create_event(
            runtime(request), **_fields(form), organisation_id=await creators_organisation(request)
        )
    except RuleViolation as exc:
        return await _form_page(request, None, FormState.failed("event", form, exc), exc.status)
    await set_access_code(runtime(request), event.id, form.get("access_code"))
    if origins:
        await set_event_frame_origins(runtime(request), event.id, origins)
    return see_other(f"/admin/events/{event.id}")


def _extras(form: Mapping[str, str]) -> tuple[list[str], FormState | None, int]:
    """The fields saved beside the event's own (access code, framing origins): the
    origins when both are right, else the form marking the one that is not, and its
    status."""
    try:
        check_access_code(form.get("access_code"))
    except RuleViolation as exc:
        return [], FormState.failed("event", form, exc, {"access_code"}), exc.status
    try:
        return _frame_origins(form), None, 200
    except RuleViolation as exc:
        return [], _failed(form, exc, frame_field=True), exc.status


@router.get("/admin/events/{event_id}")
async def show_event(request: Request, event_id: str) -> Response:
    return await event_page(request, parse_id(event_id))


@router.get("/admin/events/{event_id}/edit")
async def edit_event(request: Request, event_id: str) -> Response:
    event = await catalog.get_event(runtime(request), parse_id(event_id))
    values = {
        "title": event.title,
        "series_id": str(event.series_id or ""),
        "description": event.description,
        "format": event.format,
        "starts_at": local_input(event.starts_at),
        "language": event.language,
        "public": "1" if event.public else "",
        "join_link_public": "1" if event.join_link_public else "",
        "cancelled": "1" if event.cancelled else "",
        "access_code": event.access_code or "",
        FRAME_FIELD: "\n".join(await event_frame_origins(runtime(request), event.id)),
    }
    return await _form_page(request, event, FormState("event", values))


@router.post("/admin/events/{event_id}/edit")
async def update_event(request: Request, event_id: str) -> Response:
    rt = runtime(request)
    event = await catalog.get_event(rt, parse_id(event_id))
    form = await checked_form(request)
    origins, refused, status = _extras(form)
    if refused is not None:
        return await _form_page(request, event, refused, status)
    try:
        await catalog.update_event(rt, event.id, **_fields(form))
    except RuleViolation as exc:
        return await _form_page(request, event, FormState.failed("event", form, exc), exc.status)
    await set_access_code(rt, event.id, form.get("access_code"))
    await set_event_frame_origins(rt, event.id, origins)
    return see_other(f"/admin/events/{event.id}")


@router.post("/admin/events/{event_id}/move")
async def move_event(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    await catalog.move_event(runtime(request), ident, parse_direction(form.get("direction", "")))
    return see_other(f"/admin#event-{ident}")


@router.post("/admin/events/{event_id}/presenter-link")
async def renew_presenter_link(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    await checked_form(request)
    await catalog.new_presenter_token(runtime(request), ident)
    return see_other(f"/admin/events/{ident}#links")


@router.get("/admin/events/{event_id}/delete")
async def confirm_delete_event(request: Request, event_id: str) -> Response:
    event = await catalog.get_event(runtime(request), parse_id(event_id))
    return render(
        request,
        "organiser/confirm_delete.html",
        heading=_("Delete the event “%(title)s”?", title=event.title),
        consequences=_(
            "Its questions and every answer given to them are deleted too. This cannot be undone."
        ),
        action=f"/admin/events/{event.id}/delete",
        button=_("Delete event"),
        cancel_url=f"/admin/events/{event.id}",
    )


@router.post("/admin/events/{event_id}/delete")
async def delete_event(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    await checked_form(request)
    await catalog.delete_event(runtime(request), ident)
    return see_other("/admin")
