"""What the crash and slow-client tests share: a demo database with its polls open,
`podium serve` as a real subprocess that can be killed and restarted, and the
organiser's view of the results."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from podium.bench.server import ServerProcess, server_environment
from podium.demo.seed import ORGANISER_EMAIL, ORGANISER_PASSWORD, ensure_demo, open_polls
from podium.domain.participant_token import derive_key, issue
from podium.runtime import Runtime
from podium.settings import Settings

SECRET_KEY = "scale-test-secret-key-that-is-long-enough"


def issued_token() -> str:
    """A participant token as the test servers issue it (they run with SECRET_KEY): a
    test that makes thousands of participants need not load a page for each."""
    return issue(derive_key(SECRET_KEY, "participant-token"))


START_TIMEOUT = 30.0


@dataclass(frozen=True)
class DemoDb:
    url: str
    path: Path
    event_id: int
    join_code: str
    presenter_token: str
    question_ids: list[int]
    options: dict[int, list[int]]  # choice question id -> its option ids
    idle_presenter_token: str  # of a later event of the series, where nothing happens
    participant_salt: str = ""  # the event's, for its participants' token hashes


def sqlite_settings(folder: Path, migrated_template: Path) -> Settings:
    """A migrated SQLite database of its own (these tests run on SQLite only: they test
    the process, not the store)."""
    path = folder / "podium.db"
    shutil.copy(migrated_template, path)
    return Settings(database_url=f"sqlite:///{path}", secret_key=SECRET_KEY)


def prepare_demo(settings: Settings) -> DemoDb:
    """The demo (what `podium demo --no-serve` creates) with its polls opened, in the
    migrated database of `settings`, before any server runs on it."""

    async def build() -> DemoDb:
        rt = Runtime(settings)
        await rt.start()
        try:
            info = await ensure_demo(rt)
            ids = await open_polls(rt, info.event_id)
            event = await rt.live.get(info.event_id)
            assert event is not None
            salt = event.participant_salt
            options = {
                q: list(event.questions[q].spec.option_ids)
                for q in ids
                if event.questions[q].spec.is_choice
            }
            async with rt.engine.connect() as conn:
                row = await conn.exec_driver_sql(
                    "SELECT presenter_token FROM events WHERE id <> ? ORDER BY id LIMIT 1",
                    (info.event_id,),
                )
                idle_token = row.scalar_one()
        finally:
            await rt.stop()
        return DemoDb(
            url=settings.database_url,
            path=Path(settings.database_url.split(":///", 1)[1]),
            event_id=info.event_id,
            join_code=info.join_code,
            presenter_token=info.presenter_token,
            question_ids=ids,
            options=options,
            idle_presenter_token=idle_token,
            participant_salt=salt,
        )

    return asyncio.run(build())


def token_hash(salt: str, token: str) -> str:
    """As services.participation stores a participant (kept here to read the rows)."""
    return hashlib.sha256(f"{salt}:{token}".encode()).hexdigest()


def server_process(database_url: str, log_path: Path, **settings: str) -> ServerProcess:
    """`podium serve` on the crash tests' database, started again after each kill."""
    return ServerProcess(server_environment(database_url, SECRET_KEY, **settings), log_path)


class TransportFailure(Exception):
    """No answer: refused, reset, closed, or timed out. `kind` names which."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class AnswerClient:
    """One participant's keep-alive HTTP/1.1 connection, for JSON POSTs.

    A few lines of asyncio instead of httpx: hundreds of these run in the test's
    process next to the server, and the client must not take the CPU the server
    needs (httpx costs about ten times as much per request)."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post_json(self, path: str, body: dict[str, Any], timeout: float) -> tuple[int, Any]:
        try:
            return await asyncio.wait_for(self._post(path, body), timeout)
        except TimeoutError:
            self.close()
            raise TransportFailure("timeout") from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.close()
            raise TransportFailure(type(exc).__name__) from None

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        if self._conn is None:
            self._conn = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self._conn
        data = json.dumps(body).encode()
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Cookie: {self.cookie}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        content = await reader.readexactly(int(headers["content-length"]))
        if headers.get("connection") == "close":
            self.close()
        if headers.get("content-type", "").startswith("application/json"):
            return status, json.loads(content)
        return status, content.decode(errors="replace")

    def close(self) -> None:
        if self._conn is not None:
            self._conn[1].close()
            self._conn = None


async def organiser_client(url: str) -> httpx.AsyncClient:
    """A client signed in as the demo's organiser."""
    client = httpx.AsyncClient(base_url=url, timeout=10)
    page = await client.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "no CSRF token on the login page"
    response = await client.post(
        "/login",
        data={
            "csrf": found.group(1),
            "email": ORGANISER_EMAIL,
            "password": ORGANISER_PASSWORD,
            "next": "/admin",
        },
    )
    assert response.status_code in (200, 303), response.text
    return client


async def server_results(url: str, event_id: int) -> dict[int, dict[str, Any]]:
    """The organiser's results (GET /api/v1/events/{id}/results), by question id."""
    client = await organiser_client(url)
    try:
        response = await client.get(f"/api/v1/events/{event_id}/results")
    finally:
        await client.aclose()
    assert response.status_code == 200, response.text
    return {q["id"]: q["result"] for q in response.json()["questions"]}


def metric(text: str, name: str, **labels: str) -> float:
    """One sample's value from a Prometheus text exposition."""
    inner = ",".join(f'{k}="{v}"' for k, v in labels.items())
    wanted = f"{name}{{{inner}}}" if labels else name
    for line in text.splitlines():
        key, _, value = line.rpartition(" ")
        if key == wanted:
            return float(value)
    raise KeyError(wanted)
