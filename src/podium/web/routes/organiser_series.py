"""Series: create, edit, move up and down, delete after confirmation."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from podium.domain.errors import RuleViolation
from podium.i18n import gettext as _
from podium.services import catalog
from podium.services.series_page import series_page, series_slug_of
from podium.store.tables import Series
from podium.web.auth import checked_form, creators_organisation
from podium.web.deps import render, runtime
from podium.web.routes.organiser_forms import (
    FormState,
    organiser_router,
    parse_direction,
    parse_id,
    see_other,
)
from podium.web.routes.public_series import event_response, page_language, series_response
from podium.web.signup_form import signup_form

router = organiser_router()


def _form_page(
    request: Request, series: Series | None, form: FormState, status: int = 200
) -> Response:
    return render(request, "organiser/series_form.html", status, series=series, form=form)


@router.get("/admin/series/new")
async def new_series(request: Request) -> Response:
    return _form_page(request, None, FormState("series"))


@router.post("/admin/series/new")
async def create_series(request: Request) -> Response:
    form = await checked_form(request)
    try:
        series = await catalog.create_series(
            runtime(request),
            form.get("title", ""),
            form.get("description", ""),
            public=form.get("public") == "1",
            organisation_id=await creators_organisation(request),
        )
    except RuleViolation as exc:
        return _form_page(request, None, FormState.failed("series", form, exc), exc.status)
    return see_other(f"/admin#series-{series.id}")


@router.get("/admin/series/{series_id}/edit")
async def edit_series(request: Request, series_id: str) -> Response:
    series = await catalog.get_series(runtime(request), parse_id(series_id))
    values = {
        "title": series.title,
        "description": series.description,
        "public": "1" if series.public else "",
    }
    return _form_page(request, series, FormState("series", values))


@router.post("/admin/series/{series_id}/edit")
async def update_series(request: Request, series_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    form = await checked_form(request)
    try:
        await catalog.update_series(
            rt,
            series.id,
            form.get("title", ""),
            form.get("description", ""),
            public=form.get("public") == "1",
        )
    except RuleViolation as exc:
        return _form_page(request, series, FormState.failed("series", form, exc), exc.status)
    return see_other(f"/admin#series-{series.id}")


@router.post("/admin/series/{series_id}/move")
async def move_series(request: Request, series_id: str) -> Response:
    ident = parse_id(series_id)
    form = await checked_form(request)
    await catalog.move_series(runtime(request), ident, parse_direction(form.get("direction", "")))
    return see_other(f"/admin#series-{ident}")


@router.get("/admin/series/{series_id}/delete")
async def confirm_delete_series(request: Request, series_id: str) -> Response:
    series = await catalog.get_series(runtime(request), parse_id(series_id))
    return render(
        request,
        "organiser/confirm_delete.html",
        heading=_("Delete the series “%(title)s”?", title=series.title),
        consequences=_("Its events are kept and listed as events without a series."),
        action=f"/admin/series/{series.id}/delete",
        button=_("Delete series"),
        cancel_url=f"/admin#series-{series.id}",
    )


@router.post("/admin/series/{series_id}/delete")
async def delete_series(request: Request, series_id: str) -> Response:
    ident = parse_id(series_id)
    await checked_form(request)
    await catalog.delete_series(runtime(request), ident)
    return see_other("/admin")


@router.get("/admin/series/{series_id}/preview")
async def preview_series(request: Request, series_id: str) -> Response:
    """The series page as the public sees it (once public), before it is."""
    rt = runtime(request)
    ident = parse_id(series_id)
    page = await series_page(rt, await series_slug_of(rt, ident), preview=True)
    # the sign-up form as the public will see it (it takes sign-ups once public)
    signup = await signup_form(rt, page, page_language(request), preview=True)
    return series_response(request, page, preview_of=ident, signup=signup)


@router.get("/admin/series/{series_id}/preview/{event_slug}")
async def preview_event(request: Request, series_id: str, event_slug: str) -> Response:
    rt = runtime(request)
    ident = parse_id(series_id)
    page = await series_page(rt, await series_slug_of(rt, ident), preview=True)
    return event_response(request, page, page.event(event_slug), preview_of=ident)
