"""The fan-out's budget rules: encode once, buffer of one, devices at most once a tick."""

from __future__ import annotations

from collections import Counter

from podium.live.fanout import DEVICE, HEARTBEAT, MODERATOR, SCREEN, Fanout
from podium.live.sse import frame
from podium.live.watch import WatchKind


class Source:
    def __init__(self) -> None:
        self.calls: Counter[tuple[str, int, str, str]] = Counter()
        self.version = 0
        self.device_results = True

    def render(self, kind: str, event_id: int, audience: str, lang: str) -> str | None:
        self.calls[(kind, event_id, audience, lang)] += 1
        if kind == "results" and audience == DEVICE and not self.device_results:
            return None
        return f'{{"v":{self.version},"lang":"{lang}","kind":"{kind}"}}'


def make() -> tuple[Source, Fanout]:
    source = Source()
    return source, Fanout(source, frame, screen_tick=0.25, device_tick=1.0)


def test_subscriber_starts_with_the_full_state() -> None:
    _source, fanout = make()
    sub = fanout.subscribe(1, SCREEN, "de")
    chunk = sub.take().decode()
    assert "event: state" in chunk and "event: results" in chunk
    assert chunk.index("event: state") < chunk.index("event: results")


def test_one_encoding_per_event_audience_and_language() -> None:
    source, fanout = make()
    subs = [fanout.subscribe(1, SCREEN, "de") for _ in range(100)]
    subs += [fanout.subscribe(1, SCREEN, "en") for _ in range(50)]
    source.calls.clear()
    source.version = 1
    fanout.notify(WatchKind.RESULTS, 1, 7)
    fanout.tick(now=10.0)
    assert source.calls[("results", 1, SCREEN, "de")] == 1
    assert source.calls[("results", 1, SCREEN, "en")] == 1
    frames = {s.take() for s in subs}
    assert len(frames) == 2  # the same bytes for everyone of one language
    assert all(b'"v":1' in f for f in frames)


def test_slow_subscriber_keeps_only_the_latest_frame() -> None:
    source, fanout = make()
    sub = fanout.subscribe(1, MODERATOR, "de")
    sub.take()
    for version in range(1, 50):
        source.version = version
        fanout.notify(WatchKind.RESULTS, 1, 7)
        fanout.tick(now=float(version))
    chunk = sub.take()
    assert chunk.count(b"event: results") == 1
    assert b'"v":49' in chunk


def test_devices_get_results_at_most_once_per_device_tick() -> None:
    _source, fanout = make()
    device = fanout.subscribe(1, DEVICE, "de")
    screen = fanout.subscribe(1, SCREEN, "de")
    device.take()
    screen.take()
    received = []
    for step in range(20):  # 5 seconds of ticks with a vote in every one
        fanout.notify(WatchKind.RESULTS, 1, 7)
        fanout.tick(now=100.0 + step * 0.25)
        if device.take():
            received.append(step)
        assert screen.take()
    assert received == [0, 4, 8, 12, 16]  # the clock is the test's: once a second, exactly


def test_nothing_is_sent_to_devices_while_results_are_hidden() -> None:
    source, fanout = make()
    source.device_results = False
    device = fanout.subscribe(1, DEVICE, "de")
    assert b"event: results" not in device.take()
    fanout.notify(WatchKind.RESULTS, 1, 7)
    fanout.tick(now=50.0)
    fanout.tick(now=52.0)
    assert device.take() == b""


def test_state_change_reaches_every_audience_and_unsubscribe_stops_it() -> None:
    _source, fanout = make()
    subs = [fanout.subscribe(1, a, "de") for a in (SCREEN, DEVICE, MODERATOR)]
    other_event = fanout.subscribe(2, SCREEN, "de")
    for s in [*subs, other_event]:
        s.take()
    fanout.unsubscribe(subs[0])
    fanout.notify(WatchKind.STATE, 1, None)
    fanout.tick(now=5.0)
    assert subs[0].take() == b""
    assert all(b"event: state" in s.take() for s in subs[1:])
    assert other_event.take() == b""
    assert fanout.count(1) == 2


