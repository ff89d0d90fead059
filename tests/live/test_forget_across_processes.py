"""Two processes on one database and one Redis channel: an event deleted on A is
forgotten on B as well, by every holder, and B's open streams of it end."""

from __future__ import annotations

import uuid

from podium.live.fanout import DEVICE, SCREEN, Fanout
from podium.live.sse import frame
from podium.runtime import Runtime
from podium.services import contributions, live_control, moderation
from podium.services.catalog_events import create_event, delete_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.settings import Settings
from podium.store.writer import AnswerWrite
from podium.web.frames import Frames
from podium.web.templating import make_templates
from tests.live.test_redis_hub import REDIS_URL, channel, eventually

__all__ = ["channel"]  # the fixture: a random Redis channel of this test


async def test_an_event_deleted_on_one_process_is_forgotten_on_the_other(
    settings: Settings, channel: str
) -> None:
    shared = settings.model_copy(update={"redis_url": REDIS_URL, "redis_channel": channel})
    a, b = Runtime(shared), Runtime(shared)
    frames_b = Frames(b, make_templates().env)
    fanout_b = Fanout(frames_b, frame, shared.screen_tick, shared.device_tick)
    b.live.watch(fanout_b.notify)
    b.board.watch(fanout_b.notify)
    b.add_view(fanout_b.forget, lambda event_id: fanout_b.count(event_id) > 0)
    await a.start()
    await b.start()
    try:
        event = await create_event(a, "Testlauf")
        question = await add_question(a, event.id, QuestionInput("single", "Wie?", ["A", "B"]))
        await moderation.configure(a, event.id, moderation="post")
        await live_control.go_live(a, event.id, question.id)
        live_b = await b.live.get(event.id)
        assert live_b is not None
        await b.board.get(event.id)
        streams = [fanout_b.subscribe(event.id, audience, "de") for audience in (SCREEN, DEVICE)]
        item = await contributions.submit(b, live_b, "p" * 40, "Eine Frage aus dem Testlauf")
        pid = await participant_id(b, event.id, "p" * 40)
        option = live_b.questions[question.id].spec.options[0].id
        await b.writer.submit(
            AnswerWrite(str(uuid.uuid4()), question.id, pid, [option], True), event.id
        )
        await eventually(lambda: any(i.id == item.id for i in b.board.loaded(event.id) or []))
        fanout_b.tick(now=1000.0)  # B's screens and phones were sent its frames
        assert b.writer._participants and fanout_b.held() and b.live.held()

        await delete_event(a, event.id)

        def forgotten_on_b() -> bool:
            return (
                b.live.held() == 0
                and b.board.held() == 0
                and not b.writer._participants
                and fanout_b.held() == 0
                and frames_b.held() == 0
            )

        await eventually(forgotten_on_b)
        assert all(stream.closed for stream in streams)
        assert await b.live.get(event.id) is None  # asked again: it is gone, not reloaded
        assert a.live.held() == 0 and a.board.held() == 0
    finally:
        await b.stop()
        await a.stop()
