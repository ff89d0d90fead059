"""The presence sums of one process, driven by its own clock: what it publishes and
when, and how long it believes a silent process."""

from __future__ import annotations

from podium.live.hub import MemoryHub
from podium.live.messages import Message, PresenceCounts
from podium.live.presence import Presence


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_changes_go_out_spaced_heartbeats_follow_and_silence_expires() -> None:
    hub = MemoryHub()
    sent: list[Message] = []

    async def record(message: Message) -> None:
        sent.append(message)

    hub.add_listener(record)
    local = {7: 2}
    clock = Clock()
    presence = Presence(hub, lambda: dict(local), clock=clock)
    changed: list[int] = []
    presence.watch(changed.append)

    await presence.tick()
    assert [m.counts for m in sent if isinstance(m, PresenceCounts)] == [{7: 2}]
    assert presence.total(7) == 2 and changed == [7]

    local[7] = 3
    clock.now += 0.5
    await presence.tick()  # changed, but within a second of the last message
    assert len(sent) == 1 and presence.total(7) == 2
    clock.now += 0.5
    await presence.tick()
    assert [m.counts for m in sent if isinstance(m, PresenceCounts)] == [{7: 2}, {7: 3}]

    clock.now += 5
    await presence.tick()  # unchanged: nothing until the heartbeat is due
    assert len(sent) == 2
    clock.now += 5
    await presence.tick()
    assert len(sent) == 3

    # another process: summed, then forgotten after 30 s without a word
    await hub.publish(PresenceCounts("other", {7: 4, 8: 1}))
    assert presence.total(7) == 7 and presence.total(8) == 1
    for _ in range(3):
        clock.now += 10.1
        await presence.tick()  # our own heartbeats keep us alive
    assert presence.total(7) == 3 and presence.total(8) == 0

    await presence.stop()  # says goodbye: no participants here any more
    assert sent[-1] == PresenceCounts(presence.process, {}) and presence.total(7) == 0
