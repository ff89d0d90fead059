"""How well the word cloud counts one word once, measured on a labelled corpus.

The corpus (data/word_corpus.yaml) groups entries per language that must count as
one word, lists pairs that must not, and fields holding typed lists. Merging is
scored over pairs of entries of one language: a pair in one group that gets one
key is a true positive, a pair of different groups that gets one key a false
positive, a pair of one group with two keys a false negative. Precision and recall
follow; the goal of issue 5 is 0.95 for both.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from podium.domain import word_forms

CORPUS = "word_corpus.yaml"


@dataclass
class Scores:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    entries: int = 0
    groups: int = 0
    false_merges: list[tuple[str, str, str]] = field(default_factory=list)  # a, b, key
    missed: list[tuple[str, str, str, str]] = field(default_factory=list)  # a, key a, b, key b

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


def load_corpus(path: Path | None = None) -> dict[str, Any]:
    if path is None:
        text = resources.files("podium.bench").joinpath("data", CORPUS).read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or "language_groups" not in data:
        raise ValueError("the corpus needs language_groups")
    return data


def score(corpus: dict[str, Any], language: str) -> Scores:
    """Pairwise precision and recall of the merging for one language."""
    groups = corpus["language_groups"].get(language) or []
    entries = [(entry, n) for n, group in enumerate(groups) for entry in group["entries"]]
    keys = {entry: word_forms.word_key(entry, language) for entry, _ in entries}
    result = Scores(entries=len(entries), groups=len(groups))
    for (a, group_a), (b, group_b) in itertools.combinations(entries, 2):
        same_key = keys[a] == keys[b]
        if group_a == group_b:
            if same_key:
                result.true_positive += 1
            else:
                result.false_negative += 1
                result.missed.append((a, keys[a], b, keys[b]))
        elif same_key:
            result.false_positive += 1
            result.false_merges.append((a, b, keys[a]))
    return result


def near_misses(corpus: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """The listed pairs that must stay two words but got one key."""
    pairs = (corpus.get("near_misses") or {}).get(language) or []
    return [
        (a, b)
        for a, b in pairs
        if word_forms.word_key(a, language) == word_forms.word_key(b, language)
    ]


def lists(corpus: dict[str, Any]) -> tuple[int, list[tuple[str, list[str]]]]:
    """How many typed lists were split into exactly the labelled words."""
    wrong: list[tuple[str, list[str]]] = []
    items = corpus.get("lists") or []
    for item in items:
        got = word_forms.split_entries(item["entry"])
        if got != list(item["words"]):
            wrong.append((item["entry"], got))
    return len(items) - len(wrong), wrong


def timing(corpus: dict[str, Any], count: int = 10_000, seed: int = 1) -> dict[str, float]:
    """Seconds to normalise `count` entries: as a room types them (drawn from the
    corpus, words repeat), and all different (nothing from the cache)."""
    pool = [
        (entry, language)
        for language, groups in corpus["language_groups"].items()
        for group in groups
        for entry in group["entries"]
    ]
    rng = random.Random(seed)
    typed = [rng.choice(pool) for _ in range(count)]
    as_typed = _normalising(typed)
    distinct = [(f"{entry} {n}", language) for n, (entry, language) in enumerate(typed)]
    all_different = _normalising(distinct)
    return {"entries": count, "as_typed_seconds": as_typed, "distinct_seconds": all_different}


def _normalising(entries: list[tuple[str, str]]) -> float:
    """Seconds to key every (entry, language), starting with empty caches."""
    word_forms.word_key.cache_clear()
    word_forms._lemma.cache_clear()
    started = time.perf_counter()
    for entry, language in entries:
        word_forms.word_key(entry, language)
    return time.perf_counter() - started


def report(corpus: dict[str, Any]) -> dict[str, Any]:
    languages = sorted(corpus["language_groups"])
    per_language = {language: score(corpus, language) for language in languages}
    total = Scores()
    for scores in per_language.values():
        total.true_positive += scores.true_positive
        total.false_positive += scores.false_positive
        total.false_negative += scores.false_negative
        total.entries += scores.entries
        total.groups += scores.groups
    split_ok, split_wrong = lists(corpus)
    return {
        "languages": {
            language: {
                "entries": s.entries,
                "groups": s.groups,
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "false_merges": [list(x) for x in s.false_merges],
                "missed": [list(x) for x in s.missed],
                "near_misses_merged": [list(p) for p in near_misses(corpus, language)],
            }
            for language, s in per_language.items()
        },
        "total": {
            "entries": total.entries,
            "groups": total.groups,
            "pairs_same": total.true_positive + total.false_negative,
            "precision": round(total.precision, 4),
            "recall": round(total.recall, 4),
        },
        "lists": {"split_right": split_ok, "split_wrong": [list(x) for x in split_wrong]},
        "timing": timing(corpus),
    }
