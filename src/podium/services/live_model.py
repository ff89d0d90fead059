"""The live cache's copy of a running event: its questions, live state and tallies,
and which stored rows each tally reflects (the reasoning: services/live_cache.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from podium.domain.blocklist import Blocklist
from podium.domain.contributions import Moderation
from podium.domain.questions import QuestionSpec
from podium.domain.tally import Tally


@dataclass(frozen=True)
class LiveQuestion:
    id: int
    position: int
    title: str
    spec: QuestionSpec
    allow_change: bool
    voting_open: bool
    results_on_screen: bool
    results_on_devices: bool


@dataclass
class LiveEvent:
    id: int
    slug: str
    title: str
    format: str
    starts_at: datetime | None
    language: str
    join_code: str
    presenter_token: str
    current_question_id: int | None
    questions: dict[int, LiveQuestion]
    order: list[int]
    tallies: dict[int, Tally] = field(default_factory=dict)
    rows: dict[int, CountedRows] = field(default_factory=dict)  # per question, with tallies
    # written contributions: open or not, how they are moderated, to whom, what is blocked
    contributions_open: bool = True
    moderation: Moderation = Moderation.PRE
    panelists: tuple[str, ...] = ()
    blocklist: Blocklist = field(default_factory=Blocklist)
    screen_mode: str = "poll"
    screen_shows_participants: bool = False  # how many are connected, on the screen
    # salts its participants' token hashes (services/participation.token_hash)
    participant_salt: str = ""
    # the participant access code (Event.access_code), None: the join code is enough
    access_code: str | None = None

    @property
    def current(self) -> LiveQuestion | None:
        if self.current_question_id is None:
            return None
        return self.questions.get(self.current_question_id)

    def ordered(self) -> list[LiveQuestion]:
        return [self.questions[i] for i in self.order]


# A committed change as heard: (question_id, old value, new value, row id, old row id)
Change = tuple[int, Any, Any, int, int | None]


@dataclass
class CountedRows:
    """Which stored rows of a question its tally reflects (see the module's docstring)."""

    known: set[int] = field(default_factory=set)  # every row read or heard of
    cancelled: set[int] = field(default_factory=set)  # replaced before their own change came

    def apply(
        self, tally: Tally, old: Any | None, new: Any, row_id: int, old_row_id: int | None
    ) -> bool:
        """Count one committed change; False when the tally already holds it."""
        if row_id in self.known:
            return False
        self.known.add(row_id)
        if old_row_id is not None:
            if old_row_id in self.known:
                tally.remove(old)
            else:
                self.cancelled.add(old_row_id)
        if row_id in self.cancelled:
            self.cancelled.discard(row_id)
        else:
            tally.add(new)
        return True


def apply_change(live: LiveEvent, change: Change) -> bool:
    """Count one committed change in the event's tally; False when it holds it already."""
    question_id, old, new, row_id, old_row_id = change
    tally = live.tallies.get(question_id)
    rows = live.rows.get(question_id)
    if tally is None or rows is None:
        # A question this copy does not know yet: its "structure" reload reads the row.
        return False
    return rows.apply(tally, old, new, row_id, old_row_id)
