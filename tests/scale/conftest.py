"""Scale-out fixtures: a fresh PostgreSQL database of its own, and `podium serve`
processes sharing it and one Redis channel.

They run against the machine's PostgreSQL and Redis (.ci/run starts both); a
service that is not there is a failure, never a skip.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from podium.cli import main as podium_command
from podium.runtime import Runtime
from podium.services import accounts
from podium.services.event_io import import_event
from podium.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "PODIUM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PODIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_KEY = "scale-out-test-secret-key-long-enough"
ORGANISER = "orga@example.org"
PASSWORD = "correct horse battery"
START_TIMEOUT = 30.0
OPTIONS = ["Alpha", "Beta", "Gamma"]
QUESTION_YAML = """
  - kind: single
    title: "Question {n}"
    options: [Alpha, Beta, Gamma]
"""
EVENT_YAML = "podium_event: 1\ntitle: Scale-out\nlanguage: en\nquestions:" + "".join(
    QUESTION_YAML.format(n=n) for n in (1, 2, 3)
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PodiumServer:
    """`podium serve` in a subprocess of its own, on a fixed port so that a restart
    comes back at the same address."""

    def __init__(self, name: str, env: dict[str, str], logs: Path) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = env
        self._log = logs / f"server-{name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "podium.cli", "serve", "--port", str(self.port)]
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                command, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Until /healthz answers 200; fails at once if the process died."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self._process is None or self._process.poll() is not None:
                    raise AssertionError(f"server {self.name} exited:\n{self.log_tail()}")
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"server {self.name} did not start:\n{self.log_tail()}")
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 30) -> str:
        text = self._log.read_text(errors="replace") if self._log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class Cluster:
    a: PodiumServer
    b: PodiumServer
    database_url: str
    event_id: int
    join_code: str
    presenter_token: str
    questions: list[int]
    options: dict[int, list[int]]  # question id -> option ids, in the order of OPTIONS


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    name = f"podium_scale_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def server_env(database_url: str, channel: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        PODIUM_DATABASE_URL=database_url,
        PODIUM_REDIS_URL=REDIS_URL,
        PODIUM_REDIS_CHANNEL=channel,  # random: parallel runs never hear each other
        PODIUM_SECRET_KEY=SECRET_KEY,  # the same: a session from one process works on all
        PYTHONUNBUFFERED="1",
    )
    return env


async def _create_data(database_url: str) -> tuple[int, str, str, list[int], dict[int, list[int]]]:
    # in-process hub: the servers are not running yet, nobody needs to hear this
    rt = Runtime(Settings(database_url=database_url, secret_key=SECRET_KEY, redis_url=""))
    await rt.start()
    try:
        await accounts.create_user(rt, ORGANISER, PASSWORD, "Orga")
        event = await import_event(rt, EVENT_YAML)
        live = await rt.live.get(event.id)
        assert live is not None
        questions = [q.id for q in live.ordered()]
        options = {q: [o.id for o in live.questions[q].spec.options] for q in questions}
        return event.id, live.join_code, live.presenter_token, questions, options
    finally:
        await rt.stop()


@pytest.fixture(scope="module")
def cluster(postgres_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two `podium serve` processes on one PostgreSQL database and one Redis channel,
    with an organiser and an event of three single-choice questions."""
    env = server_env(postgres_database, f"podium-test-{secrets.token_hex(8)}")
    with pytest.MonkeyPatch.context() as patch:  # `podium db upgrade`, in this interpreter
        for name, value in env.items():
            if name.startswith("PODIUM_"):
                patch.setenv(name, value)
        assert podium_command(["db", "upgrade"]) == 0
    logs = tmp_path_factory.mktemp("servers")
    a, b = PodiumServer("a", env, logs), PodiumServer("b", env, logs)
    try:
        a.start()  # the servers start while the data is made: they load it on demand
        b.start()
        event_id, code, token, questions, options = asyncio.run(_create_data(postgres_database))
        a.wait_ready()
        b.wait_ready()
        yield Cluster(a, b, postgres_database, event_id, code, token, questions, options)
    finally:
        a.stop()
        b.stop()
