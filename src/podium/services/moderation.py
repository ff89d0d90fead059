"""What moderators do with contributions, several of them at once.

Each change is a compare-and-set on the contribution's version: read it, let the
domain decide, then `UPDATE … WHERE version = <the version read>`. When another
moderator (or a second click) changed it in between, no row matches and the
moderator is told `contribution_changed`: nobody's decision is silently overwritten.
A moderator's client may also send the version its screen showed; an action on an
outdated view is refused the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.blocklist import normalise_entry
from podium.domain.contributions import (
    Action,
    Moderation,
    State,
    Status,
    apply,
    check_seen,
    clean_text,
)
from podium.domain.errors import InvalidAnswer, NotAllowed, NotFound, RuleViolation
from podium.services.context import Context
from podium.services.contributions import LIMITS, changed, lock
from podium.services.read_models import Item, item_of
from podium.store.tables import Contribution, ContributionVote, Event, ParticipantBan, utcnow

SCREEN_MODES = ("poll", "contributions")


async def _read(rt: Context, event_id: int, contribution_id: int) -> Contribution:
    async with rt.sessions() as session:
        row = await session.get(Contribution, contribution_id)
    if row is None or row.event_id != event_id:
        raise NotFound("unknown_contribution")
    return row


async def _write(rt: Context, row: Contribution, **values: Any) -> Item:
    """Store the change if nobody changed the contribution since `row` was read."""
    async with rt.sessions.begin() as session:
        if values.get("highlighted"):
            # One highlighted contribution per event: the panel answers one at a time.
            await session.execute(
                update(Contribution)
                .where(
                    Contribution.event_id == row.event_id,
                    Contribution.highlighted.is_(True),
                    Contribution.id != row.id,
                )
                .values(highlighted=False, version=Contribution.version + 1)
            )
        await _compare_and_set(session, row, **values)
        fresh = await session.get(Contribution, row.id, populate_existing=True)
        assert fresh is not None
        item = item_of(fresh)
    await changed(rt, row.event_id)
    return item


async def _compare_and_set(session: AsyncSession, row: Contribution, **values: Any) -> None:
    """Change the row as read, or raise when anyone changed it since."""
    done = await session.execute(
        update(Contribution)
        .where(Contribution.id == row.id, Contribution.version == row.version)
        .values(version=row.version + 1, updated_at=utcnow(), **values)
        .returning(Contribution.id)
    )
    if done.first() is None:
        raise NotAllowed("contribution_changed")


def _status_values(status: Status) -> dict[str, Any]:
    return {
        "state": status.state.value,
        "highlighted": status.highlighted,
        "answered": status.answered,
        "pinned": status.pinned,
    }


async def act(
    rt: Context, event_id: int, contribution_id: int, action: str, seen_version: int | None
) -> Item:
    """Approve, reject, put back, highlight, mark answered, pin, archive (and undo)."""
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidAnswer("unknown_action") from None
    row = await _read(rt, event_id, contribution_id)
    check_seen(row.version, seen_version)
    status = apply(item_of(row).status, chosen)
    return await _write(rt, row, **_status_values(status))


async def act_many(
    rt: Context, event_id: int, contribution_ids: Sequence[int], action: str
) -> list[tuple[int, Item | RuleViolation]]:
    """The same action on several contributions; each succeeds or fails on its own
    (one already decided by someone else does not stop the others)."""
    outcomes: list[tuple[int, Item | RuleViolation]] = []
    for contribution_id in dict.fromkeys(contribution_ids):
        try:
            outcomes.append(
                (contribution_id, await act(rt, event_id, contribution_id, action, None))
            )
        except RuleViolation as exc:
            outcomes.append((contribution_id, exc))
    return outcomes


async def edit(
    rt: Context, event_id: int, contribution_id: int, text: Any, seen_version: int | None
) -> Item:
    """Correct the shown text (a typo); the participant's own words are kept."""
    row = await _read(rt, event_id, contribution_id)
    check_seen(row.version, seen_version)
    clean = clean_text(text, LIMITS)
    original = row.original_text or row.text
    return await _write(rt, row, text=clean, original_text=None if clean == original else original)


