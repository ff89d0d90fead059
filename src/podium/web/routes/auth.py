"""Log in and out; choose the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from podium.domain.login_throttle import LoginThrottle
from podium.i18n import LANG_COOKIE, LANGUAGES
from podium.services.accounts import authenticate, normalise_email
from podium.services.web_sessions import end_session, start_session
from podium.web.auth import checked_form
from podium.web.deps import render, runtime
from podium.web.messages import message
from podium.web.security import csrf_token
from podium.web.server_sessions import set_session_cookie

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never an open redirect.
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or urlsplit(target).netloc
    ):
        return "/admin"
    return target


@router.get("/login")
async def login_page(request: Request, next: str = "/admin") -> Response:
    return render(request, "login.html", next=_safe_next(next), error=None, email="")


def throttle(request: Request) -> LoginThrottle:
    """This process's count of failed sign-ins (domain/login_throttle)."""
    found: LoginThrottle = request.app.state.login_throttle
    return found


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    email = form.get("email", "")
    target = _safe_next(form.get("next"))
    account, address = normalise_email(email)[:254], client_address(request)
    # Before the hash: a refused attempt costs no argon2 (64 MiB) at all.
    wait = throttle(request).wait(account, address)
    if wait is not None:
        minutes = max(1, (wait + 59) // 60)
        page = render(
            request,
            "login.html",
            429,
            next=target,
            error=message("login_throttled", {"minutes": minutes}),
            email=email,
        )
        page.headers["retry-after"] = str(wait)
        return page
    user = await authenticate(runtime(request), email, form.get("password", ""))
    if user is None:
        # One answer for an unknown address, a wrong password and a deactivated
        # account: the page does not tell which addresses have accounts.
        throttle(request).failed(account, address)
        return render(
            request, "login.html", 400, next=target, error=message("bad_login"), email=email
        )
    throttle(request).succeeded(account)
    if user.role != "organiser" and target.startswith("/admin"):
        target = "/moderate"  # moderators run events; the organiser pages are not theirs
    previous = getattr(request.state, "web_session", None)
    csrf = csrf_token(request)  # the token the client holds keeps working
    if previous is not None:
        await end_session(runtime(request), previous.id)
    started = await start_session(runtime(request), user.id, csrf)  # a new id: no fixation
    set_session_cookie(request, started.secret)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    found = getattr(request.state, "web_session", None)
    if found is not None:
        await end_session(runtime(request), found.id)  # every process refuses it now
    set_session_cookie(request, None)
    return RedirectResponse("/", status_code=303)


@router.post("/lang")
async def choose_language(request: Request) -> Response:
    form = await request.form()
    lang = str(form.get("lang", ""))
    referer = urlsplit(request.headers.get("referer", ""))
    back = (
        referer.path if referer.path.startswith("/") and not referer.path.startswith("//") else "/"
    )
    if referer.query:
        back += "?" + referer.query
    response = RedirectResponse(back, status_code=303)
    if lang in LANGUAGES:
        secure = runtime(request).settings.secure_cookies
        response.set_cookie(
            LANG_COOKIE, lang, max_age=60 * 60 * 24 * 365, samesite="lax", secure=secure
        )
    return response
