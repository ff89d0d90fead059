"""Question types, their settings, and the validation of an answer.

An answer arrives as loosely typed form or JSON data; `validate_answer` turns it
into the canonical value that is stored and tallied, or raises `InvalidAnswer`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from podium.domain.blocklist import Blocklist
from podium.domain.codes import is_answer_id
from podium.domain.errors import InvalidAnswer, NotAllowed, NotFound, RuleViolation

MAX_TITLE = 300
MAX_OPTION_LABEL = 200
MAX_OPTIONS = 30
MAX_WORD_LENGTH = 40
MAX_WORDS_LIMIT = 10
MAX_TEXT_LIMIT = 2000


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    WORDS = "words"
    TEXT = "text"


class PercentBase(StrEnum):
    """What a choice's percentage is a share of."""

    RESPONDENTS = "respondents"  # of people who answered: "top 3" shares add up to ~300 %
    ANSWERS = "answers"  # of all choices made: shares add up to 100 %


@dataclass(frozen=True)
class Option:
    id: int
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    """Everything the rules need to know about a question."""

    kind: Kind
    options: tuple[Option, ...] = ()
    max_choices: int = 1
    percent_base: PercentBase = PercentBase.RESPONDENTS
    scale_min: int = 1
    scale_max: int = 5
    min_label: str = ""
    max_label: str = ""
    max_words: int = 3
    max_length: int = 280
    language: str = "de"  # the event's: which words are the same word in a cloud
    option_ids: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_ids", frozenset(o.id for o in self.options))

    @property
    def is_choice(self) -> bool:
        return self.kind in (Kind.SINGLE, Kind.MULTIPLE)

    @property
    def choice_limit(self) -> int:
        return 1 if self.kind is Kind.SINGLE else self.max_choices


def check_spec(spec: QuestionSpec) -> None:
    """Reject a question definition that could not be answered sensibly."""
    if spec.is_choice:
        if len(spec.options) < 2:
            raise RuleViolation("too_few_options", min=2)
        if len(spec.options) > MAX_OPTIONS:
            raise RuleViolation("too_many_options", max=MAX_OPTIONS)
        for option in spec.options:
            if not option.label.strip():
                raise RuleViolation("empty_option")
            if len(option.label) > MAX_OPTION_LABEL:
                raise RuleViolation("option_too_long", max=MAX_OPTION_LABEL)
        if spec.kind is Kind.MULTIPLE and not 1 <= spec.max_choices <= len(spec.options):
            raise RuleViolation("bad_max_choices", max=len(spec.options))
    if spec.kind is Kind.SCALE and not (
        spec.scale_min < spec.scale_max and spec.scale_max - spec.scale_min <= 10
    ):
        raise RuleViolation("bad_scale")
    if spec.kind is Kind.WORDS and not 1 <= spec.max_words <= MAX_WORDS_LIMIT:
        raise RuleViolation("bad_max_words", max=MAX_WORDS_LIMIT)
    if spec.kind is Kind.TEXT and not 1 <= spec.max_length <= MAX_TEXT_LIMIT:
        raise RuleViolation("bad_max_length", max=MAX_TEXT_LIMIT)


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise RuleViolation("empty_title")
    if len(title) > MAX_TITLE:
        raise RuleViolation("title_too_long", max=MAX_TITLE)
    return title


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    if isinstance(raw, str | int):
        return [raw]
    if isinstance(raw, Iterable) and not isinstance(raw, Mapping | bytes):
        return list(raw)
    raise InvalidAnswer("malformed")


def _as_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise InvalidAnswer("malformed")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    raise InvalidAnswer("malformed")


def clean_text(raw: Any) -> str:
    """Text as a participant meant it: NFC, no control characters, trimmed."""
    if not isinstance(raw, str):
        raise InvalidAnswer("malformed")
    text = unicodedata.normalize("NFC", raw)
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise InvalidAnswer("control_characters")
    return text.strip()


