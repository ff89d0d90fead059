"""The API's documentation at /api/docs: Swagger UI from podium's own static files,
started by a module (no inline script), so that it runs under the same
Content-Security-Policy as every page and makes no third-party request."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.web.deps import render

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
async def api_docs(request: Request) -> Response:
    return render(request, "api_docs.html", openapi_url=request.app.openapi_url)
