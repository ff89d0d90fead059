"""The statements of one group commit, in two flavours with the same meaning.

`CoreStatements` builds them with SQLAlchemy Core: PostgreSQL, and any connection
that is not a plain sqlite3 one. `SqliteStatements` speaks to the writer thread's own
sqlite3 connection in SQL text: measured in docs/BENCHMARKS.md, building, caching
and processing Core statements took more of an answer's time in the writer than
SQLite itself did. Values are converted by the column types' own bind and result
processors, so rows written either way read back the same through the ORM.

Rows are locked and keys inserted in one order (row id; question and participant;
token hash) in every process, so two batches that touch the same rows wait for each
other instead of deadlocking.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, and_, false, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from podium.store.tables import Answer, Participant

# (question id, participant id) -> (row id, value) of the stored current answer
Current = dict[tuple[int, int], tuple[int | None, Any]]


class Statements(Protocol):
    def participants(self, event_id: int, digests: Iterable[str]) -> dict[str, int]: ...

    def add_participants(self, event_id: int, digests: Sequence[str], now: datetime) -> None:
        """Insert what is not there yet; a row another process made meanwhile is kept."""
        ...

    def by_answer_id(self, answer_ids: Iterable[str]) -> dict[str, tuple[int, int, Any]]: ...

    def current(self, pairs: Iterable[tuple[int, int]]) -> Current: ...

    def supersede(self, row_ids: Sequence[int]) -> None: ...

    def insert_answers(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        """Insert the rows (in the given order); answer id -> new row id."""
        ...


def statements_for(conn: Connection) -> Statements:
    driver = conn.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        return SqliteStatements(conn, driver)
    return CoreStatements(conn)


def _by_question(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, set[int]] = {}
    for question_id, participant_id in pairs:
        grouped.setdefault(question_id, set()).add(participant_id)
    return {q: sorted(ps) for q, ps in grouped.items()}


class CoreStatements:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def participants(self, event_id: int, digests: Iterable[str]) -> dict[str, int]:
        rows = self._conn.execute(
            select(Participant.token_hash, Participant.id).where(
                Participant.event_id == event_id, Participant.token_hash.in_(set(digests))
            )
        )
        return {digest: pid for digest, pid in rows}

    def add_participants(self, event_id: int, digests: Sequence[str], now: datetime) -> None:
        dialect_insert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        self._conn.execute(
            dialect_insert(Participant).on_conflict_do_nothing(
                index_elements=["event_id", "token_hash"]
            ),
            [{"event_id": event_id, "token_hash": d, "created_at": now} for d in digests],
        )

    def by_answer_id(self, answer_ids: Iterable[str]) -> dict[str, tuple[int, int, Any]]:
        found = self._conn.execute(
            select(Answer.answer_id, Answer.question_id, Answer.participant_id, Answer.value).where(
                Answer.answer_id.in_(set(answer_ids))
            )
        )
        return {row[0]: (row[1], row[2], row[3]) for row in found}

    def current(self, pairs: Iterable[tuple[int, int]]) -> Current:
        condition = or_(
            *(
                and_(Answer.question_id == q, Answer.participant_id.in_(ps))
                for q, ps in _by_question(pairs).items()
            )
        )
        # `== false()` renders `= 0`, which SQLite matches to the partial index
        # uq_answers_current (`IS 0` would not, and would scan the question's rows).
        found = self._conn.execute(
            select(Answer.id, Answer.question_id, Answer.participant_id, Answer.value).where(
                Answer.superseded == false(), condition
            )
        )
        return {(row[1], row[2]): (row[0], row[3]) for row in found}

    def supersede(self, row_ids: Sequence[int]) -> None:
        self._conn.execute(
            update(Answer).where(Answer.id.in_(sorted(row_ids))).values(superseded=True)
        )

    def insert_answers(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        # executemany with RETURNING: SQLite >= 3.35 and asyncpg (insertmanyvalues)
        inserted = self._conn.execute(insert(Answer).returning(Answer.answer_id, Answer.id), rows)
        return {answer_id: row_id for answer_id, row_id in inserted}


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SqliteStatements:
    # Far below SQLite's limit of 32,766 variables a statement (3.32+): a batch of
    # 1,000 answers of six columns takes 6,000.
    def __init__(self, conn: Connection, driver: sqlite3.Connection) -> None:
        self._db = driver
        dialect = conn.dialect
        table = Answer.__table__
        # The dialect's own types: SQLite's DATETIME text format, and its JSON, which
        # reads back a bare number (stored as one, by the column's numeric affinity).
        value_type = table.c.value.type.dialect_impl(dialect)
        self._dump_value = value_type.bind_processor(dialect)
        self._load_value = value_type.result_processor(dialect, None)
        self._dump_time = table.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)

    def _execute(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        """As SQLAlchemy would: a driver error comes out as its DBAPIError (IntegrityError
        for a broken constraint), which the writer knows how to handle."""
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc

    def _value(self, raw: Any) -> Any:
        return self._load_value(raw) if self._load_value else raw

    def participants(self, event_id: int, digests: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(digests))
        rows = self._execute(
            "SELECT token_hash, id FROM participants WHERE event_id = ? "
            f"AND token_hash IN ({_marks(len(wanted))})",
            [event_id, *wanted],
        )
        return dict(rows.fetchall())

    def add_participants(self, event_id: int, digests: Sequence[str], now: datetime) -> None:
        stamp = self._dump_time(now) if self._dump_time else now
        sql = (
            "INSERT INTO participants (event_id, token_hash, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (event_id, token_hash) DO NOTHING"
        )
        rows = [(event_id, digest, stamp) for digest in digests]
        try:
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, rows, exc, sqlite3.Error) from exc

    def by_answer_id(self, answer_ids: Iterable[str]) -> dict[str, tuple[int, int, Any]]:
        wanted = sorted(set(answer_ids))
        rows = self._execute(
            "SELECT answer_id, question_id, participant_id, value FROM answers "
            f"WHERE answer_id IN ({_marks(len(wanted))})",
            wanted,
        )
        return {row[0]: (row[1], row[2], self._value(row[3])) for row in rows.fetchall()}

    def current(self, pairs: Iterable[tuple[int, int]]) -> Current:
        grouped = _by_question(pairs)
        clauses = [
            f"(question_id = ? AND participant_id IN ({_marks(len(ps))}))"
            for ps in grouped.values()
        ]
        params: list[int] = []
        for question_id, participant_ids in grouped.items():
            params += [question_id, *participant_ids]
        # `superseded = 0` (not `IS 0`): the form the partial index uq_answers_current has
        rows = self._execute(
            "SELECT id, question_id, participant_id, value FROM answers "
            f"WHERE superseded = 0 AND ({' OR '.join(clauses)})",
            params,
        )
        return {(row[1], row[2]): (row[0], self._value(row[3])) for row in rows.fetchall()}

    def supersede(self, row_ids: Sequence[int]) -> None:
        ordered = sorted(row_ids)
        self._execute(
            f"UPDATE answers SET superseded = 1 WHERE id IN ({_marks(len(ordered))})", ordered
        )

    def insert_answers(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        params: list[Any] = []
        dump_value, dump_time = self._dump_value, self._dump_time
        stamps: dict[datetime, Any] = {}  # a batch's rows share one time: format it once
        for row in rows:
            created = row["created_at"]
            stamp = stamps.get(created)
            if stamp is None:
                stamp = stamps[created] = dump_time(created) if dump_time else created
            params += (
                row["answer_id"],
                row["question_id"],
                row["participant_id"],
                dump_value(row["value"]) if dump_value else row["value"],
                1 if row["superseded"] else 0,
                stamp,
            )
        values = ",".join(["(?, ?, ?, ?, ?, ?)"] * len(rows))
        inserted = self._execute(
            "INSERT INTO answers (answer_id, question_id, participant_id, value, superseded, "
            f"created_at) VALUES {values} RETURNING answer_id, id",
            params,
        )
        return dict(inserted.fetchall())
