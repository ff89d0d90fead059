"""An event's published results: when a link opens them, and what it shows.

The link holds a secret; whoever has it sees the results, nothing else does. The
organiser chooses the questions and whether open texts and contributions are part
of it, as for the report; contributions are shown only as the audience saw them,
approved, whatever their state in the moderators' queue.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from podium.domain.contributions import L, report_order, visible_to_audience
from podium.domain.questions import Kind
from podium.domain.report import ReportOptions, chosen_questions, includes_answers_of

# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet, 256 bits
TOKEN_BYTES = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class Publication:
    """What the organiser published with the link (the report's choices, less the
    cover note and the language: the page speaks its reader's)."""

    questions: tuple[int, ...] | None = None  # None: every question, new ones included
    include_texts: bool = True
    include_contributions: bool = True

    def as_stored(self) -> dict[str, Any]:
        return {
            "questions": None if self.questions is None else list(self.questions),
            "include_texts": self.include_texts,
            "include_contributions": self.include_contributions,
        }

    def report_options(
        self, order: Sequence[int] | None = None, lang: str | None = None
    ) -> ReportOptions:
        """The published PDF: the same choices as the page. A chosen question deleted
        since is left out (`order`: the event's questions now), not an error."""
        questions = self.questions
        if questions is not None and order is not None:
            questions = tuple(q for q in questions if q in set(order))
        return ReportOptions(
            questions=questions,
            include_texts=self.include_texts,
            include_contributions=self.include_contributions,
            lang=lang,
        )


def publication_of(stored: Mapping[str, Any] | None) -> Publication:
    """The options as stored; what is missing or malformed shows less, never more."""
    if not stored:
        return Publication(questions=(), include_texts=False, include_contributions=False)
    raw = stored.get("questions", ())  # a missing key is malformed: none, not all
    questions: tuple[int, ...] | None
    if raw is None:
        questions = None
    elif isinstance(raw, list | tuple):
        questions = tuple(q for q in raw if isinstance(q, int) and not isinstance(q, bool))
    else:
        questions = ()
    return Publication(
        questions=questions,
        include_texts=stored.get("include_texts") is True,
        include_contributions=stored.get("include_contributions") is True,
    )


def checked_publication(order: Sequence[int], wanted: Publication) -> Publication:
    """The options to publish: asking for a question the event does not have is an
    error (as for the report); every question chosen is kept as "every question"."""
    if wanted.questions is None:
        return wanted
    chosen = chosen_questions(order, wanted.questions)
    return Publication(
        questions=None if set(chosen) == set(order) else chosen,
        include_texts=wanted.include_texts,
        include_contributions=wanted.include_contributions,
    )


def looks_like_token(presented: str) -> bool:
    """Whether a path segment can be a link's secret at all: anything else is refused
    before the database is asked."""
    return bool(_TOKEN.match(presented))


def token_opens(current: str | None, presented: str) -> bool:
    """Whether the link opens the results: only the event's current secret does, and
    never once unpublished (None). Compared in constant time, and byte for byte, so
    that no collation of a database lets a near miss in."""
    if current is None or not looks_like_token(presented):
        return False
    return hmac.compare_digest(current.encode(), presented.encode())


def public_questions(
    questions: Sequence[tuple[int, Kind]], publication: Publication
) -> tuple[int, ...]:
    """The ids of the questions the public page shows, of the event's (id, kind) in its
    order. A chosen question deleted since is simply gone; open texts only when
    published with them."""
    order = {q for q, _ in questions}
    wanted = order if publication.questions is None else order & set(publication.questions)
    options = publication.report_options()
    return tuple(q for q, kind in questions if q in wanted and includes_answers_of(kind, options))


def public_contributions(items: Iterable[L], publication: Publication) -> list[L]:
    """The contributions the public page lists: none unless published with them, and
    then only what the audience saw (approved), in the report's order."""
    if not publication.include_contributions:
        return []
    return [i for i in report_order(items) if visible_to_audience(i.status)]
