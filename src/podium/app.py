"""create_app(settings): wires runtime, live fan-out, templates and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp

from podium import __version__
from podium.domain.login_throttle import LoginThrottle
from podium.housekeeping import housekeeping
from podium.live.fanout import DEVICE, Fanout
from podium.live.presence import Presence
from podium.live.sse import frame
from podium.live.watch import WatchKind
from podium.mail.sender import MailSender
from podium.mail.transport import make_transport
from podium.reports.worker import ReportWorker
from podium.runtime import Runtime
from podium.settings import Settings, secret_key_problem
from podium.web import errors
from podium.web.body_limit import BodyLimit
from podium.web.frames import Frames
from podium.web.hot_path import HotPath
from podium.web.public_page import PublicPages
from podium.web.routes import (
    api,
    api_docs,
    auth,
    contributions,
    legal,
    moderator,
    ops,
    organiser,
    participant,
    presenter,
    public_results,
    public_series,
    public_signup,
    results,
    word_edits,
)
from podium.web.security import SecurityMiddleware
from podium.web.server_sessions import ServerSessions
from podium.web.static_files import VersionedStatic
from podium.web.templating import make_templates


class PodiumApp(FastAPI):
    """FastAPI with web/hot_path.py in front of everything, FastAPI's own outer
    middlewares included: a crowd's answers and streams skip all of it."""

    def build_middleware_stack(self) -> ASGIApp:
        return HotPath(super().build_middleware_stack(), self.state.runtime, self.state.fanout)


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> PodiumApp:
    settings = settings or Settings()
    problem = secret_key_problem(settings.secret_key)
    if problem is not None:  # `podium serve` says it more kindly before it gets here
        raise ValueError(f"the secret key {problem}")
    rt = runtime or Runtime(settings)
    templates = make_templates()
    presence = Presence(rt.hub, lambda: fanout.counts(DEVICE))
    frames = Frames(rt, templates.env, presence.total)
    fanout = Fanout(frames, frame, settings.screen_tick, settings.device_tick, settings.heartbeat)
    rt.live.watch(fanout.notify)
    rt.board.watch(fanout.notify)
    rt.add_view(fanout.forget, lambda event_id: fanout.count(event_id) > 0)
    rt.live.watch(frames.follow_settings(fanout.notify))
    rt.live.watch(presenter.follow_presenter_links(rt, fanout))
    presence.watch(lambda event_id: fanout.notify(WatchKind.PARTICIPANTS, event_id, None))
    reports = ReportWorker(rt.settings.database_url)
    mail_sender = MailSender(rt, make_transport(settings), settings.mail_rate)
    chores = housekeeping(rt)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await rt.start()
        await fanout.start()
        await presence.start()
        await mail_sender.start()
        for chore in chores:
            await chore.start()
        try:
            yield
        finally:
            for chore in chores:
                await chore.stop()
            await mail_sender.stop()
            reports.close()
            await presence.stop()
            await fanout.stop()
            await rt.stop()

    app = PodiumApp(
        title="podium",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # web/routes/api_docs.py: Swagger UI from podium's own files
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        # No OpenTelemetry: nothing leaves the server, and the vote path saves its cost.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = rt
    app.state.settings = settings
    app.state.templates = templates
    app.state.fanout = fanout
    app.state.frames = frames
    app.state.presence = presence
    app.state.report_worker = reports
    app.state.mail_sender = mail_sender
    # Inside the session and language middlewares: its 413 page is rendered like any other.
    app.add_middleware(BodyLimit)
    app.state.login_throttle = LoginThrottle()  # per process: see domain/login_throttle
    # Sessions kept in the database (web/server_sessions), not in a signed cookie.
    app.add_middleware(ServerSessions, rt=rt, secure=settings.secure_cookies)
    app.add_middleware(
        SecurityMiddleware,
        default_language=settings.default_language,
        refuse=errors.error_response,
    )
    # Outermost: the published results' requests reach no other middleware with a cookie.
    app.add_middleware(PublicPages)
    errors.install(app)
    app.mount("/static", VersionedStatic(), name="static")
    for module in (
        auth,
        participant,
        contributions,
        presenter,
        moderator,
        organiser,
        public_results,
        public_signup,  # before public_series: its /s/{slug}/{event_slug} would take "signup"
        public_series,
        legal,
        results,
        word_edits,
        api,
        api_docs,
        ops,
    ):
        app.include_router(module.router)
    return app
