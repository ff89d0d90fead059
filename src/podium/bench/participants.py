"""The audience: participants who join and hold their live stream open, and presenter
screens whose results frames are read."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from podium.bench import lanes as lanes_module
from podium.bench.errors import Errors
from podium.bench.ladder import Ladder
from podium.bench.lanes import Lanes
from podium.bench.setup import SetupError, Target
from podium.bench.sse import FrameParser, label_matches, parse_results

COOKIE = "podium_p"
STREAMS_PER_CLIENT = 100  # see lanes.py: small pools keep httpcore's scans cheap
SSE_HEADERS = {"Accept": "text/event-stream"}


@dataclass
class Participant:
    index: int
    token: str
    step: int = -1  # ladder step of the last acknowledged answer; -1: none yet

    @property
    def cookie(self) -> str:
        return f"{COOKIE}={self.token}"


class Pool:
    """Participants without an answer in flight; a random one is taken in O(1)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._idle: list[Participant] = []

    def put(self, participant: Participant) -> None:
        self._idle.append(participant)

    def take(self) -> Participant | None:
        if not self._idle:
            return None
        i = self._rng.randrange(len(self._idle))
        self._idle[i], self._idle[-1] = self._idle[-1], self._idle[i]
        return self._idle.pop()

    def __len__(self) -> int:
        return len(self._idle)


def cookie_token(response: httpx.Response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name.strip() == COOKIE:
            return rest.split(";", 1)[0]
    return None


async def join(lanes: Lanes, code: str, errors: Errors) -> str | None:
    """GET the participant page without a cookie: the server hands out a new token."""
    async with lanes.slot() as client:
        try:
            response = await client.get(f"/p/{code}")
        except httpx.HTTPError as exc:
            errors.exception("join", exc)
            return None
    if response.status_code == 429:
        # podium limits new participants per client address, and every one of the
        # bench's comes from this machine: docs/BENCHMARKS.md starts the server with
        # PODIUM_PARTICIPANT_TOKENS_BURST=0.
        errors.add("join", "HTTP 429 (set PODIUM_PARTICIPANT_TOKENS_BURST=0 on the server)")
        return None
    if response.status_code != 200:
        errors.add("join", f"HTTP {response.status_code}")
        return None
    token = cookie_token(response)
    if token is None:
        errors.add("join", "no participant cookie")
    return token


class Streams:
    """Held-open SSE streams, read continuously and thrown away."""

    def __init__(self, base_url: str, errors: Errors, connect_timeout: float) -> None:
        self._base_url = base_url
        self._errors = errors
        self._timeout = httpx.Timeout(connect_timeout, read=None)
        self._clients: list[httpx.AsyncClient] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = 0
        self.open = 0
        self.bytes = 0
        self.closing = False

    def _client(self) -> httpx.AsyncClient:
        if self._started % STREAMS_PER_CLIENT == 0:
            self._clients.append(
                lanes_module.client(self._base_url, STREAMS_PER_CLIENT, self._timeout)
            )
        self._started += 1
        return self._clients[-1]

    async def open_stream(self, path: str, headers: dict[str, str]) -> bool:
        """Open a stream and keep reading it in the background; True once it answered 200."""
        ready: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(self._hold(self._client(), path, headers, ready))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await ready

    async def _hold(
        self,
        client: httpx.AsyncClient,
        path: str,
        headers: dict[str, str],
        ready: asyncio.Future[bool],
    ) -> None:
        try:
            async with client.stream("GET", path, headers={**SSE_HEADERS, **headers}) as response:
                if response.status_code != 200:
                    self._errors.add("stream", f"HTTP {response.status_code}")
                    ready.set_result(False)
                    return
                self.open += 1
                ready.set_result(True)
                try:
                    async for chunk in response.aiter_raw():
                        self.bytes += len(chunk)
                finally:
                    self.open -= 1
            if not self.closing:
                self._errors.add("stream", "ended by the server")
        except httpx.HTTPError as exc:
            if not ready.done():
                ready.set_result(False)
            if not self.closing:
                self._errors.exception("stream", exc)

    async def aclose(self) -> None:
        self.closing = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*(c.aclose() for c in self._clients), return_exceptions=True)


