"""The demo series with two answered events: the opening (the article's audience) and
the next event, which asks the "nach außen" question again under the same comparison
key (podium.demo.follow_up)."""

from __future__ import annotations

from dataclasses import dataclass

from podium.demo.follow_up import answer_follow_up
from podium.demo.plan import FOLLOW_UP_SHARES
from podium.demo.seed import ensure_demo
from podium.runtime import Runtime
from tests.reports.report_event import FOLLOW_UPS_FROM, report_event

KEY = "top-themen-aussen"
OUTWARD = (
    "Was waren in den letzten Monaten Ihre drei TOP-Themen bezüglich "
    "„Wandel bei einem Blick nach außen“?"
)
# With 100 participants every planned share is exact: percent of respondents as planned.
OPENING = {
    "Änderungen bei der Beratung": 28,
    "Änderungen bei den Zugangskanälen": 26,
    "Online-Anträge und digitale Zugänge": 21,
}
FOLLOW_UP = {label: FOLLOW_UP_SHARES[label] for label in OPENING}


@dataclass(frozen=True)
class DemoSeries:
    series_id: int
    opening_id: int
    follow_up_id: int
    participants: int


async def demo_series(rt: Runtime, participants: int = 100) -> DemoSeries:
    opening = await report_event(rt, participants=participants)
    follow_up = await answer_follow_up(rt, opening.event_id, participants)
    assert follow_up is not None
    info = await ensure_demo(rt, today=FOLLOW_UPS_FROM)  # made by report_event already
    return DemoSeries(info.series_id, opening.event_id, follow_up, participants)
