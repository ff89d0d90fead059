"""The API for participants: anonymous, by join code, with the participant cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from podium.domain.codes import normalise_join_code
from podium.domain.errors import NotFound, RuleViolation
from podium.domain.visibility import Audience, results_visible
from podium.services import participation
from podium.services.live_cache import LiveEvent
from podium.services.results import question_result
from podium.web.answer_reply import received, refused, refused_headers
from podium.web.api_models import AnswerIn, AnswerOut, JoinOut
from podium.web.deps import runtime
from podium.web.errors import error_response
from podium.web.routes.api_common import errors
from podium.web.routes.api_convert import join_event_out, participant_question_out
from podium.web.security import ensure_participant_cookie, participant_token

router = APIRouter(tags=["participant"])


async def _event(request: Request, code: str) -> LiveEvent:
    normalised = normalise_join_code(code)
    if normalised is None:
        raise NotFound("bad_join_code")
    event = await runtime(request).live.by_code(normalised)
    if event is None:
        raise NotFound("unknown_code")
    return event


@router.get("/join/{code}", responses=errors(404, 422))
async def join_event(request: Request, response: Response, code: str) -> JoinOut:
    """The event and its current question; results only while shown on devices.
    Sets the anonymous participant cookie `podium_p` on the first call."""
    event = await _event(request, code)
    rt = runtime(request)
    known = participant_token(request)
    ensure_participant_cookie(request, response, rt.settings.secure_cookies)
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


@router.post("/join/{code}/answers", response_model=AnswerOut, responses=errors(404, 409, 422, 503))
async def submit_answer(
    request: Request, response: Response, code: str, body: AnswerIn
) -> AnswerOut | Response:
    """Answer a question of the event. Stored durably before the reply; a bad
    answer stores nothing. Sets the participant cookie if it is missing."""
    event = await _event(request, code)
    rt = runtime(request)
    token = ensure_participant_cookie(request, response, rt.settings.secure_cookies)
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
