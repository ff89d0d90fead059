"""An event's invitations: the organiser writes subject and text (placeholders for the
event's details), previews the mail in German and English, sends a test mail to
themselves, then sends it to everyone who consented, after confirming the number;
the runs show their progress live (static/js/invitation_progress.js polls
progress.json). The day-before reminder is switched on here too.

Preview and test keep the organiser's text on the page (no redirect: it is not
saved anywhere yet); sending starts a run and redirects to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse, Response

from podium.domain.errors import RuleViolation
from podium.domain.invitation_text import MAX_SUBJECT, check_message, default_message
from podium.i18n import LANGUAGES
from podium.i18n import gettext as _
from podium.mail.invitation import composer, preview
from podium.services import invitation_audience, invitations, mail_runs
from podium.services.invitation_audience import InvitationEvent, Message
from podium.web.auth import checked_form
from podium.web.deps import current_user, render, runtime
from podium.web.mail_mode import mail_mode
from podium.web.messages import message
from podium.web.routes.organiser_forms import (
    FormState,
    local_time,
    organiser_router,
    parse_id,
    see_other,
)

router = organiser_router()

# Which field a refusal is about (the shared FIELDS_OF_CODE holds the catalog's).
FIELDS = {
    "empty_subject": ("subject",),
    "subject_line_break": ("subject",),
    "subject_too_long": ("subject",),
    "empty_mail_text": ("text",),
    "mail_text_too_long": ("text",),
    "unbalanced_brace": ("subject", "text"),
    "unknown_placeholder": ("subject", "text"),
    "join_link_not_public": ("subject", "text"),
}
# The mail's HTML part shown on its own: its inline styles, nothing else at all.
PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:"


def _failed(form: Mapping[str, str], exc: RuleViolation) -> FormState:
    return FormState.failed("invitation", form, exc, FIELDS.get(exc.code, ()))


async def _page(
    request: Request,
    event_id: int,
    form: FormState | None = None,
    status: int = 200,
    **extra: Any,
) -> Response:
    rt = runtime(request)
    event = await invitation_audience.event_for_mail(rt, event_id)
    if form is None:
        start = request.query_params.get("start")
        lang = start if start in LANGUAGES else event.language
        default = default_message("invitation", lang)
        form = FormState("invitation", {"subject": default.subject, "text": default.text})
    problem = await invitation_audience.send_problem(rt, event_id)
    runs = await invitations.list_runs(rt, event_id)
    progress = {run.id: await mail_runs.run_progress(rt, run.id) for run in runs}
    return render(
        request,
        "organiser/invitations.html",
        status,
        event=event,
        form=form,
        problem=message(problem) if problem else None,
        recipients=await invitation_audience.count_recipients(rt, event_id),
        runs=runs,
        progress=progress,
        local_time=local_time,
        max_subject=MAX_SUBJECT,
        progress_text=progress_text,
        mail_mode=await mail_mode(rt),
        **extra,
    )


def _values(form: Mapping[str, str]) -> dict[str, str]:
    return {"subject": form.get("subject", ""), "text": form.get("text", "")}


@router.get("/admin/events/{event_id}/invitations")
async def invitations_page(request: Request, event_id: str) -> Response:
    return await _page(request, parse_id(event_id))


def _message(event: InvitationEvent, form: Mapping[str, str], kind: str) -> Message:
    checked = check_message(
        form.get("subject", ""), form.get("text", ""), event.join_code is not None
    )
    return Message(kind, checked.subject, checked.text, event)


@router.post("/admin/events/{event_id}/invitations/preview")
async def preview_invitation(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    rt = runtime(request)
    event = await invitation_audience.event_for_mail(rt, ident)
    values = _values(form)
    try:
        mail = _message(event, form, "invitation")
    except RuleViolation as exc:
        return await _page(request, ident, _failed(values, exc), exc.status)
    base = rt.settings.base_url
    previews = [(lang, preview(base, mail, lang)) for lang in LANGUAGES]
    return await _page(request, ident, FormState("invitation", values), previews=previews)


@router.post("/admin/events/{event_id}/invitations/preview.html")
async def preview_html(request: Request, event_id: str) -> Response:
    """The HTML part alone, as a mail client shows it (opened in a new tab)."""
    ident = parse_id(event_id)
    form = await checked_form(request)
    rt = runtime(request)
    event = await invitation_audience.event_for_mail(rt, ident)
    lang = form.get("lang", "")
    if lang not in LANGUAGES:
        raise RuleViolation("unknown_language")
    try:
        mail = _message(event, form, "invitation")
    except RuleViolation as exc:
        return await _page(request, ident, _failed(_values(form), exc), exc.status)
    draft = preview(rt.settings.base_url, mail, lang)
    return Response(
        draft.html,
        media_type="text/html",
        headers={"content-security-policy": PREVIEW_CSP, "content-language": lang},
    )


@router.post("/admin/events/{event_id}/invitations/test")
async def send_test(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    rt = runtime(request)
    user = await current_user(request)
    assert user is not None  # the router's dependency signed them in
    values = _values(form)
    try:
        await invitations.send_test(
            rt,
            ident,
            values["subject"],
            values["text"],
            user.id,
            composer(rt),
            lang=request.state.lang,
        )
    except RuleViolation as exc:
        return await _page(request, ident, _failed(values, exc), exc.status)
    notice = _("A test mail to %(email)s is on its way.", email=user.email)
    return await _page(request, ident, FormState("invitation", values), notice=notice)


@router.post("/admin/events/{event_id}/invitations/send")
async def send_invitation(request: Request, event_id: str) -> Response:
    """Without `confirm`: the question with the number of recipients; with it: send."""
    ident = parse_id(event_id)
    form = await checked_form(request)
    rt = runtime(request)
    values = _values(form)
    event = await invitation_audience.event_for_mail(rt, ident)
    if form.get("confirm") != "1":
        try:
            _message(event, form, "invitation")
        except RuleViolation as exc:
            return await _page(request, ident, _failed(values, exc), exc.status)
        problem = await invitation_audience.send_problem(rt, ident)
        if problem:  # the page says why, next to the disabled button
            return await _page(request, ident, FormState("invitation", values), 409)
        count = await invitation_audience.count_recipients(rt, ident)
        if not count:
            nobody = FormState("invitation", values, error=message("no_recipients"))
            return await _page(request, ident, nobody, 409)
        return render(
            request,
            "organiser/invitation_confirm.html",
            event=event,
            values=values,
            recipients=count,
        )
    user = await current_user(request)
    assert user is not None
    try:
        run = await invitations.start_run(
            rt, ident, values["subject"], values["text"], user.id, composer(rt)
        )
    except RuleViolation as exc:
        return await _page(request, ident, _failed(values, exc), exc.status)
    return see_other(f"/admin/events/{ident}/invitations#run-{run.id}")


@router.post("/admin/events/{event_id}/invitations/reminder")
async def save_reminder(request: Request, event_id: str) -> Response:
    ident = parse_id(event_id)
    form = await checked_form(request)
    await invitation_audience.set_reminder(runtime(request), ident, form.get("reminder") == "1")
    return see_other(f"/admin/events/{ident}/invitations#reminder")


@router.get("/admin/events/{event_id}/invitations/progress.json")
async def progress(request: Request, event_id: str) -> Response:
    rt = runtime(request)
    ident = parse_id(event_id)
    await invitation_audience.event_for_mail(rt, ident)  # 404 for an unknown event
    runs = []
    for run in await invitations.list_runs(rt, ident):
        counts = await mail_runs.run_progress(rt, run.id)
        runs.append(
            {
                "id": run.id,
                "kind": run.kind,
                "recipients": run.recipients,
                "counts": counts,
                "done": counts["queued"] + counts["sending"] == 0,
                "summary": progress_text(counts),
            }
        )
    return JSONResponse({"runs": runs}, headers={"cache-control": "no-store"})


def progress_text(counts: Mapping[str, int]) -> str:
    """One line on a run's progress, in the organiser's language (page and JSON)."""
    text = _(
        "%(sent)s of %(total)s sent, %(waiting)s waiting",
        sent=counts["sent"],
        total=counts["total"],
        waiting=counts["queued"] + counts["sending"],
    )
    problems = counts["failed"] + counts["unknown"]
    if problems:
        text += ", " + _("%(count)s not delivered or unknown", count=problems)
    if counts["cancelled"]:
        text += ", " + _("%(count)s not sent (unsubscribed)", count=counts["cancelled"])
    return text
