"""`podium bench-words` on the shipped corpus: the merging meets issue 5's goal, the
report names its errors, and a worse normaliser would fail the exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podium.bench import cloud_layout, words
from podium.cli import main


def test_the_shipped_corpus_meets_the_goal() -> None:
    corpus = words.load_corpus()
    figures = words.report(corpus)
    total = figures["total"]
    assert total["entries"] >= 300
    assert total["precision"] >= 0.95 and total["recall"] >= 0.95, total
    assert set(figures["languages"]) == {"de", "en"}
    for scores in figures["languages"].values():
        assert scores["near_misses_merged"] == []
    assert figures["timing"]["entries"] == 10_000


def test_errors_are_scored_and_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus.yaml"
    corpus.write_text(
        "language_groups:\n"
        "  de:\n"
        "    - {label: Arbeit, entries: [Arbeit, arbeit]}\n"
        "    - {label: Arbeitgeber, entries: [Arbeitgeber]}\n"
        "    - {label: Zeitplan, entries: [Zeitplan, Terminplan]}\n",  # synonyms: missed
        "utf-8",
    )
    out = tmp_path / "words.json"
    status = main(["bench-words", "--corpus", str(corpus), "--json", str(out)])
    printed = capsys.readouterr().out
    assert status == 1  # recall 0.5: below the goal
    assert "one word, two keys: 'Zeitplan'" in printed
    figures = json.loads(out.read_text("utf-8"))
    assert figures["languages"]["de"]["precision"] == 1.0
    assert figures["languages"]["de"]["recall"] == 0.5


def test_clouds_are_laid_out_calmly_and_whole() -> None:
    figures = cloud_layout.report(words.load_corpus())
    run = figures["live"]
    assert run["updates"] == 300 and run["drawn_at_end"] == 40
    assert run["moved_without_resize"] == 0  # the live cloud stays where it is
    for name, picture in figures["pictures"].items():
        assert picture["drawn"] == picture["words"] == 40, name  # every word in the picture
    assert figures["pictures"]["few_dominate"]["largest_type"] == 64
    assert figures["pictures"]["about_equal"]["largest_type"] < 64  # made to fit
