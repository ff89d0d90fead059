"""A large finished event for the report benchmark, written straight into the database.

Issue 15 asks for a PDF and a workbook of an event with 10,000 participants, ten
questions (two word clouds of 500 words each) and 2,000 contributions. Answering
them over HTTP would take the better part of an hour on this machine, so the rows
go in with SQLAlchemy Core in a few bulk inserts: participants with their token
hashes as the writer makes them, every participant's current answer to most
questions (a tenth changed once, the earlier row kept as superseded, as the writer
keeps it), contributions in every state, with upvotes, and answers spread over 90
minutes. The event and its questions are made by `import_event`, and every value
by the question's own validation, so the rows are what podium itself would store.

A second, small event with one open poll is made beside it: the latency benchmark's
participants answer there while the large event's report renders.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from podium.domain.questions import Kind, QuestionSpec, validate_answer
from podium.runtime import Runtime
from podium.services import accounts, live_control
from podium.services.event_io import import_event
from podium.services.participation import token_hash
from podium.settings import Settings
from podium.store.migrate import upgrade_in_thread
from podium.store.tables import Answer, Contribution, ContributionVote, Participant

ORGANISER = "bench-reports@example.org"
PASSWORD = "bench reports password"
SECRET_KEY = "bench-reports-secret-key-long-enough"
STARTS_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CHUNK = 5000  # rows per insert statement
CHANGED = 0.1  # share of answers given twice: the first row stays, superseded
PANELISTS = ["Dr. Anna Berger", "Michael Knapp", "Vanessa Ahuja", "Roland Schüßler"]
STATES = (("approved", 0.8), ("pending", 0.08), ("rejected", 0.07), ("archived", 0.05))

HEADS = [
    "Arbeits",
    "Beratungs",
    "Digital",
    "Familien",
    "Kunden",
    "Team",
    "Zukunfts",
    "Übergangs",
    "Förder",
    "Qualitäts",
    "Präsenz",
    "Größen",
    "Büro",
    "Führungs",
    "Schulungs",
    "Gesundheits",
    "Zugangs",
    "Prüf",
    "Dienst",
    "Müdigkeits",
    "Vertrauens",
    "Verwaltungs",
    "Zusammenarbeits",
    "Wissens",
    "Lösungs",
    "Haushalts",
    "Termin",
    "Leistungs",
]
TAILS = [
    "zeit",
    "qualität",
    "kultur",
    "wandel",
    "fähigkeit",
    "gespräch",
    "räume",
    "prüfung",
    "zugänge",
    "plätze",
    "kanäle",
    "regeln",
    "ausstattung",
    "erfahrung",
    "übergabe",
    "strukturen",
    "wege",
    "mühe",
    "lösung",
    "netz",
    "modelle",
    "grenzen",
    "schlüssel",
    "brücken",
    "vorsätze",
]
OPENINGS = (
    "Bei uns im Jobcenter",
    "Aus Sicht der Leistungsabteilung",
    "Für die Arbeitsvermittlung",
    "In unserem Team",
    "Gegenüber den Trägern",
    "Für Kundinnen und Kunden ohne Internet",
    "Nach drei Monaten Homeoffice",
    "Im Eingangsbereich",
)
MIDDLES = (
    "hat die E-Akte vieles erst möglich gemacht",
    "fehlt oft die Zeit für ausführliche Gespräche",
    "klappt die Videoberatung überraschend gut",
    "sind die Wartezeiten am Telefon spürbar länger geworden",
    "müssen wir die Erreichbarkeit neu regeln",
    "wünschen sich viele eine Rückkehr zur Präsenz",
    "braucht es klare Absprachen für das mobile Arbeiten",
    "ist die Zusammenarbeit über Abteilungsgrenzen hinweg gewachsen",
    "führen digitale Hürden zu Ungleichheit",
    "würden Fortbildungen zur Gesprächsführung am Telefon helfen",
)
ENDINGS = (
    "Wie gehen andere Häuser damit um?",
    "Das sollten wir beibehalten.",
    "Hier brauchen wir Unterstützung von der Geschäftsführung.",
    "Gibt es dazu schon Erfahrungen aus anderen Regionen?",
    "Das hat die Qualität der Beratung spürbar verändert.",
    "Für die Übergangszeit wäre eine Lösung schön.",
    "",
)

EVENT_YAML = """\
podium_event: 1
title: "Jahrestagung Qualitätsarbeit im SGB II (Benchmark)"
description: "Ein großes Ereignis für den Bericht: 10.000 Teilnehmende."
format: "Online-Podiumsdiskussion"
starts_at: "2026-11-26T10:00:00+01:00"
language: de
contributions: {{panelists: [{panelists}]}}
questions:
  - kind: single
    title: "Welcher Kontaktweg wird nach der Pandemie am wichtigsten sein?"
    options: ["Persönliches Gespräch vor Ort", "Telefon", "Videoberatung",
              "Online-Portal und E-Mail", "Briefpost"]
  - kind: multiple
    title: "Ihre drei TOP-Themen im Wandel nach innen?"
    options: ["Organisation von Homeoffice", "Führung und Zusammenarbeit auf Distanz",
              "Digitale Ausstattung und E-Akte", "Zusammenhalt im Team",
              "Gesundheit und Belastung der Mitarbeitenden", "Interne Kommunikation",
              "Personalgewinnung und Einarbeitung"]
    settings: {{max_choices: 3, percent_base: respondents}}
  - kind: scale
    title: "Wie gut gelingt die Zusammenarbeit in Ihrem Team auf Distanz?"
    settings: {{scale_min: 1, scale_max: 5, min_label: "gar nicht gut", max_label: "sehr gut"}}
  - kind: words
    title: "Welche drei Schlagworte fallen Ihnen zur Jobcenterwelt nach der Pandemie ein?"
    settings: {{max_words: 3}}
  - kind: single
    title: "Wie oft arbeiten Sie im Homeoffice?"
    options: ["Nie", "Ein Tag pro Woche", "Zwei bis drei Tage", "Fast immer"]
  - kind: multiple
    title: "Was hat die Beratung am meisten verändert?"
    options: ["Videoberatung", "Telefonberatung", "Online-Anträge", "E-Akte",
              "Terminvergabe online", "Chat"]
    settings: {{max_choices: 3, percent_base: answers}}
  - kind: scale
    title: "Wie wahrscheinlich empfehlen Sie das Format weiter?"
    settings: {{scale_min: 0, scale_max: 10, min_label: "gar nicht", max_label: "sicher"}}
  - kind: words
    title: "Was soll aus der Zeit der Pandemie bleiben? Bis zu drei Schlagworte."
    settings: {{max_words: 3}}
  - kind: text
    title: "Ihre Wortmeldung an das Podium"
    settings: {{max_length: 500}}
  - kind: single
    title: "Nehmen Sie an der nächsten Tagung teil?"
    options: ["Ja", "Vielleicht", "Nein"]
