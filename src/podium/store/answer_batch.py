"""One group commit of answers, as a synchronous function of one transaction.

`write_batch` decides each answer against what is stored (a retry, a taken answer
id, a change, a first answer), creates the participants it meets for the first
time, supersedes replaced answers and inserts the new rows, all in the caller's
transaction. The database enforces the invariants (one row per answer id, one
current answer per participant and question); the batch is only sorted so that a
valid batch never violates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from podium.store.answer_sql import Statements, statements_for
from podium.store.tables import utcnow


class Outcome(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    REPEATED = "repeated"  # the same answer id sent again with the same answer: a retry
    ID_REUSED = "id_reused"  # the answer id is taken by a different answer
    ALREADY_ANSWERED = "already_answered"  # changing is not allowed for this question


@dataclass(frozen=True)
class AnswerWrite:
    """An answer to store. The participant is named by its row id when known, or else
    by the hash of its token: the writer then creates the row in the same transaction
    as the answer, so a participant's first answer costs no transaction of its own."""

    answer_id: str
    question_id: int
    participant_id: int | None
    value: Any
    allow_change: bool
    token_hash: str | None = None

    def __post_init__(self) -> None:
        if self.participant_id is None and self.token_hash is None:
            raise ValueError("an answer needs its participant's id or token hash")


@dataclass(frozen=True)
class WriteResult:
    outcome: Outcome

    @property
    def stored(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.CHANGED, Outcome.REPEATED)


@dataclass(frozen=True)
class Committed:
    """A change to the current answers, for the tallies: `old` is None for a first answer.

    `row_id` is the id of the new row; `old_row_id` that of the row it superseded
    (None for a first answer). Row ids let a process that reads the table while
    changes are in flight tell which changes its read already holds.
    """

    event_id: int
    question_id: int
    old: Any | None
    new: Any
    row_id: int
    old_row_id: int | None


@dataclass(frozen=True)
class Item:
    write: AnswerWrite
    event_id: int


@dataclass
class BatchResult:
    results: list[WriteResult]
    committed: list[Committed]
    # (event id, token hash) -> participant row id, for the writer's cache
    participants: dict[tuple[int, str], int] = field(default_factory=dict)


def write_batch(
    conn: Connection, batch: Sequence[Item], known: dict[tuple[int, str], int]
) -> BatchResult:
    """Store a batch in the caller's transaction. `known` maps (event id, token hash)
    to participant ids already stored; it is only read."""
    sql = statements_for(conn)
    participants = _participants(sql, batch, known)
    pid_of = [
        item.write.participant_id
        if item.write.participant_id is not None
        else participants[(item.event_id, item.write.token_hash or "")]
        for item in batch
    ]
    by_id = sql.by_answer_id(item.write.answer_id for item in batch)
    pairs = [(item.write.question_id, pid) for item, pid in zip(batch, pid_of, strict=True)]
    current = sql.current(pairs)
    results: list[WriteResult] = []
    # (item, old value, old row: its id, or the answer id of a row of this batch)
    changes: list[tuple[Item, Any | None, int | str | None]] = []
    rows: list[dict[str, Any]] = []
    supersede: list[int] = []
    last_row_of: dict[tuple[int, int], dict[str, Any]] = {}
    now = utcnow()
    for item, pid in zip(batch, pid_of, strict=True):
        w = item.write
        key = (w.question_id, pid)
        seen = by_id.get(w.answer_id)
        if seen is not None:
            same = seen == (w.question_id, pid, w.value)
            results.append(WriteResult(Outcome.REPEATED if same else Outcome.ID_REUSED))
            continue
        old = current.get(key)
        if old is not None and not w.allow_change:
            results.append(WriteResult(Outcome.ALREADY_ANSWERED))
            continue
        old_row: int | str | None = None
        if old is not None:
            if old[0] is not None:
                supersede.append(old[0])
                old_row = old[0]
            else:  # written earlier in this batch: keep its row, as superseded
                last_row_of[key]["superseded"] = True
                old_row = last_row_of[key]["answer_id"]
        row = {
            "answer_id": w.answer_id,
            "question_id": w.question_id,
            "participant_id": pid,
            "value": w.value,
            "superseded": False,
            "created_at": now,
        }
        rows.append(row)
        last_row_of[key] = row
        by_id[w.answer_id] = (w.question_id, pid, w.value)
        current[key] = (None, w.value)
        results.append(WriteResult(Outcome.CHANGED if old else Outcome.CREATED))
        changes.append((item, old[1] if old else None, old_row))
    if supersede:
        sql.supersede(supersede)
    ids: dict[str, int] = {}
    if rows:
        rows.sort(key=lambda r: (r["question_id"], r["participant_id"]))  # stable: one order
        ids = sql.insert_answers(rows)
    committed = [
        Committed(
            item.event_id,
            item.write.question_id,
            old_value,
            item.write.value,
            ids[item.write.answer_id],
            ids[old_row] if isinstance(old_row, str) else old_row,
        )
        for item, old_value, old_row in changes
    ]
    return BatchResult(results, committed, participants)


def _participants(
    sql: Statements, batch: Sequence[Item], known: dict[tuple[int, str], int]
) -> dict[tuple[int, str], int]:
    """The participant ids of the batch's token hashes; rows for new ones are created.

    ON CONFLICT DO NOTHING: another process may create the same participant at the
    same moment (one browser, two load-balanced requests); the read after it sees
    that row, since the insert waited for the other transaction to commit."""
    wanted: dict[int, set[str]] = {}
    found: dict[tuple[int, str], int] = {}
    for item in batch:
        digest = item.write.token_hash
        if item.write.participant_id is not None or digest is None:
            continue
        pid = known.get((item.event_id, digest))
        if pid is None:
            wanted.setdefault(item.event_id, set()).add(digest)
        else:
            found[(item.event_id, digest)] = pid
    for event_id, digests in wanted.items():
        stored = sql.participants(event_id, digests)
        missing = sorted(digests - stored.keys())  # one order in every process: no deadlock
        if missing:
            sql.add_participants(event_id, missing, utcnow())
            stored.update(sql.participants(event_id, missing))
        found.update({(event_id, digest): pid for digest, pid in stored.items()})
    return found