def test_frames_carry_increasing_ids() -> None:
    source, fanout = make()
    sub = fanout.subscribe(1, SCREEN, "de")
    first = sub.take()
    source.version = 2
    fanout.notify(WatchKind.RESULTS, 1, 7)
    fanout.tick(now=3.0)
    second = sub.take()

    def ids(chunk: bytes) -> list[int]:
        return [int(line[4:]) for line in chunk.decode().splitlines() if line.startswith("id: ")]

    assert max(ids(first)) < min(ids(second))


def test_every_stream_hears_a_heartbeat_per_period_spread_over_the_ticks() -> None:
    """One timer for all: over any heartbeat period each stream gets one comment, and
    the 800 streams are spread over the period's 80 ticks, ten a tick, never all at once."""
    source = Source()
    fanout = Fanout(source, frame, screen_tick=0.25, device_tick=1.0, heartbeat=20.0)
    subs = [fanout.subscribe(1, DEVICE, "de") for _ in range(600)]
    subs += [fanout.subscribe(2, SCREEN, "en") for _ in range(200)]
    for sub in subs:
        sub.take()
    start = fanout._next_beat - 0.25
    beats: Counter[int] = Counter()
    per_tick = []
    for n in range(1, 161):  # two periods
        fanout.tick(now=start + 0.25 * n)
        woken = [i for i, sub in enumerate(subs) if sub.wake.is_set()]
        per_tick.append(len(woken))
        for i in woken:
            assert subs[i].take() == HEARTBEAT
            beats[i] += 1
    assert set(beats.values()) == {2} and len(beats) == 800
    assert max(per_tick) == 10
    source.version = 2
    fanout.notify(WatchKind.STATE, 1, None)
    for n in range(161, 241):
        fanout.tick(now=start + 0.25 * n)
    chunk = subs[0].take()
    assert b"event: state" in chunk and HEARTBEAT not in chunk  # a frame keeps it alive too


def test_a_closed_subscriber_wakes_its_writer() -> None:
    _source, fanout = make()
    sub = fanout.subscribe(1, DEVICE, "de")
    sub.take()
    sub.close()
    assert sub.closed and sub.wake.is_set()


def test_upvotes_reach_devices_and_moderators_as_counts_and_the_screen_as_its_list() -> None:
    source, fanout = make()
    device = fanout.subscribe(1, DEVICE, "de")
    screen = fanout.subscribe(1, SCREEN, "de")
    moderator = fanout.subscribe(1, MODERATOR, "de")
    assert b"event: votes" not in device.take()  # the first frame: the list holds the counts
    screen.take()
    assert b"event: contributions" in moderator.take()
    source.version = 1
    fanout.notify(WatchKind.VOTES, 1, None)
    fanout.tick(now=10.0)
    assert b"event: contributions" in screen.take()
    for chunk in (device.take(), moderator.take()):
        assert b"event: votes" in chunk and b"event: contributions" not in chunk
    late = fanout.subscribe(1, MODERATOR, "de")  # a new one gets the queue, counts in it
    assert b"event: contributions" in late.take()


def test_devices_get_the_whole_list_first_then_deltas_and_again_after_a_missed_one() -> None:
    source, fanout = make()
    reader = fanout.subscribe(1, DEVICE, "de")
    slow = fanout.subscribe(1, DEVICE, "de")
    first = reader.take()
    slow.take()
    assert b"event: contributions" in first and b'"kind":"contributions_full"' in first
    source.version = 1
    fanout.notify(WatchKind.CONTRIBUTIONS, 1, None)
    fanout.tick(now=10.0)
    delta = reader.take()
    assert b"event: contributions" in delta and b'"kind":"contributions"' in delta
    source.version = 2  # the slow one has not read version 1: a delta on it would miss it
    fanout.notify(WatchKind.CONTRIBUTIONS, 1, None)
    fanout.tick(now=20.0)
    assert b'"kind":"contributions"' in reader.take()
    caught_up = slow.take()
    assert caught_up.count(b"event: contributions") == 1
    assert b'"kind":"contributions_full"' in caught_up and b'"v":2' in caught_up
    assert source.calls[("contributions", 1, DEVICE, "de")] == 2  # one delta per change, for all


def test_a_newer_list_replaces_unsent_counts() -> None:
    source, fanout = make()
    device = fanout.subscribe(1, DEVICE, "de")
    device.take()
    fanout.notify(WatchKind.VOTES, 1, None)
    fanout.tick(now=10.0)
    source.version = 2
    fanout.notify(WatchKind.CONTRIBUTIONS, 1, None)
    fanout.tick(now=20.0)
    chunk = device.take()  # a slow reader: both were offered before it read
    assert b"event: contributions" in chunk and b"event: votes" not in chunk
    assert b'"v":2' in chunk


