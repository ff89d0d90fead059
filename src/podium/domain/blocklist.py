"""Words that are not shown to an audience, found through the usual disguises.

An entry is a word ("arschloch"), a word start ("scheiß*": German builds
compounds, so "Scheißtag" is meant too), a word end ("*arschloch") or several
words ("sieg heil"). Entries match whole words only: "Scunthorpe", "Klasse" and
"Analyse" are clean however short the entries inside them are.

The text is seen the way a reader sees it: case, look-alike characters,
umlauts written out ("Scheisse"), leetspeak ("4r5ch"), letters held down
("fuuuck") and letters spread out ("f.u.c.k", "f u c k") do not hide a word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import groupby

# What a letter may be written as: a run of the letter in an entry matches a run
# of at least as many of these in the text. The sets must not overlap: a pattern
# would otherwise try every place where one letter's run could end and the next
# one's begin, and an entry like "ilil" would take minutes on "1111…". So "1",
# which is both "i" and "l", is not here: the text is read once each way instead.
_LEET = {"a": "a4@", "e": "e3€", "o": "o0", "s": "s5$", "t": "t7"}
_ENTRY_DIGITS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SYMBOLS = "@$€"  # symbols that are letters inside a word, punctuation elsewhere
_SYMBOL_LETTERS = str.maketrans({"@": "a", "$": "s", "€": "e"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})  # ß is "ss" after casefold
_APOSTROPHES = frozenset("'’‘`´ʼ′")  # "geht's" is one word, not "geht" and "s"

# Cyrillic and Greek letters that look Latin (after casefold). Only used in words
# that mix them with Latin letters: a Russian or Greek word stays what it is.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k",
        "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y",
        "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ı": "i", "ɑ": "a",
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "υ": "u",
        "χ": "x",
    }
)  # fmt: skip

MAX_GAP = 3  # characters between letters that are still read as one word ("f . u")
MAX_SPAN = 16  # words re-joined into one at most: spread-out words are short
MIN_ENTRY = 2  # letters an entry needs; one letter would block half of every text


def _fold(text: str) -> str:
    """Case and compatibility forms (full-width, bold, ligatures) folded, invisible
    characters (zero-width space, soft hyphen) and apostrophes removed."""
    text = "".join(c for c in text if c not in _APOSTROPHES)
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _is_letter(c: str) -> bool:
    return c.isalnum() or unicodedata.category(c)[0] == "M" or c in _LEET_SYMBOLS


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")
    )


def _spellings(word: str) -> set[str]:
    """The forms a folded word is compared in: umlauts written out, and dropped
    ("Arschlöcher" and "Arschloecher" are one word; "fück" is "fuck")."""
    if any("a" <= c <= "z" for c in word):
        word = word.translate(_CONFUSABLES)
    forms = {word.translate(_UMLAUTS), word}
    if "1" in word:
        forms = {form.replace("1", letter) for form in forms for letter in "il"}
    return {_strip_marks(form) for form in forms}


def _key_word(word: str) -> str:
    """An entry's word in the form its pattern is built from."""
    return _strip_marks(word.translate(_UMLAUTS)).translate(_ENTRY_DIGITS)


def _word_pattern(key: str) -> str:
    parts = []
    for char, run in groupby(key):
        times = len(list(run))
        letter = f"[{re.escape(_LEET[char])}]" if char in _LEET else re.escape(char)
        # "fuuuck" is "fuck", but "as" is not "ass": a doubled letter stays at least double.
        # Possessive: with non-overlapping letters, giving back part of a run never helps.
        parts.append(letter + ("++" if times == 1 else f"{{{times},}}+"))
    return "".join(parts)


@dataclass(frozen=True)
class _Entry:
    text: str  # as listed: folded, e.g. "scheiss*", "sieg heil"
    key: str  # what makes two entries the same: "scheiße" is "scheisse"
    pattern: re.Pattern[str]  # the entry as one word ("siegheil" too)
    words: tuple[re.Pattern[str], ...]  # several words: one pattern each, matched in a row


def normalise_entry(raw: str) -> str | None:
    """An entry as it is listed, or None when it is no usable entry (a comment,
    blank, or fewer than MIN_ENTRY letters). The web form can show what it keeps."""
    entry = _parse_entry(raw)
    return entry.text if entry else None


def _parse_entry(raw: str) -> _Entry | None:
    text = " ".join(_fold(raw.split("#", 1)[0]).split())
    starts_open, ends_open = text.startswith("*"), text.endswith("*")
    words = [
        "".join(c for c in word.translate(_SYMBOL_LETTERS) if _is_letter(c))
        for word in text.strip("*").split()
    ]
    words = [word for word in words if word]
    keys = [_key_word(word) for word in words]
    if sum(len(key) for key in keys) < MIN_ENTRY or "".join(words).isdigit():
        return None  # too short to be a word; numbers are never read as words
    listed = ("*" if starts_open else "") + " ".join(words) + ("*" if ends_open else "")
    head, tail = (".*?" if starts_open else ""), ("" if ends_open else r"\Z")
    word_patterns: tuple[re.Pattern[str], ...] = ()
    if len(keys) > 1:
        word_patterns = tuple(
            re.compile(
                (head if i == 0 else "")
                + _word_pattern(key)
                + (tail if i == len(keys) - 1 else r"\Z")
            )
            for i, key in enumerate(keys)
        )
    # From the words joined: where one word ends in the letter the next begins with
    # ("bcd dbc"), that is one run in the joined text, and a possessive run per word
    # would take all of it and leave the next word none.
    whole = head + _word_pattern("".join(keys)) + tail
    key = ("*" if starts_open else "") + " ".join(keys) + ("*" if ends_open else "")
    return _Entry(listed, key, re.compile(whole), word_patterns)


