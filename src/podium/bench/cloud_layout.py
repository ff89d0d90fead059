"""How fast word clouds are laid out and how calm the live one stays, on the words
of the labelled corpus (docs/BENCHMARKS.md).

Live: answers arrive in rounds, as at an event (a few words are named often, most
rarely), and the cloud is updated after each round; every update is timed, and a
word that moved while its size stayed the same is counted (it must not happen; a
word that left the 40 drawn and comes back is placed anew).
Pictures (results page, downloads): a fresh layout of 40 words for three shapes of
counts, timed, with the words drawn and the largest type used.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from typing import Any

from podium.domain.cloud_layout import MAX_WORDS, CloudLayout, picture_layout

Item = tuple[str, str, int]


def corpus_words(corpus: dict[str, Any]) -> list[str]:
    return [g["label"] for groups in corpus["language_groups"].values() for g in groups]


def live(words: list[str], rounds: int = 300, per_round: int = 5, seed: int = 5) -> dict[str, Any]:
    rng = random.Random(seed)
    vocabulary = rng.sample(words, min(80, len(words)))
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    counts: Counter[str] = Counter()
    layout = CloudLayout()
    places: dict[str, tuple[int, float, float]] = {}
    seconds: list[float] = []
    moved = drawn = 0
    for _ in range(rounds):
        counts.update(rng.choices(vocabulary, weights, k=per_round))
        items = [(w, w, c) for w, c in counts.most_common()]
        start = time.perf_counter()
        placed = layout.update(items)
        seconds.append(time.perf_counter() - start)
        now = {p.key: (p.wanted, p.x, p.y) for p in placed}
        for key, (wanted, x, y) in now.items():
            before = places.get(key)  # drawn in the update before
            if before is not None and before[0] == wanted and before[1:] != (x, y):
                moved += 1
        places, drawn = now, len(placed)
    return {
        "updates": rounds,
        "answers_per_update": per_round,
        "vocabulary": len(vocabulary),
        "mean_ms": round(1000 * statistics.fmean(seconds), 2),
        "max_ms": round(1000 * max(seconds), 2),
        "drawn_at_end": drawn,
        "moved_without_resize": moved,
    }


def shapes(words: list[str], seed: int = 7) -> dict[str, list[Item]]:
    rng = random.Random(seed)
    chosen = rng.sample(words, min(MAX_WORDS, len(words)))
    longest = sorted(words, key=len, reverse=True)[:MAX_WORDS]
    return {
        "few_dominate": [(w, w, max(1, 300 // (n + 1))) for n, w in enumerate(chosen)],
        "about_equal": [(w, w, 100 - n) for n, w in enumerate(chosen)],
        "longest_words_about_equal": [(w, w, 100 - n) for n, w in enumerate(longest)],
        "random": sorted(((w, w, rng.randint(1, 200)) for w in chosen), key=lambda i: -i[2]),
    }


def pictures(words: list[str]) -> dict[str, Any]:
    picture_layout(shapes(words)["few_dominate"][:3])  # the spirals are made once per process
    figures: dict[str, Any] = {}
    for name, items in shapes(words).items():
        start = time.perf_counter()
        placed = picture_layout(items)
        seconds = time.perf_counter() - start
        figures[name] = {
            "words": len(items),
            "drawn": len(placed),
            "largest_type": max((p.size for p in placed), default=0.0),
            "ms": round(1000 * seconds, 1),
        }
    return figures


def report(corpus: dict[str, Any]) -> dict[str, Any]:
    words = corpus_words(corpus)
    return {"live": live(words), "pictures": pictures(words)}
