"""Log in and out; choose the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from podium.i18n import LANG_COOKIE, LANGUAGES
from podium.services.accounts import authenticate
from podium.web.auth import checked_form
from podium.web.deps import render, runtime
from podium.web.messages import message

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


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    email = form.get("email", "")
    target = _safe_next(form.get("next"))
    user = await authenticate(runtime(request), email, form.get("password", ""))
    if user is None:
        return render(
            request, "login.html", 400, next=target, error=message("bad_login"), email=email
        )
    if user.role != "organiser" and target.startswith("/admin"):
        target = "/moderate"  # moderators run events; the organiser pages are not theirs
    csrf = request.session.get("csrf")
    request.session.clear()  # a fresh session on login: no fixation
    request.session["user_id"] = user.id
    if csrf:
        request.session["csrf"] = csrf
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
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
