"""A series' public page, a page per event, and their calendar files (ICS).

Nobody signs in here and nothing is remembered of the reader (web/public_page.py
takes the cookies out); the page speaks the language of `?lang=`, else the reader's
browser, else the server's default. The organiser's preview (web/routes/
organiser_series.py) renders the same pages before the series is public.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium import i18n
from podium.domain.series_page import ends_at
from podium.reports.calendar_ics import MEDIA_TYPE, CalendarEntry, calendar_file
from podium.services.series_page import PublicEvent, SeriesPage, series_page
from podium.web.deps import render, runtime, use_event_language
from podium.web.routes.organiser_forms import local_time
from podium.web.signup_form import SignupForm, signup_form

router = APIRouter(include_in_schema=False)


def page_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    lang = use_event_language(request, runtime(request).settings.default_language)
    if asked in i18n.LANGUAGES and asked != lang:
        request.state.lang = lang = asked
        i18n.current_lang.set(lang)
    return lang


def series_response(
    request: Request,
    page: SeriesPage,
    preview_of: int | None = None,
    signup: SignupForm | None = None,
    status_code: int = 200,
) -> Response:
    lang = page_language(request)
    response = render(
        request,
        "series/page.html",
        status_code,
        page=page,
        signup=signup,
        local_time=local_time,
        ends_at=ends_at,
        preview_of=preview_of,
    )
    response.headers["content-language"] = lang
    return response


def event_response(
    request: Request, page: SeriesPage, event: PublicEvent, preview_of: int | None = None
) -> Response:
    lang = page_language(request)
    base = runtime(request).settings.base_url.rstrip("/")
    response = render(
        request,
        "series/event.html",
        page=page,
        event=event,
        local_time=local_time,
        ends_at=ends_at,
        join_url=f"{base}/p/{event.join_code}" if event.join_code else None,
        preview_of=preview_of,
    )
    response.headers["content-language"] = lang
    return response


def calendar_response(request: Request, page: SeriesPage, events: list[PublicEvent]) -> Response:
    base = runtime(request).settings.base_url.rstrip("/")
    entries = [
        CalendarEntry(
            id=e.id,
            title=e.title,
            description=e.description,
            starts_at=e.starts_at,
            sequence=e.ics_sequence,
            cancelled=e.cancelled,
            url=f"{base}/s/{page.slug}/{e.slug}",
        )
        for e in events
        if e.starts_at is not None
    ]
    name = page.title if len(events) != 1 else events[0].title
    filename = page.slug if len(events) != 1 else events[0].slug
    return Response(
        calendar_file(entries, base, name),
        media_type=MEDIA_TYPE,
        headers={"content-disposition": f'attachment; filename="{filename}.ics"'},
    )


# The calendar routes first: "/s/{slug}" would take "name.ics" as a slug.
@router.get("/s/{slug}.ics")
async def series_calendar(request: Request, slug: str) -> Response:
    page = await series_page(runtime(request), slug)
    return calendar_response(request, page, page.events)


@router.get("/s/{slug}/{event_slug}.ics")
async def event_calendar(request: Request, slug: str, event_slug: str) -> Response:
    page = await series_page(runtime(request), slug)
    return calendar_response(request, page, [page.event(event_slug)])


@router.get("/s/{slug}")
async def public_series_page(request: Request, slug: str) -> Response:
    rt = runtime(request)
    page = await series_page(rt, slug)
    signup = await signup_form(rt, page, page_language(request))
    return series_response(request, page, signup=signup)


@router.get("/s/{slug}/{event_slug}")
async def public_event_page(request: Request, slug: str, event_slug: str) -> Response:
    page = await series_page(runtime(request), slug)
    return event_response(request, page, page.event(event_slug))
