"""Typed text as podium shows it: the invisible characters that can make a text read
differently from what it says are replaced by a visible marker.

What is neutralised, and why:
- the explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
  an override shows "evil" as "live" and turns the text after it around too
  ("Trojan Source"). Right-to-left scripts need none of them: the Unicode bidi
  algorithm runs Arabic and Hebrew right to left by their letters alone;
- the bidi marks (U+200E LRM, U+200F RLM, U+061C ALM): invisible, they move
  punctuation and digits about; a typed text reads without them;
- the zero-width space U+200B: invisible, it splits a word so that it escapes the
  blocklist and the word cloud's counting;
- the zero-width joiner U+200D and non-joiner U+200C *outside* the places where a
  script needs them. The joiner makes emoji sequences (👩‍💻 is woman, ZWJ, laptop)
  and the half forms of Indic scripts; the non-joiner is spelling in Persian
  (می‌خواهم) and in Indic scripts. Both are kept there — between two emoji, or between
  two letters or marks of a script other than Latin — and shown elsewhere: between
  Latin letters they hide nothing a reader could want, but split a word.

Replaced by what: a marker naming the character, "⟨U+202E⟩". Removing them would hide
from a moderator that something odd was typed (a text with an override is a probe or
an attack, and the moderator should see it); U+FFFD would say that something is
there, not what. The marker reads the same in every language, the public is not
fooled by it, and the report's font (DejaVu Sans) draws its brackets.

Stored text stays as typed: this is applied where text is shown (templates, live
frames, exports, PDF, mails), never where it is saved.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"
ZWJ = "\u200d"
# The characters looked at; whether one is neutralised may depend on its neighbours.
_SUSPECT = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that may stand before a joiner in an emoji sequence beside the emoji
# themselves: the emoji presentation selector and the five skin tones.
_EMOJI_PARTS = frozenset({"\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))})
_LATIN_END = 0x036F  # Basic Latin to the combining diacritics: the Latin texts' letters


def marker(char: str) -> str:
    """The visible stand-in of an invisible character: ⟨U+202E⟩."""
    return f"\u27e8U+{ord(char):04X}\u27e9"


def _emoji(char: str, before: bool) -> bool:
    if unicodedata.category(char) == "So":
        return True
    return before and char in _EMOJI_PARTS


def _script_letter(char: str) -> bool:
    """A letter or mark of a script that joins or shapes (not Latin, not a digit)."""
    return ord(char) > _LATIN_END and unicodedata.category(char)[0] in "LM"


def _needed(text: str, at: int) -> bool:
    """Is the joiner or non-joiner at `at` part of how its script is written?"""
    if at == 0 or at == len(text) - 1:
        return False
    before, after = text[at - 1], text[at + 1]
    if text[at] == ZWJ and _emoji(before, True) and _emoji(after, False):
        return True
    return _script_letter(before) and _script_letter(after)


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    if char in (ZWJ, ZWNJ) and _needed(match.string, match.start()):
        return char
    return marker(char)


def neutralised(text: str) -> str:
    """`text` as it is shown: the same object when nothing in it needs a marker (the
    common case costs one regular-expression search)."""
    if _SUSPECT.search(text) is None:
        return text
    shown = _SUSPECT.sub(_replace, text)
    return text if shown == text else shown


def suspicious(text: str) -> bool:
    """Would `text` be shown with a marker?"""
    return neutralised(text) is not text
