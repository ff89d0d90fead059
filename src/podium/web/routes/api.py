"""The JSON API under /api/v1, documented at /api/docs (OpenAPI: /api/v1/openapi.json).

Built from one module per audience: organisers (api_organiser), moderators
(api_live) and participants (api_participant). See docs/API.md.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from podium.web.routes import api_live, api_organiser, api_participant, api_publication


def operation_id(route: APIRoute) -> str:
    """Plain operation ids (get_event, submit_answer) for generated clients."""
    return route.name


router = APIRouter(prefix="/api/v1", generate_unique_id_function=operation_id)
for part in (api_organiser, api_publication, api_live, api_participant):
    router.include_router(part.router)
