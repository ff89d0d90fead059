"""`podium bench-words`: precision and recall of the word cloud's merging, measured on
the labelled corpus, and the time to normalise 10,000 entries (docs/BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

GOAL = 0.95


def add_words_command(sub: Any) -> None:
    cmd: argparse.ArgumentParser = sub.add_parser(
        "bench-words",
        help="measure the word cloud's merging on the labelled corpus",
        description="Pairwise precision and recall of which entries count as one word, per "
        "language and in all, the listed near misses that were merged, typed lists split, "
        "the time to normalise 10,000 entries, and the time to lay clouds out. Exit status 1 "
        "when precision or recall "
        f"is below {GOAL}.",
    )
    cmd.add_argument("--corpus", type=Path, help="a corpus file (default: the shipped one)")
    cmd.add_argument("--json", type=Path, metavar="FILE", help="write every figure as JSON")
    cmd.add_argument("--examples", type=int, default=10, help="errors shown per kind")
    cmd.set_defaults(func=cmd_bench_words)


def cmd_bench_words(args: argparse.Namespace) -> int:
    from podium.bench import cloud_layout
    from podium.bench.words import load_corpus, report

    corpus = load_corpus(args.corpus)
    figures = report(corpus)
    total = figures["total"]
    print(
        f"word cloud merging: {total['entries']} entries in {total['groups']} words, "
        f"{total['pairs_same']} pairs that belong together"
    )
    for language, scores in figures["languages"].items():
        print(
            f"  {language}: precision {scores['precision']:.3f}, recall {scores['recall']:.3f} "
            f"({scores['entries']} entries, {scores['groups']} words)"
        )
        for a, b, key in scores["false_merges"][: args.examples]:
            print(f"    merged but different: {a!r} + {b!r} -> {key!r}")
        for a, key_a, b, key_b in scores["missed"][: args.examples]:
            print(f"    one word, two keys: {a!r} -> {key_a!r}, {b!r} -> {key_b!r}")
        for a, b in scores["near_misses_merged"]:
            print(f"    near miss merged: {a!r} + {b!r}")
    print(
        f"  in all: precision {total['precision']:.3f}, recall {total['recall']:.3f} (goal {GOAL})"
    )
    split = figures["lists"]
    print(
        f"typed lists split right: {split['split_right']} of "
        f"{split['split_right'] + len(split['split_wrong'])}"
    )
    for entry, got in split["split_wrong"][: args.examples]:
        print(f"    {entry!r} -> {got!r}")
    timing = figures["timing"]
    print(
        f"normalising {timing['entries']} entries: {timing['as_typed_seconds']:.3f} s as a room "
        f"types them, {timing['distinct_seconds']:.3f} s all different"
    )
    figures["layout"] = layout = cloud_layout.report(corpus)
    run = layout["live"]
    print(
        f"live cloud: {run['updates']} updates of {run['answers_per_update']} answers over "
        f"{run['vocabulary']} words: {run['mean_ms']} ms on average, {run['max_ms']} ms at most; "
        f"{run['drawn_at_end']} drawn at the end; moved without resize: "
        f"{run['moved_without_resize']}"
    )
    for name, picture in layout["pictures"].items():
        print(
            f"picture, {name.replace('_', ' ')}: {picture['drawn']} of {picture['words']} words "
            f"drawn, largest type {picture['largest_type']:.0f}, {picture['ms']} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
        print(f"figures written to {args.json}")
    return 0 if total["precision"] >= GOAL and total["recall"] >= GOAL else 1
