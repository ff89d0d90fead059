"""A report worker's synchronous read of a SQLite file gives the answers exactly as
the async store does, for every kind of question (a scale's step is a number)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from podium.bench.report_event import Size, build, settings_for
from podium.runtime import Runtime
from podium.store.answer_export import current_answers
from podium.store.tables import Answer, Question

pytestmark = pytest.mark.sqlite_only  # the synchronous reader is SQLite's


async def test_the_file_reads_as_the_store_does(empty_database_url: str) -> None:
    event = await build(empty_database_url, Size(participants=30, contributions=5, words=20))
    rt = Runtime(settings_for(empty_database_url))
    await rt.start()
    try:
        async with rt.sessions() as session:
            stored = (
                await session.execute(
                    select(Answer.question_id, Answer.participant_id, Answer.value)
                    .join(Question, Question.id == Answer.question_id)
                    .where(Question.event_id == event.event_id, Answer.superseded.is_(False))
                    .order_by(Answer.id)
                )
            ).all()
    finally:
        await rt.stop()
    path = make_url(empty_database_url).database or ""
    read = list(current_answers(path, event.event_id, tuple(event.question_ids)))
    assert [(q, p, v) for q, p, _, v in read] == [tuple(row) for row in stored]
    kinds = {type(v) for _, _, _, v in read}
    assert {int, list, str} <= kinds  # steps, choices and words, texts
    assert all(t.tzinfo is not None for _, _, t, _ in read)
    some = tuple(event.question_ids[:2])
    assert {q for q, _, _, _ in current_answers(path, event.event_id, some)} == set(some)
