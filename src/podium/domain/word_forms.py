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
_HYPHENS = re.compile(r"[\-‐‑–—]+")
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


def warm_up() -> None:
    """Load the lemmatiser's dictionaries (German and English: about 0.9 s and 140 MB
    here) now, rather than inside the first word-cloud answer, which would hold up
    every other request while they load."""
    for language in LANGUAGES:
        word_key("Homeoffices", language)


def language_of(language: str) -> str:
    """The lemmatiser's language for an event's language (German and English)."""
    return language if language in LANGUAGES else "de"


def _is_word_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def clean_entry(raw: str) -> str:
    """An entry as it is shown: NFKC, inner white space collapsed, and whatever is not
    a letter or digit trimmed from both ends (quotes, punctuation, emoji). Empty when
    nothing of a word is left."""
    text = unicodedata.normalize("NFKC", raw)
    # invisible format characters (a soft hyphen from copy and paste) are no part of it
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = " ".join(text.split())
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


# Gender marks of German: "Kund*innen", "Kund:innen", "Kund_innen" are one spelling.
_GENDER_MARK = re.compile(r"(?<=\w)[*:_·](?=in(?:nen)?\b)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
# British spellings in their American form, for the key only (both are one word).
_BRITISH = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"(?<=\w{4})is(e|es|ed|ing)$"), r"iz\1"),
    (re.compile(r"(?<=\w{2})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=\w{3})our(s?)$"), r"or\1"),
    (re.compile(r"ell(ing|ed|or|ors)$"), r"el\1"),
    (re.compile(r"^adviser(s?)$"), r"advisor\1"),
)
MIN_HEAD = 4  # letters of the shortest head word a compound is lemmatised by


def _known(token: str, language: str) -> str | None:
    """The form of the token the dictionary knows, trying the case a noun has first
    (so that "Wandel", "wandel" and "WANDEL" all find the noun)."""
    candidates = [token.capitalize(), token.lower()] if language == "de" else [token.lower()]
    for candidate in [*candidates, token]:
        if simplemma.is_known(candidate, lang=language):
            return candidate
    return None


def _lemma_of(token: str, language: str) -> str | None:
    if language == "de":
        return _german_lemma(token)
    known = _known(token, language)
    if known is None:
        return None
    if simplemma.lemmatize(known + "s", lang=language) == known:
        # a noun in its own right, whatever verb it also is: "meeting", not "meet"
        return known.casefold()
    return simplemma.lemmatize(known, lang=language).casefold()


def _german_lemma(token: str) -> str | None:
    """A noun in its base form stays ("Wandel", not the verb "wandeln"); an inflected
    form is read as the adjective or verb it is when the dictionary knows that
    ("flexiblen" -> "flexibel", not a noun "Flexible"); else as the noun ("Akten")."""
    noun = token.capitalize()
    if len(noun) > 5 and noun.endswith(("ern", "eln")):
        # the dative plural of a noun in -er or -el, which the dictionary reads as a
        # verb or as a word of its own: "Bürgern" -> "Bürger", "Mitteln" -> "Mittel"
        singular = noun[:-1]
        if simplemma.lemmatize(singular, lang="de") == singular and simplemma.is_known(
            singular, lang="de"
        ):
            return singular.casefold()
    noun_known = simplemma.is_known(noun, lang="de")
    if noun_known:
        lemma = simplemma.lemmatize(noun, lang="de")
        if lemma == noun:
            return lemma.casefold()
    lower = token.lower()
    if simplemma.is_known(lower, lang="de"):
        return simplemma.lemmatize(lower, lang="de").casefold()
    if noun_known:
        return simplemma.lemmatize(noun, lang="de").casefold()
    if simplemma.is_known(token, lang="de"):
        return simplemma.lemmatize(token, lang="de").casefold()
    return None


@lru_cache(maxsize=65536)
def _lemma(token: str, language: str) -> str:
    """The token's lemma, case-folded; for a word the dictionary does not know, the
    lemma of its head ("Zugangskanälen" -> "zugangs" + "kanal"), or else the token as
    typed (a name, a new word: better counted as typed than guessed)."""
    if language == "en":
        token = _american(_POSSESSIVE.sub("", token.lower()))
    found = _lemma_of(token, language)
    if found is not None:
        return found
    if language == "de":
        # "Bueros", "Fuehrung", "Raeder": transliterated; try the umlauts back.
        for restored in _restorations(token.casefold()):
            found = _lemma_of(restored, language) or _compound(restored, language)
            if found is not None:
                return found
        # "eAkten", "EAkte": the e- prefix written without its hyphen.
        if len(token) > 3 and token[0] in "eE":
            found = _lemma_of(token[1:], language)
            if found is not None:
                return "e" + found
    head = _compound(token.casefold(), language)
    if head is not None:
        return head
    if language == "en" and len(token) > 4 and token.endswith("s") and token[-2] not in "su":
        return token[:-1]  # an unknown plural: "videocalls"
    return token.casefold()


def _compound(token: str, language: str) -> str | None:
    """A compound the dictionary does not know, by its longest known head word."""
    for start in range(1, len(token) - MIN_HEAD + 1):
        head = _lemma_of(token[start:], language)
        if head is not None:
            return token[:start] + head
    return None


def _american(token: str) -> str:
    for pattern, replacement in _BRITISH:
        token = pattern.sub(replacement, token)
    return token


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


def _word_lemma(word: str, language: str) -> str:
    """One word between spaces; its hyphenated parts are one compound ("Home-Office",
    "Zugangs-Kanäle", "E-Akte"), taken whole first, else part by part."""
    parts = [p for p in _HYPHENS.split(word) if p]
    if len(parts) == 1:
        return _lemma(parts[0], language)
    whole = "".join(parts)
    if _known(whole, language) is not None or _compound(whole.casefold(), language):
        return _lemma(whole, language)
    if language == "de" and parts[0].lower() == "e":
        return "e" + "".join(_lemma(p, language) for p in parts[1:])
    return "".join(_lemma(p, language) for p in parts)


@lru_cache(maxsize=65536)
def word_key(entry: str, language: str = "de") -> str:
    """The key under which spellings and forms of one word are counted together."""
    lang = language_of(language)
    text = _GENDER_MARK.sub("*", clean_entry(entry))
    words = [w for w in text.split() if w.strip("-‐‑–—_/")]
    if not words:
        return ""
    lemmas = [_word_lemma(word, lang) for word in words]
    if len(words) > 1 and not all(_known(w, lang) for w in words):
        # "Home Offices": words the dictionary does not know, a whole it does.
        joined = "".join(words)
        if _known(joined, lang) is not None:
            lemmas = [_lemma(joined, lang)]
    return "".join(lemmas).translate(_TRANSLITERATION)
