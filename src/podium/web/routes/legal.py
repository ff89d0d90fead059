"""The imprint, the privacy notice and the accessibility statement (/legal/...).

Public pages like the series pages (web/public_page.py takes the cookies out): the
language follows `?lang=`, else the reader's browser, else the server's default;
nothing is remembered of the reader. What they state is decided in
domain/legal_facts.py from the server's actual settings; the wording is in
templates/legal/<language>/, one whole text per language (legal prose is reviewed
as a whole, not sentence by sentence in a catalog).
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.responses import Response

from podium import i18n
from podium.domain import legal_facts
from podium.web.deps import render, runtime
from podium.web.legal_settings import legal_settings
from podium.web.routes.public_series import page_language

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, **context: Any) -> Response:
    lang = page_language(request)
    response = render(request, f"legal/{lang}/{name}.html", **context)
    response.headers["content-language"] = lang
    return response


@router.get("/legal/imprint")
async def imprint(request: Request) -> Response:
    values = legal_settings(runtime(request).settings)
    return _page(request, "imprint", imprint=legal_facts.imprint(values))


@router.get("/legal/privacy")
async def privacy(request: Request) -> Response:
    values = legal_settings(runtime(request).settings)
    return _page(request, "privacy", privacy=legal_facts.privacy(values))


@router.get("/legal/accessibility")
async def accessibility(request: Request) -> Response:
    values = legal_settings(runtime(request).settings)
    statement = legal_facts.accessibility(values)
    page_language(request)  # the date in the page's language
    prepared = format_date(statement.prepared, "long", locale=i18n.locale())
    return _page(request, "accessibility", statement=statement, prepared=prepared)
