"""The Redis hub: several podium processes (or hosts) share one pub/sub channel.

Every process publishes its messages on the channel and a background task hears
every message on it, its own included: tallies move only by messages the hub
delivers, one code path whether one process runs or ten.

Redis pub/sub delivers at most once, so the hub makes losses visible instead of
pretending they cannot happen:
- when the subscription drops, the task reconnects with backoff and, once Redis
  confirms the new subscription, tells its own listeners `Resync`: they
  reload from the database what they hold, since messages may have been missed;
- when a publish fails, the message is dropped and, as soon as Redis answers again,
  a `Resync` is broadcast, so that every process rereads what the lost
  message would have told it;
- when a process starts it broadcasts a resync too: a process killed between a
  commit and its publish left rows the others never heard of.
A resync costs each process one reload of the events it holds; the live cache
makes a reload exact however messages and reloads interleave.

Messages travel as JSON (live/messages.py); one of a type this process does not
know, from a newer peer during a rolling upgrade, is logged (once per type) and
dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import RedisError

from podium.live.hub import Listener, deliver, observe_lag
from podium.live.messages import Message, Resync, UnknownMessage, from_json, to_json
from podium.store.stats import Histogram

log = logging.getLogger(__name__)

# A dropped connection, a refused one, a timeout: all mean "Redis is not there now".
UNAVAILABLE = (RedisError, OSError, TimeoutError)


def safe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


class RedisHub:
    def __init__(
        self,
        url: str,
        channel: str = "podium",
        *,
        connect_timeout: float = 10.0,
        ping_interval: float = 5.0,
        backoff: tuple[float, float] = (0.05, 2.0),
    ) -> None:
        self.url = url
        self.channel = channel
        self.lag = Histogram()
        self.published = 0
        self.received = 0
        self.reconnects = 0
        self.publish_failures = 0  # messages dropped because Redis did not take them
        self._connect_timeout = connect_timeout
        self._ping_interval = ping_interval
        self._backoff = backoff
        self._listeners: list[Listener] = []
        self._publisher: Redis | None = None
        self._subscriber: Redis | None = None
        self._reader: asyncio.Task[None] | None = None
        self._recovery: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self._lost = False  # a publish failed: a resync is owed to every process
        self._ever_subscribed = False  # every later subscription is a reconnect
        self._last_error = ""
        self._unknown: set[str] = set()  # message types of newer peers, logged once

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    # -- life cycle ----------------------------------------------------------------

    async def start(self) -> None:
        """Subscribe, and return once Redis has confirmed it: from then on this
        process hears every message published, its own included."""
        if self._reader is not None:
            return
        common: dict[str, Any] = {"socket_connect_timeout": 2.0, "socket_timeout": 5.0}
        # Publishing retries a dropped pooled connection quickly; a message sent
        # twice is harmless (the live cache skips rows it has counted).
        self._publisher = Redis.from_url(
            self.url, retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), 2), **common
        )
        # The subscription must never reconnect behind our back: a silent
        # reconnect would hide the gap in which messages were lost.
        self._subscriber = Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 0),
            client_name=f"podium-hub:{self.channel}",
            **common,
        )
        self._reader = asyncio.create_task(self._run(), name="podium-redis-hub")
        try:
            await asyncio.wait_for(self._subscribed.wait(), self._connect_timeout)
        except TimeoutError:
            error = self._last_error
            await self.stop()
            raise RuntimeError(
                f"cannot reach Redis at {safe_url(self.url)} (PODIUM_REDIS_URL): {error}"
            ) from None
        await self.publish(Resync("peer started"))

    async def stop(self) -> None:
        for task in (self._reader, self._recovery):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._reader = self._recovery = None
        self._subscribed.clear()
        for client in (self._publisher, self._subscriber):
            if client is not None:
                with contextlib.suppress(*UNAVAILABLE):
                    await client.aclose()
        self._publisher = self._subscriber = None

    # -- publishing ----------------------------------------------------------------

    async def publish(self, message: Message) -> None:
        """Send the message to every process. Never raises for an unreachable
        Redis: the message is dropped and a resync broadcast once Redis is back."""
        if self._publisher is None:
            raise RuntimeError("the Redis hub is not running")
        if self._lost:
            return  # the resync owed covers this message too
        try:
            await self._send(message)
        except UNAVAILABLE as exc:
            self.publish_failures += 1
            log.warning("Redis hub: publishing failed (%s); every process will resync", exc)
            self._owe_resync()

    async def _send(self, message: Message) -> None:
        assert self._publisher is not None
        data = to_json(message)
        await self._publisher.publish(self.channel, data)
        self.published += 1

    def _owe_resync(self) -> None:
        self._lost = True
        if self._recovery is None or self._recovery.done():
            self._recovery = asyncio.create_task(self._recover(), name="podium-redis-recovery")

    async def _recover(self) -> None:
        """Wait until Redis answers again, then broadcast the owed resync."""
        assert self._publisher is not None
        delay = self._backoff[0]
        while True:
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])
            try:
                await self._publisher.ping()
            except UNAVAILABLE:
                continue
            # Publish normally again from here: every message dropped so far was
            # committed before this point, so the resync's reload includes its rows.
            self._lost = False
            try:
                await self._send(Resync("messages lost"))
                return
            except UNAVAILABLE:
                self._lost = True

    # -- hearing -------------------------------------------------------------------

    async def _run(self) -> None:
        assert self._subscriber is not None
        delay = self._backoff[0]
        while True:
            pubsub = self._subscriber.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                await self._confirmed(pubsub)
                delay = self._backoff[0]
                again, self._ever_subscribed = self._ever_subscribed, True
                self._subscribed.set()
                if again:
                    self.reconnects += 1
                    log.warning("Redis hub: subscribed again; reloading live state")
                    await deliver(self._listeners, Resync("reconnected"))
                await self._read(pubsub)
            except Exception as exc:  # whatever it was, a deaf process is the worst outcome
                self._last_error = str(exc) or type(exc).__name__
                if not isinstance(exc, UNAVAILABLE):
                    log.exception("Redis hub: unexpected error; reconnecting")
                elif self._subscribed.is_set():
                    log.warning("Redis hub: connection lost (%s); reconnecting", self._last_error)
                self._subscribed.clear()
            finally:
                with contextlib.suppress(*UNAVAILABLE):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _confirmed(self, pubsub: PubSub) -> None:
        """Wait for Redis' reply to SUBSCRIBE. Only from then on is every message
        published delivered to us; a reload started earlier could miss one."""
        deadline = time.monotonic() + self._connect_timeout
        while time.monotonic() < deadline:
            reply = await pubsub.get_message(timeout=deadline - time.monotonic())
            if reply is not None and reply["type"] == "subscribe":
                return
        raise TimeoutError("Redis did not confirm the subscription")

    async def _read(self, pubsub: PubSub) -> None:
        """Deliver messages until the connection fails. A ping every few seconds
        finds a connection that died silently (a host gone, not a closed socket)."""
        last_heard = time.monotonic()
        next_ping = last_heard + self._ping_interval
        while True:
            reply = await pubsub.get_message(timeout=self._ping_interval)
            now = time.monotonic()
            if reply is not None:
                last_heard = now
                if reply["type"] == "message":
                    await self._hear(reply["data"])
            if now >= next_ping:
                if now - last_heard > 3 * self._ping_interval:
                    raise TimeoutError("Redis stopped answering pings")
                await pubsub.ping()
                next_ping = now + self._ping_interval

    async def _hear(self, data: bytes) -> None:
        try:
            message, sent = from_json(data)
        except UnknownMessage as exc:
            if exc.type_name not in self._unknown:
                self._unknown.add(exc.type_name)
                log.warning("Redis hub: ignored %s (from a newer podium?)", exc)
            return
        except ValueError as exc:
            log.warning("Redis hub: ignored a message on %s: %s", self.channel, exc)
            return
        self.received += 1
        observe_lag(self.lag, sent)
        await deliver(self._listeners, message)
