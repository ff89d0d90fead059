"""Two podium processes on one PostgreSQL and one Redis: a vote given on one shows
on the other's presenter screen within a second; tallies stay exact when both take
answers for the same question at once (changes and retries included); a process
killed with SIGKILL comes back with the stored state and live again.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx

from podium.bench.server import ServerProcess
from tests.scale.conftest import OPTIONS, ORGANISER, PASSWORD, Cluster, issued_token

Frame = tuple[str, dict[str, Any]]


# --- the HTTP side of a moderator, an organiser and participants -------------------------


async def login(client: httpx.AsyncClient, server: ServerProcess) -> str:
    """Sign in; the session cookie works on every process (one secret key). Returns
    the session's CSRF token."""
    csrf = (await client.get(f"{server.url}/api/v1/session")).json()["csrf_token"]
    response = await client.post(
        f"{server.url}/login",
        data={"csrf": csrf, "email": ORGANISER, "password": PASSWORD, "next": "/admin"},
    )
    assert response.status_code == 303, response.text
    return str(csrf)


async def go_live(
    client: httpx.AsyncClient, server: ServerProcess, csrf: str, cluster: Cluster, question: int
) -> None:
    response = await client.post(
        f"{server.url}/api/v1/events/{cluster.event_id}/live",
        json={
            "current_question_id": question,
            "question_id": question,
            "voting_open": True,
            "results_on_screen": True,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    # Every process follows within a moment (the hub's message): a participant sent to
    # the other one in between would rightly be told that voting is closed.
    deadline = time.monotonic() + 5.0
    for other in (cluster.a, cluster.b):
        while True:
            state = (await client.get(f"{other.url}/api/v1/join/{cluster.join_code}")).json()
            shown = state.get("question") or {}
            if shown.get("id") == question and shown.get("voting_open"):
                break
            assert time.monotonic() < deadline, f"{other.name} did not follow: {state}"
            await asyncio.sleep(0.05)


async def answer(
    client: httpx.AsyncClient,
    server: ServerProcess,
    cluster: Cluster,
    participant: str,
    question: int,
    option: int,
    answer_id: str | None = None,
) -> str:
    response = await client.post(
        f"{server.url}/api/v1/join/{cluster.join_code}/answers",
        json={
            "question_id": question,
            "answer_id": answer_id or str(uuid.uuid4()),
            "value": [option],
        },
        headers={"Cookie": f"podium_p={participant}"},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["outcome"])


async def server_counts(
    client: httpx.AsyncClient, server: ServerProcess, cluster: Cluster, question: int
) -> Counter[int]:
    """Option id -> count, as the process's results API shows them."""
    response = await client.get(f"{server.url}/api/v1/events/{cluster.event_id}/results")
    assert response.status_code == 200, response.text
    found = next(q for q in response.json()["questions"] if q["id"] == question)
    return Counter({o["id"]: o["count"] for o in found["result"]["options"] if o["count"]})


async def stored_counts(cluster: Cluster, question: int) -> Counter[int]:
    """Option id -> count of the current rows in the database: the truth."""
    conn = await asyncpg.connect(cluster.database_url, timeout=5)
    try:
        rows = await conn.fetch(
            "SELECT value FROM answers WHERE question_id = $1 AND NOT superseded", question
        )
    finally:
        await conn.close()
    counts: Counter[int] = Counter()
    for row in rows:
        counts.update(json.loads(row["value"]))
    return counts


async def wait_until_equal(
    read: Callable[[], Any], expected: Counter[int], what: str, seconds: float = 5.0
) -> None:
    """The processes apply changes a moment after the acknowledgement: wait for it."""
    deadline = time.monotonic() + seconds
    while (seen := await read()) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {dict(seen)} != stored {dict(expected)}")
        await asyncio.sleep(0.05)


# --- presenter streams ------------------------------------------------------------------


class Frames:
    """The frames of one SSE response, read as they come."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.aiter_lines()

    async def _next(self) -> Frame:
        kind = None
        while True:
            line = await anext(self._lines)
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: ") and kind:
                return kind, json.loads(line[6:])

    async def wait_for(
        self, matches: Callable[[str, dict[str, Any]], bool], seconds: float = 5.0
    ) -> dict[str, Any]:
        async def scan() -> dict[str, Any]:
            while True:
                kind, data = await self._next()
                if matches(kind, data):
                    return data

        try:
            return await asyncio.wait_for(scan(), seconds)
        except TimeoutError:
            raise AssertionError(f"no matching frame within {seconds} s") from None


@asynccontextmanager
async def presenter(
    client: httpx.AsyncClient, server: ServerProcess, cluster: Cluster
) -> AsyncIterator[Frames]:
    url = f"{server.url}/present/{cluster.presenter_token}/stream"
    async with client.stream("GET", url) as response:
        assert response.status_code == 200
        yield Frames(response)


def shown_counts(html: str) -> dict[str, int]:
    """Label -> count from the chart's text alternative ("Alpha: 50 % (1); ...")."""
    label = re.search(r'aria-label="([^"]*)"', html)
    assert label, html
    return {name: int(n) for name, n in re.findall(r"(\w+): \d+ % \((\d+)\)", label.group(1))}


def by_label(cluster: Cluster, question: int, counts: Counter[int]) -> dict[str, int]:
    return {name: counts[o] for name, o in zip(OPTIONS, cluster.options[question], strict=True)}


def results_of(question: int, expected: dict[str, int] | None = None) -> Callable[..., bool]:
    def matches(kind: str, data: dict[str, Any]) -> bool:
        if kind != "results" or data.get("question_id") != question:
            return False
        return expected is None or shown_counts(data["html"]) == expected

    return matches


# --- the tests --------------------------------------------------------------------------


async def test_a_vote_on_one_process_reaches_a_presenter_on_the_other(cluster: Cluster) -> None:
    question = cluster.questions[0]
    alpha = cluster.options[question][0]
    async with httpx.AsyncClient(timeout=10) as organiser, httpx.AsyncClient(timeout=10) as http:
        csrf = await login(organiser, cluster.a)
        async with presenter(http, cluster.b, cluster) as frames:
            await frames.wait_for(lambda kind, data: kind == "state")  # the welcome screen
            # the moderator acts on A; B's screen follows (live state crosses processes)
            await go_live(organiser, cluster.a, csrf, cluster, question)
            await frames.wait_for(
                lambda kind, data: kind == "state" and data["question_id"] == question
            )
            await frames.wait_for(results_of(question, {"Alpha": 0, "Beta": 0, "Gamma": 0}))
            sent = time.monotonic()
            assert (
                await answer(http, cluster.a, cluster, issued_token(), question, alpha) == "created"
            )
            await frames.wait_for(results_of(question, {"Alpha": 1, "Beta": 0, "Gamma": 0}), 1.0)
            assert time.monotonic() - sent < 1.0


async def test_two_processes_answering_at_once_keep_exact_tallies(cluster: Cluster) -> None:
    """200 participants answer one question at once, split across A and B; some
    retry with the same answer id on the other process, some change their answer on
    the other process while the first is still in flight. Both processes then show
    exactly the stored rows."""
    question = cluster.questions[1]
    options = cluster.options[question]
    rng = random.Random(3)
    async with (
        httpx.AsyncClient(timeout=30) as organiser,
        httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=250)) as http,
    ):
        csrf = await login(organiser, cluster.a)
        await go_live(organiser, cluster.b, csrf, cluster, question)
        requests: list[tuple[ServerProcess, str, int, str]] = []
        for n in range(200):
            here, there = (cluster.a, cluster.b) if n % 2 else (cluster.b, cluster.a)
            participant, answer_id, option = issued_token(), str(uuid.uuid4()), rng.choice(options)
            requests.append((here, participant, option, answer_id))
            if n % 10 == 0:  # a retry after a time-out, which went to the other process
                requests.append((there, participant, option, answer_id))
            elif n % 10 == 5:  # a changed answer, while the first is still in flight
                requests.append((there, participant, rng.choice(options), str(uuid.uuid4())))
        rng.shuffle(requests)
        outcomes = await asyncio.gather(
            *(answer(http, s, cluster, p, question, o, a) for s, p, o, a in requests)
        )
        assert Counter(outcomes) == {"created": 200, "changed": 20, "repeated": 20}
        stored = await stored_counts(cluster, question)
        assert sum(stored.values()) == 200  # one current answer per participant
        for server in (cluster.a, cluster.b):
            await wait_until_equal(
                lambda s=server: server_counts(organiser, s, cluster, question),
                stored,
                f"results of {server.name}",
            )


