"""Which typed words count as the same word in a word cloud (see word_forms.py for
how: spelling variants, transliterations and inflections share one key)."""

from __future__ import annotations

from podium.domain.word_forms import clean_entry, word_key


def display_form(text: str) -> str:
    """A word as it is shown: trimmed of quotes, punctuation and emoji at its ends,
    inner white space collapsed to one space."""
    return clean_entry(text)


def fold_word(text: str, language: str = "de") -> str:
    """The key under which spellings and forms of one word are counted together."""
    return word_key(text, language)
