"""The short path for the requests a whole audience sends at once.

A crowd's answers (`POST /p/{code}/answer` as JSON, from participant.js and the API
clients) and live streams (`GET /p/{code}/stream`), and the no-op yardstick
`POST /healthz/noop`, are dispatched here, in front of the FastAPI app: no
session middleware (participants have none), no route walk, no exception and
dependency layers. Measured in docs/BENCHMARKS.md, that plumbing cost more than
everything else an answer does before its commit, and every open stream kept
the coroutine frames of seven middlewares alive.

Whatever this path does not handle itself (form posts of browsers without
JavaScript, a first visit without a participant cookie, cross-origin requests,
unknown codes) goes on to the full app, which answers it as before.
"""

from __future__ import annotations

import json
import logging
from contextlib import suppress
from typing import Any

from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from podium import i18n
from podium.domain.errors import InvalidAnswer, NotFound, RuleViolation, TooLarge
from podium.domain.participant_token import TokenRefused
from podium.live.fanout import DEVICE, Fanout
from podium.live.sse import EventStream
from podium.runtime import Runtime
from podium.services.live_cache import LiveEvent
from podium.services.participation import submit_answer, token_hash
from podium.web.answer_reply import received, refused, refused_headers
from podium.web.messages import message
from podium.web.participant_identity import ParticipantIdentity, identity
from podium.web.response_headers import NO_STORE, SECURITY_HEADERS
from podium.web.security import PARTICIPANT_COOKIE

log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 64 * 1024  # a long open-text answer is a few kB


class _Request:
    """What the short path reads of a request: a few headers, two cookies."""

    __slots__ = ("accept", "accept_language", "content_type", "cookies", "host", "origin")

    def __init__(self, scope: Scope) -> None:
        self.accept = self.accept_language = self.content_type = b""
        self.host = b""
        self.origin: bytes | None = None
        cookie = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value
            elif name == b"content-type":
                self.content_type = value
            elif name == b"accept":
                self.accept = value
            elif name == b"accept-language":
                self.accept_language = value
            elif name == b"origin":
                self.origin = value
            elif name == b"host":
                self.host = value
        self.cookies = cookie_parser(cookie.decode("latin-1")) if cookie else {}

    @property
    def token(self) -> str | None:
        """The participant cookie as sent: whether podium issued it is checked later."""
        return self.cookies.get(PARTICIPANT_COOKIE) or None

    @property
    def same_origin(self) -> bool:
        if self.origin is None:
            return True
        origin = self.origin.split(b"://", 1)[-1]
        return origin == self.host

    def language(self, event_language: str) -> str:
        return i18n.negotiate(
            self.accept_language.decode("latin-1") or None,
            self.cookies.get(i18n.LANG_COOKIE),
            event_language,
        )


