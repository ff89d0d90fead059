"""Server-Sent Events framing, and the response that writes a subscriber's frames.

One connection costs one coroutine, one small task that notices the client leave,
and its Subscriber: no generator, no task group, no timer of its own (heartbeats
come from the fan-out's ticker). Thousands of them are held at once, so every
object per connection counts, in memory and for the garbage collector.
"""

from __future__ import annotations

import asyncio

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from podium.live.fanout import HEARTBEAT, Fanout, Subscriber

RETRY_MS = 2000
__all__ = ["HEARTBEAT", "EventStream", "frame"]


def frame(event: str, data: str, frame_id: int) -> bytes:
    """One SSE frame. `data` must not hold newlines (JSON from json.dumps has none)."""
    return f"id: {frame_id}\nevent: {event}\ndata: {data}\n\n".encode()


SSE_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass frames on at once
]


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class EventStream(Response):
    """The stream of one subscriber: the full current state first, then whatever the
    fan-out offers, until the client leaves.

    A client that reconnects (with Last-Event-ID or not) gets the full current state
    first, so it never has to replay missed frames.
    """

    def __init__(
        self,
        fanout: Fanout,
        subscriber: Subscriber,
        extra_headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.status_code = 200
        self.background = None
        self.raw_headers = SSE_HEADERS + (extra_headers or [])
        self.fanout = fanout
        self.subscriber = subscriber

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        subscriber = self.subscriber
        listener = asyncio.ensure_future(_until_disconnect(receive))
        listener.add_done_callback(subscriber.close)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            first = f"retry: {RETRY_MS}\n\n".encode() + subscriber.take()
            await send({"type": "http.response.body", "body": first, "more_body": True})
            while True:
                await subscriber.wake.wait()
                if subscriber.closed:
                    if not listener.done():  # ended by the server (event gone, link renewed)
                        await send({"type": "http.response.body", "body": b""})
                    break
                chunk = subscriber.take()
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except OSError:
            pass  # the connection broke while writing: it is gone, as after a disconnect
        finally:
            listener.cancel()
            self.fanout.unsubscribe(subscriber)
