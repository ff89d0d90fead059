"""Written contributions and questions to the panel, and how they are moderated.

A participant writes a contribution (optionally with a name and a panelist it is
addressed to); moderators approve, reject, highlight, pin, mark as answered or
archive it, several of them at once. Nothing here stores or sends anything: the
service asks these rules and raises what they raise.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from podium.domain.errors import NotAllowed, RuleViolation


class InvalidContribution(RuleViolation):
    status = 422


class State(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class Moderation(StrEnum):
    PRE = "pre"  # nothing is shown before a moderator approved it (the default)
    POST = "post"  # shown at once; a moderator may take it down again


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    PUT_BACK = "put_back"
    HIGHLIGHT = "highlight"
    UNHIGHLIGHT = "unhighlight"
    ANSWERED = "answered"
    UNANSWERED = "unanswered"
    PIN = "pin"
    UNPIN = "unpin"
    ARCHIVE = "archive"


@dataclass(frozen=True)
class Status:
    """What moderation decided about one contribution."""

    state: State
    highlighted: bool = False
    answered: bool = False
    pinned: bool = False


def initial_state(mode: Moderation) -> State:
    return State.PENDING if mode == Moderation.PRE else State.APPROVED


# Which states each state-changing action may start from.
_MOVES: dict[Action, frozenset[State]] = {
    Action.APPROVE: frozenset({State.PENDING, State.REJECTED, State.ARCHIVED}),
    Action.REJECT: frozenset({State.PENDING, State.APPROVED}),
    Action.PUT_BACK: frozenset({State.APPROVED, State.REJECTED, State.ARCHIVED}),
    Action.ARCHIVE: frozenset({State.PENDING, State.APPROVED, State.REJECTED}),
}

# Flag actions: the flag they set or clear, and the value it must have before.
_FLAGS: dict[Action, tuple[str, bool]] = {
    Action.HIGHLIGHT: ("highlighted", False),
    Action.UNHIGHLIGHT: ("highlighted", True),
    Action.PIN: ("pinned", False),
    Action.UNPIN: ("pinned", True),
    Action.ANSWERED: ("answered", False),
    Action.UNANSWERED: ("answered", True),
}


def apply(status: Status, action: Action) -> Status:
    """The status after a moderator's action, or NotAllowed when it does not apply.

    An action that would change nothing (approving an approved one, highlighting a
    highlighted one) is refused too: with several moderators it means the screen it
    was clicked on is out of date, and the moderator should see that.
    """
    action = Action(action)
    if action in _MOVES:
        if status.state not in _MOVES[action]:
            raise _not_possible(status, action)
        if action is Action.PUT_BACK:
            return Status(State.PENDING)  # back to the start: a fresh decision
        target = {
            Action.APPROVE: State.APPROVED,
            Action.REJECT: State.REJECTED,
            Action.ARCHIVE: State.ARCHIVED,
        }[action]
        # Highlight and pin are about the screen now; "answered" stays true history.
        return replace(status, state=target, highlighted=False, pinned=False)
    flag, before = _FLAGS[action]
    if status.state != State.APPROVED or bool(getattr(status, flag)) != before:
        raise _not_possible(status, action)
    # state named: mypy then knows the ** can only fill the bool flags
    changed = replace(status, state=status.state, **{flag: not before})
    if action is Action.ANSWERED:
        changed = replace(changed, highlighted=False)  # the panel has moved on from it
    return changed


def _not_possible(status: Status, action: Action) -> NotAllowed:
    return NotAllowed(
        "contribution_not_possible", action=action.value, state=State(status.state).value
    )


def visible_to_audience(status: Status) -> bool:
    """Whether participants and the presenter screen may see it at all."""
    return status.state == State.APPROVED


def screen_shows_contributions(screen_mode: str, one_highlighted: bool) -> bool:
    """The presenter screen shows contributions when the moderator chose so, or while
    one is highlighted (the panel answers it now); otherwise the current poll."""
    return screen_mode == "contributions" or one_highlighted


def check_seen(current_version: int, seen_version: int | None) -> None:
    """Refuse an action decided on an outdated view of the contribution.

    Every change bumps the version; a moderator's action carries the version their
    screen showed. None means the client did not say, and is not checked.
    """
    if seen_version is not None and seen_version != current_version:
        raise NotAllowed("contribution_changed")


@dataclass(frozen=True)
class Limits:
    max_length: int = 300  # characters of the text
    min_length: int = 1
    max_name: int = 60

    def __post_init__(self) -> None:
        if not 1 <= self.min_length <= self.max_length or self.max_name < 1:
            raise ValueError(f"unusable contribution limits: {self!r}")


# Bidi embeddings, overrides and isolates can turn the rest of a wall of questions
# around on screen; nobody types them by accident.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n{3,}")


def _forbidden_control(text: str, allowed: str) -> bool:
    return any(
        (unicodedata.category(c) == "Cc" and c not in allowed) or c in _BIDI_CONTROLS for c in text
    )


def clean_text(raw: object, limits: Limits = Limits()) -> str:
    """The contribution as it is stored and shown, or InvalidContribution.

    Line breaks are kept (a question may have paragraphs) but at most one empty
    line in a row; other white space is folded to single spaces.
    """
    if not isinstance(raw, str):
        raise InvalidContribution("malformed")
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", raw))
    if _forbidden_control(text, "\n\t"):
        raise InvalidContribution("control_characters")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        raise InvalidContribution("empty_contribution")
    if len(text) < limits.min_length:
        raise InvalidContribution("contribution_too_short", min=limits.min_length)
    if len(text) > limits.max_length:
        raise InvalidContribution("contribution_too_long", max=limits.max_length)
    return text


def clean_name(raw: object, limits: Limits = Limits()) -> str | None:
    """The name a participant signs with, or None to stay anonymous."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InvalidContribution("malformed")
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", raw))
    if _forbidden_control(text, "\n\t"):
        raise InvalidContribution("control_characters")
    name = " ".join(text.split())  # a name is one line, whatever was pasted
    if not name:
        return None
    if len(name) > limits.max_name:
        raise InvalidContribution("name_too_long", max=limits.max_name)
    return name


