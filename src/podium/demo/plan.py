"""Who in a simulated audience answers what, planned so that the results come out
like the seed article's. Pure and deterministic: the same polls, size and seed give
the same answers; nothing here speaks to the network or the database.

Each option of a known poll gets exactly round(share × N) votes, so its percentage of
respondents is the article's figure within one point for any N ≥ 50."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Percent of respondents per option. The four the article names are exact; the
# others are plausible and lower, so that the article's options lead their polls.
SHARES: dict[str, int] = {
    # Wandel bei einem Blick nach innen
    "Organisation von Homeoffice": 24,
    "Führung und Zusammenarbeit auf Distanz": 22,
    "Digitale Ausstattung und E-Akte": 20,
    "Zusammenhalt im Team": 19,
    "Gesundheit und Belastung der Mitarbeitenden": 17,
    "Interne Kommunikation": 15,
    "Personalgewinnung und Einarbeitung": 13,
    # Wandel bei einem Blick nach außen
    "Änderungen bei der Beratung": 28,
    "Änderungen bei den Zugangskanälen": 26,
    "Online-Anträge und digitale Zugänge": 21,
    "Erreichbarkeit der Leistungsberechtigten": 19,
    "Digitale Hürden bei Kundinnen und Kunden": 17,
    "Videoberatung": 15,
    "Zusammenarbeit mit Trägern und Arbeitgebern": 12,
}
DEFAULT_SHARE = 10  # an option the seed does not know

# The series' second event asks the "nach außen" question again (the same comparison
# key): two months on, counselling and online applications have moved up, the access
# channels down, so that the series' results page has a movement to show.
FOLLOW_UP_SHARES: dict[str, int] = {
    "Änderungen bei der Beratung": 31,
    "Änderungen bei den Zugangskanälen": 18,
    "Online-Anträge und digitale Zugänge": 27,
    "Erreichbarkeit der Leistungsberechtigten": 16,
    "Digitale Hürden bei Kundinnen und Kunden": 20,
    "Videoberatung": 23,
    "Zusammenarbeit mit Trägern und Arbeitgebern": 11,
}

# Keywords of the article, each with the spellings people type, most common first.
WORDS: dict[str, tuple[str, ...]] = {
    "Digitalisierung": ("Digitalisierung", "digitalisierung", "DIGITALISIERUNG"),
    "Homeoffice": ("Homeoffice", "homeoffice", "HomeOffice"),
    "Videoberatung": ("Videoberatung", "videoberatung"),
    "Flexibilität": ("Flexibilität", "flexibilität"),
    "E-Akte": ("E-Akte", "e-Akte", "E-akte"),
    "Online-Anträge": ("Online-Anträge", "online-Anträge"),
    "Telefonberatung": ("Telefonberatung", "telefonberatung"),
    "Zusammenhalt": ("Zusammenhalt", "zusammenhalt"),
    "Vereinbarkeit": ("Vereinbarkeit",),
    "Präsenz vor Ort": ("Präsenz vor Ort", "präsenz vor ort"),
    "Beratungsqualität": ("Beratungsqualität",),
    "Digitale Hürden": ("Digitale Hürden", "digitale Hürden"),
    "Führung auf Distanz": ("Führung auf Distanz",),
    "Vertrauen": ("Vertrauen", "vertrauen"),
}
WORD_WEIGHTS: dict[str, int] = {
    "Digitalisierung": 30,
    "Homeoffice": 26,
    "Videoberatung": 18,
    "Flexibilität": 14,
    "E-Akte": 12,
    "Online-Anträge": 10,
    "Telefonberatung": 9,
    "Zusammenhalt": 8,
    "Vereinbarkeit": 6,
    "Präsenz vor Ort": 6,
    "Beratungsqualität": 5,
    "Digitale Hürden": 5,
    "Führung auf Distanz": 4,
    "Vertrauen": 3,
}
WORDS_SHARE = 0.85  # of participants who answer the word cloud

CONTRIBUTIONS: tuple[str, ...] = (
    "Wie sichern wir die Beratungsqualität, wenn das Erstgespräch nur noch per Telefon "
    "stattfindet?",
    "Bei uns hat die E-Akte den Umstieg ins Homeoffice überhaupt erst möglich gemacht.",
    "Viele unserer Kundinnen und Kunden haben kein Tablet und kein stabiles Internet. "
    "Was tun wir für sie?",
    "Videoberatung klappt gut – wenn die Technik auf beiden Seiten mitspielt.",
    "Welche Regeln für das Homeoffice sollen nach der Pandemie bleiben?",
    "Der informelle Austausch im Team fehlt sehr. Wie halten Sie den Kontakt?",
    "Führung auf Distanz braucht mehr Vertrauen und klare Absprachen.",
    "Online-Anträge entlasten uns, aber die Nachfragen am Telefon haben zugenommen.",
    "Wir sollten die Präsenz vor Ort nicht aufgeben: Das Jobcenter ist ein Gesicht des "
    "Sozialstaats.",
    "Wie gewinnen wir neue Mitarbeitende, und wie arbeiten wir sie ein, wenn alle zu Hause sind?",
    "Sprachbarrieren sind am Telefon noch schwerer zu überwinden als im persönlichen Gespräch.",
    "Danke an alle Kolleginnen und Kollegen, die die Leistungen in dieser Zeit gesichert haben!",
)
TEXT_SHARE = 0.08  # of participants who write to the panel


@dataclass(frozen=True)
class Poll:
    """What a participant's page tells its script about an open question."""

    question_id: int
    kind: str
    title: str
    options: dict[str, int] = field(default_factory=dict)  # label -> option id
    max_choices: int = 1
    max_words: int = 3
    max_length: int = 280


