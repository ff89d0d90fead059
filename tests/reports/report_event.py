"""The event the report tests share: the demo's opening event (the article's
questions) with a planned audience's answers, sent through the same service as the
participants' page, and contributions in every state a moderator leaves them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from podium.demo.plan import plan as make_plan
from podium.demo.plan import planned_percentages
from podium.demo.seed import ensure_demo, open_polls
from podium.demo.simulate import polls_of
from podium.runtime import Runtime
from podium.services import catalog, contributions, moderation
from podium.services.participation import submit_answer
from podium.services.results import live_event

FOLLOW_UPS_FROM = date(2021, 3, 30)  # the second event: 27 April 2021

CONTRIBUTIONS = (
    # text, panelist, what the moderator does, upvotes
    ("Wie wird der Datenschutz im Homeoffice sichergestellt?", None, ("approve",), 5),
    ("Gibt es Schulungen für Führungskräfte?", "first", ("approve", "highlight"), 3),
    ("Wann kommt die E-Akte?", None, ("approve", "answered"), 0),
    ("Das ist doch alles Quatsch", None, ("reject",), 0),
    ("Noch nicht gesehen", None, (), 0),
)


@dataclass(frozen=True)
class ReportEvent:
    event_id: int
    slug: str
    question_ids: list[int]
    percentages: dict[str, dict[str, int]]  # per choice question's title: label -> %
    participants: int


async def report_event(rt: Runtime, participants: int = 200, seed: int = 7) -> ReportEvent:
    # follow-ups dated as the seed's 2021 series (the demo dates them after `today`)
    info = await ensure_demo(rt, today=FOLLOW_UPS_FROM)
    ids = await open_polls(rt, info.event_id)
    event = await catalog.get_event(rt, info.event_id)
    polls = polls_of(event)
    plans = make_plan(polls, participants, seed)
    live = await live_event(rt, info.event_id)
    for n, answers in enumerate(plans):
        token = f"{n:040d}"
        for question_id, value in answers:
            await submit_answer(rt, live, token, question_id, value, str(uuid.uuid4()))
    panelists = live.panelists
    for n, (text, panelist, actions, votes) in enumerate(CONTRIBUTIONS):
        addressed = panelists[0] if panelist and panelists else None
        item = await contributions.submit(rt, live, f"c{n:039d}", text, None, addressed)
        for action in actions:
            item = await moderation.act(rt, info.event_id, item.id, action, None)
        for voter in range(votes):
            await contributions.vote(rt, live, f"{voter:040d}", item.id, True)
    shares = planned_percentages(polls, plans)
    return ReportEvent(info.event_id, info.slug, ids, shares, participants)
