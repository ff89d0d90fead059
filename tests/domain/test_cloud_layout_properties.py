"""Properties of the word cloud's layout: words never overlap or leave the canvas,
sizes follow the counts, a word keeps its place, and the same input gives the same
cloud."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from podium.domain.cloud_layout import (
    HEIGHT,
    STEPS,
    WIDTH,
    CloudLayout,
    Placed,
    picture_layout,
    size_step,
)

FAST = settings(max_examples=25, deadline=None)

texts = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÄÖÜMW ", min_size=1, max_size=14).map(str.strip)
# (key, shown word, count), most frequent first, as the live cache gives them
clouds = st.lists(
    st.tuples(texts.filter(bool), st.integers(1, 60)),
    max_size=45,
    unique_by=lambda item: item[0],
).map(lambda items: sorted(((w, w.title(), n) for w, n in items), key=lambda i: -i[2]))


def overlap(a: Placed, b: Placed) -> bool:
    (l1, t1, r1, b1), (l2, t2, r2, b2) = a.box, b.box
    return l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1


def assert_well_placed(placed: list[Placed], width: int = WIDTH, height: int = HEIGHT) -> None:
    for i, word in enumerate(placed):
        left, top, right, bottom = word.box
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, word
        for other in placed[i + 1 :]:
            assert not overlap(word, other), (word, other)


@FAST
@given(st.lists(clouds, min_size=1, max_size=4))
def test_words_never_overlap_nor_leave_the_canvas(updates) -> None:
    layout = CloudLayout()
    for words in updates:
        placed = layout.update(words)
        assert_well_placed(placed)
        assert [p.key for p in placed] == [k for k, _w, _n in words if k in {p.key for p in placed}]


@FAST
@given(clouds)
def test_bigger_counts_never_ask_for_smaller_type(words) -> None:
    placed = CloudLayout().update(words)
    top = max((n for _k, _w, n in words), default=0)
    for word in placed:
        assert word.wanted == size_step(word.count, top)
        assert word.step in (word.wanted, word.wanted - 1)  # one step smaller when short of room
    by_count = sorted(placed, key=lambda p: p.count)
    assert [p.wanted for p in by_count] == sorted(p.wanted for p in by_count)
    if placed and placed[0].count == top:
        assert placed[0].wanted == STEPS


@FAST
@given(clouds)
def test_a_picture_keeps_the_order_of_sizes(words) -> None:
    placed = picture_layout(words)
    assert_well_placed(placed)
    if len(placed) == len(words):  # everything fitted: at the sizes the counts ask for
        by_count = sorted(placed, key=lambda p: p.count)
        assert [p.size for p in by_count] == sorted(p.size for p in by_count)
        assert all(p.step == p.wanted for p in placed)


@FAST
@given(clouds, st.data())
def test_a_word_whose_size_stays_keeps_its_place(words, data) -> None:
    layout = CloudLayout()
    before = {p.key: p for p in layout.update(words)}
    # more answers arrive: some counts grow, the order may change
    grown = [(k, w, n + data.draw(st.integers(0, 3))) for k, w, n in words]
    grown.sort(key=lambda i: -i[2])
    top = max((n for _k, _w, n in grown), default=0)
    for word in layout.update(grown):
        old = before.get(word.key)
        if old is not None and old.wanted == size_step(word.count, top):
            assert (word.x, word.y, word.size) == (old.x, old.y, old.size)


@FAST
@given(st.lists(clouds, min_size=1, max_size=3))
def test_the_same_updates_give_the_same_cloud(updates) -> None:
    first, second = CloudLayout(), CloudLayout()
    for words in updates:
        assert first.update(words) == second.update(list(words))
    assert picture_layout(updates[-1]) == picture_layout(list(updates[-1]))
