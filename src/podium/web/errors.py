"""One error contract for the whole app: every error, a 500 included, is
`{"error": code, "message": text}` for API and script callers and the error page
for browsers, with the message in the caller's language.

Who is a script (`wants_json`): a path under /api/, an Accept header that names
JSON or an event stream (the page's own scripts ask for JSON, EventSource for a
stream), or a browser's `Sec-Fetch-Dest: empty` (fetch, XHR, EventSource; browsers
send it on https and localhost only, so the Accept rule carries plain HTTP).
Everything else, the browser's pages and no-script form posts, gets HTML.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from podium import i18n
from podium.domain.errors import RuleViolation
from podium.web.allowed_methods import allowed_methods
from podium.web.deps import render
from podium.web.messages import message

log = logging.getLogger(__name__)

# The codes of Starlette's and FastAPI's own HTTP errors (unknown path, wrong method)
HTTP_CODES = {
    400: "bad_request",
    401: "login_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "bad_request",
}


class LoginRequired(Exception):
    pass


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    if "application/json" in accept or "text/event-stream" in accept:
        return True
    return request.headers.get("sec-fetch-dest") == "empty"


# FastAPI's 400 for a JSON body that is no UTF-8 (its JSON syntax errors are 422).
FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"
# Fields whose schema repeats a domain rule (length, pattern): their refusal is the
# domain's, worded as the short path (web/hot_path.py) words it. A wrong type stays
# a bad request.
FIELD_CODES = {("body", "answer_id"): "bad_answer_id"}
RULE_ERRORS = {"string_too_short", "string_too_long", "string_pattern_mismatch"}


def field_code(exc: RequestValidationError) -> str:
    codes = {
        FIELD_CODES.get(tuple(error.get("loc", ())[:2]))
        if error.get("type") in RULE_ERRORS
        else None
        for error in exc.errors()
    }
    only = codes.pop() if len(codes) == 1 else None
    return only or "bad_request"


def error_response(
    request: Request,
    status: int,
    code: str,
    text: str,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse({"error": code, "message": text}, status_code=status, headers=headers)
    response = render(request, "error.html", status_code=status, message=text, status=status)
    response.headers.update(headers or {})
    return response


def request_language(request: Request) -> str:
    """The language web/security.py chose for this request; chosen here the same way
    when the failure came before it (a middleware further out)."""
    lang = getattr(request.state, "lang", None)
    if lang is None:
        lang = i18n.negotiate(
            request.headers.get("accept-language"),
            request.cookies.get(i18n.LANG_COOKIE),
            request.app.state.settings.default_language,
        )
        request.state.lang = lang
    return lang


async def server_error(request: Request, exc: Exception) -> Response:
    """Any exception nobody handled: logged with its traceback, answered by the
    contract without a word of it. Starlette's ServerErrorMiddleware calls this
    (outside every other middleware), so it must not fail itself."""
    log.error("unexpected error: %s %s", request.method, request.url.path, exc_info=exc)
    context = i18n.current_lang.set(request_language(request))
    try:
        text = message("server_error")
        try:
            return error_response(request, 500, "server_error", text)
        except Exception:  # the page itself cannot be made: the plainest page there is
            log.exception("the error page failed")
            return HTMLResponse(
                f'<!doctype html><html lang="{i18n.current_lang.get()}"><title>podium</title>'
                f"<p>{html.escape(text)}</p></html>",
                status_code=500,
            )
    finally:
        i18n.current_lang.reset(context)


def install(app: FastAPI) -> None:
    @app.exception_handler(RuleViolation)
    async def rule_violation(request: Request, exc: RuleViolation) -> Response:
        retry = getattr(exc, "retry_after", None)  # Throttled, Overloaded
        headers = {"Retry-After": str(retry)} if retry is not None else None
        return error_response(request, exc.status, exc.code, message(exc.code, exc.params), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        code = field_code(exc)
        return error_response(request, 422, code, message(code))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        status = exc.status_code
        if status == 400 and exc.detail == FASTAPI_UNREADABLE_BODY:
            status = 422  # as for unreadable JSON: what the schema documents
        code = HTTP_CODES.get(status, "bad_request" if status < 500 else "server_error")
        headers = exc.headers
        if status == 405:  # every method of the path, not only the first route's
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return error_response(request, status, code, message(code), headers)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return error_response(request, 401, "login_required", message("login_required"))
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    app.add_exception_handler(Exception, server_error)
