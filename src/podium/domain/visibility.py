"""Who may see the results of a question, and when.

The moderators always see them (they decide when the room does); the presenter
screen and the participants' devices only while the moderator shows them there.
Every view asks this one rule: the live frames, the pages and the API.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Audience(StrEnum):
    """Who looks: the live frames are made once for each (the fan-out's audiences)."""

    MODERATOR = "moderator"
    SCREEN = "screen"
    DEVICE = "device"


class ShowsResults(Protocol):
    """What the rule needs to know of a question (the live cache's question has it)."""

    @property
    def results_on_screen(self) -> bool: ...

    @property
    def results_on_devices(self) -> bool: ...


def results_visible(question: ShowsResults | None, audience: str) -> bool:
    """Whether `audience` may see the question's results now; no question, no results.

    ValueError for an audience that is none of the three: a view that is not one of
    them must not fall back to being shown what devices are.
    """
    who = Audience(audience)
    if question is None:
        return False
    if who is Audience.MODERATOR:
        return True
    if who is Audience.SCREEN:
        return question.results_on_screen
    return question.results_on_devices