"""
LIVE_YAML = """\
podium_event: 1
title: "Laufendes Ereignis (Benchmark)"
language: de
questions:
  - kind: single
    title: "Frage während des Exports"
    options: [Alpha, Beta, Gamma, Delta]
"""


@dataclass(frozen=True)
class Size:
    participants: int = 10_000
    contributions: int = 2_000
    words: int = 500  # distinct words in each cloud
    minutes: int = 90  # the answers' spread
    answered: float = 0.97  # share of participants answering each question
    texts: float = 0.2  # share writing an open text
    seed: int = 20261203


@dataclass(frozen=True)
class LiveTarget:
    """The small event whose poll the latency benchmark answers."""

    event_id: int
    join_code: str
    question_id: int
    option_ids: tuple[int, ...]


@dataclass(frozen=True)
class BenchEvent:
    event_id: int
    question_ids: tuple[int, ...]
    participants: int
    current_answers: int
    superseded_answers: int
    contributions: int
    votes: int
    live: LiveTarget
    seconds: float  # to fill the database


def settings_for(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=SECRET_KEY, redis_url="")


def cloud_words(rng: random.Random, count: int) -> list[str]:
    """`count` distinct compound words, in a random order (the first the most often)."""
    words = [h + t for h in HEADS for t in TAILS]
    if count > len(words):
        raise ValueError(f"at most {len(words)} distinct words")
    rng.shuffle(words)
    return words[:count]


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


class Values:
    """A question's answers as a room gives them: some options favoured, Zipf-like words."""

    def __init__(self, spec: QuestionSpec, rng: random.Random, words: int) -> None:
        self.spec = spec
        self.rng = rng
        self.options = [o.id for o in spec.options]
        self.option_weights = [rng.uniform(0.3, 3.0) for _ in self.options]
        self.words = cloud_words(rng, words) if spec.kind is Kind.WORDS else []
        self.word_weights = zipf_weights(len(self.words))
        span = spec.scale_max - spec.scale_min + 1
        self.scale_weights = [rng.uniform(0.3, 3.0) for _ in range(span)]

    def draw(self) -> Any:
        rng, spec = self.rng, self.spec
        if spec.kind is Kind.SINGLE:
            raw: Any = rng.choices(self.options, self.option_weights)
        elif spec.kind is Kind.MULTIPLE:
            options = rng.choices(self.options, self.option_weights, k=rng.randint(1, 3))
            raw = sorted(set(options))[: spec.max_choices]
        elif spec.kind is Kind.SCALE:
            span = range(spec.scale_min, spec.scale_max + 1)
            raw = rng.choices(span, self.scale_weights)[0]
        elif spec.kind is Kind.WORDS:
            picked = rng.choices(self.words, self.word_weights, k=rng.randint(1, spec.max_words))
            raw = list(dict.fromkeys(picked))
        else:
            raw = " ".join(
                (rng.choice(OPENINGS), rng.choice(MIDDLES) + ".", rng.choice(ENDINGS))
            ).strip()
        return validate_answer(spec, raw)