def target_count(share: int, n: int) -> int:
    """round(share % × n), half up, in integers."""
    return (share * n + 50) // 100


def pick_counts(total: int, n: int, limit: int, rng: random.Random) -> list[int]:
    """How many options each of n participants picks (0..limit), adding up to total.

    Most pick one or two, some three; nobody picks none unless total < n."""
    if total < n:
        counts = [1] * total + [0] * (n - total)
    else:
        extra = total - n
        if limit <= 1 and extra:
            raise ValueError("more votes planned than participants may give")
        threes = max(extra // 4, extra - n) if limit >= 3 else 0
        twos = extra - 2 * threes
        if twos + threes > n:
            raise ValueError("more votes planned than participants may give")
        counts = [3] * threes + [2] * twos + [1] * (n - twos - threes)
    rng.shuffle(counts)
    return counts


def assign_choices(
    targets: dict[int, int], n: int, limit: int, rng: random.Random
) -> list[list[int]]:
    """Each participant's options, so that option i is picked by exactly targets[i]
    participants and nobody picks more than `limit` (Ryser's construction: fill the
    most wanted options first, from the participants with the most picks left)."""
    for option_id, count in targets.items():
        if not 0 <= count <= n:
            raise ValueError(f"option {option_id}: {count} votes from {n} participants")
    left = pick_counts(sum(targets.values()), n, limit, rng)
    picks: list[list[int]] = [[] for _ in range(n)]
    for option_id, count in sorted(targets.items(), key=lambda item: -item[1]):
        order = sorted(range(n), key=lambda p: (-left[p], rng.random()))
        chosen = order[:count]
        if count and left[chosen[-1]] <= 0:
            raise ValueError("these vote counts cannot be given with this choice limit")
        for p in chosen:
            picks[p].append(option_id)
            left[p] -= 1
    for choice in picks:
        choice.sort()
    return picks


def plan_choice(
    poll: Poll, n: int, rng: random.Random, shares: dict[str, int] = SHARES
) -> list[list[int] | None]:
    limit = max(1, poll.max_choices) if poll.kind == "multiple" else 1
    if poll.kind == "multiple":
        targets = {
            option_id: min(n, target_count(shares.get(label, DEFAULT_SHARE), n))
            for label, option_id in poll.options.items()
        }
        if sum(targets.values()) <= limit * n:
            picks = assign_choices(targets, n, limit, rng)
            return [choice or None for choice in picks]
    # Single choice (or shares no audience could give): weighted, one option each.
    labels = list(poll.options)
    weights = [shares.get(label, DEFAULT_SHARE) for label in labels]
    return [[poll.options[rng.choices(labels, weights)[0]]] for _ in range(n)]


def plan_words(poll: Poll, n: int, rng: random.Random) -> list[list[str] | None]:
    keys, weights = list(WORD_WEIGHTS), list(WORD_WEIGHTS.values())
    plans: list[list[str] | None] = []
    for _ in range(n):
        if rng.random() >= WORDS_SHARE:
            plans.append(None)
            continue
        wanted = rng.randint(1, max(1, min(3, poll.max_words)))
        chosen: list[str] = []
        while len(chosen) < wanted:
            key = rng.choices(keys, weights)[0]
            if key not in chosen:
                chosen.append(key)
        plans.append([_spelling(WORDS[key], rng) for key in chosen])
    return plans


def _spelling(spellings: tuple[str, ...], rng: random.Random) -> str:
    # The first spelling is the usual one; the others are typed now and then.
    return spellings[0] if len(spellings) == 1 or rng.random() < 0.7 else rng.choice(spellings)


def plan_texts(poll: Poll, n: int, rng: random.Random) -> list[str | None]:
    return [
        rng.choice(CONTRIBUTIONS)[: poll.max_length] if rng.random() < TEXT_SHARE else None
        for _ in range(n)
    ]


def plan_scale(n: int, rng: random.Random) -> list[int]:
    return [rng.choices([1, 2, 3, 4, 5], [1, 3, 6, 8, 4])[0] for _ in range(n)]


def plan(
    polls: Sequence[Poll], n: int, seed: int, shares: dict[str, int] = SHARES
) -> list[list[tuple[int, Any]]]:
    """Each participant's answers: [(question id, value as the page posts it)]; the
    choice polls' options get `shares` percent of respondents."""
    rng = random.Random(seed)
    per_participant: list[list[tuple[int, Any]]] = [[] for _ in range(n)]
    for poll in polls:
        values: Sequence[Any]
        if poll.kind in ("single", "multiple"):
            values = plan_choice(poll, n, rng, shares)
        elif poll.kind == "words":
            values = plan_words(poll, n, rng)
        elif poll.kind == "text":
            values = plan_texts(poll, n, rng)
        elif poll.kind == "scale":
            values = plan_scale(n, rng)
        else:
            continue
        for answers, value in zip(per_participant, values, strict=True):
            if value is not None:
                answers.append((poll.question_id, value))
    return per_participant


def planned_percentages(
    polls: Sequence[Poll], plans: Sequence[list[tuple[int, Any]]]
) -> dict[str, dict[str, int]]:
    from podium.domain.tally import whole_percent

    result: dict[str, dict[str, int]] = {}
    for poll in polls:
        if poll.kind not in ("single", "multiple"):
            continue
        votes: Counter[int] = Counter()
        respondents = 0
        for answers in plans:
            for question_id, value in answers:
                if question_id == poll.question_id:
                    respondents += 1
                    votes.update(value)
        result[poll.title] = {
            label: whole_percent(votes[option_id], respondents)
            for label, option_id in poll.options.items()
        }
    return result
