"""A question asked again at several events of a series, side by side.

The organiser gives the questions one comparison key (`check_match_key`); the
results of the questions sharing a key become one `Comparison`: per event the
respondents and each option's percent of respondents. Options are matched by label
(case and spacing folded), so that "Videoberatung" and "videoberatung " are one
option; an option that an event did not offer is absent there (None), never 0 %,
because nobody could choose it. Percentages are always of respondents here, also
for questions counted of all answers: a share of people compares across events of
different sizes, a share of answers does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from podium.domain.errors import RuleViolation
from podium.domain.questions import Kind
from podium.domain.tally import ChoiceResult, Result, ScaleResult, WordsResult, whole_percent
from podium.domain.words import fold_word

MAX_MATCH_KEY = 80
TOP_WORDS = 8  # words of a word cloud compared: the most frequent over all events
_MATCH_KEY = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")


def check_match_key(raw: str | None) -> str | None:
    """The key as stored: trimmed and lower case; empty means none. Letters a–z,
    digits and . _ - inside, so that it reads the same in YAML, URLs and forms."""
    key = (raw or "").strip().lower()
    if not key:
        return None
    if len(key) > MAX_MATCH_KEY:
        raise RuleViolation("match_key_too_long", max=MAX_MATCH_KEY)
    if not _MATCH_KEY.fullmatch(key):
        raise RuleViolation("bad_match_key")
    return key


def fold_label(label: str) -> str:
    """What two option labels are matched by: case and runs of spaces folded."""
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class AskedQuestion:
    """One event's question with a key, and its result now."""

    event_id: int
    event_title: str
    starts_at: datetime | None
    key: str
    title: str
    result: Result


@dataclass(frozen=True)
class Share:
    count: int
    percent: int  # whole percent of the event's respondents


@dataclass(frozen=True)
class EventFigures:
    event_id: int
    event_title: str
    starts_at: datetime | None
    title: str  # the question as asked at this event
    respondents: int
    shares: tuple[Share | None, ...]  # one per row of the comparison; None: not offered
    mean: float | None = None  # scales only


@dataclass(frozen=True)
class Comparison:
    key: str
    kind: Kind  # single or multiple questions are compared as "choice": the first's kind
    title: str  # as asked at the latest event
    rows: tuple[str, ...]  # option labels, scale values or words, in the order shown
    events: tuple[EventFigures, ...]  # in date order

    @property
    def top(self) -> int:
        """The highest percentage: the common scale of every event's chart is 0..100,
        but callers may want to know how much of it is used."""
        return max((s.percent for e in self.events for s in e.shares if s), default=0)


def _family(kind: Kind) -> str:
    return "choice" if kind in (Kind.SINGLE, Kind.MULTIPLE) else str(kind)


def _order(asked: AskedQuestion) -> tuple[int, datetime, int]:
    moment = asked.starts_at
    if moment is None:
        return (1, datetime.min.replace(tzinfo=UTC), asked.event_id)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (0, moment, asked.event_id)


def compare_series(asked: Iterable[AskedQuestion]) -> tuple[Comparison, ...]:
    """Every key asked at two events or more, in the order of its first appearance
    (by date). A key's question of another kind than its first (a scale where a
    choice was asked) is left out: its figures would not mean the same."""
    by_key: dict[str, list[AskedQuestion]] = {}
    for question in sorted(asked, key=_order):
        by_key.setdefault(question.key, []).append(question)
    comparisons = []
    for key, questions in by_key.items():
        first = _family(questions[0].result.kind)
        same: list[AskedQuestion] = []
        for q in questions:
            # one question per event: a second one with the key at the same event is a slip
            if _family(q.result.kind) == first and all(s.event_id != q.event_id for s in same):
                same.append(q)
        if len({q.event_id for q in same}) < 2 or first == str(Kind.TEXT):
            continue
        comparisons.append(_compare(key, same))
    return tuple(comparisons)


def _compare(key: str, questions: Sequence[AskedQuestion]) -> Comparison:
    kind = questions[0].result.kind
    results = [q.result for q in questions]
    if all(isinstance(r, ChoiceResult) for r in results):
        rows, figures = _choices(questions)
    elif all(isinstance(r, ScaleResult) for r in results):
        rows, figures = _scales(questions)
    else:
        rows, figures = _words(questions)
    return Comparison(key, kind, questions[-1].title, rows, figures)


def _figures(
    q: AskedQuestion, shares: list[Share | None], mean: float | None = None
) -> EventFigures:
    return EventFigures(
        q.event_id, q.event_title, q.starts_at, q.title, q.result.respondents, tuple(shares), mean
    )


def _choices(
    questions: Sequence[AskedQuestion],
) -> tuple[tuple[str, ...], tuple[EventFigures, ...]]:
    labels: dict[str, str] = {}  # folded -> shown (the latest event's spelling)
    counts: list[dict[str, int]] = []
    for q in questions:
        assert isinstance(q.result, ChoiceResult)
        these: dict[str, int] = {}
        for option in q.result.options:
            folded = fold_label(option.label)
            these[folded] = these.get(folded, 0) + option.count
            labels[folded] = option.label
        counts.append(these)
    # the first event's options first, later ones' new options after them
    order = list(dict.fromkeys(k for these in counts for k in these))
    figures = []
    for q, these in zip(questions, counts, strict=True):
        n = q.result.respondents
        shares = [
            Share(these[k], whole_percent(these[k], n)) if k in these else None for k in order
        ]
        figures.append(_figures(q, shares))
    return tuple(labels[k] for k in order), tuple(figures)


def _scales(questions: Sequence[AskedQuestion]) -> tuple[tuple[str, ...], tuple[EventFigures, ...]]:
    steps: list[dict[int, int]] = []
    for q in questions:
        assert isinstance(q.result, ScaleResult)
        steps.append({s.value: s.count for s in q.result.steps})
    values = sorted({v for these in steps for v in these})
    figures = []
    for q, these in zip(questions, steps, strict=True):
        assert isinstance(q.result, ScaleResult)
        n = q.result.respondents
        shares = [
            Share(these[v], whole_percent(these[v], n)) if v in these else None for v in values
        ]
        figures.append(_figures(q, shares, q.result.mean))
    return tuple(str(v) for v in values), tuple(figures)


def _words(questions: Sequence[AskedQuestion]) -> tuple[tuple[str, ...], tuple[EventFigures, ...]]:
    shown: dict[str, str] = {}
    counts: list[dict[str, int]] = []
    totals: dict[str, int] = {}
    for q in questions:
        assert isinstance(q.result, WordsResult)
        these: dict[str, int] = {}
        for word in q.result.words:
            key = word.key or fold_word(word.word)
            these[key] = these.get(key, 0) + word.count
            totals[key] = totals.get(key, 0) + word.count
            shown[key] = word.word
        counts.append(these)
    top = sorted(totals, key=lambda k: (-totals[k], shown[k].casefold()))[:TOP_WORDS]
    figures = []
    for q, these in zip(questions, counts, strict=True):
        n = q.result.respondents
        # a word nobody named was still there to be named: 0, not absent
        shares: list[Share | None] = [
            Share(these.get(k, 0), whole_percent(these.get(k, 0), n)) for k in top
        ]
        figures.append(_figures(q, shares))
    return tuple(shown[k] for k in top), tuple(figures)