async def build(database_url: str, size: Size = Size()) -> BenchEvent:
    """Migrate the (fresh) database and fill it; returns what was written."""
    import time

    started = time.perf_counter()
    upgrade_in_thread(database_url)
    rt = Runtime(settings_for(database_url))
    await rt.start()
    try:
        await accounts.create_user(rt, ORGANISER, PASSWORD, "Bench")
        panelists = ", ".join(f'"{p}"' for p in PANELISTS)
        event = await import_event(rt, EVENT_YAML.format(panelists=panelists))
        live = await rt.live.get(event.id)
        assert live is not None
        questions = live.ordered()
        salt = live.participant_salt
        rng = random.Random(size.seed)
        start = STARTS_AT

        async with rt.engine.begin() as conn:
            digests = [
                token_hash(salt, secrets.token_urlsafe(32)) for _ in range(size.participants)
            ]
            joined = [
                start + timedelta(seconds=rng.uniform(0, 600)) for _ in range(size.participants)
            ]
            await _insert(
                conn,
                Participant,
                [
                    {"event_id": event.id, "token_hash": d, "created_at": t}
                    for d, t in zip(digests, joined, strict=True)
                ],
            )
            rows = await conn.execute(
                select(Participant.id)
                .where(Participant.event_id == event.id)
                .order_by(Participant.id)
            )
            pids = [r[0] for r in rows]

            current = superseded = 0
            slot = timedelta(minutes=size.minutes) / len(questions)
            for n, question in enumerate(questions):
                values = Values(question.spec, rng, size.words)
                share = size.texts if question.spec.kind is Kind.TEXT else size.answered
                opens = start + n * slot
                answers: list[dict[str, Any]] = []
                for pid in pids:
                    if rng.random() >= share:
                        continue
                    at = opens + slot * min(0.999, rng.expovariate(4.0))
                    if rng.random() < CHANGED:
                        answers.append(_answer(question.id, pid, values.draw(), True, at))
                        at += (opens + slot - at) * rng.random()
                        superseded += 1
                    answers.append(_answer(question.id, pid, values.draw(), False, at))
                    current += 1
                await _insert(conn, Answer, answers)

            contributions, votes = await _contributions(conn, rng, event.id, pids, size, start)

        target = await import_event(rt, LIVE_YAML)
        small = await rt.live.get(target.id)
        assert small is not None
        poll = small.ordered()[0]
        await live_control.go_live(rt, target.id, poll.id)
        return BenchEvent(
            event_id=event.id,
            question_ids=tuple(q.id for q in questions),
            participants=len(pids),
            current_answers=current,
            superseded_answers=superseded,
            contributions=contributions,
            votes=votes,
            live=LiveTarget(
                target.id, small.join_code, poll.id, tuple(o.id for o in poll.spec.options)
            ),
            seconds=round(time.perf_counter() - started, 2),
        )
    finally:
        await rt.stop()


