"""A moderator's corrections of a word cloud: merge two words, hide a word, and undo.

The counts stay as the participants gave them; edits are applied on top, whenever a
result is made, so undoing one gives back exactly what was there (a merge undone is
the split). Words are named by their keys (word_forms.word_key).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
    counts: Counter[str], spellings: dict[str, Counter[str]], edits: Iterable[WordEdit]
) -> tuple[Counter[str], dict[str, Counter[str]], dict[str, str]]:
    """The counts and spellings with the edits applied, and the word each key shows.

    Merged words add up under the word they were merged into, which keeps its own
    most used spelling ("Telearbeit" merged into "Homeoffice" shows "Homeoffice");
    hidden words (and what was merged into them) are gone."""
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
    display = {
        key: (spellings.get(key) or merged_spellings[key]).most_common(1)[0][0]
        for key in merged_counts
    }
    return merged_counts, merged_spellings, display
