"""The cloud's layout: no two words overlap, all inside the canvas, sizes follow the
counts, and a word keeps its place while the cloud grows around it."""

from __future__ import annotations

import itertools
import random

from podium.domain.cloud_layout import (
    HEIGHT,
    MAX_SIZE,
    MAX_WORDS,
    WIDTH,
    CloudLayout,
    Placed,
    picture_layout,
    size_step,
)

WORDS = [
    "Homeoffice",
    "Digitalisierung",
    "Videoberatung",
    "E-Akte",
    "Führung auf Distanz",
    "Teamgeist",
    "Erreichbarkeit",
    "Beratung",
    "Vertrauen",
    "Flexibilität",
    "Nähe",
    "Zugang",
    "Mut",
    "Wandel",
    "Präsenz",
    "Telefon",
    "Akzeptanz",
    "Tempo",
]


def overlap(a: Placed, b: Placed) -> bool:
    (l1, t1, r1, b1), (l2, t2, r2, b2) = a.box, b.box
    return l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1


def check(drawn: list[Placed]) -> None:
    for a, b in itertools.combinations(drawn, 2):
        assert not overlap(a, b), (a.word, b.word)
    for p in drawn:
        left, top, right, bottom = p.box
        assert left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT, p


def test_words_never_overlap_and_stay_inside() -> None:
    layout = CloudLayout()
    counts = {w: 1 + (len(WORDS) - n) // 2 for n, w in enumerate(WORDS)}
    drawn = layout.update((w, w, c) for w, c in counts.items())
    assert len(drawn) >= 15
    check(drawn)


def test_sizes_follow_the_counts() -> None:
    assert size_step(10, 10) == 6 and size_step(1, 10) < size_step(5, 10) < size_step(10, 10)
    drawn = CloudLayout().update([("a", "Homeoffice", 10), ("b", "Nähe", 1)])
    assert drawn[0].size > drawn[1].size


def test_a_placed_word_stays_while_the_cloud_grows() -> None:
    layout = CloudLayout()
    rng = random.Random(7)
    counts: dict[str, int] = {}
    places: dict[str, tuple[int, float, float]] = {}
    for round_ in range(120):
        word = rng.choice(WORDS[: 3 + round_ // 8])
        counts[word] = counts.get(word, 0) + 1
        items = sorted(((w, w, c) for w, c in counts.items()), key=lambda x: -x[2])
        drawn = layout.update(items)
        check(drawn)
        for p in drawn:
            before = places.get(p.key)
            if before is not None and before[0] == p.wanted:
                # the same size asked for as before: the same place
                assert (before[1], before[2]) == (p.x, p.y), p.word
            places[p.key] = (p.wanted, p.x, p.y)


LONG_WORDS = [
    f"{head}{tail}"
    for head in ("Beratungs", "Digital", "Zugangs", "Arbeits", "Team")
    for tail in (
        "kanäle",
        "kompetenz",
        "führung",
        "qualität",
        "struktur",
        "wandel",
        "kultur",
        "strategie",
    )
]


def test_a_picture_draws_every_word_even_when_all_are_equally_frequent() -> None:
    items = [(w, w, 100 - n) for n, w in enumerate(LONG_WORDS)]  # 40 long, similar counts
    assert len(CloudLayout().update(items)) < len(items)  # the live layout runs out of room
    drawn = picture_layout(items)
    assert len(drawn) == len(items) == MAX_WORDS
    check(drawn)
    assert all(p.step == p.wanted for p in drawn)  # none made smaller than its count asks
    by_count = sorted(drawn, key=lambda p: -p.count)
    assert all(a.size >= b.size for a, b in itertools.pairwise(by_count))


def test_a_picture_keeps_the_largest_type_when_there_is_room() -> None:
    items = [(w, w, max(1, 60 // (n + 1))) for n, w in enumerate(WORDS)]
    drawn = picture_layout(items)
    assert len(drawn) == len(WORDS)
    check(drawn)
    assert drawn[0].word == "Homeoffice" and drawn[0].size == MAX_SIZE
    centre_x = drawn[0].x + drawn[0].width / 2
    assert abs(centre_x - WIDTH / 2) < 40  # the most frequent word in the middle