def _answer(question_id: int, pid: int, value: Any, old: bool, at: datetime) -> dict[str, Any]:
    return {
        "answer_id": uuid.uuid4().hex,
        "question_id": question_id,
        "participant_id": pid,
        "value": value,
        "superseded": old,
        "created_at": at,
    }


async def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for at in range(0, len(rows), CHUNK):
        await conn.execute(insert(table), rows[at : at + CHUNK])


async def _contributions(
    conn: Any,
    rng: random.Random,
    event_id: int,
    pids: list[int],
    size: Size,
    start: datetime,
) -> tuple[int, int]:
    """Contributions in every state; the approved ones upvoted Zipf-like."""
    states = [s for s, _ in STATES]
    weights = [w for _, w in STATES]
    rows: list[dict[str, Any]] = []
    for i in range(size.contributions):
        state = rng.choices(states, weights)[0]
        at = start + timedelta(minutes=size.minutes) * (i / max(1, size.contributions))
        text = " ".join(
            (rng.choice(OPENINGS), rng.choice(MIDDLES) + ".", rng.choice(ENDINGS))
        ).strip()
        approved = state == "approved"
        rows.append(
            {
                "event_id": event_id,
                "participant_id": rng.choice(pids),
                "text": text,
                "original_text": None,
                "name": rng.choice((None, None, "Sabine", "Jörg", "Aylin", "Thomas")),
                "panelist": rng.choice(PANELISTS) if approved and rng.random() < 0.3 else None,
                "state": state,
                "highlighted": False,
                "answered": approved and rng.random() < 0.15,
                "pinned": approved and rng.random() < 0.01,
                "votes": 0,
                "version": 1,
                "created_at": at,
                "updated_at": at,
            }
        )
    approved_at = [n for n, r in enumerate(rows) if r["state"] == "approved"]
    if approved_at:
        rows[approved_at[-1]]["highlighted"] = True  # one at a time, as the screen shows one
    rng.shuffle(approved_at)
    for rank, n in enumerate(approved_at):
        rows[n]["votes"] = min(len(pids), int(300 / (rank + 1) ** 0.8))
    await _insert(conn, Contribution, rows)
    ids = [
        r[0]
        for r in await conn.execute(
            select(Contribution.id)
            .where(Contribution.event_id == event_id)
            .order_by(Contribution.id)
        )
    ]
    votes: list[dict[str, Any]] = []
    for cid, row in zip(ids, rows, strict=True):
        for pid in rng.sample(pids, row["votes"]):
            votes.append(
                {"contribution_id": cid, "participant_id": pid, "created_at": row["created_at"]}
            )
    await _insert(conn, ContributionVote, votes)
    return len(rows), len(votes)
