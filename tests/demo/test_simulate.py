"""The simulated audience: the plan hits the article's figures exactly, and 200
participants voting over real HTTP make the server show them."""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from podium.app import create_app
from podium.demo import simulate as sim
from podium.demo.follow_up import answer_follow_up
from podium.demo.plan import Poll, plan, planned_percentages
from podium.demo.seed import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    ensure_demo,
    open_polls,
    seed_data,
)
from podium.demo.simulate import polls_of, simulate
from podium.domain.tally import ChoiceResult, WordsResult
from podium.runtime import Runtime
from podium.services.catalog import get_event
from podium.services.series_results import series_results
from podium.settings import Settings
from podium.store.tables import Answer

pytestmark = pytest.mark.sqlite_only  # the demo tests the product, not the store

ARTICLE = {
    "Organisation von Homeoffice": 24,
    "Führung und Zusammenarbeit auf Distanz": 22,
    "Änderungen bei der Beratung": 28,
    "Änderungen bei den Zugangskanälen": 26,
}


def seed_polls() -> list[Poll]:
    """The opening event's questions as polls, with made-up ids."""
    polls = []
    for n, q in enumerate(seed_data()["events"][0]["questions"]):
        options = {label: 100 * (n + 1) + i for i, label in enumerate(q.get("options", []))}
        settings = q.get("settings", {})
        polls.append(
            Poll(
                n + 1,
                q["kind"],
                q["title"],
                options,
                max_choices=settings.get("max_choices", 1),
                max_words=settings.get("max_words", 3),
                max_length=settings.get("max_length", 280),
            )
        )
    return polls


@pytest.mark.parametrize("n", [50, 51, 67, 99, 137, 200, 333, 1000])
def test_plan_gives_the_articles_percentages_for_any_n(n: int) -> None:
    polls = seed_polls()
    plans = plan(polls, n, seed=n)
    shares = planned_percentages(polls, plans)
    for poll in polls[:2]:
        answers = [v for a in plans for q, v in a if q == poll.question_id]
        assert len(answers) == n  # everybody answers both choice polls
        assert all(1 <= len(v) <= 3 and len(set(v)) == len(v) for v in answers)
        for label, expected in ARTICLE.items():
            if label in poll.options:
                assert abs(shares[poll.title][label] - expected) <= 1
        # The article's two options lead their poll.
        ranked = sorted(shares[poll.title], key=lambda label: -shares[poll.title][label])
        assert set(ranked[:2]) == {label for label in poll.options if label in ARTICLE}


def test_plan_is_deterministic_and_valid_for_small_audiences() -> None:
    polls = seed_polls()
    assert plan(polls, 120, seed=7) == plan(polls, 120, seed=7)
    assert plan(polls, 120, seed=7) != plan(polls, 120, seed=8)
    for n in range(1, 50):
        for answers in plan(polls, n, seed=n):
            for _, value in answers:
                assert value  # never an empty answer


async def test_a_failed_request_is_sent_again_with_the_same_answer_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            assert request.url.path == "/p/12345678"
            return httpx.Response(200, headers={"set-cookie": "podium_p=abc; Path=/"})
        bodies.append(json.loads(request.content))
        assert request.headers["accept"] == "application/json"
        assert request.headers["cookie"] == "podium_p=abc"
        if len(bodies) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        if len(bodies) == 2:
            return httpx.Response(503)
        return httpx.Response(200, json={"status": "received"})

    monkeypatch.setattr(sim, "RETRY_DELAY", 0.0)
    poll = Poll(7, "single", "Ja oder nein?", {"Ja": 1, "Nein": 2})
    report = await simulate(
        "http://podium.test", "12345678", 1, [poll], transport=httpx.MockTransport(handler)
    )
    assert (report.sent, report.acknowledged, report.errors, report.retries) == (1, 1, 0, 2)
    assert len({b["answer_id"] for b in bodies}) == 1
    assert bodies[0]["question_id"] == 7 and bodies[0]["value"] in ([1], [2])


