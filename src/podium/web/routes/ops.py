"""For operators and load tests: health check, metrics and a no-op endpoint."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from podium.domain.address_allow import is_allowed, parse_allow_list
from podium.services import metrics
from podium.web.deps import runtime

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

# Set by a reverse proxy: a request that carries one came from elsewhere, even
# though its TCP peer (the proxy on this host) is the loopback address.
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 when the database answers; for load balancers and monitoring."""
    try:
        async with runtime(request).engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")
    except Exception:
        return JSONResponse({"status": "database unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.post("/healthz/noop")
async def noop() -> Response:
    """Does nothing through the same middleware stack as every other route: the
    yardstick the answer endpoint's throughput is compared with (podium bench)."""
    return Response(status_code=204)


@router.get("/metrics")
async def prometheus_metrics(request: Request) -> Response:
    """Prometheus text format. Allowed from this host and from the addresses of
    settings.metrics_allow (each straight, not through a proxy) always; from elsewhere
    only with `Authorization: Bearer $PODIUM_METRICS_TOKEN`, and not at all (404)
    while no token is set."""
    token = metrics_token(request)
    if not is_local(request) and not is_allowed_peer(request):
        if not token:
            return PlainTextResponse("Not Found", status_code=404)
        if not bearer_matches(request.headers.get("authorization"), token):
            return PlainTextResponse(
                "Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
    text = metrics.render(runtime(request), request.app.state.fanout)
    return Response(text, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})


def metrics_token(request: Request) -> str:
    configured = getattr(runtime(request).settings, "metrics_token", None)
    return str(configured or os.environ.get("PODIUM_METRICS_TOKEN", ""))


def is_local(request: Request) -> bool:
    """The TCP peer is a loopback address and no proxy forwarded the request."""
    if request.client is None or any(h in request.headers for h in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


def is_allowed_peer(request: Request) -> bool:
    """The TCP peer is on settings.metrics_allow and no proxy forwarded the request
    (a proxy's own address on the list must not open /metrics to all its clients)."""
    networks, bad = parse_allow_list(runtime(request).settings.metrics_allow)
    if bad:
        log.warning("metrics_allow: not an address or network, ignored: %s", ", ".join(bad))
    if request.client is None or any(h in request.headers for h in PROXY_HEADERS):
        return False
    return is_allowed(request.client.host, networks)


def bearer_matches(header: str | None, token: str) -> bool:
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
