"""What changed, as the live cache and the board tell their watchers (the fan-out).

Each kind is also the name of the live frame that shows it (live/fanout.py), in the
order a new subscriber receives them.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class WatchKind(StrEnum):
    STATE = "state"  # current question, voting, screen mode, event details
    RESULTS = "results"  # one question's tally (question id given)
    CONTRIBUTIONS = "contributions"  # the list of contributions itself
    VOTES = "votes"  # only upvote counts of contributions
    # how many are connected (live/presence.py): console, and screen if the organiser wants
    PARTICIPANTS = "participants"


# (what, event id, question id or None)
Watcher = Callable[[WatchKind, int, int | None], None]
