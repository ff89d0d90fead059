"""The current answers of an event's questions, read from a SQLite file with the
standard library's driver, for a report worker's export.

A worker process has no live event to serve, so it reads synchronously in the
thread that writes the file: the async store would need an event loop in a second
thread and aiosqlite's own thread besides, three threads taking turns at one
interpreter for some 100,000 rows (about a second of a large event's export,
docs/BENCHMARKS.md). PostgreSQL keeps the async path (services/report_data.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

FETCH = 2000


def current_answers(
    path: str, event_id: int, question_ids: tuple[int, ...]
) -> Iterator[tuple[int, int, datetime, Any]]:
    """(question id, participant id, time in UTC, stored value), oldest first."""
    if not question_ids:
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        marks = ", ".join("?" * len(question_ids))
        cursor = connection.execute(
            "SELECT a.question_id, a.participant_id, a.created_at, a.value"
            " FROM answers AS a JOIN questions AS q ON q.id = a.question_id"
            f" WHERE q.event_id = ? AND a.question_id IN ({marks}) AND a.superseded = 0"
            " ORDER BY a.id",
            (event_id, *question_ids),
        )
        while rows := cursor.fetchmany(FETCH):
            for question_id, participant_id, created_at, value in rows:
                # stored by SQLAlchemy as ISO text in UTC, the value as JSON text, which
                # the column's numeric affinity keeps as a number when it is one (a step)
                moment = datetime.fromisoformat(created_at).replace(tzinfo=UTC)
                decoded = json.loads(value) if isinstance(value, str) else value
                yield question_id, participant_id, moment, decoded
    finally:
        connection.close()