def test_a_source_can_slow_its_results_down() -> None:
    """A word cloud is redrawn at most once a second however fast answers come."""

    class Cloud(Source):
        def results_interval(self, event_id: int) -> float:
            return 1.0

    source = Cloud()
    fanout = Fanout(source, frame, screen_tick=0.25, device_tick=1.0)
    screen = fanout.subscribe(1, SCREEN, "de")
    screen.take()
    pushed = []
    for n in range(1, 13):  # three seconds of ticks, results changing every tick
        source.version = n
        fanout.notify(WatchKind.RESULTS, 1, 7)
        fanout.tick(now=100.0 + n * 0.25)
        if b"event: results" in screen.take():
            pushed.append(n)
    assert pushed == [1, 5, 9]  # once a second, the newest counts each time


class FailingFor(Source):
    """Renders every event's frames but those of one, which raise while `failing`."""

    def __init__(self, broken: int) -> None:
        super().__init__()
        self.broken = broken
        self.failing = False

    def render(self, kind: str, event_id: int, audience: str, lang: str) -> str | None:
        if self.failing and event_id == self.broken:
            raise RuntimeError("a template broke")
        return super().render(kind, event_id, audience, lang)


def events_in(chunk: bytes) -> Counter[str]:
    return Counter(line[7:] for line in chunk.decode().splitlines() if line.startswith("event: "))


def test_one_events_failing_render_does_not_silence_the_others() -> None:
    source = FailingFor(broken=2)
    fanout = Fanout(source, frame, screen_tick=0.25, device_tick=1.0)
    screens = {event_id: fanout.subscribe(event_id, SCREEN, "de") for event_id in (1, 2, 3)}
    devices = {event_id: fanout.subscribe(event_id, DEVICE, "de") for event_id in (1, 2, 3)}
    for sub in (*screens.values(), *devices.values()):
        sub.take()
    source.failing = True
    source.version = 1
    for event_id in (1, 2, 3):
        fanout.notify(WatchKind.STATE, event_id, None)
        fanout.notify(WatchKind.CONTRIBUTIONS, event_id, None)
    everything = Counter({"state": 1, "results": 1, "contributions": 1})
    fanout.tick(now=10.0)
    for event_id in (1, 3):  # the others' frames of this tick went out, to every audience
        assert events_in(screens[event_id].take()) == everything
        assert events_in(devices[event_id].take()) == everything
    assert screens[2].take() == b"" and devices[2].take() == b""
    assert fanout.frames_written == 12

    fanout.tick(now=10.25)  # still broken: tried again; nothing else is sent again
    assert fanout.frames_written == 12
    assert screens[2].take() == b"" and screens[1].take() == b""

    source.failing = False
    fanout.tick(now=10.5)  # repaired: its frames go out on the next tick, the others' not again
    assert events_in(screens[2].take()) == everything
    assert events_in(devices[2].take()) == Counter({"state": 1, "results": 1})
    assert fanout.frames_written == 17
    fanout.tick(now=11.0)  # the devices' next tick: event 2's list, once
    assert events_in(devices[2].take()) == Counter({"contributions": 1})
    assert fanout.frames_written == 18
    assert all(sub.take() == b"" for sub in (screens[1], screens[3], devices[1], devices[3]))


def test_forgetting_an_event_drops_its_frames_and_ends_its_streams() -> None:
    _source, fanout = make()
    gone = [fanout.subscribe(1, audience, "de") for audience in (SCREEN, DEVICE, MODERATOR)]
    kept = fanout.subscribe(2, SCREEN, "de")
    kept.take()
    fanout.notify(WatchKind.RESULTS, 1, 7)
    fanout.notify(WatchKind.RESULTS, 2, 8)
    fanout.forget(1)
    assert all(sub.closed for sub in gone) and not kept.closed
    assert fanout.count(1) == 0 and fanout.count(2) == 1
    fanout.tick(now=3.0)
    assert b"event: results" in kept.take()
    fanout.unsubscribe(kept)
    fanout.forget(2)
    assert fanout.held() == 0
