"""Which typed words count as the same word in a word cloud.

For now spellings that differ only in case or white space are one word; a
fuller normalisation (hyphens, inflection, umlauts) replaces `fold_word` later.
"""

from __future__ import annotations


def display_form(text: str) -> str:
    """A word as it is shown: trimmed, inner white space collapsed to one space."""
    return " ".join(text.split())


def fold_word(text: str) -> str:
    """The key under which spellings of one word are counted together."""
    return display_form(text).casefold()
