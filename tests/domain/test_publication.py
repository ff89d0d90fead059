"""The published results' rules: only the current secret opens them, and they show
what the organiser chose, contributions only as the audience saw them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from podium.domain.contributions import State, Status
from podium.domain.errors import InvalidAnswer
from podium.domain.publication import (
    TOKEN_BYTES,
    Publication,
    checked_publication,
    looks_like_token,
    public_contributions,
    public_questions,
    publication_of,
    token_opens,
)
from podium.domain.questions import Kind

TOKEN = secrets.token_urlsafe(TOKEN_BYTES)
QUESTIONS = [(4, Kind.SINGLE), (2, Kind.TEXT), (7, Kind.WORDS), (9, Kind.SCALE)]


@dataclass(frozen=True)
class Entry:
    id: int
    votes: int
    status: Status
    created_at: datetime = datetime(2026, 3, 12, tzinfo=UTC)


def test_only_the_current_secret_opens_the_results() -> None:
    assert looks_like_token(TOKEN)
    assert token_opens(TOKEN, TOKEN)
    assert not token_opens(TOKEN, secrets.token_urlsafe(TOKEN_BYTES))  # an older link
    assert not token_opens(None, TOKEN)  # unpublished
    mixed = "Ab" * 21 + "C"
    assert not token_opens(mixed, mixed.lower())  # no collation lets a near miss in
    assert not token_opens(TOKEN, TOKEN[:-1])
    assert not token_opens(TOKEN, TOKEN + "x")
    assert not looks_like_token("../" + TOKEN[3:])
    assert not looks_like_token(TOKEN[:-1] + "\x00")


def test_the_stored_options_read_back_as_published() -> None:
    published = Publication(questions=(4, 9), include_texts=False, include_contributions=True)
    assert publication_of(published.as_stored()) == published
    assert publication_of(Publication().as_stored()) == Publication()


@pytest.mark.parametrize(
    "stored",
    [None, {}, {"questions": "4"}, {"questions": [True]}, {"include_texts": "yes"}],
)
def test_missing_or_malformed_options_show_less_never_more(stored: dict | None) -> None:
    publication = publication_of(stored)
    assert not publication.include_texts
    assert not publication.include_contributions
    assert publication.questions is not None
    assert public_questions(QUESTIONS, publication) == ()


def test_questions_are_shown_in_the_events_order_open_texts_only_when_chosen() -> None:
    everything = Publication(include_texts=True)
    assert public_questions(QUESTIONS, everything) == (4, 2, 7, 9)
    without_texts = Publication(include_texts=False)
    assert public_questions(QUESTIONS, without_texts) == (4, 7, 9)
    chosen = Publication(questions=(9, 2, 4), include_texts=True)
    assert public_questions(QUESTIONS, chosen) == (4, 2, 9)


def test_a_chosen_question_deleted_since_is_simply_gone() -> None:
    chosen = Publication(questions=(4, 99))
    assert public_questions(QUESTIONS, chosen) == (4,)
    assert chosen.report_options([4, 2, 7, 9], "en").questions == (4,)
    assert chosen.report_options([4, 2, 7, 9], "en").lang == "en"


def test_publishing_a_question_the_event_does_not_have_is_refused() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        checked_publication([4, 2], Publication(questions=(4, 12)))
    assert refused.value.code == "unknown_report_question"


def test_every_question_chosen_publishes_new_questions_too() -> None:
    assert checked_publication([4, 2], Publication(questions=(2, 4))).questions is None
    assert checked_publication([4, 2, 7], Publication(questions=(7, 4))).questions == (4, 7)


def test_only_approved_contributions_are_public_and_only_when_chosen() -> None:
    items = [
        Entry(1, 0, Status(State.PENDING)),
        Entry(2, 3, Status(State.APPROVED)),
        Entry(3, 9, Status(State.REJECTED)),
        Entry(4, 5, Status(State.APPROVED, answered=True)),
        Entry(5, 7, Status(State.ARCHIVED)),
    ]
    shown = public_contributions(items, Publication(include_contributions=True))
    assert [i.id for i in shown] == [4, 2]  # by support, as in the report
    assert public_contributions(items, Publication(include_contributions=False)) == []
