"""The moderators' page for one word cloud: merge two words, hide one, undo, and the
audit trail of every change. Plain forms with the session's CSRF token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from podium.domain.codes import parse_id
from podium.domain.errors import NotFound
from podium.domain.tally import WordsResult
from podium.domain.word_edits import EditAction
from podium.services import word_edits
from podium.web.auth import checked_form, require_moderator
from podium.web.deps import RowId, render, runtime
from podium.web.security import csrf_token

router = APIRouter(include_in_schema=False)


@router.get("/moderate/{event_id}/words/{question_id}")
async def words_page(request: Request, event_id: RowId, question_id: RowId) -> Response:
    await require_moderator(request, event_id)
    rt = runtime(request)
    event = await rt.live.get(event_id)
    question = event.questions.get(question_id) if event else None
    if event is None or question is None:
        raise NotFound("unknown_question")
    result = event.tallies[question_id].result()
    if not isinstance(result, WordsResult):
        raise NotFound("unknown_question")
    return render(
        request,
        "moderator/words.html",
        event=event,
        question=question,
        result=result,
        history=await word_edits.history(rt, question_id),
        csrf=csrf_token(request),
    )


@router.post("/moderate/{event_id}/words/{question_id}")
async def words_edit(request: Request, event_id: RowId, question_id: RowId) -> Response:
    user = await require_moderator(request, event_id)
    form = await checked_form(request)
    rt = runtime(request)
    action = form.get("action", "")
    if action == EditAction.MERGE:
        await word_edits.merge(
            rt, event_id, question_id, form.get("key", ""), form.get("into", ""), user.id
        )
    elif action == EditAction.HIDE:
        await word_edits.hide(rt, event_id, question_id, form.get("key", ""), user.id)
    elif action == "undo":
        edit_id = parse_id(form.get("edit_id"))
        if edit_id is None:
            raise NotFound("not_found")
        await word_edits.undo(rt, event_id, question_id, edit_id, user.id)
    else:
        raise NotFound("not_found")
    return RedirectResponse(f"/moderate/{event_id}/words/{question_id}", status_code=303)
