"""The device list frames: the order of the whole list with every item's revision and
upvotes, but the HTML only of what the frame before did not show; a full frame has
all; never a waiting contribution."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from podium import i18n
from podium.domain.contributions import State, Status
from podium.live.fanout import DEVICE, MODERATOR, SCREEN
from podium.services.read_models import Item
from podium.web.contribution_frames import DEVICE_LIST_MAX, DeviceLists, QueueLists, revision
from podium.web.frames import votes_frame
from podium.web.templating import make_environment

EVENT = SimpleNamespace(id=1, join_code="12345678", contributions_open=True)
LONG = "Wie wird die Beratung im Jobcenter nach der Pandemie aussehen, und was bleibt? " * 3


def item(n: int, votes: int = 0, state: State = State.APPROVED, text: str = LONG) -> Item:
    return Item(
        id=n,
        event_id=1,
        text=f"{n}: {text}"[:300],
        original_text=None,
        name=None,
        panelist=None,
        status=Status(state),
        votes=votes,
        version=1,
        merged_into_id=None,
        created_at=datetime(2021, 2, 2, 10, n % 60, tzinfo=UTC),
    )


@pytest.fixture
def lists():
    token = i18n.current_lang.set("de")
    yield DeviceLists(make_environment())
    i18n.current_lang.reset(token)


def size(frame: dict) -> int:
    return len(json.dumps(frame, separators=(",", ":")).encode())


def test_a_new_contribution_sends_only_itself(lists: DeviceLists) -> None:
    board = [item(n, votes=n % 7) for n in range(1, 101)]
    first = lists.frame(EVENT, board, "de")
    assert len(first["items"]) == 100 and len(first["order"]) == 100
    board.append(item(101, votes=50))
    second = lists.frame(EVENT, board, "de")
    assert list(second["items"]) == ["101"]
    assert second["order"][0] == [101, revision(board[-1]), 50]  # most upvotes first
    assert len(second["order"]) == DEVICE_LIST_MAX and second["count"] == 101
    assert "Gezeigt werden die 100 mit der meisten Unterstützung von 101." in second["after"]
    # what a change costs every device: measured, not guessed
    assert size(first) > 50_000 and size(second) < 6_000, (size(first), size(second))


def test_upvotes_travel_in_the_order_not_as_html(lists: DeviceLists) -> None:
    board = [item(1, votes=1), item(2, votes=2)]
    lists.frame(EVENT, board, "de")
    board[0] = replace(board[0], votes=9)
    frame = lists.frame(EVENT, board, "de")
    assert frame["items"] == {}
    assert [entry[0] for entry in frame["order"]] == [1, 2]
    assert frame["order"][0][2] == 9


def test_an_edited_or_highlighted_contribution_is_sent_again(lists: DeviceLists) -> None:
    board = [item(1), item(2)]
    lists.frame(EVENT, board, "de")
    board[1] = replace(board[1], text="Korrigiert")
    board[0] = replace(board[0], status=Status(State.APPROVED, highlighted=True))
    frame = lists.frame(EVENT, board, "de")
    assert set(frame["items"]) == {"1", "2"}
    assert "Korrigiert" in frame["items"]["2"] and "Jetzt auf dem Podium" in frame["items"]["1"]


def test_a_full_frame_has_everything_and_leaves_the_base_alone(lists: DeviceLists) -> None:
    board = [item(1), item(2)]
    lists.frame(EVENT, board, "de")
    board.append(item(3))
    full = lists.frame(EVENT, board, "de", full=True)
    assert set(full["items"]) == {"1", "2", "3"} and full["full"]
    delta = lists.frame(EVENT, board, "de")  # still on the last delta: 3 is new to it
    assert set(delta["items"]) == {"3"}


def test_waiting_and_rejected_contributions_never_travel(lists: DeviceLists) -> None:
    board = [item(1), item(2, state=State.PENDING, text="Geheim"), item(3, state=State.REJECTED)]
    for frame in (lists.frame(EVENT, board, "de"), lists.frame(EVENT, board, "de", full=True)):
        assert [entry[0] for entry in frame["order"]] == [1]
        assert "Geheim" not in json.dumps(frame)


def test_an_empty_list_says_so_in_each_language(lists: DeviceLists) -> None:
    german = lists.frame(EVENT, [], "de")
    assert german["order"] == [] and "Noch keine Beiträge" in german["empty"]
    token = i18n.current_lang.set("en")
    try:
        english = lists.frame(EVENT, [], "en")
    finally:
        i18n.current_lang.reset(token)
    assert "No contributions shown yet." in english["empty"]


def test_upvote_counts_alone_for_devices_and_moderators(lists: DeviceLists) -> None:
    board = [item(1, votes=3), item(2, votes=1, state=State.PENDING), item(3, votes=1)]
    moderators = json.loads(votes_frame(board, MODERATOR) or "")
    assert moderators == {  # every item, waiting ones too, with what a screen reader says
        "votes": {
            "1": [3, "3 Unterstützungen"],
            "2": [1, "1 Unterstützung"],
            "3": [1, "1 Unterstützung"],
        }
    }
    devices = json.loads(votes_frame(board, DEVICE) or "")
    assert devices == {  # never a waiting one; the order the counts make
        "votes": {"1": 3, "3": 1},
        "ranks": {"top": [1, 3], "new": [3, 1]},
    }
    assert votes_frame(board, SCREEN) is None  # the screen's list frame is small


def test_device_frames_carry_the_order_upvotes_make(lists: DeviceLists) -> None:
    before = [item(1, votes=2), item(2, votes=1)]
    after = [item(1, votes=2), item(2, votes=4)]  # 2 overtook 1 while the room voted
    assert lists.frame(EVENT, before, "de")["ranks"]["top"] == [1, 2]
    assert lists.frame(EVENT, after, "de")["ranks"]["top"] == [2, 1]
    assert json.loads(votes_frame(after, DEVICE) or "")["ranks"]["top"] == [2, 1]


def queue_html(frame: dict, kept: dict[str, str]) -> str:
    """The queue as moderation.js builds it: each placeholder by the item sent."""
    kept.update(frame["items"])
    return re.sub(r"<!--q:(\d+):(\w+)-->", lambda m: kept[f"{m[1]}:{m[2]}"], frame["shell"])


def test_the_moderators_queue_sends_only_what_changed(lists: DeviceLists) -> None:
    queues = QueueLists(make_environment())
    board = [item(n, state=State.PENDING if n % 2 else State.APPROVED) for n in range(1, 41)]
    kept: dict[str, str] = {}
    first = queues.frame(EVENT, board, "de")
    assert len(first["items"]) == 40 and first["pending"] == 20
    whole = queue_html(first, kept)
    assert whole.count('class="queue-item') == 40
    board.append(item(41, state=State.PENDING, text="Neu eingegangen"))
    board[1] = replace(board[1], votes=7)  # an upvote on an approved one
    second = queues.frame(EVENT, board, "de")
    assert {key.split(":")[0] for key in second["items"]} == {"2", "41"}
    html = queue_html(second, kept)
    assert html.count('class="queue-item') == 41 and "Neu eingegangen" in html
    assert "▲ 7" in html
    assert size(second) < size(first) / 5, (size(first), size(second))
