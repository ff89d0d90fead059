"""Upvote counts never drift: after any mix of concurrent upvotes, withdrawals and
merges, every contribution's `votes` is the number of its stored upvote rows, on
both stores, and an upvote given while a merge runs is neither lost nor left behind
on the archived duplicate."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.util import await_only

from podium.domain.contributions import State
from podium.domain.errors import RuleViolation
from podium.runtime import Runtime
from podium.services import contributions, moderation
from podium.services.catalog_events import create_event
from podium.services.live_cache import LiveEvent
from podium.services.participation import participant_id
from podium.store.tables import Contribution, ContributionVote


async def live_event(rt: Runtime) -> LiveEvent:
    created = await create_event(rt, "Podium")
    await moderation.configure(rt, created.id, moderation="post")
    live = await rt.live.get(created.id)
    assert live is not None
    return live


def token(n: int) -> str:
    return f"participant-{n:032d}"


async def pid_of(rt: Runtime, event: LiveEvent, n: int) -> int:
    return await participant_id(rt, event.id, token(n))


async def voters(rt: Runtime, contribution_id: int) -> set[int]:
    async with rt.sessions() as session:
        return set(
            await session.scalars(
                select(ContributionVote.participant_id).where(
                    ContributionVote.contribution_id == contribution_id
                )
            )
        )


async def assert_counts_match_rows(rt: Runtime, event_id: int) -> None:
    """Every contribution's shown count is its stored upvote rows."""
    async with rt.sessions() as session:
        rows = (
            await session.execute(
                select(Contribution.id, Contribution.votes).where(Contribution.event_id == event_id)
            )
        ).all()
    for contribution_id, votes in rows:
        assert votes == len(await voters(rt, contribution_id)), contribution_id


async def test_upvotes_withdrawals_and_a_merge_at_once_keep_counts_exact(
    runtime: Runtime,
) -> None:
    event = await live_event(runtime)
    keep = await contributions.submit(runtime, event, token(0), "Bleibt das Homeoffice?")
    dup = await contributions.submit(runtime, event, token(1), "Was wird aus der Telearbeit?")
    other = await contributions.submit(runtime, event, token(2), "Mehr Fortbildung, bitte")
    both = range(10, 14)  # upvoted both before: must count once on the kept one
    keep_only = range(14, 18)
    withdrawers = range(18, 24)  # upvoted the duplicate, take it back during the merge
    for n in both:
        await contributions.vote(runtime, event, token(n), keep.id, True)
        await contributions.vote(runtime, event, token(n), dup.id, True)
    for n in keep_only:
        await contributions.vote(runtime, event, token(n), keep.id, True)
    for n in withdrawers:
        await contributions.vote(runtime, event, token(n), dup.id, True)

    togglers = range(30, 50)  # on the kept one and the untouched one, each in turn
    late = range(50, 70)  # upvote the duplicate while it is merged
    rng = random.Random(14)
    plans = {n: [rng.random() < 0.6 for _ in range(rng.randint(1, 5))] for n in togglers}
    refused: list[str] = []

    async def toggle(n: int) -> None:
        for up in plans[n]:
            await contributions.vote(runtime, event, token(n), keep.id, up)
            await contributions.vote(runtime, event, token(n), other.id, not up)

    async def on_duplicate(n: int, up: bool) -> None:
        try:
            await contributions.vote(runtime, event, token(n), dup.id, up)
        except RuleViolation as exc:  # archived by the merge: no longer votable
            refused.append(exc.code)

    tasks: list[Any] = [toggle(n) for n in togglers]
    tasks += [on_duplicate(n, True) for n in late]
    tasks += [on_duplicate(n, False) for n in withdrawers]
    middle = len(tasks) // 2
    tasks.insert(middle, moderation.merge(runtime, event.id, keep.id, dup.id))
    await asyncio.gather(*tasks)

    assert set(refused) <= {"contribution_not_votable"}
    await assert_counts_match_rows(runtime, event.id)
    on_dup = await voters(runtime, dup.id)
    on_keep = await voters(runtime, keep.id)
    expected = {await pid_of(runtime, event, n) for n in [*both, *keep_only]}
    expected |= {await pid_of(runtime, event, n) for n in togglers if plans[n][-1]}
    expected |= on_dup  # every upvote the duplicate kept was carried over
    assert on_keep == expected
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert items[dup.id].state is State.ARCHIVED and items[dup.id].merged_into_id == keep.id
    assert items[keep.id].votes == len(expected)