async def test_a_refused_answer_is_an_error_and_not_repeated() -> None:
    posts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "GET":
            return httpx.Response(200)
        posts += 1
        return httpx.Response(409, json={"error": "voting_closed", "message": "closed"})

    poll = Poll(7, "single", "Ja oder nein?", {"Ja": 1, "Nein": 2})
    report = await simulate(
        "http://podium.test", "12345678", 3, [poll], transport=httpx.MockTransport(handler)
    )
    assert (posts, report.acknowledged, report.errors) == (3, 0, 3)
    assert "voting_closed" in report.error_samples[0]


# --- the real thing: a server on a free port, 200 participants over HTTP ----------------


@pytest.fixture
async def served(settings: Settings) -> AsyncIterator[tuple[Runtime, str]]:
    app = create_app(settings)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await wait_for(lambda: server.started or task.done())
        assert server.started, "the server did not start"
        yield app.state.runtime, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_two_hundred_participants_produce_the_articles_figures(
    served: tuple[Runtime, str],
) -> None:
    rt, base_url = served
    info = await ensure_demo(rt)
    await open_polls(rt, info.event_id)
    polls = polls_of(await get_event(rt, info.event_id))
    assert [p.kind for p in polls] == ["multiple", "multiple", "words", "text"]

    report = await simulate(base_url, info.join_code, 200, polls, seed=2021)

    assert report.errors == 0, report.error_samples
    assert report.acknowledged == report.sent >= 400
    async with rt.sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(Answer))
    assert stored == report.acknowledged
    live = await rt.live.get(info.event_id)
    assert live is not None
    inward, outward, words, text = (live.tallies[p.question_id].result() for p in polls)
    for result in (inward, outward):
        assert isinstance(result, ChoiceResult)
        assert result.respondents == 200
        for option in result.options:
            if option.label in ARTICLE:
                assert abs(option.whole_percent - ARTICLE[option.label]) <= 1, option
    assert isinstance(words, WordsResult) and 0 < words.respondents < 200
    top = Counter({w.word.casefold(): w.count for w in words.words}).most_common(2)
    assert {word for word, _ in top} == {"digitalisierung", "homeoffice"}
    assert any(len(w.spellings) > 1 for w in words.words)  # varied case, counted as one
    assert 0 < text.respondents < 50
    assert report.planned[polls[0].title]["Organisation von Homeoffice"] == 24

    # The same figures in the organiser's JSON results, counted from the stored answers.
    results = await organiser_results(base_url, info.event_id)
    for question in results["questions"][:2]:
        assert question["result"]["respondents"] == 200
        for option in question["result"]["options"]:
            if option["label"] in ARTICLE:
                assert abs(option["whole_percent"] - ARTICLE[option["label"]]) <= 1, option
    shown = {
        o["label"]: o["whole_percent"]
        for q in results["questions"][:2]
        for o in q["result"]["options"]
    }
    assert {label: shown[label] for label in ARTICLE} == ARTICLE


async def organiser_results(base_url: str, event_id: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base_url) as client:
        session = await client.get("/api/v1/session")
        login = await client.post(
            "/login",
            data={
                "csrf": session.json()["csrf_token"],
                "email": ORGANISER_EMAIL,
                "password": ORGANISER_PASSWORD,
                "next": "/admin",
            },
        )
        assert login.status_code == 303, login.text
        response = await client.get(f"/api/v1/events/{event_id}/results")
        assert response.status_code == 200, response.text
        return response.json()


async def test_the_follow_up_is_answered_once_with_its_own_shares(runtime: Runtime) -> None:
    """The demo series' second event gets its own audience, once, so that the series'
    results page has two events to compare."""
    info = await ensure_demo(runtime)
    first = await answer_follow_up(runtime, info.event_id, 100)
    assert first is not None and first != info.event_id
    assert await answer_follow_up(runtime, info.event_id, 100) == first  # no second audience
    [comparison] = (await series_results(runtime, info.series_id)).comparisons
    opening, follow_up = comparison.events
    assert opening.respondents == 0 and follow_up.respondents == 100
    row = comparison.rows.index("Änderungen bei der Beratung")
    share = follow_up.shares[row]
    assert share is not None and share.percent == 31
