"""Overload and a slow hub: a full queue refuses at once, and acknowledgements never
wait for the hub's publish."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from podium.domain.errors import Overloaded
from podium.runtime import Runtime
from podium.store.writer import AnswerWriter, Committed, Outcome
from tests.store.test_writer import rows, setup, write


async def test_beyond_the_bound_answers_are_refused_at_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id, question_id, pids = await setup(runtime, 9)
    writer = AnswerWriter(runtime.engine, runtime._publish_answers, max_queue=5)
    await writer.start()
    in_flight, release = asyncio.Event(), asyncio.Event()
    commit = writer._commit

    async def stalled(batch: Any) -> Any:
        in_flight.set()
        await release.wait()
        return await commit(batch)

    monkeypatch.setattr(writer, "_commit", stalled)
    try:
        first = asyncio.create_task(writer.submit(write(question_id, pids[0], 1), event_id))
        await in_flight.wait()  # the first answer is in the stalled transaction
        queued = [
            asyncio.create_task(writer.submit(write(question_id, pid, 2), event_id))
            for pid in pids[1:6]
        ]
        await asyncio.sleep(0)  # each task has queued its answer
        for pid in pids[6:]:
            with pytest.raises(Overloaded) as refused:
                await writer.submit(write(question_id, pid, 3), event_id)
            assert (refused.value.status, refused.value.code) == (503, "busy")
        assert writer.refused == 3
        release.set()
        results = await asyncio.gather(first, *queued)
    finally:
        await writer.stop()
    assert [r.outcome for r in results] == [Outcome.CREATED] * 6
    assert sorted(pid for pid, _v, _s in await rows(runtime)) == sorted(pids[:6])


async def test_acknowledgements_do_not_wait_for_a_stalled_publish(runtime: Runtime) -> None:
    event_id, question_id, pids = await setup(runtime, 3)
    unblock = asyncio.Event()
    published: list[Committed] = []

    async def stuck_hub(committed: list[Committed]) -> None:
        await unblock.wait()
        published.extend(committed)

    writer = AnswerWriter(runtime.engine, stuck_hub)
    await writer.start()
    try:
        for n, pid in enumerate(pids):  # one after the other: three batches, three publishes
            result = await asyncio.wait_for(
                writer.submit(write(question_id, pid, 1 + n), event_id), 10
            )
            assert result.outcome is Outcome.CREATED
        assert published == []
        unblock.set()
        await asyncio.wait_for(writer._unpublished.join(), 10)
    finally:
        await writer.stop()
    assert [c.new for c in published] == [1, 2, 3]  # in commit order


async def test_a_failing_publish_is_tried_again(runtime: Runtime) -> None:
    event_id, question_id, (pid,) = await setup(runtime)
    attempts: list[int] = []

    async def flaky_hub(committed: list[Committed]) -> None:
        attempts.append(len(committed))
        if len(attempts) == 1:
            raise ConnectionError("hub away")

    writer = AnswerWriter(runtime.engine, flaky_hub)
    await writer.start()
    try:
        await writer.submit(write(question_id, pid, 4), event_id)
        await asyncio.wait_for(writer._unpublished.join(), 10)
    finally:
        await writer.stop()
    assert attempts == [1, 1] and writer.publish_failures == 0
