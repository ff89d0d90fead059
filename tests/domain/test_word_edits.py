"""Which spelling a word is shown in (domain/word_edits.py)."""

from __future__ import annotations

from collections import Counter

from podium.domain.word_edits import shown_spelling


def test_the_spelling_most_participants_used_is_shown() -> None:
    assert shown_spelling(Counter({"telearbeit": 3, "Telearbeit": 2})) == "telearbeit"


def test_a_tie_shows_the_same_spelling_whatever_came_first() -> None:
    # the capitalised German noun sorts first, whichever order the answers came in
    assert shown_spelling(Counter({"telearbeit": 2, "Telearbeit": 2})) == "Telearbeit"
    assert shown_spelling(Counter({"Telearbeit": 2, "telearbeit": 2})) == "Telearbeit"
