"""A deleted event leaves nothing behind: its texts never reach the next event's
phones and screen, and no holder in the process keeps any of it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from podium.live.fanout import DEVICE, MODERATOR, SCREEN, Fanout
from podium.services import catalog, live_control, moderation
from podium.services.catalog_questions import QuestionInput, add_question
from podium.web.frames import Frames
from tests.web.conftest import Harness

JSON = {"Accept": "application/json"}
OLD_TEXT = "Bitte mehr Pausen im Testlauf"


def eventually(check: Callable[[], object], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.01)


def test_a_deleted_events_contributions_never_show_on_the_next_one(harness: Harness) -> None:
    h = harness
    fanout: Fanout = h.client.app.state.fanout  # type: ignore[attr-defined]
    frames: Frames = h.client.app.state.frames  # type: ignore[attr-defined]
    test_run = h.run(catalog.create_event, h.rt, "Testlauf", language="de")
    question = h.run(add_question, h.rt, test_run.id, QuestionInput("single", "Wie?", ["A", "B"]))
    h.run(moderation.configure, h.rt, test_run.id, moderation="post")
    h.run(live_control.go_live, h.rt, test_run.id, question.id)
    code = test_run.join_code
    streams = [fanout.subscribe(test_run.id, audience, "de") for audience in (SCREEN, DEVICE)]
    streams.append(fanout.subscribe(test_run.id, MODERATOR, "de"))

    assert h.client.get(f"/p/{code}").status_code == 200  # the phone joins: its cookie
    sent = h.client.post(f"/p/{code}/contributions", json={"text": OLD_TEXT}, headers=JSON)
    assert sent.status_code == 200, sent.text
    option = h.run(catalog.get_event, h.rt, test_run.id).questions[0].options[0].id
    body = {"question_id": question.id, "answer_id": str(uuid.uuid4()), "value": option}
    assert h.client.post(f"/p/{code}/answer", json=body, headers=JSON).status_code == 200
    listed = h.client.get(f"/api/v1/p/{code}/contributions").json()
    assert [i["text"] for i in listed["contributions"]] == [OLD_TEXT]
    # everything holds the event now (the lists' deltas went out): what follows undoes it
    eventually(lambda: frames.held() > 0)
    assert h.rt.board.loaded(test_run.id) and h.rt.live.loaded(test_run.id)
    assert h.rt.writer._participants and fanout.held()

    h.run(catalog.delete_event, h.rt, test_run.id)

    assert h.rt.live.loaded(test_run.id) is None and h.rt.live.held() == 0
    assert h.rt.board.loaded(test_run.id) is None and h.rt.board.held() == 0
    assert not h.rt.writer._participants  # the phone's participant row is gone with the event
    assert fanout.held() == 0 and frames.held() == 0 and fanout.count(test_run.id) == 0
    assert all(stream.closed for stream in streams)  # its screens and phones are cut off

    real = h.run(catalog.create_event, h.rt, "Die echte Veranstaltung", language="de")
    listed = h.client.get(f"/api/v1/p/{real.join_code}/contributions")
    assert listed.status_code == 200
    assert OLD_TEXT not in listed.text
    assert listed.json()["contributions"] == []
    assert OLD_TEXT not in h.client.get(f"/p/{real.join_code}").text
    screen = fanout.subscribe(real.id, SCREEN, "de")
    assert OLD_TEXT.encode() not in screen.take()
