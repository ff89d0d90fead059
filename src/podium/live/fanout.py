"""Fan-out of live frames to the SSE connections of this process.

The budget (see docs/ARCHITECTURE.md): every frame written costs ~14 us, so
- a frame is encoded once per event, audience and language, and the same bytes
  go to every subscriber;
- a subscriber holds at most the latest frame of each kind (a buffer of one):
  a slow reader skips to the newest state, it never grows a queue;
- results and contributions go to screens and moderators at most every
  `screen_tick` seconds, to participants' devices at most every `device_tick`
  seconds (results only while they are shown to them); state changes go out on
  the next tick;
- one timer for all heartbeats, instead of a timer per connection: subscribers are
  dealt round-robin into one bucket per tick of a heartbeat period, and each tick
  offers a comment to one bucket. Every stream hears one every `heartbeat` seconds,
  and 10,000 streams never all wake in the same tick (which stalled answers).

Events are isolated: a frame that fails to render for one event is logged, that
event stays due for the next tick, and every other event's frames go out. `forget`
drops all that is kept of an event (deleted, or idle) and ends its streams.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Protocol

from podium.live.periodic import Periodic
from podium.live.watch import WatchKind

log = logging.getLogger(__name__)

SCREEN = "screen"
DEVICE = "device"
MODERATOR = "moderator"
AUDIENCES = (SCREEN, DEVICE, MODERATOR)
# "votes": only the upvote counts of the contributions changed. Devices (at most once a
# device tick) and moderators get the counts instead of the whole list again; the
# screen, which shows the top five, gets its small contributions frame.
# "participants": how many are connected (live/presence.py), for the console, and for
# the screen while the organiser shows it there (the frame source renders none else).
KINDS = tuple(WatchKind)  # in the order a new subscriber gets them
# Devices and moderators get the contributions list as deltas on the frame before
# (same bytes for all); this whole list goes, as a "contributions" frame, to one that
# subscribes and to one whose buffer still held the frame before (it would miss that
# delta).
FULL_LIST = "contributions_full"
LISTS = (DEVICE, MODERATOR)  # the audiences whose contributions frames are deltas
HEARTBEAT = b": keep-alive\n\n"  # an SSE comment: keeps proxies from closing idle streams


class FrameSource(Protocol):
    """Renders the data of a frame (a JSON string), or None when there is nothing to send."""

    def render(self, kind: str, event_id: int, audience: str, lang: str) -> str | None: ...

    def results_interval(self, event_id: int) -> float:
        """The least time between two results frames of the event to screens and
        moderators (a word cloud: a second, so that it does not flicker)."""
        ...


class Subscriber:
    __slots__ = ("audience", "beat", "closed", "event_id", "lang", "pending", "token", "wake")

    def __init__(self, event_id: int, audience: str, lang: str) -> None:
        self.event_id = event_id
        self.audience = audience
        self.lang = lang
        self.pending: dict[str, bytes] = {}
        self.wake = asyncio.Event()
        self.closed = False
        self.beat = 0  # its heartbeat bucket
        self.token: str | None = None  # the secret link a screen was opened with

    def offer(self, kind: str, data: bytes) -> None:
        self.pending[kind] = data  # replaces an unsent older frame of the same kind
        if kind == WatchKind.CONTRIBUTIONS:
            self.pending.pop(WatchKind.VOTES, None)  # older counts must not follow the newer list
        self.wake.set()

    def close(self, *_: object) -> None:
        """The connection is gone: wake its writer so that it ends."""
        self.closed = True
        self.wake.set()

    def take(self) -> bytes:
        self.wake.clear()
        pending = self.pending
        if not pending:
            return b""
        frames = [pending[k] for k in KINDS if k in pending]
        self.pending = {}
        return b"".join(frames) if frames else HEARTBEAT  # a frame is as good as a heartbeat


Framer = Callable[[str, str, int], bytes]


class Fanout:
    def __init__(
        self,
        source: FrameSource,
        framer: Framer,
        screen_tick: float,
        device_tick: float,
        heartbeat: float = 20.0,
    ) -> None:
        self._source = source
        self._framer = framer
        self._screen_tick = screen_tick
        self._device_tick = device_tick
        buckets = max(1, round(heartbeat / screen_tick))
        self._beats: list[set[Subscriber]] = [set() for _ in range(buckets)]
        self._beat_step = heartbeat / buckets
        self._next_beat = time.monotonic() + self._beat_step
        self._beat_index = 0  # the bucket whose turn is next
        self._dealt = 0  # subscribers dealt so far: the next one's bucket
        # event id -> audience -> subscribers: a tick for the screens never walks the devices
        self._subs: dict[int, dict[str, set[Subscriber]]] = defaultdict(
            lambda: {audience: set() for audience in AUDIENCES}
        )
        self._latest: dict[tuple[int, str, str, str], bytes | None] = {}
        self._state_dirty: set[int] = set()
        self._dirty: dict[WatchKind, set[int]] = {
            WatchKind.RESULTS: set(),
            WatchKind.CONTRIBUTIONS: set(),
            WatchKind.VOTES: set(),
            WatchKind.PARTICIPANTS: set(),
        }
        self._device_due: dict[WatchKind, set[int]] = {
            WatchKind.RESULTS: set(),
            WatchKind.CONTRIBUTIONS: set(),
            WatchKind.VOTES: set(),
        }
        self._last_device_push = 0.0
        self._last_results: dict[int, float] = {}  # event id -> when its results last went out
        self._failing: set[int] = set()  # events whose last render failed (logged once)
        self._next_id = int(time.time() * 1000)
        self._ticker = Periodic("podium-fanout", screen_tick, lambda: self.tick(time.monotonic()))
        self.frames_written = 0

    # -- subscriptions ---------------------------------------------------------------

    def subscribe(self, event_id: int, audience: str, lang: str) -> Subscriber:
        subscriber = Subscriber(event_id, audience, lang)
        for kind in KINDS:
            if kind == WatchKind.VOTES:  # the full state: "votes" is in "contributions"
                continue
            whole = FULL_LIST if kind == WatchKind.CONTRIBUTIONS and audience in LISTS else kind
            data = self._frame(whole, event_id, audience, lang)
            if data is not None:
                subscriber.pending[kind] = data
        self._subs[event_id][audience].add(subscriber)
        subscriber.beat = self._dealt % len(self._beats)
        self._dealt += 1
        self._beats[subscriber.beat].add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._beats[subscriber.beat].discard(subscriber)
        by_audience = self._subs.get(subscriber.event_id)
        if by_audience is not None:
            by_audience[subscriber.audience].discard(subscriber)
            if not any(by_audience.values()):
                del self._subs[subscriber.event_id]

    def count(self, event_id: int, audience: str | None = None) -> int:
        by_audience = self._subs.get(event_id)
        if by_audience is None:
            return 0
        if audience is None:
            return sum(len(subs) for subs in by_audience.values())
        return len(by_audience.get(audience, ()))

    def close_screens(self, event_id: int, token: str) -> int:
        """End the screens' streams of the event opened with another link than `token`
        (the link was renewed): at once, not at their next frame. Returns how many."""
        by_audience = self._subs.get(event_id)
        stale = [s for s in by_audience[SCREEN] if s.token != token] if by_audience else []
        for subscriber in stale:
            subscriber.close()
        return len(stale)

    def counts(self, audience: str) -> dict[int, int]:
        """Open streams of the audience per event (events without any are left out)."""
        return {
            event_id: len(by_audience[audience])
            for event_id, by_audience in self._subs.items()
            if by_audience[audience]
        }

    def connections(self) -> dict[str, int]:
        """Open streams per audience, over all events."""
        counts = dict.fromkeys(AUDIENCES, 0)
        for by_audience in self._subs.values():
            for audience, subs in by_audience.items():
                counts[audience] += len(subs)
        return counts

    # -- changes -------------------------------------------------------------------

    def notify(self, what: WatchKind, event_id: int, question_id: int | None) -> None:
        """Called by the live cache on every change; cheap, the ticker does the work."""
        if what == WatchKind.STATE:
            self._state_dirty.add(event_id)
        else:
            self._dirty[what].add(event_id)

    # -- the ticker ---------------------------------------------------------------

    async def start(self) -> None:
        await self._ticker.start()

    async def stop(self) -> None:
        await self._ticker.stop()

    def tick(self, now: float) -> None:
        state, self._state_dirty = self._state_dirty, set()

        def push_state(event_id: int) -> None:
            self._invalidate(event_id, WatchKind.STATE)
            self._invalidate(event_id, WatchKind.RESULTS)
            self._push(event_id, WatchKind.STATE, AUDIENCES)
            self._push(event_id, WatchKind.RESULTS, AUDIENCES)

        self._each(state, push_state, self._state_dirty)
        for kind in (WatchKind.RESULTS, WatchKind.CONTRIBUTIONS, WatchKind.VOTES):
            dirty, self._dirty[kind] = self._dirty[kind], set()
            if kind == WatchKind.RESULTS:
                dirty = self._results_due(dirty - state, now)

            def push(event_id: int, kind: WatchKind = kind) -> None:
                self._invalidate(event_id, kind)
                if kind == WatchKind.VOTES:
                    # the full list holds the counts too: new subscribers get them there
                    self._invalidate(event_id, WatchKind.CONTRIBUTIONS)
                    self._push(event_id, WatchKind.CONTRIBUTIONS, (SCREEN,))
                    # moderators: the counts, not the whole queue again (it re-sorts
                    # under their hands and grows with every contribution)
                    self._push(event_id, WatchKind.VOTES, (MODERATOR,))
                else:
                    self._push(event_id, kind, (SCREEN, MODERATOR))
                self._device_due[kind].add(event_id)

            failed = self._each(dirty, push, self._dirty[kind])
            if kind == WatchKind.RESULTS:
                for event_id in failed:  # not sent: its next try need not wait
                    self._last_results.pop(event_id, None)
        participants = self._dirty[WatchKind.PARTICIPANTS]
        self._dirty[WatchKind.PARTICIPANTS] = set()

        def push_participants(event_id: int) -> None:
            self._invalidate(event_id, WatchKind.PARTICIPANTS)
            self._push(event_id, WatchKind.PARTICIPANTS, (SCREEN, MODERATOR))

        self._each(participants, push_participants, self._dirty[WatchKind.PARTICIPANTS])
        self._device_due[WatchKind.RESULTS] -= state
        # the list has the votes
        self._device_due[WatchKind.VOTES] -= self._device_due[WatchKind.CONTRIBUTIONS]
        due_any = any(self._device_due.values())
        if due_any and now - self._last_device_push >= self._device_tick:
            self._last_device_push = now
            for kind, due in self._device_due.items():
                self._device_due[kind] = set()
                self._each(
                    due,
                    partial(self._push, kind=kind, audiences=(DEVICE,)),
                    self._device_due[kind],
                )
        if now >= self._next_beat:
            self._next_beat = max(self._next_beat + self._beat_step, now - self._beat_step)
            for subscriber in self._beats[self._beat_index]:
                subscriber.offer("heartbeat", HEARTBEAT)
            self._beat_index = (self._beat_index + 1) % len(self._beats)

    def _each(
        self, event_ids: Iterable[int], push: Callable[[int], None], retry: set[int]
    ) -> set[int]:
        """`push` for every event; one that fails is logged (once until it works again)
        and put into `retry`, the others go on. Returns the events that failed."""
        failed: set[int] = set()
        for event_id in event_ids:
            try:
                push(event_id)
            except Exception:
                if event_id not in self._failing:
                    log.exception("live frames of event %s failed; trying again", event_id)
                self._failing.add(event_id)
                failed.add(event_id)
                retry.add(event_id)
            else:
                self._failing.discard(event_id)
        return failed

    def forget(self, event_id: int) -> None:
        """Drop every frame and mark kept of the event, and end its streams (a deleted
        event: their clients reconnect and are told it is gone)."""
        for key in [k for k in self._latest if k[0] == event_id]:
            del self._latest[key]
        self._last_results.pop(event_id, None)
        self._failing.discard(event_id)
        self._state_dirty.discard(event_id)
        for marks in (*self._dirty.values(), *self._device_due.values()):
            marks.discard(event_id)
        by_audience = self._subs.pop(event_id, None)
        for subs in (by_audience or {}).values():
            for subscriber in subs:
                self._beats[subscriber.beat].discard(subscriber)
                subscriber.close()
        forget = getattr(self._source, "forget", None)
        if forget is not None:
            forget(event_id)

    def held(self) -> int:
        """How many entries of any kind the fan-out keeps (0 when it keeps nothing)."""
        marks = (self._state_dirty, *self._dirty.values(), *self._device_due.values())
        return (
            len(self._latest)
            + len(self._last_results)
            + len(self._subs)
            + len(self._failing)
            + sum(len(m) for m in marks)
        )

    def _results_due(self, dirty: set[int], now: float) -> set[int]:
        """The events whose results may go out now; the others wait for a later tick."""
        due: set[int] = set()
        interval = getattr(self._source, "results_interval", None)
        for event_id in dirty:
            wait = interval(event_id) if interval else 0.0
            if now - self._last_results.get(event_id, float("-inf")) >= wait:
                due.add(event_id)
                self._last_results[event_id] = now
            else:
                self._dirty[WatchKind.RESULTS].add(event_id)  # still changed: next tick
        return due

    def _invalidate(self, event_id: int, kind: str) -> None:
        kinds = (kind, FULL_LIST) if kind == WatchKind.CONTRIBUTIONS else (kind,)
        for key in [k for k in self._latest if k[0] == event_id and k[3] in kinds]:
            del self._latest[key]

    def _frame(self, kind: str, event_id: int, audience: str, lang: str) -> bytes | None:
        key = (event_id, audience, lang, kind)
        if key not in self._latest:
            data = self._source.render(kind, event_id, audience, lang)
            if data is None:
                self._latest[key] = None
            else:
                self._next_id += 1
                event = WatchKind.CONTRIBUTIONS if kind == FULL_LIST else kind
                self._latest[key] = self._framer(event, data, self._next_id)
        return self._latest[key]

    def _push(self, event_id: int, kind: str, audiences: tuple[str, ...]) -> None:
        by_audience = self._subs.get(event_id)
        if by_audience is None:
            return
        for audience in audiences:
            subs = by_audience[audience]
            if not subs:
                continue
            deltas = kind == WatchKind.CONTRIBUTIONS and audience in LISTS
            by_lang: dict[str, bytes | None] = {}
            for subscriber in subs:
                lang = subscriber.lang
                if lang not in by_lang:
                    by_lang[lang] = self._frame(kind, event_id, audience, lang)
                data = by_lang[lang]
                if deltas and kind in subscriber.pending:  # it has not read the one before
                    data = self._frame(FULL_LIST, event_id, audience, lang)
                if data is not None:
                    subscriber.offer(kind, data)
                    self.frames_written += 1
