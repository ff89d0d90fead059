"""An event nobody asked for in `evict_after` seconds and without open streams leaves
memory, and comes back, exact, on its next request. The test drives the clock."""

from __future__ import annotations

import time
import uuid

from podium.live.fanout import SCREEN, Fanout
from podium.live.sse import frame
from podium.runtime import Runtime
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.store.writer import AnswerWrite
from podium.web.frames import Frames
from podium.web.templating import make_templates


async def test_an_idle_event_is_evicted_and_loaded_again_on_demand(runtime: Runtime) -> None:
    rt = runtime
    fanout = Fanout(Frames(rt, make_templates().env), frame, 0.25, 1.0)
    rt.add_view(fanout.forget, lambda event_id: fanout.count(event_id) > 0)
    event = await create_event(rt, "Vorbei")
    question = await add_question(rt, event.id, QuestionInput("single", "Wie?", ["A", "B"]))
    live = await rt.live.get(event.id)
    assert live is not None
    await rt.board.get(event.id)
    pid = await participant_id(rt, event.id, "t" * 40)
    option = live.questions[question.id].spec.options[1].id
    await rt.writer.submit(
        AnswerWrite(str(uuid.uuid4()), question.id, pid, [option], True), event.id
    )
    screen = fanout.subscribe(event.id, SCREEN, "de")
    after = rt.settings.evict_after
    used = time.monotonic()

    assert rt.evict_idle(now=used + after / 2) == []  # not idle long enough
    assert rt.evict_idle(now=used + after + 1) == []  # idle, but a screen is open
    fanout.unsubscribe(screen)
    assert rt.evict_idle(now=used + after / 2) == []
    assert rt.evict_idle(now=used + after + 1) == [event.id]
    assert rt.live.held() == 0 and rt.board.held() == 0 and fanout.held() == 0
    assert not rt.writer._participants

    again = await rt.live.get(event.id)  # the next request loads it again, exact
    assert again is not None and again is not live
    assert [o.count for o in again.tallies[question.id].result().options] == [0, 1]
    assert await rt.board.get(event.id) == []
    assert await participant_id(rt, event.id, "t" * 40) == pid
    assert rt.evict_idle(now=time.monotonic() + after / 2) == []
