"""The organiser's overview, and events in and out as YAML files."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from podium.domain.errors import RuleViolation
from podium.services import catalog, event_io
from podium.store.tables import Event
from podium.web.auth import checked_form, creators_organisation, listed_organisation
from podium.web.deps import render, runtime
from podium.web.mail_mode import mail_mode
from podium.web.routes.organiser_forms import (
    FormState,
    local_time,
    organiser_router,
    parse_id,
    see_other,
)

router = organiser_router()

# An event definition is a few kilobytes; a cap keeps an upload from filling memory.
MAX_IMPORT_BYTES = 1024 * 1024


@router.get("/admin")
async def dashboard(request: Request) -> Response:
    rt = runtime(request)
    owner = await listed_organisation(request)
    # in display order: by date, then position
    events = await catalog.list_events(rt, organisation_id=owner)
    by_series: dict[int | None, list[Event]] = {}
    for event in events:
        by_series.setdefault(event.series_id, []).append(event)
    return render(
        request,
        "organiser/dashboard.html",
        series_list=await catalog.list_series(rt, organisation_id=owner),
        by_series=by_series,
        local_time=local_time,
        mail_mode=await mail_mode(rt),
    )


@router.get("/admin/import")
async def import_page(request: Request) -> Response:
    return render(request, "organiser/import.html", form=FormState("import"))


async def _uploaded_text(request: Request) -> str:
    form = await request.form()  # already parsed by checked_form; Starlette caches it
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise RuleViolation("no_file")
    data = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise RuleViolation("file_too_large", max=MAX_IMPORT_BYTES // 1024)
    try:
        return data.decode("utf-8-sig")  # editors on Windows like to start with a BOM
    except UnicodeDecodeError:
        raise RuleViolation("file_not_text") from None


@router.post("/admin/import")
async def import_event(request: Request) -> Response:
    await checked_form(request)
    try:
        event = await event_io.import_event(
            runtime(request), await _uploaded_text(request), await creators_organisation(request)
        )
    except RuleViolation as exc:
        failed = FormState.failed("import", {}, exc, fields=["file"])
        return render(request, "organiser/import.html", exc.status, form=failed)
    return see_other(f"/admin/events/{event.id}")


@router.get("/admin/events/{event_id}/export.yaml")
async def export_event(request: Request, event_id: str) -> Response:
    rt = runtime(request)
    event = await catalog.get_event(rt, parse_id(event_id))
    text = await event_io.export_event(rt, event.id)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        # The slug is ASCII letters, digits and hyphens: safe in the header as it is.
        headers={"Content-Disposition": f'attachment; filename="{event.slug}.yaml"'},
    )
