"""The participants' contributions list as live frames: the same bytes for every
device, carrying only what changed since the frame before.

Sending every device the whole list on each change cost about 100 KB a device with
100 long contributions (1 GB at 10,000 devices for one approval). A device frame now
holds the list's order, each item with its revision and upvotes, and the HTML of
only those items whose revision the previous device frame did not show. A device
keeps the HTML it was sent and rebuilds the list from the order. It checks every
item: when a frame names a revision it has not got (it joined between two frames,
or a frame was skipped), it asks for the whole list (`full`), which is also what a
device gets when it subscribes and when the fan-out sees that it missed a frame.
"""

from __future__ import annotations

import zlib
from typing import Any

from jinja2 import Environment

from podium.services.contribution_board import public
from podium.services.contributions import Item
from podium.services.live_cache import LiveEvent

DEVICE_LIST_MAX = 100  # the device frame goes to every participant: keep it small
PARTS = "partials/contributions_items.html"


def revision(item: Item) -> str:
    """What the item's HTML shows, but its upvotes (those travel in every frame)."""
    shown = (item.text, item.name, item.panelist, item.status, item.created_at)
    return format(zlib.crc32(repr(shown).encode()), "x")


class DeviceLists:
    """Renders device frames; remembers, per event and language, the revisions the
    last delta frame showed (the base of the next one)."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._sent: dict[tuple[int, str], dict[int, str]] = {}

    def frame(
        self, event: LiveEvent, items: list[Item], lang: str, full: bool = False
    ) -> dict[str, Any]:
        """A delta on the last delta frame of (event, lang), or with `full` every
        item's HTML (which leaves the base of the next delta as it was)."""
        approved = public(items)
        shown = approved[:DEVICE_LIST_MAX]
        revisions = {i.id: revision(i) for i in shown}
        key = (event.id, lang)
        before: dict[int, str] = {} if full else self._sent.get(key, {})
        if not full:
            self._sent[key] = revisions
        parts = self._env.get_template(PARTS).module
        return {
            "open": event.contributions_open,
            "count": len(approved),
            "full": full,
            "order": [[i.id, revisions[i.id], i.votes] for i in shown],
            "items": {
                str(i.id): str(parts.item(event, i, revisions[i.id])).strip()  # type: ignore[attr-defined]
                for i in shown
                if before.get(i.id) != revisions[i.id]
            },
            "before": str(parts.opening(len(approved))),  # type: ignore[attr-defined]
            "after": str(parts.closing(len(shown), len(approved))).strip(),  # type: ignore[attr-defined]
            "empty": str(parts.empty()),  # type: ignore[attr-defined]
        }
