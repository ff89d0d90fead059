"""For operators and load tests: health check and a no-op endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from podium.web.deps import runtime

router = APIRouter(include_in_schema=False)


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
