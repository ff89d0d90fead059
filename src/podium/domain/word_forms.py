"""Which typed entries of a word cloud are the same word: the key they are counted by.

An entry is cleaned (Unicode NFKC, quotes, punctuation and emoji trimmed from its
ends), cut into tokens at spaces and hyphens, each token reduced to its lemma by
simplemma (a lemmatiser made for German and English: "Videokonferenzen" ->
"Videokonferenz", "meetings" -> "meeting"), and the lemmas are joined without
separators, case-folded and transliterated (ä -> ae, ß -> ss). So "Home-Office",
"Home Office" and "Homeoffice" share the key "homeoffice", "Büro" and "Buero" share
"buero", and "Arbeit" and "Arbeitgeber" stay two words, since the lemmatiser knows
both. Transliterated spellings the dictionary does not know ("Bueros") are tried
with their umlauts restored ("Büros" -> "Büro").

Everything here is a pure function of the entry and the event's language; it is
cached, since a room types the same few words again and again.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

LANGUAGES = ("de", "en")
# Separators of a list typed into one field ("Homeoffice, Digitalisierung"). Not "und"
# or "and": "Führung und Zusammenarbeit" is one idea.
LIST_SEPARATORS = re.compile(r"\s*(?:[,;\n]|\s/\s)\s*")
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–—_/]+")
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_RESTORE = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß"))

# Whole entries that carry no meaning in a cloud. Only removed as whole entries:
# "Führung auf Distanz" keeps its "auf".
STOPWORDS = {
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "den",
            "dem",
            "des",
            "ein",
            "eine",
            "einer",
            "eines",
            "einem",
            "einen",
            "und",
            "oder",
            "aber",
            "auch",
            "nicht",
            "nichts",
            "ist",
            "sind",
            "war",
            "es",
            "er",
            "sie",
            "wir",
            "ihr",
            "ich",
            "du",
            "mit",
            "für",
            "auf",
            "in",
            "im",
            "an",
            "am",
            "zu",
            "zum",
            "zur",
            "von",
            "vom",
            "bei",
            "nach",
            "aus",
            "über",
            "unter",
            "so",
            "wie",
            "was",
            "wer",
            "ja",
            "nein",
            "mehr",
            "weniger",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "and",
            "or",
            "but",
            "also",
            "not",
            "nothing",
            "is",
            "are",
            "was",
            "it",
            "he",
            "she",
            "we",
            "you",
            "i",
            "with",
            "for",
            "on",
            "in",
            "at",
            "to",
            "of",
            "from",
            "by",
            "after",
            "about",
            "so",
            "as",
            "what",
            "who",
            "yes",
            "no",
            "more",
            "less",
        ]
    ),
}


def language_of(language: str) -> str:
    """The lemmatiser's language for an event's language (German and English)."""
    return language if language in LANGUAGES else "de"


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def clean_entry(raw: str) -> str:
    """An entry as it is shown: NFKC, inner white space collapsed, and whatever is not
    a letter or digit trimmed from both ends (quotes, punctuation, emoji). Empty when
    nothing of a word is left."""
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    start, end = 0, len(text)
    while start < end and not _is_word_character(text[start]):
        start += 1
    while end > start and not _is_word_character(text[end - 1]):
        end -= 1
    return text[start:end]


def split_entries(raw: str) -> list[str]:
    """The words of one field: a typed list is several words, a phrase is one."""
    return [part for part in (clean_entry(p) for p in LIST_SEPARATORS.split(raw)) if part]


def scripts_of(text: str) -> set[str]:
    """The writing systems of a text's letters (LATIN, CYRILLIC, GREEK, ...)."""
    found: set[str] = set()
    for char in text:
        if unicodedata.category(char).startswith("L"):
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


def is_stopword(entry: str, language: str) -> bool:
    return clean_entry(entry).casefold() in STOPWORDS[language_of(language)]


@lru_cache(maxsize=65536)
def _lemma(token: str, language: str) -> str:
    """The token's lemma, case-folded; the token itself when the dictionary does not
    know it (a name, a new compound: better counted as typed than guessed)."""
    if language == "en":
        token = token.lower()  # English has no capitalised nouns to keep apart
    if simplemma.is_known(token, lang=language):
        if language == "en" and simplemma.lemmatize(token + "s", lang=language) == token:
            # a noun in its own right, whatever verb it also is: "meeting", not "meet"
            return token.casefold()
        return simplemma.lemmatize(token, lang=language).casefold()
    if language == "de":
        # "Bueros", "Fuehrung", "Strasse": transliterated; try the umlauts back.
        for restored in _restorations(token.casefold()):
            if simplemma.is_known(restored, lang=language):
                return simplemma.lemmatize(restored, lang=language).casefold()
        # "eAkten", "EAkte": the e- prefix written without its hyphen.
        if len(token) > 3 and token[0] in "eE" and simplemma.is_known(token[1:], lang=language):
            return "e" + simplemma.lemmatize(token[1:], lang=language).casefold()
    return token.casefold()


def _restorations(token: str) -> list[str]:
    """The token with its transliterations turned back, one pair at a time and all."""
    out: list[str] = []
    every = token
    for plain, umlaut in _RESTORE:
        if plain in token:
            out.append(token.replace(plain, umlaut))
            every = every.replace(plain, umlaut)
    if every != token and every not in out:
        out.append(every)
    return out


@lru_cache(maxsize=65536)
def word_key(entry: str, language: str = "de") -> str:
    """The key under which spellings and forms of one word are counted together."""
    lang = language_of(language)
    text = clean_entry(entry)
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    if not tokens:
        return ""
    lemmas = [_lemma(token, lang) for token in tokens]
    if len(tokens) > 1 and not all(simplemma.is_known(t, lang=lang) for t in tokens):
        # "Home-Offices": parts the dictionary does not know, a whole it does.
        joined = "".join(tokens)
        for whole in (joined, joined.capitalize()):
            if simplemma.is_known(whole, lang=lang):
                lemmas = [_lemma(whole, lang)]
                break
    return "".join(lemmas).translate(_TRANSLITERATION)