async def merge(rt: Context, event_id: int, keep_id: int, duplicate_id: int) -> Item:
    """Fold a duplicate into another: its upvotes join the kept one's (a participant
    who upvoted both counts once), and the duplicate is archived, pointing to it.

    Both rows are locked first, in id order (two merges crossing each other wait
    instead of deadlocking), so no upvote of either is half done while the upvotes
    are copied. The kept one's count is taken by the UPDATE that stores it, after the
    copy: no count read earlier, before someone's upvote committed, can be written."""
    if keep_id == duplicate_id:
        raise NotAllowed("merge_itself")
    keep = await _read(rt, event_id, keep_id)
    duplicate = await _read(rt, event_id, duplicate_id)
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise NotAllowed("contribution_changed")
    dialect_insert = pg_insert if rt.engine.dialect.name == "postgresql" else sqlite_insert
    async with rt.sessions.begin() as session:
        for contribution_id in sorted((keep.id, duplicate.id)):
            if await lock(session, event_id, contribution_id) is None:
                raise NotFound("unknown_contribution")
        await _compare_and_set(
            session,
            duplicate,
            state=State.ARCHIVED.value,
            highlighted=False,
            pinned=False,
            merged_into_id=keep.id,
        )
        await session.execute(
            dialect_insert(ContributionVote)
            .from_select(
                ["contribution_id", "participant_id", "created_at"],
                select(
                    literal(keep.id), ContributionVote.participant_id, ContributionVote.created_at
                ).where(ContributionVote.contribution_id == duplicate.id),
            )
            .on_conflict_do_nothing()
        )
        counted = (
            select(func.count())
            .select_from(ContributionVote)
            .where(ContributionVote.contribution_id == keep.id)
            .scalar_subquery()
        )
        await _compare_and_set(session, keep, votes=counted)
        fresh = await session.get(Contribution, keep.id, populate_existing=True)
        assert fresh is not None
        item = item_of(fresh)
    await changed(rt, event_id)
    return item


async def ban_author(rt: Context, event_id: int, contribution_id: int) -> int:
    """The author of this contribution may send no more to this event; what they sent
    and nobody approved yet is rejected. Returns how many were rejected."""
    row = await _read(rt, event_id, contribution_id)
    dialect_insert = pg_insert if rt.engine.dialect.name == "postgresql" else sqlite_insert
    async with rt.sessions.begin() as session:
        await session.execute(
            dialect_insert(ParticipantBan)
            .values(event_id=event_id, participant_id=row.participant_id, created_at=utcnow())
            .on_conflict_do_nothing()
        )
        rejected = await session.execute(
            update(Contribution)
            .where(
                Contribution.event_id == event_id,
                Contribution.participant_id == row.participant_id,
                Contribution.state == State.PENDING.value,
            )
            .values(state=State.REJECTED.value, version=Contribution.version + 1)
            .returning(Contribution.id)
        )
        count = len(rejected.all())
    await changed(rt, event_id)
    return count


async def remove(rt: Context, event_id: int, contribution_id: int) -> None:
    """Delete it for good (with its upvotes): it leaves every live view at once."""
    await _read(rt, event_id, contribution_id)
    async with rt.sessions.begin() as session:
        await session.execute(delete(Contribution).where(Contribution.id == contribution_id))
    await changed(rt, event_id)


async def configure(
    rt: Context,
    event_id: int,
    *,
    contributions_open: bool | None = None,
    moderation: str | None = None,
    panelists: Sequence[str] | None = None,
    blocked_words: Sequence[str] | None = None,
    allowed_words: Sequence[str] | None = None,
    screen_mode: str | None = None,
    screen_shows_participants: bool | None = None,
) -> None:
    """Change the event's contribution and screen settings; what is not given stays."""
    values: dict[str, Any] = {}
    if contributions_open is not None:
        values["contributions_open"] = contributions_open
    if moderation is not None:
        try:
            values["moderation"] = Moderation(moderation).value
        except ValueError:
            raise InvalidAnswer("unknown_moderation") from None
    if panelists is not None:
        values["panelists"] = _clean_list(panelists, 200, normalise=False)
    if blocked_words is not None:
        values["blocked_words"] = _clean_list(blocked_words, 100, normalise=True)
    if allowed_words is not None:
        values["allowed_words"] = _clean_list(allowed_words, 100, normalise=True)
    if screen_mode is not None:
        if screen_mode not in SCREEN_MODES:
            raise InvalidAnswer("unknown_screen_mode")
        values["screen_mode"] = screen_mode
    if screen_shows_participants is not None:
        values["screen_shows_participants"] = screen_shows_participants
    if not values:
        return
    async with rt.sessions.begin() as session:
        done = await session.execute(
            update(Event).where(Event.id == event_id).values(**values).returning(Event.id)
        )
        if done.first() is None:
            raise NotFound("unknown_event")
    await rt.state_changed(event_id)
    await changed(rt, event_id)


def _clean_list(values: Sequence[str], max_length: int, normalise: bool) -> list[str]:
    """Trimmed, without blanks and repeats; blocklist entries as the list will hold them."""
    kept: list[str] = []
    for raw in values:
        text = " ".join(str(raw).split())
        if normalise:
            text = normalise_entry(text) or ""
        if not text:
            continue
        if len(text) > max_length:
            raise InvalidAnswer("entry_too_long", max=max_length)
        if text not in kept:
            kept.append(text)
    return kept
