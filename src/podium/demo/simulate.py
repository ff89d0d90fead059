"""A simulated audience: N participants who join over HTTP and answer the open polls
as the browser's script does, so that the results come out like the seed article's.

Who picks what is planned first (podium.demo.plan); the planned answers are then
posted by one HTTP client per participant (each with its own cookie jar)."""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from podium.demo.plan import Poll, plan, planned_percentages
from podium.store.tables import Event


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
