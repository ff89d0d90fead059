"""Hub messages travel between processes as JSON and arrive as they were sent."""

from __future__ import annotations

import json

import pytest

from podium.live.messages import (
    AnswerChange,
    Answers,
    Contributions,
    Forget,
    Message,
    MessageType,
    PresenceCounts,
    Resync,
    State,
    Structure,
    UnknownMessage,
    from_json,
    to_json,
)

EVERY_TYPE: list[Message] = [
    Answers(
        (
            AnswerChange(1, 2, None, "b", 10, None),
            AnswerChange(1, 3, ["a"], ["a", "c"], 12, 11),
        )
    ),
    State(1),
    Structure(2),
    Contributions(3),
    Forget(4),
    Resync("reconnected"),
    PresenceCounts("p1", {5: 2}),
]


def test_every_type_has_one_class_in_the_round_trip() -> None:
    assert sorted(m.type for m in EVERY_TYPE) == sorted(MessageType)


@pytest.mark.parametrize("message", EVERY_TYPE, ids=lambda m: m.type.value)
def test_a_message_arrives_as_it_was_sent(message: Message) -> None:
    decoded, sent = from_json(to_json(message, sent=1234.5))
    assert decoded == message and type(decoded) is type(message)
    assert sent == 1234.5


def test_the_wire_format_is_the_one_older_processes_read() -> None:
    # A rolling upgrade runs old and new processes on one channel.
    assert json.loads(to_json(State(7), sent=1.0)) == {"type": "state", "event_id": 7, "t": 1.0}
    answers = Answers((AnswerChange(1, 2, None, "b", 10, None),))
    assert json.loads(to_json(answers, sent=1.0)) == {
        "type": "answers",
        "items": [[1, 2, None, "b", 10, None]],
        "t": 1.0,
    }
    assert from_json('{"type": "resync"}') == (Resync(), None)


def test_an_unknown_type_is_told_apart_from_garbage() -> None:
    with pytest.raises(UnknownMessage) as caught:
        from_json('{"type": "applause", "event_id": 1}')
    assert caught.value.type_name == "applause"
    for garbage in ("not json", "[1, 2]", '{"event_id": 1}', '{"type": "state"}'):
        with pytest.raises(ValueError) as error:
            from_json(garbage)
        assert not isinstance(error.value, UnknownMessage)


def test_messages_are_frozen() -> None:
    with pytest.raises(AttributeError):
        State(1).event_id = 2  # type: ignore[misc]


def test_presence_counts_travel_with_string_keys_and_come_back_as_ids() -> None:
    message = PresenceCounts("a1b2", {7: 3, 9: 1})
    wire = to_json(message, sent=5.0)
    assert json.loads(wire) == {
        "type": "presence",
        "process": "a1b2",
        "counts": {"7": 3, "9": 1},
        "t": 5.0,
    }
    assert from_json(wire) == (message, 5.0)
    # a peer's garbage is refused, not summed
    with pytest.raises(ValueError):
        from_json('{"type": "presence", "process": "x", "counts": {"7": "many"}}')
