"""The organiser's web UI under /admin: series, events, questions, moderators, YAML.

Each part lives in its own organiser_*.py module; this one joins their routers.
Every one of them requires an organiser (see organiser_forms.organiser_router)."""

from __future__ import annotations

from fastapi import APIRouter

from podium.web.routes import (
    admin_accounts,
    organiser_dashboard,
    organiser_event_data,
    organiser_events,
    organiser_invitations,
    organiser_moderators,
    organiser_questions,
    organiser_series,
    organiser_series_results,
    organiser_subscribers,
)

router = APIRouter(include_in_schema=False)
# Within a module, fixed paths (/admin/events/new) are declared before the
# /admin/events/{event_id} that would otherwise take "new" for an id.
for part in (
    organiser_dashboard,
    organiser_series,
    organiser_series_results,
    organiser_subscribers,
    organiser_events,
    organiser_event_data,
    organiser_invitations,
    organiser_questions,
    organiser_moderators,
    admin_accounts,  # administrators only (its own router dependency)
):
    router.include_router(part.router)
router.include_router(admin_accounts.public)  # a link's holder sets their password
