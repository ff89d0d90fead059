"""Written contributions end to end at the service level, on both stores: what a
participant may send, what moderators do, several at once, and that the database
keeps one upvote per participant."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from podium.domain.contributions import State
from podium.domain.errors import RuleViolation
from podium.runtime import Runtime
from podium.services import contributions, moderation
from podium.services.catalog_events import create_event
from podium.services.live_cache import LiveEvent
from podium.store.tables import Contribution, ContributionVote


async def live_event(rt: Runtime, **settings: object) -> LiveEvent:
    event = await create_event(rt, "Podium")
    if settings:
        await moderation.configure(rt, event.id, **settings)  # type: ignore[arg-type]
    live = await rt.live.get(event.id)
    assert live is not None
    return live


def token(n: int) -> str:
    return f"participant-{n:032d}"


async def refused(code: str, call: object) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        await call  # type: ignore[misc]
    assert caught.value.code == code, caught.value.code
    return caught.value


async def stored(rt: Runtime) -> int:
    async with rt.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Contribution)) or 0)


async def test_pre_moderation_keeps_it_pending_until_approved(runtime: Runtime) -> None:
    event = await live_event(runtime)
    item = await contributions.submit(
        runtime, event, token(1), "  Wie geht es mit der  E-Akte weiter? ", "Anna", None
    )
    assert item.state is State.PENDING and not item.visible
    assert item.text == "Wie geht es mit der E-Akte weiter?" and item.name == "Anna"
    own, _voted = await contributions.mine(runtime, event.id, token(1))
    assert [i.id for i in own] == [item.id]  # the author sees it, marked pending
    approved = await moderation.act(runtime, event.id, item.id, "approve", item.version)
    assert approved.visible and approved.version == item.version + 1


async def test_post_moderation_shows_it_at_once(runtime: Runtime) -> None:
    event = await live_event(runtime, moderation="post")
    item = await contributions.submit(runtime, event, token(1), "Mehr Videoberatung!")
    assert item.state is State.APPROVED and item.visible


async def test_addressed_to_a_panelist_of_the_event(runtime: Runtime) -> None:
    event = await live_event(runtime, panelists=["Dr. Petra Schmidt", "Jan Weber"])
    item = await contributions.submit(runtime, event, token(1), "Frage an Sie", None, "jan weber")
    assert item.panelist == "Jan Weber"
    await refused(
        "unknown_panelist", contributions.submit(runtime, event, token(2), "Frage", None, "Niemand")
    )


async def test_bad_input_is_refused_and_nothing_is_stored(runtime: Runtime) -> None:
    event = await live_event(runtime)
    await refused("empty_contribution", contributions.submit(runtime, event, token(1), "   "))
    await refused(
        "contribution_too_long", contributions.submit(runtime, event, token(1), "x" * 301)
    )
    await refused(
        "contribution_blocked",
        contributions.submit(runtime, event, token(1), "Das ist doch Schei55e!"),
    )
    assert await stored(runtime) == 0


async def test_the_event_can_add_and_allow_blocked_words(runtime: Runtime) -> None:
    event = await live_event(runtime, blocked_words=["Bürokratiemonster"])
    blocked = await refused(
        "contribution_blocked",
        contributions.submit(runtime, event, token(1), "So ein buerokratiemonster"),
    )
    assert "bürokratiemonster" in blocked.params["words"]  # as the list spells it
    await moderation.configure(runtime, event.id, allowed_words=["Arsch"])
    allowed = await runtime.live.get(event.id)
    assert allowed is not None
    sent = await contributions.submit(runtime, allowed, token(1), "Der Arsch der Welt? Nein!")
    assert sent.text.startswith("Der Arsch")  # a shipped word this event allows


async def test_too_fast_and_duplicates_are_refused(runtime: Runtime) -> None:
    event = await live_event(runtime)
    await contributions.submit(runtime, event, token(1), "Wann kommt die digitale Akte?")
    await refused(
        "duplicate_contribution",
        contributions.submit(runtime, event, token(1), "wann kommt die Digitale Akte??"),
    )
    await refused(  # the same text pasted by someone else a moment later
        "duplicate_contribution",
        contributions.submit(runtime, event, token(2), "Wann kommt die digitale Akte"),
    )
    await contributions.submit(runtime, event, token(1), "Wie wird Homeoffice organisiert?")
    await contributions.submit(runtime, event, token(1), "Was wird aus der Videoberatung?")
    too_fast = await refused(
        "too_fast", contributions.submit(runtime, event, token(1), "Und die Zugangskanäle?")
    )
    assert too_fast.params["seconds"] >= 1
    assert await stored(runtime) == 3


async def test_closed_or_banned_cannot_send(runtime: Runtime) -> None:
    event = await live_event(runtime)
    first = await contributions.submit(runtime, event, token(1), "Erster Beitrag")
    pending = await contributions.submit(runtime, event, token(1), "Zweiter Beitrag hier")
    assert await moderation.ban_author(runtime, event.id, first.id) == 2
    await refused("banned", contributions.submit(runtime, event, token(1), "Noch einer"))
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert items[pending.id].state is State.REJECTED  # nothing of theirs is left waiting
    await moderation.configure(runtime, event.id, contributions_open=False)
    closed = await runtime.live.get(event.id)
    assert closed is not None
    await refused("contributions_closed", contributions.submit(runtime, closed, token(2), "Hallo"))


async def test_fifty_concurrent_duplicate_upvotes_count_once(runtime: Runtime) -> None:
    event = await live_event(runtime, moderation="post")
    item = await contributions.submit(runtime, event, token(1), "Bitte mehr Fortbildung")
    results = await asyncio.gather(
        *(contributions.vote(runtime, event, token(2), item.id, True) for _ in range(50))
    )
    assert max(r.votes for r in results) == 1
    others = await asyncio.gather(
        *(contributions.vote(runtime, event, token(n), item.id, True) for n in range(3, 13))
    )
    assert max(r.votes for r in others) == 11
    async with runtime.sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(ContributionVote))
    assert rows == 11
    back = await contributions.vote(runtime, event, token(2), item.id, False)
    assert back.votes == 10
    again = await contributions.vote(runtime, event, token(2), item.id, False)
    assert again.votes == 10  # taking back twice takes back once


async def test_upvotes_only_for_visible_contributions_of_the_event(runtime: Runtime) -> None:
    event = await live_event(runtime)
    pending = await contributions.submit(runtime, event, token(1), "Noch nicht freigegeben")
    await refused(
        "contribution_not_votable", contributions.vote(runtime, event, token(2), pending.id, True)
    )
    other = await live_event(runtime, moderation="post")
    foreign = await contributions.submit(runtime, other, token(1), "Anderes Podium")
    await refused(
        "unknown_contribution", contributions.vote(runtime, event, token(2), foreign.id, True)
    )
    rejected = await moderation.act(runtime, other.id, foreign.id, "reject", None)
    await refused(
        "contribution_not_votable", contributions.vote(runtime, other, token(2), rejected.id, True)
    )


async def test_the_second_moderator_is_told_it_was_decided(runtime: Runtime) -> None:
    event = await live_event(runtime)
    item = await contributions.submit(runtime, event, token(1), "Wer entscheidet das?")
    first, second = await asyncio.gather(
        moderation.act(runtime, event.id, item.id, "approve", item.version),
        moderation.act(runtime, event.id, item.id, "reject", item.version),
        return_exceptions=True,
    )
    outcomes = [first, second]
    decided = [o for o in outcomes if not isinstance(o, BaseException)]
    told = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(decided) == 1 and len(told) == 1
    assert told[0].code == "contribution_changed"
    await refused(  # and an action on an outdated view
        "contribution_changed", moderation.act(runtime, event.id, item.id, "archive", item.version)
    )


async def test_one_highlighted_at_a_time_and_answered_clears_it(runtime: Runtime) -> None:
    event = await live_event(runtime, moderation="post")
    a = await contributions.submit(
        runtime, event, token(1), "Wie sichern wir die Beratungsqualität?"
    )
    b = await contributions.submit(
        runtime, event, token(2), "Was bedeutet das für die Zugangskanäle?"
    )
    await moderation.act(runtime, event.id, a.id, "highlight", None)
    await moderation.act(runtime, event.id, b.id, "highlight", None)
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert not items[a.id].status.highlighted and items[b.id].status.highlighted
    done = await moderation.act(runtime, event.id, b.id, "answered", None)
    assert done.status.answered and not done.status.highlighted


async def test_edit_keeps_the_original_and_merge_combines_upvotes(runtime: Runtime) -> None:
    event = await live_event(runtime, moderation="post")
    a = await contributions.submit(runtime, event, token(1), "Wie geht es mit Homeofice weiter?")
    b = await contributions.submit(runtime, event, token(2), "Bleibt das Homeoffice erhalten?")
    fixed = await moderation.edit(
        runtime, event.id, a.id, "Wie geht es mit Homeoffice weiter?", a.version
    )
    assert fixed.text.endswith("Homeoffice weiter?")
    assert fixed.original_text == "Wie geht es mit Homeofice weiter?"
    for n in (3, 4):
        await contributions.vote(runtime, event, token(n), a.id, True)
    for n in (4, 5, 6):
        await contributions.vote(runtime, event, token(n), b.id, True)
    kept = await moderation.merge(runtime, event.id, a.id, b.id)
    assert kept.votes == 4  # 3, 4, 5, 6: the one who upvoted both counts once
    items = {i.id: i for i in await contributions.all_items(runtime, event.id)}
    assert items[b.id].state is State.ARCHIVED and items[b.id].merged_into_id == a.id


async def test_bulk_actions_and_delete(runtime: Runtime) -> None:
    event = await live_event(runtime)
    ids = [
        (
            await contributions.submit(
                runtime,
                event,
                token(n),
                [
                    "Mehr Personal in den Jobcentern",
                    "Digitale Akte schneller einführen",
                    "Videoberatung für alle anbieten",
                ][n],
            )
        ).id
        for n in range(3)
    ]
    await moderation.act(runtime, event.id, ids[0], "reject", None)
    outcomes = await moderation.act_many(runtime, event.id, ids, "approve")
    assert [getattr(o, "visible", None) for _, o in outcomes] == [True, True, True]
    outcomes = await moderation.act_many(runtime, event.id, ids, "approve")
    assert all(isinstance(o, RuleViolation) for _, o in outcomes)  # already approved
    await moderation.remove(runtime, event.id, ids[1])
    assert [i.id for i in await contributions.all_items(runtime, event.id)] == [ids[0], ids[2]]
