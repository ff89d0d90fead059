"""Properties of one group commit's decisions (store/answer_batch.py), against a
table kept in memory that refuses what the database refuses: batches decide as if
every answer had been written alone, in the order sent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from podium.store import answer_batch
from podium.store.answer_batch import AnswerWrite, Committed, Item, Outcome, write_batch

FAST = settings(max_examples=150, deadline=None)
QUESTIONS = {1: 1, 2: 1, 3: 2, 4: 2}  # question -> its event
CHANGE_ALLOWED = {1: True, 2: False, 3: True, 4: False}


class Table:
    """Participants and answers as the database keeps them, with its two unique rules:
    one row per answer id, one current answer per participant and question."""

    def __init__(self) -> None:
        self.participant_ids: dict[tuple[int, str], int] = {}
        self.rows: list[dict[str, Any]] = []
        self.event_id = 0  # of the participants asked for next

    def participants(self, event_id: int, digests: Iterable[str]) -> dict[str, int]:
        found = {d: self.participant_ids.get((event_id, d)) for d in digests}
        return {d: pid for d, pid in found.items() if pid is not None}

    def add_participants(self, event_id: int, digests: Sequence[str], now: datetime) -> None:
        for digest in digests:
            self.participant_ids.setdefault((event_id, digest), len(self.participant_ids) + 1)

    def by_answer_id(self, answer_ids: Iterable[str]) -> dict[str, tuple[int, int, Any]]:
        wanted = set(answer_ids)
        return {
            r["answer_id"]: (r["question_id"], r["participant_id"], r["value"])
            for r in self.rows
            if r["answer_id"] in wanted
        }

    def current(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        wanted = set(pairs)
        return {
            (r["question_id"], r["participant_id"]): (r["id"], r["value"])
            for r in self.rows
            if not r["superseded"] and (r["question_id"], r["participant_id"]) in wanted
        }

    def supersede(self, row_ids: Sequence[int]) -> None:
        for row in self.rows:
            if row["id"] in row_ids:
                row["superseded"] = True

    def insert_answers(self, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
        ids = {}
        for row in rows:
            ids[row["answer_id"]] = len(self.rows) + 1
            self.rows.append({**row, "id": len(self.rows) + 1})
        answer_ids = [r["answer_id"] for r in self.rows]
        assert len(answer_ids) == len(set(answer_ids)), "a second row for an answer id"
        live = [r for r in self.rows if not r["superseded"]]
        current = [(r["question_id"], r["participant_id"]) for r in live]
        assert len(current) == len(set(current)), "a second current answer"
        return ids


writes = st.builds(
    lambda answer_id, question, token, value: (answer_id, question, token, value),
    st.sampled_from([f"answer-{i}" for i in range(6)]),
    st.sampled_from(list(QUESTIONS)),
    st.sampled_from(["token-a", "token-b", "token-c"]),
    st.integers(1, 3),
)
histories = st.lists(st.lists(writes, min_size=1, max_size=8), min_size=1, max_size=4)


def item(answer_id: str, question: int, token: str, value: int) -> Item:
    write = AnswerWrite(answer_id, question, None, value, CHANGE_ALLOWED[question], token)
    return Item(write, QUESTIONS[question])


def one_by_one(history: list[list[tuple[str, int, str, int]]]) -> tuple[list[Outcome], dict]:
    """What answers written alone, in order, would come to: outcomes and current values."""
    seen: dict[str, tuple[int, tuple[int, str], int]] = {}
    current: dict[tuple[int, tuple[int, str]], int] = {}
    outcomes = []
    for answer_id, question, token, value in (w for batch in history for w in batch):
        person = (QUESTIONS[question], token)
        if answer_id in seen:
            same = seen[answer_id] == (question, person, value)
            outcomes.append(Outcome.REPEATED if same else Outcome.ID_REUSED)
        elif (question, person) in current and not CHANGE_ALLOWED[question]:
            outcomes.append(Outcome.ALREADY_ANSWERED)
        else:
            was = current.get((question, person))
            outcomes.append(Outcome.CREATED if was is None else Outcome.CHANGED)
            current[(question, person)] = value
            seen[answer_id] = (question, person, value)
    return outcomes, current


def run(history, remember: bool) -> tuple[Table, list[Outcome], list[Committed], dict]:
    table, known, outcomes, committed = Table(), {}, [], []
    with patch.object(answer_batch, "statements_for", lambda conn: table):
        for batch in history:
            done = write_batch(None, [item(*w) for w in batch], known if remember else {})
            outcomes += [r.outcome for r in done.results]
            committed += done.committed
            known.update(done.participants)
    return table, outcomes, committed, known


@FAST
@given(histories, st.booleans())
def test_a_batch_decides_as_if_each_answer_came_alone(history, remember: bool) -> None:
    expected_outcomes, expected_current = one_by_one(history)
    table, outcomes, _committed, _known = run(history, remember)
    assert outcomes == expected_outcomes
    person_of = {pid: key for key, pid in table.participant_ids.items()}
    stored = {
        (r["question_id"], person_of[r["participant_id"]]): r["value"]
        for r in table.rows
        if not r["superseded"]
    }
    assert stored == expected_current  # the last accepted answer of each person wins
    stored_ids = [r["answer_id"] for r in table.rows]
    assert len(stored_ids) == len(set(stored_ids))  # an answer id sent twice is one row
    assert len(table.rows) == outcomes.count(Outcome.CREATED) + outcomes.count(Outcome.CHANGED)


@FAST
@given(histories, st.booleans())
def test_each_token_is_one_participant_per_event(history, remember: bool) -> None:
    table, _outcomes, _committed, known = run(history, remember)
    tokens = {(QUESTIONS[q], token) for batch in history for _a, q, token, _v in batch}
    assert set(table.participant_ids) == tokens
    assert len(set(table.participant_ids.values())) == len(tokens)
    assert known == table.participant_ids


@FAST
@given(histories)
def test_the_committed_changes_replay_to_the_stored_answers(history) -> None:
    """What the tallies are fed: each stored answer once, with the value and the row it
    replaced, so that replaying them gives the current answers."""
    table, outcomes, committed, _known = run(history, remember=True)
    assert len(committed) == outcomes.count(Outcome.CREATED) + outcomes.count(Outcome.CHANGED)
    rows = {r["id"]: r for r in table.rows}
    current_row: dict[tuple[int, int], int] = {}
    for change in committed:
        new = rows[change.row_id]
        key = (new["question_id"], new["participant_id"])
        assert (change.question_id, change.new) == (new["question_id"], new["value"])
        assert change.event_id == QUESTIONS[change.question_id]
        old_row = current_row.get(key)
        assert change.old_row_id == old_row
        assert change.old == (rows[old_row]["value"] if old_row else None)
        current_row[key] = change.row_id
    assert set(current_row.values()) == {r["id"] for r in table.rows if not r["superseded"]}
