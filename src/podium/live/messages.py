"""The hub's messages: one frozen dataclass per `MessageType`.

In one process the hub hands these objects to its listeners as they are; between
processes (live/redis_hub.py) they travel as JSON objects, `{"type": ..., **fields}`
plus the publish time `"t"`:

  answers        {"items": [[event_id, question_id, old, new, row_id, old_row_id], ...]}
                 committed answer changes (see store/writer.Committed)
  state          {"event_id": N}  live state changed (current question, voting, results)
  structure      {"event_id": N}  questions or event details edited
  contributions  {"event_id": N}  an event's contributions changed (the board rereads)
  forget         {"event_id": N}  event deleted: every process drops all of it
  resync         {"reason": "..."}  messages may have been lost: reload from the database
  presence       {"process": "<id>", "counts": {"<event_id>": n, ...}}
                 a process's connected participants per event (live/presence.py)

Listeners dispatch on the class (`match message: case State(event_id=e): ...`) and
ignore the others. A type this process does not know (a newer peer during a rolling
upgrade) is logged and dropped by the hub, never delivered.

Adding a message:
1. a member of `MessageType` (its value is the wire name, never change it later);
2. a `@dataclass(frozen=True, slots=True)` subclass of `_Message` (or of `_EventMessage`
   when its only field is `event_id`) with `type: ClassVar[MessageType] = ...`;
   override `to_fields`/`from_fields` only when its fields are not plain JSON values;
3. add the class to `Message` and `_CLASSES` below, and a round trip to
   tests/live/test_messages.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

from podium.store.answer_batch import Committed


class MessageType(StrEnum):
    ANSWERS = "answers"
    STATE = "state"
    STRUCTURE = "structure"
    CONTRIBUTIONS = "contributions"
    FORGET = "forget"
    RESYNC = "resync"
    PRESENCE = "presence"


class UnknownMessage(ValueError):
    """A message of a type this process does not know (a newer peer's)."""

    def __init__(self, type_name: str) -> None:
        super().__init__(f"unknown hub message type {type_name!r}")
        self.type_name = type_name


class _Message:
    __slots__ = ()
    type: ClassVar[MessageType]

    def to_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_fields(cls, data: Mapping[str, Any]) -> Self:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class _EventMessage(_Message):
    event_id: int

    @classmethod
    def from_fields(cls, data: Mapping[str, Any]) -> Self:
        return cls(int(data["event_id"]))


@dataclass(frozen=True, slots=True)
class AnswerChange:
    event_id: int
    question_id: int
    old: Any  # the value it replaced, None for a first answer
    new: Any
    row_id: int
    old_row_id: int | None


@dataclass(frozen=True, slots=True)
class Answers(_Message):
    type: ClassVar[MessageType] = MessageType.ANSWERS
    changes: tuple[AnswerChange, ...]

    @classmethod
    def of(cls, committed: Iterable[Committed]) -> Answers:
        return cls(
            tuple(
                AnswerChange(c.event_id, c.question_id, c.old, c.new, c.row_id, c.old_row_id)
                for c in committed
            )
        )

    def to_fields(self) -> dict[str, Any]:
        # Lists, not objects: a batch of a thousand answers stays small on the wire.
        return {
            "items": [
                [c.event_id, c.question_id, c.old, c.new, c.row_id, c.old_row_id]
                for c in self.changes
            ]
        }

    @classmethod
    def from_fields(cls, data: Mapping[str, Any]) -> Self:
        return cls(tuple(AnswerChange(*item) for item in data["items"]))


@dataclass(frozen=True, slots=True)
class State(_EventMessage):
    type: ClassVar[MessageType] = MessageType.STATE


@dataclass(frozen=True, slots=True)
class Structure(_EventMessage):
    type: ClassVar[MessageType] = MessageType.STRUCTURE


@dataclass(frozen=True, slots=True)
class Contributions(_EventMessage):
    type: ClassVar[MessageType] = MessageType.CONTRIBUTIONS


@dataclass(frozen=True, slots=True)
class Forget(_EventMessage):
    type: ClassVar[MessageType] = MessageType.FORGET


@dataclass(frozen=True, slots=True)
class Resync(_Message):
    type: ClassVar[MessageType] = MessageType.RESYNC
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PresenceCounts(_Message):
    """One process's connected participants per event; `{}` says "none here"."""

    type: ClassVar[MessageType] = MessageType.PRESENCE
    process: str
    counts: Mapping[int, int]

    def to_fields(self) -> dict[str, Any]:
        # JSON object keys are strings
        return {"process": self.process, "counts": {str(k): v for k, v in self.counts.items()}}

    @classmethod
    def from_fields(cls, data: Mapping[str, Any]) -> Self:
        process, raw = data["process"], data["counts"]
        if not isinstance(process, str) or not isinstance(raw, dict):
            raise TypeError("presence needs a process id and an object of counts")
        try:
            counts = {int(k): int(v) for k, v in raw.items()}
        except ValueError as exc:
            raise TypeError(str(exc)) from None
        return cls(process, {k: v for k, v in counts.items() if v > 0})


Message = Answers | State | Structure | Contributions | Forget | Resync | PresenceCounts

_CLASSES: dict[str, type[Message]] = {
    cls.type.value: cls
    for cls in (Answers, State, Structure, Contributions, Forget, Resync, PresenceCounts)
}


def to_json(message: Message, sent: float | None = None) -> str:
    """The message on the wire, stamped with its publish time (now unless given)."""
    data = {"type": message.type.value, **message.to_fields()}
    data["t"] = time.time() if sent is None else sent
    return json.dumps(data, separators=(",", ":"))


def from_json(data: str | bytes) -> tuple[Message, float | None]:
    """The message and its publish time. Raises UnknownMessage for a type not known
    here, ValueError for anything else that is not a message."""
    decoded = json.loads(data)
    if not isinstance(decoded, dict) or not isinstance(decoded.get("type"), str):
        raise ValueError("not a hub message")
    cls = _CLASSES.get(decoded["type"])
    if cls is None:
        raise UnknownMessage(decoded["type"])
    sent = decoded.get("t")
    try:
        message = cls.from_fields(decoded)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed {decoded['type']} message: {exc}") from None
    return message, float(sent) if isinstance(sent, int | float) else None
