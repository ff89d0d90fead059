"""Questions of an event: add (on the event page), edit, move, delete after confirmation."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from podium.domain.errors import RuleViolation
from podium.i18n import gettext as _
from podium.services import catalog
from podium.store.tables import Question
from podium.web.auth import checked_form
from podium.web.deps import render, runtime
from podium.web.routes.organiser_events import event_page
from podium.web.routes.organiser_forms import (
    FormState,
    organiser_router,
    parse_direction,
    parse_id,
    see_other,
)
from podium.web.routes.organiser_question_form import (
    KINDS,
    question_input,
    question_values,
    resubmitted,
)

router = organiser_router()


def _anchor(question: Question) -> str:
    return f"/admin/events/{question.event_id}#question-{question.id}"


@router.post("/admin/events/{event_id}/questions")
async def add_question(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    try:
        question = await catalog.add_question(runtime(request), ident, question_input(form))
    except RuleViolation as exc:
        failed = FormState.failed("new-question", resubmitted(form), exc)
        return await event_page(request, ident, question_form=failed, status=exc.status)
    return see_other(_anchor(question))


def _form_page(
    request: Request, question: Question, form: FormState, status: int = 200
) -> Response:
    return render(
        request, "organiser/question_form.html", status, question=question, form=form, kinds=KINDS
    )


@router.get("/admin/questions/{question_id}/edit")
async def edit_question(request: Request, question_id: str) -> Response:
    question = await catalog.get_question(runtime(request), parse_id(question_id))
    return _form_page(request, question, FormState("question", question_values(question)))


@router.post("/admin/questions/{question_id}/edit")
async def update_question(request: Request, question_id: str) -> Response:
    rt = runtime(request)
    question = await catalog.get_question(rt, parse_id(question_id))
    form = await checked_form(request)
    try:
        await catalog.update_question(rt, question.id, question_input(form))
    except RuleViolation as exc:
        failed = FormState.failed("question", resubmitted(form), exc)
        return _form_page(request, question, failed, exc.status)
    return see_other(_anchor(question))


@router.post("/admin/questions/{question_id}/move")
async def move_question(request: Request, question_id: str) -> Response:
    rt = runtime(request)
    question = await catalog.get_question(rt, parse_id(question_id))
    form = await checked_form(request)
    await catalog.move_question(rt, question.id, parse_direction(form.get("direction", "")))
    return see_other(_anchor(question))


@router.get("/admin/questions/{question_id}/delete")
async def confirm_delete_question(request: Request, question_id: str) -> Response:
    question = await catalog.get_question(runtime(request), parse_id(question_id))
    return render(
        request,
        "organiser/confirm_delete.html",
        heading=_("Delete the question “%(title)s”?", title=question.title),
        consequences=_("Every answer given to it is deleted too. This cannot be undone."),
        action=f"/admin/questions/{question.id}/delete",
        button=_("Delete question"),
        cancel_url=_anchor(question),
    )


@router.post("/admin/questions/{question_id}/delete")
async def delete_question(request: Request, question_id: str) -> Response:
    rt = runtime(request)
    question = await catalog.get_question(rt, parse_id(question_id))
    await checked_form(request)
    await catalog.delete_question(rt, question.id)
    return see_other(f"/admin/events/{question.event_id}#questions")
