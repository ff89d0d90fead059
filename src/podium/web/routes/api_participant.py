"""The API for participants: anonymous, by join code, with the participant cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.codes import normalise_join_code
from podium.domain.errors import NotFound, RuleViolation
from podium.domain.participant_token import TokenRefused, access_code_matches
from podium.domain.visibility import Audience, results_visible
from podium.services import participation
from podium.services.live_cache import LiveEvent
from podium.services.results import question_result
from podium.web.answer_reply import received, refused, refused_headers
from podium.web.api_models import AnswerIn, AnswerOut, JoinOut
from podium.web.deps import runtime
from podium.web.errors import error_response
from podium.web.legal_settings import PARTICIPANT_COOKIE_DAYS
from podium.web.participant_identity import access_cookie, identity
from podium.web.routes.api_common import errors
from podium.web.routes.api_convert import join_event_out, participant_question_out
from podium.web.routes.participant_lookup import client_host, find_event
from podium.web.security import ensure_participant_cookie, participant_token

router = APIRouter(tags=["participant"])


async def _event(request: Request, code: str) -> LiveEvent:
    normalised = normalise_join_code(code)
    if normalised is None:
        raise NotFound("bad_join_code")
    return await find_event(request, normalised)


def _admit(request: Request, event: LiveEvent, token: str | None) -> None:
    """Refused (403) unless the event needs no access code or this token was admitted."""
    if not identity(request.app).admitted(event, token, request.cookies):
        raise TokenRefused("access_code_required")


@router.get("/join/{code}", responses=errors(403, 404, 422, 429))
async def join_event(
    request: Request, response: Response, code: str, access_code: str | None = None
) -> JoinOut:
    """The event and its current question; results only while shown on devices.
    Sets the anonymous participant cookie `podium_p` on the first call (issued by the
    server and signed; a made-up one is replaced). An event with an access code
    needs it once, as `access_code`: then its admission cookie is set too."""
    event = await _event(request, code)
    rt = runtime(request)
    known = participant_token(request)
    entering = access_code is not None and bool(event.access_code)
    if not entering:
        _admit(request, event, known)  # before a token is issued for nothing
    token = ensure_participant_cookie(request, response, rt.settings.secure_cookies)
    if entering:
        _enter(request, response, event, token, access_code or "")
    response.headers["Cache-Control"] = "no-store"
    question = event.current
    if question is None:
        return JoinOut(event=join_event_out(event), question=None, your_answer=None)
    shown = results_visible(question, Audience.DEVICE)
    result = question_result(event, question.id) if shown else None
    answer = (
        None
        if known is None
        else await participation.current_answer(rt, event.id, known, question.id)
    )
    return JoinOut(
        event=join_event_out(event),
        question=participant_question_out(question, result),
        your_answer=answer,
    )


@router.post(
    "/join/{code}/answers", response_model=AnswerOut, responses=errors(403, 404, 409, 422, 429, 503)
)
async def submit_answer(
    request: Request, response: Response, code: str, body: AnswerIn
) -> AnswerOut | Response:
    """Answer a question of the event. Stored durably before the reply; a bad
    answer stores nothing. Sets the participant cookie if it is missing."""
    event = await _event(request, code)
    rt = runtime(request)
    _admit(request, event, participant_token(request))  # before a token is issued for nothing
    token = ensure_participant_cookie(
        request, response, rt.settings.secure_cookies, replace_invalid=False
    )
    try:
        submitted = await participation.submit_answer(
            rt, event, token, body.question_id, body.value, body.answer_id
        )
    except RuleViolation as exc:
        said = refused(exc)
        refusal = error_response(
            request, exc.status, said["error"], said["message"], refused_headers(exc)
        )
        for value in response.headers.getlist("set-cookie"):
            refusal.headers.append("set-cookie", value)
        return refusal
    return AnswerOut(**received(submitted))


def _enter(request: Request, response: Response, event: LiveEvent, token: str, typed: str) -> None:
    """The access code given with the join: right, the admission cookie is set; wrong,
    it counts like a wrong join code and is refused."""
    who = identity(request.app)
    host = client_host(request)
    who.check_lookup(host)
    if not access_code_matches(event.access_code or "", typed):
        who.lookup_failed(host)
        raise TokenRefused("wrong_access_code")
    response.set_cookie(
        access_cookie(event.id),
        who.admission(event, token),
        max_age=PARTICIPANT_COOKIE_DAYS * 24 * 60 * 60,
        httponly=True,
        samesite="lax",
        secure=runtime(request).settings.secure_cookies,
    )