async def test_a_killed_process_comes_back_exact_and_live(cluster: Cluster) -> None:
    """B dies with SIGKILL while the event runs; A takes answers meanwhile. B starts
    again, rebuilds its tallies from the database and follows the live answers."""
    question = cluster.questions[2]
    options = cluster.options[question]
    participants = [issued_token() for _ in range(40)]
    async with httpx.AsyncClient(timeout=30) as organiser, httpx.AsyncClient(timeout=30) as http:
        csrf = await login(organiser, cluster.a)
        await go_live(organiser, cluster.a, csrf, cluster, question)
        await asyncio.gather(
            *(
                answer(http, (cluster.a, cluster.b)[n % 2], cluster, p, question, options[n % 3])
                for n, p in enumerate(participants[:20])
            )
        )
        await wait_until_equal(
            lambda: server_counts(organiser, cluster.b, cluster, question),
            await stored_counts(cluster, question),
            "results of b before the kill",
        )
        cluster.b.kill()
        await asyncio.gather(  # while B is down: new answers and changes, on A
            *(answer(http, cluster.a, cluster, p, question, options[0]) for p in participants[20:]),
            *(answer(http, cluster.a, cluster, p, question, options[2]) for p in participants[:10]),
        )
    cluster.b.start()
    await asyncio.to_thread(cluster.b.wait_ready)

    stored = await stored_counts(cluster, question)
    assert sum(stored.values()) == 40
    # fresh clients: no connection to the killed process is reused
    async with httpx.AsyncClient(timeout=30) as organiser, httpx.AsyncClient(timeout=30) as http:
        await login(organiser, cluster.b)
        for server in (cluster.b, cluster.a):
            await wait_until_equal(
                lambda s=server: server_counts(organiser, s, cluster, question),
                stored,
                f"results of {server.name} after the restart",
            )
        async with presenter(http, cluster.b, cluster) as frames:
            await frames.wait_for(results_of(question, by_label(cluster, question, stored)))
            sent = time.monotonic()
            await answer(http, cluster.a, cluster, issued_token(), question, options[1])
            stored[options[1]] += 1
            await frames.wait_for(results_of(question, by_label(cluster, question, stored)), 1.0)
            assert time.monotonic() - sent < 1.0