def validate_answer(spec: QuestionSpec, raw: Any) -> Any:
    """Return the canonical stored value of an answer, or raise InvalidAnswer.

    Canonical values: single and multiple -> sorted list of option ids;
    scale -> int; words -> list of words as typed (trimmed, inner space folded,
    case-insensitive duplicates dropped); text -> str.
    """
    if spec.is_choice:
        items = _as_list(raw)
        ids = sorted({_as_int(item) for item in items})
        if not ids:
            raise InvalidAnswer("no_choice")
        if any(i not in spec.option_ids for i in ids):
            raise InvalidAnswer("unknown_option")
        if len(ids) > spec.choice_limit:
            raise InvalidAnswer("too_many_choices", max=spec.choice_limit)
        return ids
    if spec.kind is Kind.SCALE:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        value = _as_int(raw)
        if not spec.scale_min <= value <= spec.scale_max:
            raise InvalidAnswer("out_of_scale", min=spec.scale_min, max=spec.scale_max)
        return value
    if spec.kind is Kind.WORDS:
        return _validate_words(spec, _as_list(raw))
    if spec.kind is Kind.TEXT:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        text = clean_text(raw)
        if not text:
            raise InvalidAnswer("empty_text")
        if len(text) > spec.max_length:
            raise InvalidAnswer("text_too_long", max=spec.max_length)
        return text
    raise InvalidAnswer("malformed")  # pragma: no cover - Kind is exhaustive


def _validate_words(spec: QuestionSpec, items: list[Any]) -> list[str]:
    from podium.domain.word_forms import is_stopword, scripts_of, split_entries
    from podium.domain.words import fold_word

    words: list[str] = []
    seen: set[str] = set()
    for item in items:
        # One field may hold a typed list ("Homeoffice, Digitalisierung"): several words.
        text = clean_text(item)
        parts = split_entries(text)
        if text and not parts:  # only punctuation or emoji
            raise InvalidAnswer("word_without_letters")
        for word in parts:
            if len(word) > MAX_WORD_LENGTH:
                raise InvalidAnswer("word_too_long", max=MAX_WORD_LENGTH)
            if not any(c.isalnum() for c in word):
                raise InvalidAnswer("word_without_letters")
            if len(scripts_of(word)) > 1:
                # "Hоmeoffice" with a Cyrillic o would be a word of its own
                raise InvalidAnswer("mixed_scripts")
            if is_stopword(word, spec.language):
                continue
            key = fold_word(word, spec.language)
            if key not in seen:
                seen.add(key)
                words.append(word)
    if not words:
        raise InvalidAnswer("no_words")
    if len(words) > spec.max_words:
        raise InvalidAnswer("too_many_words", max=spec.max_words)
    return words


def check_allowed(spec: QuestionSpec, value: Any, blocklist: Blocklist) -> None:
    """What participants type goes on the shared screen as typed (a word cloud's
    entries, open text): refused when it holds a blocked word, as contributions are,
    before anything is stored. Options are the organiser's own words."""
    if spec.kind is Kind.WORDS:
        texts = list(value)
    elif spec.kind is Kind.TEXT:
        texts = [value]
    else:
        return
    found = [entry for text in texts for entry in blocklist.find_short(text)]
    if found:
        raise InvalidAnswer("answer_blocked", words=", ".join(dict.fromkeys(found)))


class Answerable(Protocol):
    """What accepting an answer needs to know of its question (the live cache's has it)."""

    @property
    def spec(self) -> QuestionSpec: ...

    @property
    def voting_open(self) -> bool: ...


def accept_answer(
    question: Answerable | None, answer_id: str, raw: Any, blocklist: Blocklist
) -> Any:
    """The canonical value to store of an answer a participant sent, or the refusal.

    NotFound when the question is not the event's (None), InvalidAnswer for an answer
    id no client makes or an answer that breaks the question's rules, NotAllowed while
    voting is closed. Whatever path the answer came by, it is decided here.
    """
    if question is None:
        raise NotFound("unknown_question")
    if not is_answer_id(answer_id):
        raise InvalidAnswer("bad_answer_id")
    if not question.voting_open:
        raise NotAllowed("voting_closed")
    value = validate_answer(question.spec, raw)
    check_allowed(question.spec, value, blocklist)
    return value
