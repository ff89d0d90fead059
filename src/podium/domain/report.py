"""What goes into an event's report and how its parts are worked out: the options an
organiser chooses, the time axis of "answers over time", the pseudonyms that stand
for participants in exported answers, and how a stored answer reads as text.

The PDF, the CSV and the XLSX all take these from here, so that they agree.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from podium.domain.errors import InvalidAnswer, NotFound
from podium.domain.questions import Kind, QuestionSpec

MAX_COVER_NOTE = 4000
# Bucket widths people read on a time axis; the first that gives at most MAX_BUCKETS.
BUCKET_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 240, 720, 1440)
MAX_BUCKETS = 40
PSEUDONYM_LENGTH = 10  # hex digits: 40 bits, so 10,000 participants almost never collide


class Format:
    PDF = "pdf"
    XLSX = "xlsx"
    ZIP = "zip"  # CSV files, one per table
    ALL = (PDF, XLSX, ZIP)


@dataclass(frozen=True)
class ReportOptions:
    """The organiser's choices for one report (the PDF's, and the tables' too)."""

    questions: tuple[int, ...] | None = None  # None: every question, in the event's order
    include_texts: bool = True  # open texts may hold personal remarks
    include_contributions: bool = True
    cover_note: str = ""
    lang: str | None = None  # None: the event's language


def check_format(name: str) -> str:
    if name not in Format.ALL:
        raise NotFound("unknown_report_format")
    return name


def check_cover_note(text: str) -> str:
    note = text.strip()
    if len(note) > MAX_COVER_NOTE:
        raise InvalidAnswer("cover_note_too_long", max=MAX_COVER_NOTE)
    return note


def chosen_questions(order: Sequence[int], wanted: Sequence[int] | None) -> tuple[int, ...]:
    """The questions of the report in the event's order. Asking for one the event does
    not have is an error, not silently nothing: a typo must not drop a question."""
    if wanted is None:
        return tuple(order)
    unknown = sorted(set(wanted) - set(order))
    if unknown:
        raise InvalidAnswer("unknown_report_question", ids=", ".join(map(str, unknown)))
    chosen = set(wanted)
    return tuple(q for q in order if q in chosen)


def includes_answers_of(kind: Kind, options: ReportOptions) -> bool:
    """Open texts are left out entirely when the organiser says so, in every format."""
    return options.include_texts or kind is not Kind.TEXT


def bucket_width(first: datetime, last: datetime) -> timedelta:
    """The width of the bars of "answers over time": the narrowest common width that
    keeps the chart at MAX_BUCKETS bars at most."""
    span = max(last - first, timedelta(0))
    for minutes in BUCKET_MINUTES:
        width = timedelta(minutes=minutes)
        if span // width < MAX_BUCKETS:
            return width
    return timedelta(minutes=BUCKET_MINUTES[-1])


def bucket_start(moment: datetime, first: datetime, width: timedelta) -> datetime:
    """The start of the bucket that holds `moment`, buckets counted from the bucket of
    `first` aligned to whole multiples of `width` (10:05 with 15 minutes: 10:00)."""
    day = first.replace(hour=0, minute=0, second=0, microsecond=0)
    origin = day + ((first - day) // width) * width
    return origin + ((moment - origin) // width) * width


def pseudonym(key: bytes, participant_id: int) -> str:
    """A participant's name in one export. Keyed per export, so that two exports of
    the same event cannot be joined on it, and never the stored id or token."""
    digest = hmac.new(key, str(participant_id).encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def answer_cell(spec: QuestionSpec, value: Any) -> str | int:
    """A stored answer as a reader of the export understands it: option labels rather
    than ids, the words as typed, the text itself, a scale step as a number."""
    if spec.is_choice:
        labels = {o.id: o.label for o in spec.options}
        return " | ".join(labels.get(i, f"#{i}") for i in value)
    if spec.kind is Kind.WORDS:
        return " | ".join(str(w) for w in value)
    if spec.kind is Kind.SCALE:
        return int(value)
    return str(value)
