"""The load: answers at an open-loop rate, and closed-loop throughput phases.

Open loop: answer i is due at start + i / rate, whatever happened to earlier ones,
and its latency counts from that moment, so time spent queueing (in the bench, in
the server) is part of it. A slow server cannot slow the offered load down.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx

from podium.bench.errors import Errors
from podium.bench.ladder import Ladder
from podium.bench.lanes import Lanes
from podium.bench.latency import LatencyMatcher
from podium.bench.participants import Participant, Pool, join
from podium.bench.setup import Target

JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


def answer_body(question_id: int, value: list[int]) -> bytes:
    return json.dumps(
        {"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": value}
    ).encode()


@dataclass
class AnswerStats:
    scheduled: int = 0
    sent: int = 0
    acknowledged: int = 0
    skipped: int = 0  # no participant was free to answer
    unknown: int = 0  # time-out, 5xx or lost connection: stored or not, the bench cannot tell
    rejoins: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    ack: list[float] = field(default_factory=list)  # scheduled time -> acknowledgement
    service: list[float] = field(default_factory=list)  # request sent -> acknowledgement
    lag: list[float] = field(default_factory=list)  # scheduled time -> request sent
    first_due: float = 0.0
    last_ack: float = 0.0


class AnswerSender:
    """Sends one answer from a random free participant, one step up its ladder."""

    def __init__(
        self,
        lanes: Lanes,
        target: Target,
        ladder: Ladder,
        pool: Pool,
        matcher: LatencyMatcher | None,
        errors: Errors,
    ) -> None:
        self._lanes = lanes
        self._target = target
        self._ladder = ladder
        self._pool = pool
        self._matcher = matcher
        self._errors = errors
        self._path = f"/p/{target.join_code}/answer"
        self._rejoining: set[asyncio.Task[None]] = set()
        self.stats = AnswerStats()

    async def send(self, due: float) -> None:
        stats = self.stats
        stats.scheduled += 1
        participant = self._pool.take()
        if participant is None:
            # Every participant has an answer in flight: the server is behind the offered
            # rate. Counted as skipped (not as an error of the server), never sent.
            stats.skipped += 1
            return
        step = participant.step + 1
        body = answer_body(self._target.question_id, self._ladder.value(step))
        headers = {**JSON_HEADERS, "Cookie": participant.cookie}
        async with self._lanes.slot() as client:
            sent = time.perf_counter()
            stats.sent += 1
            try:
                response = await client.post(self._path, content=body, headers=headers)
            except httpx.HTTPError as exc:
                stats.unknown += 1
                self._errors.exception("answer", exc)
                return  # the participant's state is unknown: it answers no more
        done = time.perf_counter()
        if response.status_code != 200:
            self._errors.add("answer", f"HTTP {response.status_code}", response.text[:120])
            if response.status_code >= 500:
                stats.unknown += 1
            else:
                self._pool.put(participant)  # refused, so nothing was stored
            return
        stats.acknowledged += 1
        stats.outcomes[str(response.json().get("outcome"))] += 1
        stats.ack.append(done - due)
        stats.service.append(done - sent)
        stats.lag.append(sent - due)
        stats.last_ack = done
        if self._matcher is not None:
            self._matcher.acked(self._ladder.increment(step), done)
        participant.step = step
        if step + 1 < len(self._ladder):
            self._pool.put(participant)
        else:
            task = asyncio.create_task(self._rejoin(participant))
            self._rejoining.add(task)
            task.add_done_callback(self._rejoining.discard)

    async def _rejoin(self, participant: Participant) -> None:
        """At the top of the ladder: the same stream, a new identity (a fresh cookie)."""
        token = await join(self._lanes, self._target.join_code, self._errors)
        if token is not None:
            participant.token, participant.step = token, -1
            self.stats.rejoins += 1
            self._pool.put(participant)

    async def drain(self) -> None:
        await asyncio.gather(*self._rejoining, return_exceptions=True)


async def open_loop(
    rate: float, duration: float, send: Callable[[float], Coroutine[Any, Any, None]]
) -> int:
    """Start send(due) for every due time start + i / rate within `duration`; wait for all."""
    total = int(rate * duration)
    tasks: set[asyncio.Task[None]] = set()
    start = time.perf_counter()
    i = 0
    while i < total:
        now = time.perf_counter()
        due = start + i / rate
        if due > now:
            await asyncio.sleep(due - now)
            continue
        while i < total and start + i / rate <= now:
            task = asyncio.create_task(send(start + i / rate))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
    if tasks:
        await asyncio.gather(*tasks)
    return total


@dataclass
class Throughput:
    endpoint: str
    concurrency: int
    seconds: float = 0.0
    requests: int = 0
    ok: int = 0
    latencies: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def closed_loop(
    lanes: Lanes,
    endpoint: str,
    concurrency: int,
    seconds: float,
    request: Request,
    expected_status: int,
    errors: Errors,
) -> Throughput:
    """`concurrency` workers, each sending its next request when the last one returned."""
    result = Throughput(endpoint, concurrency)
    phase = f"throughput {endpoint}"
    start = time.perf_counter()
    end = start + seconds

    async def worker() -> None:
        while time.perf_counter() < end:
            async with lanes.slot() as client:
                sent = time.perf_counter()
                result.requests += 1
                try:
                    response = await request(client)
                except httpx.HTTPError as exc:
                    errors.exception(phase, exc)
                    continue
            if response.status_code == expected_status:
                result.ok += 1
                result.latencies.append(time.perf_counter() - sent)
            else:
                errors.add(phase, f"HTTP {response.status_code}", response.text[:120])

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - start
    return result


async def warm_up(
    lanes: Lanes,
    target: Target,
    ladder: Ladder,
    participants: list[Participant],
    concurrency: int,
    errors: Errors,
) -> dict[str, float | int]:
    """Every participant answers once (the ladder's first step), `concurrency` at a time:
    afterwards the measured phase sees only participants that the server knows."""
    path = f"/p/{target.join_code}/answer"
    todo = list(participants)
    done = 0
    started = time.perf_counter()

    async def worker() -> None:
        nonlocal done
        while todo:
            participant = todo.pop()
            body = answer_body(target.question_id, ladder.value(0))
            headers = {**JSON_HEADERS, "Cookie": participant.cookie}
            async with lanes.slot() as client:
                try:
                    response = await client.post(path, content=body, headers=headers)
                except httpx.HTTPError as exc:
                    errors.exception("warm-up", exc)
                    continue
            if response.status_code == 200:
                participant.step = 0
                done += 1
            else:
                errors.add("warm-up", f"HTTP {response.status_code}", response.text[:120])

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, len(todo))))))
    seconds = time.perf_counter() - started
    return {
        "answers": done,
        "seconds": round(seconds, 2),
        "per_second": round(done / seconds, 1) if seconds else 0.0,
    }


def noop_request(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
    return client.post("/healthz/noop")


def answer_request(
    target: Target, ladder: Ladder, participants: list[Participant], rng: random.Random
) -> Request:
    """Any participant, any valid value: changes are allowed, totals are not followed here."""
    path = f"/p/{target.join_code}/answer"

    def request(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        participant = rng.choice(participants)
        body = answer_body(target.question_id, ladder.value(rng.randrange(len(ladder))))
        return client.post(
            path, content=body, headers={**JSON_HEADERS, "Cookie": participant.cookie}
        )

    return request