def _parse_all(lines: Iterable[str]) -> Iterator[_Entry]:
    for raw in lines:
        for line in raw.splitlines():
            entry = _parse_entry(line)
            if entry is not None:
                yield entry


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    start: int | None = None
    for i, c in enumerate(text + " "):
        if _is_letter(c):
            if start is None:
                start = i
        elif start is not None:
            tokens.append(_Token(text[start:i], start, i))
            start = None
    return tokens


def _joined(text: str, before: _Token, after: _Token) -> bool:
    """Whether two neighbouring words may be one word spread out.

    Without a space between them ("fu.ck", "f-u-c-k") they may. With a space only
    when both are single letters ("f u c k"): so "a s s" is re-joined, while in
    "I was a singer" the lone "a" stays a word of its own.
    """
    gap = text[before.end : after.start]
    if len(gap) > MAX_GAP or "\n" in gap:
        return False
    return not any(c.isspace() for c in gap) or (len(before.text) == len(after.text) == 1)


def _candidates(text: str, tokens: list[_Token]) -> Iterator[tuple[int, str]]:
    """Every word the text may be read as, with where it starts: each word, and
    each run of neighbouring words that may be one word spread out."""
    group: list[_Token] = []
    for token in [*tokens, None]:
        if token is not None and group and _joined(text, group[-1], token):
            group.append(token)
            continue
        for i in range(len(group)):
            for j in range(i + 1, min(len(group), i + MAX_SPAN) + 1):
                yield group[i].start, "".join(t.text for t in group[i:j])
        group = [token] if token is not None else []


SHORT = 80  # characters: longer texts are not remembered by find_short
SHORT_KEPT = 4096  # short texts remembered per list, then forgotten all at once


class Blocklist:
    """A set of entries, and the search for them in a text."""

    __slots__ = ("_any", "_entries", "_short")

    def __init__(self, entries: Iterable[str] = ()) -> None:
        by_key: dict[str, _Entry] = {}
        for entry in _parse_all(entries):
            by_key.setdefault(entry.key, entry)
        self._entries = tuple(sorted(by_key.values(), key=lambda e: e.text))
        alternatives = "|".join(f"(?:{e.pattern.pattern})" for e in self._entries)
        # One pass over the usual, clean word; the entries one by one only on a hit.
        self._any = re.compile(alternatives) if alternatives else None
        self._short: dict[str, tuple[str, ...]] = {}  # find_short's answers

    @classmethod
    def parse(cls, text: str) -> Blocklist:
        """A list as written in a file: one entry a line, '#' starts a comment."""
        return cls(text.splitlines())

    @property
    def entries(self) -> tuple[str, ...]:
        return tuple(e.text for e in self._entries)

    def merged(self, extra: Iterable[str], removed: Iterable[str] = ()) -> Blocklist:
        """This list with an event's own entries added and shipped ones taken out.

        An entry is taken out however it is spelled ("Scheiße" removes "scheisse").
        """
        gone = {entry.key for entry in _parse_all(removed)}
        kept = [e.text for e in self._entries if e.key not in gone]
        return Blocklist([*kept, *extra])

    def find(self, text: str) -> list[str]:
        """The entries found in `text`, in the order they appear, each once."""
        if self._any is None:
            return []
        folded = _fold(text)
        tokens = _tokens(folded)
        first_seen: dict[int, int] = {}  # entry index -> where it first appears
        for start, word in _candidates(folded, tokens):
            if word.isdigit():
                continue  # "455" is a number, not "ass"
            for spelling in _spellings(word):
                if not self._any.match(spelling):
                    continue
                for index, entry in enumerate(self._entries):
                    if entry.pattern.match(spelling) and start < first_seen.get(index, start + 1):
                        first_seen[index] = start
        self._find_word_rows(tokens, first_seen)
        ordered = sorted(first_seen, key=lambda index: (first_seen[index], index))
        return [self._entries[index].text for index in ordered]

    def find_short(self, text: str) -> tuple[str, ...]:
        """`find` for the short texts a room types again and again (a word cloud's
        entries): each answered once, from memory after that."""
        if len(text) > SHORT:
            return tuple(self.find(text))
        found = self._short.get(text)
        if found is None:
            if len(self._short) >= SHORT_KEPT:
                self._short.clear()
            found = self._short[text] = tuple(self.find(text))
        return found

    def _find_word_rows(self, tokens: list[_Token], first_seen: dict[int, int]) -> None:
        """Entries of several words, written as several words ("Sieg-Heil", "sieg heil")."""
        rows = [(i, e.words) for i, e in enumerate(self._entries) if e.words]
        if not rows:
            return
        spellings = [_spellings(token.text) for token in tokens]
        for index, words in rows:
            for at in range(len(tokens) - len(words) + 1):
                if all(
                    any(word.match(s) for s in spellings[at + k]) for k, word in enumerate(words)
                ):
                    start = tokens[at].start
                    if start < first_seen.get(index, start + 1):
                        first_seen[index] = start
                    break

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Blocklist) and self.entries == other.entries

    def __hash__(self) -> int:
        return hash(self.entries)

    def __repr__(self) -> str:
        return f"Blocklist({len(self._entries)} entries)"


def _language_file(language: str) -> str:
    primary = language.replace("_", "-").split("-", 1)[0].strip().lower()
    return "de" if primary == "de" else "en"


@functools.cache
def _shipped(language: str) -> Blocklist:
    data = resources.files("podium.domain.data").joinpath(f"blocklist.{language}.txt")
    return Blocklist.parse(data.read_text(encoding="utf-8"))


@functools.cache
def default_blocklist(language: str) -> Blocklist:
    """The list shipped for "de" (also "de-AT" and the like) or, for any other
    language, "en"; read from the package once."""
    return _shipped(_language_file(language))
