"""Server-Sent Events framing and the stream each connection reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from podium.live.fanout import Fanout, Subscriber

RETRY_MS = 2000


def frame(event: str, data: str, frame_id: int) -> bytes:
    """One SSE frame. `data` must not hold newlines (JSON from json.dumps has none)."""
    return f"id: {frame_id}\nevent: {event}\ndata: {data}\n\n".encode()


HEARTBEAT = b": keep-alive\n\n"


async def stream(fanout: Fanout, subscriber: Subscriber, heartbeat: float) -> AsyncIterator[bytes]:
    """Yield the snapshot, then whatever the fan-out offers; a comment when idle.

    A client that reconnects (with Last-Event-ID or not) gets the full current
    state first, so it never has to replay missed frames.
    """
    try:
        yield f"retry: {RETRY_MS}\n\n".encode() + subscriber.take()
        while True:
            try:
                await asyncio.wait_for(subscriber.wake.wait(), timeout=heartbeat)
            except TimeoutError:
                yield HEARTBEAT
                continue
            chunk = subscriber.take()
            if chunk:
                yield chunk
    finally:
        fanout.unsubscribe(subscriber)