class HotPath:
    def __init__(self, app: ASGIApp, runtime: Runtime, fanout: Fanout) -> None:
        self.app = app
        self.runtime = runtime
        self.fanout = fanout
        self._identity: ParticipantIdentity | None = None

    def identity(self, scope: Scope) -> ParticipantIdentity:
        if self._identity is None:
            self._identity = identity(scope["app"])
        return self._identity

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            method: str = scope["method"]
            if path.startswith("/p/"):
                # U+0000 is in no join code, and PostgreSQL refuses it even in a query.
                code, _slash, action = path[3:].partition("/")
                handled = False
                if "\x00" in code:
                    pass
                elif action == "answer" and method == "POST":
                    handled = await self._answer_guarded(code, scope, receive, send)
                elif action == "stream" and method == "GET":
                    handled = await self._stream(code, scope, receive, send)
                if handled:
                    return
            elif path == "/healthz/noop" and method == "POST":
                await _send(Response(status_code=204), "de", scope, receive, send)
                return
            # An exception that comes out was answered (if nothing was sent yet) and
            # logged with its traceback by web/errors.server_error; raised on to the
            # server, it would be logged a second time.
            with suppress(Exception):
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _answer_guarded(self, code: str, scope: Scope, receive: Receive, send: Send) -> bool:
        """In front of the app's own error handling: an unexpected failure is logged and
        answered here, in the user's language, as the app would."""
        try:
            reply = await self._answer(code, scope, receive)
        except Exception:
            log.exception("answer failed")
            reply = self._server_error(scope)
        if reply is None:
            return False
        if reply is not GONE:
            status, headers, body = reply
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        return True

    async def _answer(self, code: str, scope: Scope, receive: Receive) -> Reply | None:
        """The reply to an answer; None: the full app decides."""
        request = _Request(scope)
        token = request.token
        if (
            token is None
            or not request.content_type.startswith(b"application/json")
            or b"application/json" not in request.accept
            or not request.same_origin
        ):
            return None
        who = self.identity(scope)
        event = await self.runtime.live.by_code(code)
        if event is None:
            return None
        if who.lookups_blocked(_host(scope)) and not self._known(event, token):
            return None  # the full app refuses it, whether the code exists or not
        lang = request.language(event.language)
        context = i18n.current_lang.set(lang)
        try:
            if not who.valid(token):
                raise TokenRefused("participant_token_invalid")
            if not who.admitted(event, token, request.cookies):
                raise TokenRefused("access_code_required")
            body = await _read_body(receive)
            if body is None:
                return GONE  # gone before its answer was read: nothing stored, nobody to tell
            question_id, answer_id, raw = parse_answer(body)
            submitted = await submit_answer(self.runtime, event, token, question_id, raw, answer_id)
        except RuleViolation as exc:
            status, headers, reply = _json(exc.status, refused(exc), lang)
            headers += [(k.lower().encode(), v.encode()) for k, v in refused_headers(exc).items()]
            return status, headers, reply
        else:
            return _json(200, received(submitted), lang)
        finally:
            i18n.current_lang.reset(context)

    def _known(self, event: LiveEvent, token: str | None) -> bool:
        """Whether the token answered in this event before (this process remembers it):
        while its address is refused lookups for guessing codes, a participant who
        is already in goes on answering, and a guesser still learns nothing."""
        if token is None or self._identity is None or not self._identity.valid(token):
            return False
        digest = token_hash(event.participant_salt, token)
        return self.runtime.writer.known_participant(event.id, digest) is not None

    def _server_error(self, scope: Scope) -> Reply:
        """The contract's 500 (web/errors.py), in the caller's language: this path's
        callers are scripts (JSON answers, EventSource), so it is JSON."""
        lang = _Request(scope).language(self.runtime.settings.default_language)
        context = i18n.current_lang.set(lang)
        try:
            return _json(500, {"error": "server_error", "message": message("server_error")}, lang)
        finally:
            i18n.current_lang.reset(context)

    async def _stream(self, code: str, scope: Scope, receive: Receive, send: Send) -> bool:
        try:
            who = self.identity(scope)
            event = await self.runtime.live.by_code(code)
            if event is None:
                return False
            request = _Request(scope)
            if who.lookups_blocked(_host(scope)) and not self._known(event, request.token):
                return False  # the full app refuses it, whether the code exists or not
            if event.access_code and not who.admitted(event, request.token, request.cookies):
                return False  # the full app refuses it (and checks the token)
            lang = request.language(event.language)
            await self.runtime.board.get(event.id)  # its first frame holds the contributions
            subscriber = self.fanout.subscribe(event.id, DEVICE, lang)
        except Exception:  # nothing sent yet: the caller still gets the contract's 500
            log.exception("stream failed")
            status, headers, body = self._server_error(scope)
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return True
        headers = [*SECURITY_HEADERS, (b"content-language", lang.encode())]
        await EventStream(self.fanout, subscriber, headers)(scope, receive, send)
        return True


def _host(scope: Scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None when the client left before sending it. TooLarge past
    the limit: the rest is read to its end (so that the answer can be sent) but not kept."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_ANSWER_BYTES:
            chunks.append(chunk)
        if not message.get("more_body", False):
            if size > MAX_ANSWER_BYTES:
                raise TooLarge("answer_too_large")
            return b"".join(chunks)


def parse_answer(body: bytes) -> tuple[int, str, Any]:
    """(question id, answer id, raw answer) of a JSON answer; the domain checks the rest."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidAnswer("malformed") from exc
    if not isinstance(data, dict):
        raise InvalidAnswer("malformed")
    answer_id = data.get("answer_id")
    if not isinstance(answer_id, str):
        raise InvalidAnswer("bad_answer_id")
    try:
        question_id = int(data.get("question_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("unknown_question") from None
    return question_id, answer_id, data.get("value")


async def _send(response: Response, lang: str, scope: Scope, receive: Receive, send: Send) -> None:
    response.raw_headers += [*SECURITY_HEADERS, (b"content-language", lang.encode())]
    await response(scope, receive, send)


# (status, headers, body) of a reply that is sent as it is
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
GONE: Reply = (0, [], b"")  # the client left: nothing to send


def _json(status: int, content: dict[str, Any], lang: str) -> Reply:
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        NO_STORE,  # an API answer, as web/response_headers.py gives the app's
        *SECURITY_HEADERS,
        (b"content-language", lang.encode()),
    ]
    return status, headers, body
