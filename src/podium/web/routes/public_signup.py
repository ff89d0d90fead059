"""Sign-up on a series' public page, the confirmation link, and unsubscribing.

Public pages (web/public_page.py): no cookie comes in or goes out, so there is no
session and no CSRF token. None is needed: nothing here acts on a visitor's
standing (there is none). The sign-up and the confirmation are same-origin
posts (web/security.py checks the Origin); the unsubscribe address holds its own
secret key, and RFC 8058 has mail clients post to it from anywhere, so it is exempt
from the Origin check. A GET never changes anything: mail scanners open links.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from podium.domain.codes import parse_id
from podium.domain.errors import NotFound, RuleViolation
from podium.domain.subscription import SlidingWindow, TooMany, is_bot
from podium.mail.confirmation import confirmation_draft
from podium.services.series_page import series_page
from podium.services.subscription_ends import unsubscribe
from podium.services.subscriptions import confirm, sign_up
from podium.web.deps import render, runtime
from podium.web.messages import message
from podium.web.routes.public_series import event_response, page_language, series_response
from podium.web.signup_form import Typed, signup_form

router = APIRouter(include_in_schema=False)


def limiter(request: Request) -> SlidingWindow:
    """The sign-ups per client address of this process (made on first use)."""
    state = request.app.state
    found: SlidingWindow | None = getattr(state, "signup_limiter", None)
    if found is None:
        found = state.signup_limiter = SlidingWindow(runtime(request).settings.signup_per_hour)
    return found


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _text(form: object, name: str) -> str:
    value = form.get(name)  # type: ignore[attr-defined]
    return value if isinstance(value, str) else ""


def _typed(form: object) -> tuple[Typed, list[int] | None, int | None]:
    """What was sent, the event ids (None: one is not an id), the consent version."""
    raw = [v for v in form.getlist("events") if isinstance(v, str)]  # type: ignore[attr-defined]
    ids = [parse_id(v) for v in raw]
    chosen = [i for i in ids if i is not None]
    version = parse_id(_text(form, "consent_version"))
    typed = Typed(
        email=_text(form, "email")[:1000],  # shown again; longer is refused anyway
        whole_series=_text(form, "scope") != "events",
        chosen=frozenset(chosen),
        consent_given=_text(form, "consent") == "1",
    )
    return typed, (chosen if len(chosen) == len(ids) else None), version


@router.get("/s/{slug}/signup")
async def signup_get(request: Request, slug: str) -> Response:
    """The language links of the page after a sign-up lead back to the form; an event
    whose slug happens to be "signup" keeps its page."""
    lang = page_language(request)
    page = await series_page(runtime(request), slug)
    try:
        event = page.event("signup")
    except NotFound:
        return RedirectResponse(f"/s/{slug}?lang={lang}#signup", status_code=303)
    return event_response(request, page, event)


@router.post("/s/{slug}/signup")
async def signup_post(request: Request, slug: str) -> Response:
    rt = runtime(request)
    lang = page_language(request)
    page = await series_page(rt, slug)
    form = await request.form()
    typed, event_ids, version = _typed(form)

    async def again(exc: RuleViolation, headers: dict[str, str] | None = None) -> Response:
        signup = await signup_form(rt, page, lang, typed, exc)
        response = series_response(request, page, signup=signup, status_code=exc.status)
        response.headers.update(headers or {})
        return response

    try:
        limiter(request).check(client_address(request))
    except TooMany as exc:
        return await again(exc, {"retry-after": str(exc.retry_after)})
    if is_bot(_text(form, "website")):
        return _sent(request, page.slug, page.title)  # the same answer; nothing stored
    try:
        await sign_up(
            rt,
            slug,
            email=typed.email,
            lang=lang,
            whole_series=typed.whole_series,
            event_ids=event_ids if event_ids is not None else [0],
            consent_version=version,
            consent_given=typed.consent_given,
            ip=client_address(request),
            compose=partial(confirmation_draft, rt.settings),
        )
    except NotFound:
        raise
    except RuleViolation as exc:
        if exc.code == "signup_closed":
            raise
        return await again(exc)
    return _sent(request, page.slug, page.title)


def _sent(request: Request, slug: str, title: str) -> Response:
    """The same page whether the address was new, known, throttled or a bot's."""
    return render(
        request,
        "series/signup_sent.html",
        slug=slug,
        series_title=title,
        hours=runtime(request).settings.confirm_hours,
    )


def _problem(request: Request, slug: str, exc: RuleViolation) -> Response:
    return render(
        request,
        "series/signup_step.html",
        exc.status,
        step="problem",
        slug=slug,
        text=message(exc.code, exc.params),
    )


@router.get("/s/{slug}/confirm/{token}")
async def confirm_page(request: Request, slug: str, token: str) -> Response:
    page_language(request)
    return render(request, "series/signup_step.html", step="confirm", slug=slug, token=token)


@router.post("/s/{slug}/confirm/{token}")
async def confirm_post(request: Request, slug: str, token: str) -> Response:
    page_language(request)
    try:
        done = await confirm(runtime(request), slug, token, ip=client_address(request))
    except RuleViolation as exc:
        return _problem(request, slug, exc)
    return render(request, "series/signup_step.html", step="confirmed", slug=slug, done=done)


@router.get("/s/{slug}/unsubscribe/{key}")
async def unsubscribe_page(request: Request, slug: str, key: str) -> Response:
    page_language(request)
    return render(request, "series/signup_step.html", step="unsubscribe", slug=slug, key=key)


@router.post("/s/{slug}/unsubscribe/{key}")
async def unsubscribe_post(request: Request, slug: str, key: str) -> Response:
    """The page's button and a mail client's one-click (`List-Unsubscribe=One-Click`)
    alike: neither carries anything else that matters."""
    page_language(request)
    try:
        done = await unsubscribe(runtime(request), slug, key, ip=client_address(request))
    except RuleViolation as exc:
        return _problem(request, slug, exc)
    return render(request, "series/signup_step.html", step="unsubscribed", slug=slug, done=done)
