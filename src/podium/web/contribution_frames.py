"""The contributions lists as live frames: the same bytes for every device (and for
every moderator), carrying only what changed since the frame before.

Sending the whole list on each change cost every device about 100 KB with 100 long
contributions (1 GB at 10,000 devices for one approval), and every moderator about
3.5 KB a contribution, four times a second while new ones came in. Frames now name
every item with its revision and carry the HTML only of items whose revision the
previous frame of that list did not show; the browser keeps the HTML it was sent and
rebuilds the list. It checks every item: when a frame names a revision it has not
got (it joined between two frames, or one was skipped), it asks for the whole list
(`full`), which is also what it gets when it subscribes and when the fan-out sees
that it missed a frame.

Devices: `order` lists [id, revision, upvotes] (upvotes are not in the revision:
they travel in every frame and in the "votes" frames); `ranks` lists the ids in each
order a participant may choose (domain/contributions.py decides them, the script only
follows), in every frame and in the "votes" frames too, where upvotes move them.
Moderators: `shell` is the queue with a placeholder `<!--q:id:revision-->` for each
item; `items` are keyed "id:revision" (upvotes are in the revision: the queue shows
them in its items).
"""

from __future__ import annotations

import zlib
from typing import Any

from jinja2 import Environment

from podium.domain.contributions import State, ranks
from podium.services.contribution_board import public
from podium.services.live_cache import LiveEvent
from podium.services.read_models import Item

DEVICE_LIST_MAX = 100  # the device frame goes to every participant: keep it small
DEVICE_PARTS = "partials/contributions_items.html"
QUEUE_PARTS = "moderator/queue_item.html"


def _hash(shown: tuple[object, ...]) -> str:
    return format(zlib.crc32(repr(shown).encode()), "x")


def revision(item: Item) -> str:
    """What a device's item shows, but its upvotes."""
    return _hash((item.text, item.name, item.panelist, item.status, item.created_at))


def queue_revision(item: Item) -> str:
    """What a moderator's item shows, upvotes and version included."""
    return _hash(
        (
            item.text,
            item.original_text,
            item.name,
            item.panelist,
            item.status,
            item.votes,
            item.version,
            item.merged_into_id,
            item.created_at,
        )
    )


class _Deltas:
    """The revisions the last delta frame of each (event, language) showed: the base
    of the next one. A full frame leaves the base as it was."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._sent: dict[tuple[int, str], dict[int, str]] = {}

    def _base(
        self, event_id: int, lang: str, revisions: dict[int, str], full: bool
    ) -> dict[int, str]:
        if full:
            return {}
        key = (event_id, lang)
        before = self._sent.get(key, {})
        self._sent[key] = revisions
        return before

    def forget(self, event_id: int) -> None:
        for key in [key for key in self._sent if key[0] == event_id]:
            del self._sent[key]

    def held(self) -> int:
        return len(self._sent)


class DeviceLists(_Deltas):
    def frame(
        self, event: LiveEvent, items: list[Item], lang: str, full: bool = False
    ) -> dict[str, Any]:
        approved = public(items)
        shown = approved[:DEVICE_LIST_MAX]
        revisions = {i.id: revision(i) for i in shown}
        before = self._base(event.id, lang, revisions, full)
        parts: Any = self._env.get_template(DEVICE_PARTS).module
        return {
            "open": event.contributions_open,
            "count": len(approved),
            "full": full,
            "order": [[i.id, revisions[i.id], i.votes] for i in shown],
            "ranks": ranks(shown),
            # The ids alone, never the texts: an author's page sees its own one leave
            # the queue (rejected, withdrawn) without asking.
            "pending": [i.id for i in items if i.state is State.PENDING],
            "items": {
                str(i.id): str(parts.item(event, i, revisions[i.id])).strip()
                for i in shown
                if before.get(i.id) != revisions[i.id]
            },
            "before": str(parts.opening(len(approved))),
            "after": str(parts.closing(len(shown), len(approved))).strip(),
            "empty": str(parts.empty()),
        }


class QueueLists(_Deltas):
    def frame(
        self, event: LiveEvent, items: list[Item], lang: str, full: bool = False
    ) -> dict[str, Any]:
        revisions = {i.id: queue_revision(i) for i in items}
        before = self._base(event.id, lang, revisions, full)
        parts: Any = self._env.get_template(QUEUE_PARTS).module
        shell = self._env.get_template("moderator/contributions_queue.html").render(
            event=event, items=items, shell=True
        )
        return {
            "full": full,
            "pending": sum(1 for i in items if i.state is State.PENDING),
            "shell": shell,
            "items": {
                f"{i.id}:{revisions[i.id]}": str(parts.queue_item(event, i)).strip()
                for i in items
                if before.get(i.id) != revisions[i.id]
            },
        }
