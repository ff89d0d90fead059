"""The API for the published results: publish under a new secret link, see it, revoke it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from podium.domain.publication import Publication
from podium.services import publication
from podium.services.publication import Published
from podium.store.tables import Event
from podium.web.api_models import PublicationIn, PublicationOut
from podium.web.deps import runtime
from podium.web.routes.api_common import errors, organised_event, organised_event_csrf

router = APIRouter(tags=["organiser"])


def publication_out(request: Request, found: Published | None) -> PublicationOut:
    if found is None:
        return PublicationOut(published=False, url=None)
    base = runtime(request).settings.base_url.rstrip("/")
    chosen = found.publication
    return PublicationOut(
        published=True,
        url=f"{base}/r/{found.token}",
        questions=None if chosen.questions is None else list(chosen.questions),
        include_texts=chosen.include_texts,
        include_contributions=chosen.include_contributions,
    )


@router.get("/events/{ref}/publication", responses=errors(401, 403, 404, 422))
async def get_publication(
    request: Request, found: Annotated[Event, Depends(organised_event)]
) -> PublicationOut:
    """Whether the event's results are published, at which link, with which options."""
    return publication_out(request, await publication.publication(runtime(request), found.id))


@router.post("/events/{ref}/publication", responses=errors(401, 403, 404, 422))
async def publish_results(
    request: Request,
    wanted: PublicationIn,
    found: Annotated[Event, Depends(organised_event_csrf)],
) -> PublicationOut:
    """Publish the results read-only under a new secret link; a link published before
    stops working. Needs the `X-CSRF-Token` header. 422 `unknown_report_question` for
    a question that is not the event's."""
    made = await publication.publish(
        runtime(request),
        found.id,
        Publication(
            questions=None if wanted.questions is None else tuple(wanted.questions),
            include_texts=wanted.include_texts,
            include_contributions=wanted.include_contributions,
        ),
    )
    return publication_out(request, made)


@router.delete("/events/{ref}/publication", responses=errors(401, 403, 404, 422))
async def unpublish_results(
    request: Request, found: Annotated[Event, Depends(organised_event_csrf)]
) -> PublicationOut:
    """Unpublish: the link answers 404 from now on, on every process. Needs the
    `X-CSRF-Token` header."""
    await publication.unpublish(runtime(request), found.id)
    return publication_out(request, None)
