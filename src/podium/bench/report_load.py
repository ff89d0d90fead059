"""The open-loop answer load of `podium bench-reports`: participants who join and
answer a poll over the hot path at a fixed rate, and what their acknowledgements
took (counted from the moment each answer was due, so queueing counts)."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from podium.bench.latency import percentile, summarise_ms
from podium.bench.participants import cookie_token
from podium.bench.rawhttp import RawClient
from podium.bench.report_event import LiveTarget

COOKIE = "podium_p"


def ack_ms(seconds: list[float]) -> dict[str, float | int | None]:
    """count, mean, p50, p90, p95, p99, max in ms."""
    figures = summarise_ms(seconds)
    figures["p95"] = round(1000 * percentile(sorted(seconds), 95), 2) if seconds else None
    return figures


@dataclass
class Answers:
    latencies: list[float] = field(default_factory=list)
    # (second of the phase the answer was due in, its latency): when the slow ones came
    timed: list[tuple[int, float]] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0


async def join(url: str, code: str, count: int) -> list[str]:
    tokens: list[str] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for _ in range(count):
            client.cookies.clear()
            response = await client.get(f"/p/{code}")
            response.raise_for_status()
            token = cookie_token(response)
            if token is None:
                raise RuntimeError("the participant page set no cookie")
            tokens.append(token)
    return tokens


async def answer_phase(
    clients: asyncio.Queue[RawClient],
    target: LiveTarget,
    tokens: list[str],
    rate: float,
    rng: random.Random,
    seconds: float,
    until: asyncio.Task[Any] | None = None,
) -> Answers:
    """Answers at `rate` per second, open loop, for `seconds` (or until `until` is done)."""
    out = Answers()
    path = f"/p/{target.join_code}/answer"

    async def answer(due: float) -> None:
        body = json.dumps(
            {
                "question_id": target.question_id,
                "answer_id": str(uuid.uuid4()),
                "value": [rng.choice(target.option_ids)],
            }
        ).encode()
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Cookie": f"{COOKIE}={rng.choice(tokens)}",
        }
        client = await clients.get()
        try:
            response = await client.post(path, content=body, headers=headers)
        except httpx.HTTPError as exc:
            out.errors[type(exc).__name__] += 1
            return
        finally:
            clients.put_nowait(client)
        if response.status_code == 200:
            out.latencies.append(time.perf_counter() - due)
            out.timed.append((int(due - started), out.latencies[-1]))
        else:
            out.errors[f"HTTP {response.status_code}"] += 1

    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    n = 0
    while True:
        due = started + n / rate
        if until is None and n / rate >= seconds:
            break
        if until is not None and until.done():
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(answer(due)))
        n += 1
    out.sent = n
    await asyncio.gather(*tasks)
    return out


def timeline(answers: Answers) -> list[tuple[int, int, int]]:
    """Per second of the phase: (second, answers acknowledged, slowest in ms)."""
    seconds: dict[int, list[float]] = {}
    for second, latency in answers.timed:
        seconds.setdefault(second, []).append(latency)
    return [(t, len(v), round(1000 * max(v))) for t, v in sorted(seconds.items())]