def clean_panelist(raw: object, panelists: Sequence[str]) -> str | None:
    """The panelist a question is addressed to, spelled as the event lists them."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise InvalidContribution("unknown_panelist")
    wanted = " ".join(unicodedata.normalize("NFC", raw).split())
    if not wanted:
        return None
    forms = [(" ".join(unicodedata.normalize("NFC", p).split()), p) for p in panelists]
    for form, panelist in forms:
        if form == wanted:
            return panelist
    for form, panelist in forms:  # a hand-typed value may differ in case only
        if form.casefold() == wanted.casefold():
            return panelist
    raise InvalidContribution("unknown_panelist")


@dataclass(frozen=True)
class RateLimit:
    count: int = 3  # at most `count` contributions ...
    seconds: float = 60.0  # ... per participant within this many seconds

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError(f"unusable rate limit: {self!r}")


def check_rate(recent: Sequence[float], now: float, limit: RateLimit = RateLimit()) -> None:
    """Refuse a contribution when this participant already sent `count` in the window.

    The window is the last `seconds` before `now`, open at its far end: one sent
    exactly `seconds` ago no longer counts.
    """
    window = sorted(t for t in recent if now - t < limit.seconds)
    if len(window) < limit.count:
        return
    # The next is allowed once enough of the window has aged out of it.
    frees_at = window[len(window) - limit.count] + limit.seconds
    raise NotAllowed("too_fast", seconds=max(1, math.ceil(frees_at - now)))


_APOSTROPHES = frozenset("'’‘`´ʼ′")


def comparable(text: str) -> str:
    """The form in which two contributions are compared for being the same.

    Case, punctuation, emoji and spacing do not make a question a different one.
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    kept: list[str] = []
    for c in text:
        category = unicodedata.category(c)
        if c in _APOSTROPHES or category == "Cf" or "\ufe00" <= c <= "\ufe0f":
            continue  # "don't" is "dont"; joiners and emoji variation selectors vanish
        kept.append(" " if category[0] in "PS" else c)
    return " ".join("".join(kept).split())


SHORT_TEXT = 12  # comparable forms shorter than this only match exactly


def _duplicate_key(text: str) -> str:
    # Emoji-only contributions have an empty comparable form; they must not all
    # count as one another's duplicates.
    return comparable(text) or " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def is_near_duplicate(text: str, recent: Sequence[str], threshold: float = 0.9) -> bool:
    """Whether `text` is (nearly) one of `recent`, e.g. the same question sent twice."""
    key = _duplicate_key(text)
    for other in recent:
        other_key = _duplicate_key(other)
        if key == other_key:
            return True
        if len(key) < SHORT_TEXT or len(other_key) < SHORT_TEXT:
            continue  # "Danke!" and "Danke." are one, "Warum?" and "Wann?" are not
        matcher = difflib.SequenceMatcher(None, key, other_key, autojunk=False)
        if (
            matcher.real_quick_ratio() >= threshold
            and matcher.quick_ratio() >= threshold
            and matcher.ratio() >= threshold
        ):
            return True
    return False


class Listed(Protocol):
    """What the order of contributions is decided on (services' Item has it)."""

    @property
    def id(self) -> int: ...

    @property
    def votes(self) -> int: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def status(self) -> Status: ...


L = TypeVar("L", bound=Listed)

ORDERS = ("top", "new")


def _support(item: Listed) -> tuple[int, int]:
    # Ids grow with time: among equals the older one leads, and the order stays put.
    return (-item.votes, item.id)


def _recency(item: Listed) -> tuple[float, int]:
    return (-item.created_at.timestamp(), -item.id)


_KEYS: dict[str, Callable[[Listed], tuple[float, int]]] = {"top": _support, "new": _recency}


def order(items: Iterable[L], by: str = "top") -> list[L]:
    """Contributions as participants and the screen list them: pinned ones first, then
    "top" most upvoted first (older first among equals) or "new" newest first."""
    key = _KEYS.get(by)
    if key is None:
        raise ValueError(f"unknown order {by!r}; expected one of {ORDERS}")
    return sorted(items, key=lambda item: (not item.status.pinned, *key(item)))


def public(items: Iterable[L]) -> list[L]:
    """What participants and the screen may see, in the "top" order."""
    return order(i for i in items if visible_to_audience(i.status))


def ranks(items: Sequence[Listed]) -> dict[str, list[int]]:
    """The ids of `items` in every order a participant can choose: what a device sorts
    its list by, so that it never decides the order itself."""
    return {by: [i.id for i in order(items, by)] for by in ORDERS}


def queue_order(items: Iterable[L]) -> list[L]:
    """The moderators' queue: the one the panel answers now first, then pinned ones,
    then by support as "top" ranks it."""
    return sorted(
        items, key=lambda i: (not i.status.highlighted, not i.status.pinned, *_support(i))
    )


def report_order(items: Iterable[L]) -> list[L]:
    """The results after the event: what the audience saw first, then by support as
    "top" ranks it. Pinning was about the live screen: it does not lead here."""
    return sorted(items, key=lambda i: (not visible_to_audience(i.status), *_support(i)))
