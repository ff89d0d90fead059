"""The board re-reads an event's contributions on every change and says whether only
upvotes moved ("votes") or the list itself changed ("contributions")."""

from __future__ import annotations

import asyncio

from podium.runtime import Runtime
from podium.services import contributions, moderation
from podium.services.catalog_events import create_event


async def heard(rt: Runtime, seen: list[tuple[str, int]], count: int) -> None:
    for _ in range(200):
        if len(seen) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"heard {seen}, wanted {count} changes")


async def test_upvotes_alone_are_told_apart_from_list_changes(runtime: Runtime) -> None:
    event = await create_event(runtime, "Board")
    await moderation.configure(runtime, event.id, moderation="post")
    live = await runtime.live.get(event.id)
    assert live is not None
    seen: list[tuple[str, int]] = []
    runtime.board.watch(lambda what, event_id, _q: seen.append((what, event_id)))
    assert await runtime.board.get(event.id) == []
    item = await contributions.submit(runtime, live, "a" * 40, "Mehr Personal, bitte")
    await heard(runtime, seen, 1)
    await contributions.vote(runtime, live, "b" * 40, item.id, True)
    await heard(runtime, seen, 2)
    await moderation.act(runtime, event.id, item.id, "pin", None)
    await heard(runtime, seen, 3)
    assert [what for what, _ in seen] == ["contributions", "votes", "contributions"]
    board = runtime.board.loaded(event.id)
    assert board is not None and board[0].votes == 1 and board[0].status.pinned
