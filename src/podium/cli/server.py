"""`podium serve` and `podium demo`: run the web server, refusing clearly what would
stop it (a missing or weak secret key, an un-migrated database, a taken port)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from podium.cli.common import (
    UserError,
    check_sqlite_folder,
    local_base_url,
    settings_for,
    with_runtime,
)
from podium.cli.database import upgrade_database
from podium.cli.mail import require_mail_settings
from podium.cli.secret_key import require_secret_key, with_demo_key
from podium.runtime import Runtime
from podium.settings import Settings

OnStarted = Callable[[Runtime, str], Awaitable[None]]


async def check_migrated(settings: Settings) -> None:
    """The app's own start-up check, before uvicorn: a clean message, no traceback."""
    from podium.store.engine import make_engine
    from podium.store.migrate import ensure_migrated

    engine = make_engine(settings.database_url)
    try:
        await ensure_migrated(engine, settings.database_url)
    finally:
        await engine.dispose()


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound here so that a taken port is a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


async def serve(
    settings: Settings,
    host: str,
    port: int,
    on_started: OnStarted | None = None,
    access_log: bool = False,
) -> None:
    """Serve the app until stopped; once it answers, run `on_started(runtime, url)`."""
    import uvicorn

    from podium.app import create_app

    sock = listen(host, port)
    url = local_base_url(host, sock.getsockname()[1])
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        access_log=access_log,
        proxy_headers=False,
        log_level="info",
        # Open live streams never end by themselves: do not wait for them on shutdown.
        timeout_graceful_shutdown=3,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        if await wait_until_answering(server, task, url):
            tune_garbage_collector()
            print(f"Serving on {url} (press Ctrl+C to stop).", flush=True)
            if on_started is not None:
                await on_started(app.state.runtime, url)
        await task
    finally:
        if not task.done():
            server.should_exit = True
            await task
        sock.close()


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections: what start-up made lives as long as the process, so
    the collector stops walking it (freeze); young collections run less often, since
    a busy server allocates hundreds of objects per request that die young anyway.
    Measured in docs/BENCHMARKS.md (P5): with 10,000 open streams the default
    thresholds made full collections, which walk every object of every stream,
    the largest stalls of the event loop."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLDS[0], GC_THRESHOLDS[1], GC_THRESHOLDS[2])


GC_THRESHOLDS = (20_000, 20, 50)


async def wait_until_answering(
    server: Any, task: asyncio.Task[None], url: str, timeout: float = 30.0
) -> bool:
    """Wait until the server has started and answers; False if it stopped instead."""
    import httpx

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with httpx.AsyncClient(timeout=2.0) as client:
        while not task.done():
            if loop.time() > deadline:
                raise UserError(f"the server did not answer at {url}")
            if server.started:
                try:
                    await client.get(f"{url}/")
                    return True
                except httpx.TransportError:
                    pass
            await asyncio.sleep(0.02)
    return False


def run_server(
    settings: Settings,
    host: str,
    port: int,
    on_started: OnStarted | None = None,
    access_log: bool = False,
) -> int:
    try:
        with asyncio.Runner(loop_factory=_fast_loop()) as runner:
            runner.run(serve(settings, host, port, on_started, access_log))
    except SystemExit as exc:  # uvicorn's way of saying start-up failed; it logged why
        if exc.code not in (None, 0):
            raise UserError("the server could not start (see the message above)") from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    settings = settings_for(args.host, args.port)
    require_secret_key(settings)
    require_mail_settings(settings)
    check_sqlite_folder(settings.database_url)
    asyncio.run(check_migrated(settings))
    return run_server(settings, args.host, args.port, access_log=args.access_log)


def cmd_demo(args: argparse.Namespace) -> int:
    from podium.demo.run import print_demo, simulation
    from podium.demo.seed import ensure_demo
    from podium.mail.transport import destination

    settings = settings_for(args.host, args.port)
    upgrade_database(settings.database_url)
    settings = with_demo_key(settings)
    info = with_runtime(settings, ensure_demo)
    print_demo(settings.base_url, info, destination(settings))
    if args.no_serve:
        return 0
    on_started = None
    if args.simulate:
        on_started = simulation(info.event_id, info.join_code, args.simulate)
        if 0 < settings.participant_tokens_burst < args.simulate:
            # the simulated audience joins at once, from this machine's one address
            settings = settings.model_copy(update={"participant_tokens_burst": args.simulate})
    return run_server(settings, args.host, args.port, on_started, access_log=args.access_log)


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (it comes with uvicorn[standard]): measured in
    docs/BENCHMARKS.md (P4), it roughly doubles the answers a process takes."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop
