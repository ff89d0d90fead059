"""Every error a user can cause becomes a 4xx with a message in their language:
HTML for pages, JSON ({"error": code, "message": text}) for the API."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from podium.domain.errors import RuleViolation
from podium.web.deps import render
from podium.web.messages import message

log = logging.getLogger(__name__)

HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "bad_request"}


class LoginRequired(Exception):
    pass


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, status: int, code: str, text: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": code, "message": text}, status_code=status)
    return render(request, "error.html", status_code=status, message=text, status=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(RuleViolation)
    async def rule_violation(request: Request, exc: RuleViolation) -> Response:
        return error_response(request, exc.status, exc.code, message(exc.code, exc.params))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "bad_request", message("bad_request"))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "bad_request")
        if exc.status_code >= 500:
            raise exc
        return error_response(request, exc.status_code, code, message(code))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": "login_required", "message": message("forbidden")}, status_code=401
            )
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
