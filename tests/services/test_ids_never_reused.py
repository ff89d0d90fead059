"""An organiser runs a test event, deletes it and creates the real one: a phone that
joined the test event is a new participant of the real one, never someone else (on
SQLite the new event used to get the deleted one's id, and the writer's participant
cache then named another person's row). Both stores."""

from __future__ import annotations

import uuid

from podium.domain.contributions import State
from podium.domain.errors import NotAllowed
from podium.runtime import Runtime
from podium.services import contributions, live_control, moderation
from podium.services.catalog_events import create_event, delete_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.event_io import export_event, import_event
from podium.services.live_cache import LiveEvent
from podium.services.participation import current_answer, submit_answer
from podium.services.results import event_results
from podium.store.writer import Outcome

TEST_PHONE = "test-phone-" + "t" * 30
OTHER_PHONE = "other-phone-" + "o" * 30


async def live_poll(rt: Runtime, title: str) -> tuple[LiveEvent, int, list[int]]:
    event = await create_event(rt, title)
    question = await add_question(
        rt, event.id, QuestionInput("single", "Ja oder nein?", ["Ja", "Nein"])
    )
    await live_control.go_live(rt, event.id, question.id)
    live = await rt.live.get(event.id)
    assert live is not None
    return live, question.id, [o.id for o in question.options]


async def answer(rt: Runtime, event: LiveEvent, token: str, question_id: int, value: int) -> str:
    live = await rt.live.get(event.id)
    assert live is not None
    submitted = await submit_answer(rt, live, token, question_id, value, str(uuid.uuid4()))
    return str(submitted.result.outcome)


async def test_a_phone_of_a_deleted_event_does_not_overwrite_a_stranger(runtime: Runtime) -> None:
    rt = runtime
    trial, trial_q, (trial_yes, _) = await live_poll(rt, "Probelauf")
    assert await answer(rt, trial, TEST_PHONE, trial_q, trial_yes) == Outcome.CREATED
    await delete_event(rt, trial.id)

    real, real_q, (yes, no) = await live_poll(rt, "Das echte Podium")
    assert real.id != trial.id  # an id is never given twice
    assert await answer(rt, real, OTHER_PHONE, real_q, yes) == Outcome.CREATED
    # the test phone answers the real event: a new participant, not the other phone
    assert await answer(rt, real, TEST_PHONE, real_q, no) == Outcome.CREATED

    assert await current_answer(rt, real.id, OTHER_PHONE, real_q) == [yes]
    assert await current_answer(rt, real.id, TEST_PHONE, real_q) == [no]
    results = (await event_results(rt, real.id)).questions[0].result
    assert results.respondents == 2
    assert [o.count for o in results.options] == [1, 1]


async def test_a_ban_in_the_new_event_hits_only_its_author(runtime: Runtime) -> None:
    rt = runtime
    trial = await create_event(rt, "Probelauf")
    trial_live = await rt.live.get(trial.id)
    assert trial_live is not None
    await contributions.submit(rt, trial_live, TEST_PHONE, "Hört man mich?")
    await delete_event(rt, trial.id)

    real = await create_event(rt, "Das echte Podium")
    live = await rt.live.get(real.id)
    assert live is not None
    theirs = await contributions.submit(rt, live, OTHER_PHONE, "Wie geht es mit der E-Akte weiter?")
    mine = await contributions.submit(rt, live, TEST_PHONE, "Was kostet das?")
    own, _ = await contributions.mine(rt, real.id, OTHER_PHONE)
    assert [i.id for i in own] == [theirs.id]  # the other phone sees only its own text

    assert await moderation.ban_author(rt, real.id, mine.id) == 1
    items = {i.id: i for i in await contributions.all_items(rt, real.id)}
    assert items[theirs.id].state is State.PENDING  # not rejected with the banned one
    assert items[mine.id].state is State.REJECTED
    again = await contributions.submit(rt, live, OTHER_PHONE, "Und wann kommt die Akte?")
    assert again.state is State.PENDING  # the other phone may still write
    try:
        await contributions.submit(rt, live, TEST_PHONE, "Noch eine Frage")
    except NotAllowed as refused:
        assert refused.code == "banned"
    else:
        raise AssertionError("the banned phone could still send")


async def test_every_event_gets_a_random_salt_of_its_own(runtime: Runtime) -> None:
    made = await create_event(runtime, "Podium")
    imported = await import_event(runtime, await export_event(runtime, made.id))
    salts = {made.participant_salt, imported.participant_salt}
    assert len(salts) == 2
    assert not salts & {str(made.id), str(imported.id)}
    assert all(len(salt) >= 32 for salt in salts)