async def join_all(
    lanes: Lanes,
    streams: Streams,
    code: str,
    n: int,
    concurrency: int,
    errors: Errors,
    progress: Callable[[int], None] | None = None,
    give_up_after: float | None = None,
) -> list[Participant]:
    """n participants join (page, then stream), `concurrency` at a time; no new joins
    start after `give_up_after` seconds (the run goes on with those that joined)."""
    joined: list[Participant] = []
    next_index = 0
    deadline = None if give_up_after is None else time.perf_counter() + give_up_after

    async def worker() -> None:
        nonlocal next_index
        while next_index < n and (deadline is None or time.perf_counter() < deadline):
            index = next_index
            next_index += 1
            token = await join(lanes, code, errors)
            if token is None:
                continue
            if await streams.open_stream(f"/p/{code}/stream", {"Cookie": f"{COOKIE}={token}"}):
                joined.append(Participant(index, token))
                if progress is not None and len(joined) % 1000 == 0:
                    progress(len(joined))

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, n)))))
    return joined


FrameHandler = Callable[[int, float, int], None]


class Presenters:
    """P presenter screens on the event's stream; each results frame becomes a score."""

    def __init__(
        self, base_url: str, target: Target, ladder: Ladder, errors: Errors, timeout: float
    ) -> None:
        self._target = target
        self._ladder = ladder
        self._errors = errors
        self._client = lanes_module.client(base_url, 1000, httpx.Timeout(timeout, read=None))
        self._tasks: list[asyncio.Task[None]] = []
        self.on_frame: FrameHandler | None = None
        self.first_scores: list[asyncio.Future[int]] = []
        self.frames = 0
        self.latest: dict[int, int] = {}  # presenter -> score of its newest frame
        self.closing = False

    async def connect(self, count: int, timeout: float) -> list[int]:
        """Open `count` screens; the score of each one's first results frame."""
        loop = asyncio.get_running_loop()
        self.first_scores = [loop.create_future() for _ in range(count)]
        for index in range(count):
            self._tasks.append(asyncio.create_task(self._read(index)))
        try:
            async with asyncio.timeout(timeout):
                return list(await asyncio.gather(*self.first_scores))
        except TimeoutError:
            raise SetupError(
                "no results frame on the presenter stream: are results shown on the screen?"
            ) from None

    async def _read(self, index: int) -> None:
        path = f"/present/{self._target.presenter_token}/stream"
        first = self.first_scores[index]
        parser = FrameParser()
        try:
            async with self._client.stream("GET", path, headers=SSE_HEADERS) as response:
                if response.status_code != 200:
                    first.set_exception(
                        SetupError(f"presenter stream: HTTP {response.status_code}")
                    )
                    return
                async for chunk in response.aiter_raw():
                    at = time.perf_counter()
                    for event, data in parser.feed(chunk):
                        if event != "results":
                            continue
                        try:
                            self._results(index, at, data, first)
                        except (SetupError, ValueError) as exc:
                            if not first.done():
                                first.set_exception(SetupError(f"presenter stream: {exc}"))
                                return
                            self._errors.add("presenter", "unreadable results frame", str(exc))
            if not self.closing:
                self._errors.add("presenter", "stream ended by the server")
        except httpx.HTTPError as exc:
            if not first.done():
                first.set_exception(SetupError(f"presenter stream: {exc}"))
            elif not self.closing:
                self._errors.exception("presenter", exc)

    def _results(self, index: int, at: float, data: str, first: asyncio.Future[int]) -> None:
        frame = parse_results(data)
        if frame.question_id != self._target.question_id:
            return
        score = self._ladder.score(frame.counts)
        self.frames += 1
        self.latest[index] = score
        if not first.done():
            labels = self._target.option_labels
            if len(frame.labels) != len(labels) or not all(
                label_matches(s, label) for s, label in zip(frame.labels, labels, strict=True)
            ):
                raise SetupError("the results frame does not show the poll's options in order")
            first.set_result(score)
        elif self.on_frame is not None:
            self.on_frame(index, at, score)

    async def settled_score(self, quiet: float, timeout: float) -> int:
        """The score once every screen shows the same one and it stayed for `quiet` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last, since = None, loop.time()
        while loop.time() < deadline:
            scores = set(self.latest.values())
            now = loop.time()
            current = scores.pop() if len(scores) == 1 else None
            if current is None or current != last:
                last, since = current, now
            elif now - since >= quiet:
                return current
            await asyncio.sleep(0.05)
        raise SetupError(f"the presenters' results did not settle within {timeout} s")

    async def aclose(self) -> None:
        self.closing = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()
