"""A moderator's corrections of a word cloud: merge two words, hide a word, and undo.

The counts stay as the participants gave them; edits are applied on top, whenever a
result is made, so undoing one gives back exactly what was there (a merge undone is
the split). Words are named by their keys (word_forms.word_key).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from podium.domain.errors import NotAllowed


class EditAction(StrEnum):
    MERGE = "merge"  # count `key` as `into`
    HIDE = "hide"  # leave `key` out of the cloud (the event's own blocklist)


@dataclass(frozen=True)
class WordEdit:
    id: int
    action: EditAction
    key: str
    into: str | None = None


def merge_targets(edits: Iterable[WordEdit]) -> dict[str, str]:
    """Each merged key and the key it is finally counted as (chains followed)."""
    direct = {e.key: e.into for e in edits if e.action is EditAction.MERGE and e.into}
    final: dict[str, str] = {}
    for key in direct:
        seen = {key}
        target = direct[key]
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        final[key] = target
    return final


def hidden_keys(edits: Iterable[WordEdit]) -> set[str]:
    return {e.key for e in edits if e.action is EditAction.HIDE}


def check_merge(key: str, into: str, edits: Iterable[WordEdit]) -> None:
    """A word can be merged into another word that is shown; not into itself, and not
    twice (undo the first merge to choose another)."""
    edits = list(edits)
    targets = merge_targets(edits)
    if key == into or targets.get(into) == key or targets.get(into, into) == key:
        raise NotAllowed("merge_same_word")
    if key in targets:
        raise NotAllowed("word_already_merged")
    if into in targets or into in hidden_keys(edits):
        raise NotAllowed("word_not_shown")


def check_hide(key: str, edits: Iterable[WordEdit]) -> None:
    edits = list(edits)
    if key in hidden_keys(edits):
        raise NotAllowed("word_already_hidden")
    if key in merge_targets(edits):
        raise NotAllowed("word_not_shown")


def apply_edits(
    counts: Counter[str],
    spellings: dict[str, Counter[str]],
    edits: Iterable[WordEdit],
    together: Mapping[frozenset[str], int] | None = None,
) -> tuple[Counter[str], dict[str, Counter[str]], dict[str, str]]:
    """The counts and spellings with the edits applied, and the word each key shows.

    `counts` holds respondents per key; `together` the answers that named several keys
    (their keys, and how many answers named just those). Merged words add up under the
    word they were merged into, which keeps its own most used spelling ("Telearbeit"
    merged into "Homeoffice" shows "Homeoffice"), and an answer that named both counts
    once, as spelling variants of one word do; hidden words (and what was merged into
    them) are gone."""
    edits = list(edits)
    targets = merge_targets(edits)
    hidden = hidden_keys(edits)
    merged_counts: Counter[str] = Counter()
    merged_spellings: dict[str, Counter[str]] = {}
    for key, count in counts.items():
        target = targets.get(key, key)
        if target in hidden or key in hidden:
            continue
        merged_counts[target] += count
        merged_spellings.setdefault(target, Counter()).update(spellings.get(key, Counter()))
    if targets and together:
        _count_answers_once(merged_counts, together, targets, hidden)
    display = {
        key: (spellings.get(key) or merged_spellings[key]).most_common(1)[0][0]
        for key in merged_counts
    }
    return merged_counts, merged_spellings, display


def _count_answers_once(
    merged_counts: Counter[str],
    together: Mapping[frozenset[str], int],
    targets: dict[str, str],
    hidden: set[str],
) -> None:
    """Take back what the sum of merged keys counted more than once: an answer that
    named k keys now counted as one word was added k times, and counts once.

    Only answers naming a merged key can be counted twice (two keys that are not
    merged are two words), so the others are passed over at the cost of one set test;
    the counts themselves stay per key, which keeps adding an answer cheap and an
    undone merge exact."""
    merged = frozenset(targets)  # a set: isdisjoint then walks the answer's few keys
    for keys, answers in together.items():
        if keys.isdisjoint(merged):
            continue
        counted: set[str] = set()
        for key in keys:
            target = targets.get(key, key)
            if key in hidden or target in hidden:
                continue
            if target in counted:
                merged_counts[target] -= answers
            else:
                counted.add(target)
