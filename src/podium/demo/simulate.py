"""A simulated audience: N participants who join over HTTP and answer the open polls
as the browser's script does, so that the results come out like the seed article's.

Who picks what is planned first, deterministically from the seed: each option of a
known poll gets exactly round(share × N) votes, so its percentage of respondents is
the article's figure within one point for any N ≥ 50. The planned answers are then
posted by one HTTP client per participant (each with its own cookie jar)."""

from __future__ import annotations

import asyncio
import random
import ssl
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from podium.store.tables import Event

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


@dataclass
class SimulationReport:
    participants: int
    sent: int = 0  # answers posted (each counted once, however often it was retried)
    acknowledged: int = 0
    errors: int = 0
    retries: int = 0
    seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)
    # What was sent to the choice polls: title -> label -> whole percent of respondents.
    planned: dict[str, dict[str, int]] = field(default_factory=dict)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(text)


def polls_of(event: Event) -> list[Poll]:
    """The event's questions that are open for voting (questions and options loaded)."""
    polls = []
    for q in event.questions:
        if not q.voting_open:
            continue
        settings = q.settings or {}
        polls.append(
            Poll(
                question_id=q.id,
                kind=q.kind,
                title=q.title,
                options={o.label: o.id for o in q.options},
                max_choices=int(settings.get("max_choices", 1)),
                max_words=int(settings.get("max_words", 3)),
                max_length=int(settings.get("max_length", 280)),
            )
        )
    return polls


# --- planning: pure, deterministic ---------------------------------------------------


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


def plan_choice(poll: Poll, n: int, rng: random.Random) -> list[list[int] | None]:
    limit = max(1, poll.max_choices) if poll.kind == "multiple" else 1
    if poll.kind == "multiple":
        targets = {
            option_id: min(n, target_count(SHARES.get(label, DEFAULT_SHARE), n))
            for label, option_id in poll.options.items()
        }
        if sum(targets.values()) <= limit * n:
            picks = assign_choices(targets, n, limit, rng)
            return [choice or None for choice in picks]
    # Single choice (or shares no audience could give): weighted, one option each.
    labels = list(poll.options)
    weights = [SHARES.get(label, DEFAULT_SHARE) for label in labels]
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


def plan(polls: Sequence[Poll], n: int, seed: int) -> list[list[tuple[int, Any]]]:
    """Each participant's answers: [(question id, value as the page posts it)]."""
    rng = random.Random(seed)
    per_participant: list[list[tuple[int, Any]]] = [[] for _ in range(n)]
    for poll in polls:
        values: Sequence[Any]
        if poll.kind in ("single", "multiple"):
            values = plan_choice(poll, n, rng)
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


# --- sending: HTTP only ---------------------------------------------------------------


RETRY_DELAY = 0.05  # seconds before the first retry; doubled for each further one


class _Retry(Exception):
    pass


async def _request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    report: SimulationReport,
    attempts: int,
    **kwargs: Any,
) -> httpx.Response:
    """The request, sent again (the same body, so the same answer id) when the network
    or the server failed; a 4xx is the server's answer and is not repeated."""
    for attempt in range(attempts):
        try:
            response = await client.request(method, url, **kwargs)
            if response.status_code < 500:
                return response
            failure = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            failure = f"{type(exc).__name__}: {exc}"
        if attempt == attempts - 1:
            raise _Retry(failure)
        report.retries += 1
        await asyncio.sleep(min(2.0, RETRY_DELAY * 2**attempt))
    raise AssertionError("unreachable")  # pragma: no cover


async def _participant(
    base_url: str,
    join_code: str,
    answers: list[tuple[int, Any]],
    report: SimulationReport,
    limit: asyncio.Semaphore,
    attempts: int,
    client_options: dict[str, Any],
) -> None:
    async with (
        limit,
        httpx.AsyncClient(
            base_url=base_url, timeout=30.0, follow_redirects=False, **client_options
        ) as client,
    ):
        try:
            page = await _request(client, "GET", f"/p/{join_code}", report, attempts)
        except _Retry as exc:
            report.error(f"join: {exc}")
            return
        if page.status_code != 200:
            report.error(f"join: HTTP {page.status_code}")
            return
        for question_id, value in answers:
            body = {"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": value}
            report.sent += 1
            try:
                response = await _request(
                    client,
                    "POST",
                    f"/p/{join_code}/answer",
                    report,
                    attempts,
                    json=body,
                    headers={"Accept": "application/json"},
                )
            except _Retry as exc:
                report.error(f"question {question_id}: {exc}")
                continue
            if response.status_code == 200:
                report.acknowledged += 1
            else:
                report.error(
                    f"question {question_id}: HTTP {response.status_code} {_why(response)}"
                )


def _why(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


async def simulate(
    base_url: str,
    join_code: str,
    n: int,
    polls: Sequence[Poll],
    *,
    seed: int = 20210202,
    concurrency: int = 50,
    attempts: int = 5,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SimulationReport:
    """Let n participants join the event with `join_code` at `base_url` and answer
    `polls` (which must be open for voting). Speaks HTTP only; `transport` replaces
    the network (for tests)."""
    if n < 1:
        raise ValueError("at least one participant is needed")
    plans = plan(polls, n, seed)
    report = SimulationReport(participants=n, planned=planned_percentages(polls, plans))
    limit = asyncio.Semaphore(max(1, concurrency))
    # One TLS context for all: loading the CA store takes ~50 ms, each time, on the loop.
    options: dict[str, Any] = (
        {"transport": transport} if transport else {"verify": ssl.create_default_context()}
    )
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _participant(base_url.rstrip("/"), join_code, answers, report, limit, attempts, options)
            for answers in plans
        )
    )
    report.seconds = time.perf_counter() - started
    return report
