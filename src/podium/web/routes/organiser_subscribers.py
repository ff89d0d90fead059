"""A series' subscribers for its organisers: who is in which state for what, the
confirmed ones and the consent log as CSV (the log for a data-protection officer,
with the consent texts it refers to), deleting a subscriber with their log on
request, and the consent text editor (every save a new version)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import Request
from starlette.responses import Response

from podium import i18n
from podium.domain.codes import slugify
from podium.domain.errors import RuleViolation
from podium.i18n import gettext as _
from podium.reports.tables import Cell, Table, csv_chunks
from podium.services import catalog
from podium.services.consent_texts import consent_versions, current_consent, save_consent
from podium.services.subscriber_admin import (
    SubscriberRow,
    audience,
    confirmed,
    consent_log,
    delete_subscriber,
    get_subscriber,
)
from podium.store.tables import Series
from podium.web.auth import checked_form
from podium.web.deps import render, runtime
from podium.web.routes.organiser_forms import (
    FormState,
    local_time,
    organiser_router,
    parse_id,
    see_other,
)

router = organiser_router()
CSV = "text/csv; charset=utf-8"


def state_name(state: str) -> str:
    return {
        "pending": _("Not yet confirmed"),
        "confirmed": _("Confirmed"),
        "withdrawn": _("Unsubscribed"),
    }.get(state, state)


def scope_text(whole_series: bool, events: Iterable[str]) -> str:
    return _("Whole series") if whole_series else " | ".join(events)


def _csv(table: Table, series: Series, name: str) -> Response:
    body = "".join(csv_chunks(table, i18n.current_lang.get())).encode()
    return Response(
        body,
        media_type=CSV,
        headers={
            "Content-Disposition": f'attachment; filename="{series.slug}-{slugify(name)}.csv"',
            "Cache-Control": "private, no-store",  # personal data
        },
    )


async def _page(
    request: Request, series: Series, form: FormState | None = None, status: int = 200
) -> Response:
    rt = runtime(request)
    current = await current_consent(rt, series.id)
    if form is None:
        form = FormState("consent", {"text_de": current.text_de, "text_en": current.text_en})
    return render(
        request,
        "organiser/subscribers.html",
        status,
        series=series,
        audience=await audience(rt, series.id),
        versions=await consent_versions(rt, series.id),
        form=form,
        state_name=state_name,
        scope_text=scope_text,
        local_time=local_time,
    )


@router.get("/admin/series/{series_id}/subscribers")
async def subscribers_page(request: Request, series_id: str) -> Response:
    series = await catalog.get_series(runtime(request), parse_id(series_id))
    return await _page(request, series)


@router.post("/admin/series/{series_id}/consent")
async def save_consent_text(request: Request, series_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    form = await checked_form(request)
    user = getattr(request.state, "user", None)
    try:
        await save_consent(
            rt,
            series.id,
            form.get("text_de", ""),
            form.get("text_en", ""),
            user.id if user is not None else None,
        )
    except RuleViolation as exc:
        fields = ("text_de",) if exc.code == "consent_text_empty" else ("text_de", "text_en")
        failed = FormState.failed("consent", form, exc, fields=fields)
        return await _page(request, series, failed, exc.status)
    return see_other(f"/admin/series/{series.id}/subscribers#consent")


def _subscriber_rows(rows: Sequence[SubscriberRow]) -> Iterable[Sequence[Cell]]:
    for row in rows:
        yield (row.email, row.lang, scope_text(row.whole_series, row.events), row.confirmed_at)


@router.get("/admin/series/{series_id}/subscribers.csv")
async def subscribers_csv(request: Request, series_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    table = Table(
        title=_("Subscribers"),
        header=(_("E-mail address"), _("Language"), _("Invited to"), _("Confirmed at")),
        rows=_subscriber_rows(await confirmed(rt, series.id)),
    )
    return _csv(table, series, _("Subscribers"))


@router.get("/admin/series/{series_id}/consent-log.csv")
async def consent_log_csv(request: Request, series_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    entries = await consent_log(rt, series.id)
    actions = {
        "requested": _("requested"),
        "confirmed": _("confirmed"),
        "withdrawn": _("withdrawn"),
    }
    table = Table(
        title=_("Consent log"),
        header=(
            _("Entry"),
            _("Subscriber"),
            _("E-mail address"),
            _("Action"),
            _("At"),
            _("Consent text version"),
            _("Series"),
            _("Invited to"),
            _("Language"),
            _("IP address"),
        ),
        rows=(
            (
                e.id,
                e.subscriber_id,
                e.email,
                actions.get(e.action, e.action),
                e.at,
                e.consent_version,
                str(e.scope.get("series", "")),
                scope_text(
                    bool(e.scope.get("whole_series")),
                    (str(x.get("title", "")) for x in e.scope.get("events", [])),
                ),
                str(e.scope.get("lang", "")),
                e.ip or "",
            )
            for e in entries
        ),
    )
    return _csv(table, series, _("Consent log"))


@router.get("/admin/series/{series_id}/consent-texts.csv")
async def consent_texts_csv(request: Request, series_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    await current_consent(rt, series.id)  # the log may refer to version 1 before anyone saw it
    versions = sorted(await consent_versions(rt, series.id), key=lambda v: v.version)
    table = Table(
        title=_("Consent texts"),
        header=(_("Version"), _("Saved at"), _("Text (German)"), _("Text (English)")),
        rows=((v.version, v.created_at, v.text_de, v.text_en) for v in versions),
    )
    return _csv(table, series, _("Consent texts"))


@router.get("/admin/series/{series_id}/subscribers/{subscriber_id}/delete")
async def confirm_delete(request: Request, series_id: str, subscriber_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    row = await get_subscriber(rt, series.id, parse_id(subscriber_id))
    return render(
        request,
        "organiser/confirm_delete.html",
        heading=_("Delete the subscriber %(email)s?", email=row.email),
        consequences=_(
            "The address, its choice and its whole consent log are deleted for good. Export"
            " the consent log first if it must be kept as proof."
        ),
        action=f"/admin/series/{series.id}/subscribers/{row.id}/delete",
        button=_("Delete subscriber"),
        cancel_url=f"/admin/series/{series.id}/subscribers",
    )


@router.post("/admin/series/{series_id}/subscribers/{subscriber_id}/delete")
async def delete(request: Request, series_id: str, subscriber_id: str) -> Response:
    rt = runtime(request)
    series = await catalog.get_series(rt, parse_id(series_id))
    await checked_form(request)
    await delete_subscriber(rt, series.id, parse_id(subscriber_id))
    return see_other(f"/admin/series/{series.id}/subscribers")
