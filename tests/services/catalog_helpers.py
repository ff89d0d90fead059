"""What the catalog tests share: a snapshot of every table, published messages, answers."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

from sqlalchemy import select

import podium.store.audience_tables  # noqa: F401  (registers its tables)
from podium.live.messages import Message
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog import QuestionInput
from podium.store.tables import Answer, Base, Participant

BERLIN_WINTER = timezone(timedelta(hours=1))
TOPICS = ["Homeoffice", "Führung auf Distanz", "Digitalisierung"]


async def snapshot(rt: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: to show that a refused action stored nothing."""
    async with rt.sessions() as session:
        return {
            table.name: sorted(map(tuple, (await session.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


def published(rt: Runtime) -> list[Message]:
    messages: list[Message] = []

    async def record(message: Message) -> None:
        messages.append(message)

    rt.hub.add_listener(record)
    return messages


async def answer(rt: Runtime, question_id: int, value: Any, n: int = 1) -> None:
    """An audience answer, written directly as the answer writer would."""
    question = await catalog.get_question(rt, question_id)
    async with rt.sessions() as session, session.begin():
        participant = Participant(event_id=question.event_id, token_hash=f"{n:064d}")
        session.add(participant)
        await session.flush()
        session.add(
            Answer(
                answer_id=f"answer-{question_id}-{n}",
                question_id=question_id,
                participant_id=participant.id,
                value=value,
            )
        )


def top3(title: str = "Ihre drei Top-Themen?") -> QuestionInput:
    return QuestionInput("multiple", title, list(TOPICS), {"max_choices": 3})


# --- series ---------------------------------------------------------------------------