async def test_two_merges_crossing_each_other_end_with_exact_counts(runtime: Runtime) -> None:
    """A into B and B into A at once: one wins, the other is told; no deadlock."""
    event = await live_event(runtime)
    a = await contributions.submit(runtime, event, token(0), "Homeoffice")
    b = await contributions.submit(runtime, event, token(1), "Telearbeit")
    for n in range(10, 16):
        await contributions.vote(runtime, event, token(n), a.id if n % 2 else b.id, True)
    await contributions.vote(runtime, event, token(20), a.id, True)
    await contributions.vote(runtime, event, token(20), b.id, True)
    outcomes = await asyncio.gather(
        moderation.merge(runtime, event.id, a.id, b.id),
        moderation.merge(runtime, event.id, b.id, a.id),
        *(contributions.vote(runtime, event, token(n), a.id, True) for n in range(30, 35)),
        return_exceptions=True,
    )
    merges, upvotes = outcomes[:2], outcomes[2:]
    told = [o for o in merges if isinstance(o, RuleViolation)]
    assert len(told) == 1 and told[0].code == "contribution_changed"
    for outcome in upvotes:  # counted, or refused since `a` was archived first
        assert not isinstance(outcome, BaseException) or (
            isinstance(outcome, RuleViolation) and outcome.code == "contribution_not_votable"
        ), outcome
    await assert_counts_match_rows(runtime, event.id)
    kept = next(o for o in merges if not isinstance(o, BaseException))
    archived = b.id if kept.id == a.id else a.id
    on_kept = await voters(runtime, kept.id)
    assert on_kept == on_kept | await voters(runtime, archived)
    counted = sum(1 for o in upvotes if not isinstance(o, BaseException))
    assert len(on_kept) == 7 + counted  # 3 + 3 + the one who upvoted both, once


# --- a fixed interleaving on PostgreSQL: the upvote's transaction is held open ----------


@contextmanager
def held_after(
    rt: Runtime, starts: str, gate: asyncio.Event, reached: asyncio.Event
) -> Iterator[None]:
    """Hold the first statement that starts with `starts` (once it ran, inside its
    transaction) until `gate` is set: another transaction can then run into it."""
    armed = [True]

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if armed[0] and statement.lstrip().startswith(starts):
            armed[0] = False
            reached.set()
            await_only(gate.wait())  # the session runs in a greenlet: this yields to the loop

    sa_event.listen(rt.engine.sync_engine, "after_cursor_execute", hold)
    try:
        yield
    finally:
        sa_event.remove(rt.engine.sync_engine, "after_cursor_execute", hold)


async def wait_for_a_lock_wait(rt: Runtime, merge: asyncio.Task[Any]) -> None:
    """Until some transaction of this database waits for a row lock, or the merge
    did not have to wait at all."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(500):
        if merge.done():
            return
        async with rt.engine.connect() as conn:
            if await conn.scalar(query):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("nobody waited for a lock")


@pytest.mark.postgresql_only
async def test_an_upvote_of_the_kept_one_committing_during_a_merge_is_counted(
    runtime: Runtime,
) -> None:
    """Before: the merge counted the kept one's rows, then waited for the upvote's row
    lock, and wrote its count over the upvote's +1 once that committed."""
    event = await live_event(runtime)
    keep = await contributions.submit(runtime, event, token(0), "Homeoffice")
    dup = await contributions.submit(runtime, event, token(1), "Telearbeit")
    for n in (10, 11):
        await contributions.vote(runtime, event, token(n), dup.id, True)
    await pid_of(runtime, event, 12)  # known already: only the upvote's own statements run
    gate, reached = asyncio.Event(), asyncio.Event()
    with held_after(
        runtime, "UPDATE contributions SET votes=(contributions.votes +", gate, reached
    ):
        upvote = asyncio.create_task(contributions.vote(runtime, event, token(12), keep.id, True))
        await asyncio.wait_for(reached.wait(), 10)
        merge = asyncio.create_task(moderation.merge(runtime, event.id, keep.id, dup.id))
        await wait_for_a_lock_wait(runtime, merge)
        gate.set()
        await asyncio.gather(upvote, merge)
    await assert_counts_match_rows(runtime, event.id)
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert items[keep.id].votes == 3


@pytest.mark.postgresql_only
async def test_an_upvote_of_the_duplicate_during_a_merge_moves_with_it(runtime: Runtime) -> None:
    """Before: the upvote checked the duplicate was votable, the merge copied its
    upvotes, and the upvote then landed on the archived duplicate, lost to the kept."""
    event = await live_event(runtime)
    keep = await contributions.submit(runtime, event, token(0), "Homeoffice")
    dup = await contributions.submit(runtime, event, token(1), "Telearbeit")
    await contributions.vote(runtime, event, token(10), keep.id, True)
    late = await pid_of(runtime, event, 12)
    gate, reached = asyncio.Event(), asyncio.Event()
    with held_after(runtime, "INSERT INTO contribution_votes", gate, reached):
        upvote = asyncio.create_task(contributions.vote(runtime, event, token(12), dup.id, True))
        await asyncio.wait_for(reached.wait(), 10)
        merge = asyncio.create_task(moderation.merge(runtime, event.id, keep.id, dup.id))
        await wait_for_a_lock_wait(runtime, merge)
        gate.set()
        await asyncio.gather(upvote, merge)
    await assert_counts_match_rows(runtime, event.id)
    assert late in await voters(runtime, keep.id)
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert items[keep.id].votes == 2
