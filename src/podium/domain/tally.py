"""Counting answers: the results of a question, from its stored answers.

A `Tally` is fed every current answer (and told when one is replaced), so that
it always equals a count of the stored rows; `result()` gives what is shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from podium.domain.questions import Kind, PercentBase, QuestionSpec
from podium.domain.word_edits import WordEdit, apply_edits
from podium.domain.words import fold_word


def percent(count: int, base: int) -> float:
    """Share of `count` in `base` in percent; 0 when nobody answered."""
    return 100.0 * count / base if base else 0.0


def whole_percent(count: int, base: int) -> int:
    """The percentage as people read it on a chart: rounded half up, never banker's."""
    if not base:
        return 0
    exact = Decimal(100 * count) / Decimal(base)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    label: str
    count: int
    percent: float
    whole_percent: int


@dataclass(frozen=True)
class ChoiceResult:
    kind: Kind
    respondents: int
    answers: int  # choices made in all: more than respondents when several may be picked
    percent_base: PercentBase
    options: tuple[OptionResult, ...]


@dataclass(frozen=True)
class ScaleStep:
    value: int
    count: int
    percent: float
    whole_percent: int


@dataclass(frozen=True)
class ScaleResult:
    kind: Kind
    respondents: int
    mean: float | None
    steps: tuple[ScaleStep, ...]
    min_label: str
    max_label: str


@dataclass(frozen=True)
class WordCount:
    word: str  # the spelling most participants used
    count: int
    spellings: tuple[str, ...]
    key: str = ""  # what the word is counted by (word_forms.word_key): moderators' edits name it


@dataclass(frozen=True)
class WordsResult:
    kind: Kind
    respondents: int
    words: tuple[WordCount, ...]  # most frequent first


@dataclass(frozen=True)
class TextResult:
    kind: Kind
    respondents: int
    texts: tuple[str, ...]  # newest first


Result = ChoiceResult | ScaleResult | WordsResult | TextResult


class Tally:
    """Counts of one question's current answers, kept equal to the stored rows."""

    def __init__(self, spec: QuestionSpec) -> None:
        self.spec = spec
        self.respondents = 0
        self._counts: Counter[Any] = Counter()
        self._spellings: dict[str, Counter[str]] = {}
        # Answers that named several words, by their keys: what a merge must not count
        # twice (one person's "Homeoffice" and "Telearbeit" merged are one word).
        self._together: Counter[frozenset[str]] = Counter()
        self._texts: list[str] = []
        # A moderator's merges and hides (word clouds only), applied to every result.
        self.edits: tuple[WordEdit, ...] = ()

    def add(self, value: Any) -> None:
        self.respondents += 1
        self._apply(value, +1)

    def remove(self, value: Any) -> None:
        self.respondents -= 1
        self._apply(value, -1)

    def replace(self, old: Any | None, new: Any) -> None:
        if old is not None:
            self.remove(old)
        self.add(new)

    def _apply(self, value: Any, sign: int) -> None:
        kind = self.spec.kind
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            for option_id in value:
                self._counts[option_id] += sign
        elif kind is Kind.SCALE:
            self._counts[value] += sign
        elif kind is Kind.WORDS:
            self._apply_words(value, sign)
        elif sign > 0:
            self._texts.append(value)
        else:
            self._texts.remove(value)

    def _apply_words(self, words: Any, sign: int) -> None:
        """A word counts the respondents who named it: once per answer, however many of
        its spellings the answer holds (validation already keeps one per key; an
        answer stored under older word rules may hold two)."""
        language = self.spec.language
        counts, all_spellings = self._counts, self._spellings
        keys: set[str] = set()
        # dict.get rather than Counter's missing-key default: this runs for every
        # answer the live cache takes, thousands a second.
        for word in words:
            key = fold_word(word, language)
            keys.add(key)
            spellings = all_spellings.get(key)
            if spellings is None:
                spellings = all_spellings[key] = Counter()
            left = spellings.get(word, 0) + sign
            if left > 0:
                spellings[word] = left
            else:
                spellings.pop(word, None)
        for key in keys:
            left = counts.get(key, 0) + sign
            if left > 0:
                counts[key] = left
            else:
                counts.pop(key, None)
                all_spellings.pop(key, None)
        if len(keys) > 1:
            named = frozenset(keys)
            left = self._together.get(named, 0) + sign
            if left > 0:
                self._together[named] = left
            else:
                self._together.pop(named, None)

    def result(self) -> Result:
        kind = self.spec.kind
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            return self._choice_result()
        if kind is Kind.SCALE:
            return self._scale_result()
        if kind is Kind.WORDS:
            return self._words_result()
        return TextResult(kind, self.respondents, tuple(reversed(self._texts)))

    def _choice_result(self) -> ChoiceResult:
        spec = self.spec
        answers = sum(self._counts[o.id] for o in spec.options)
        base = self.respondents if spec.percent_base is PercentBase.RESPONDENTS else answers
        options = tuple(
            OptionResult(
                o.id,
                o.label,
                self._counts[o.id],
                percent(self._counts[o.id], base),
                whole_percent(self._counts[o.id], base),
            )
            for o in spec.options
        )
        return ChoiceResult(spec.kind, self.respondents, answers, spec.percent_base, options)

    def _scale_result(self) -> ScaleResult:
        spec = self.spec
        values = range(spec.scale_min, spec.scale_max + 1)
        total = sum(v * self._counts[v] for v in values)
        n = self.respondents
        steps = tuple(
            ScaleStep(
                v, self._counts[v], percent(self._counts[v], n), whole_percent(self._counts[v], n)
            )
            for v in values
        )
        mean = total / n if n else None
        return ScaleResult(spec.kind, n, mean, steps, spec.min_label, spec.max_label)

    def _words_result(self) -> WordsResult:
        counts, spellings, display = apply_edits(
            self._counts, self._spellings, self.edits, self._together
        )
        words = [
            WordCount(
                display[key],
                count,
                tuple(sorted(spellings[key])),
                key,
            )
            for key, count in counts.items()
            if count > 0
        ]
        words.sort(key=lambda w: (-w.count, w.word.casefold()))
        return WordsResult(self.spec.kind, self.respondents, tuple(words))
