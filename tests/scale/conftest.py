"""Scale-out fixtures: a fresh PostgreSQL database of its own, and `podium serve`
processes sharing it and one Redis channel.

They run against the machine's PostgreSQL and Redis (`make test` starts both:
scripts/prerequisites.sh); a service that is not there is a failure, never a skip.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from podium.bench.server import ServerProcess, server_environment
from podium.cli import main as podium_command
from podium.domain.participant_token import derive_key, issue
from podium.runtime import Runtime
from podium.services import accounts
from podium.services.event_io import import_event
from podium.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "PODIUM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PODIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET_KEY = "scale-out-test-secret-key-long-enough"


def issued_token() -> str:
    """A participant token as the test servers issue it (they run with SECRET_KEY): a
    test that makes thousands of participants need not load a page for each."""
    return issue(derive_key(SECRET_KEY, "participant-token"))


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


@dataclass(frozen=True)
class Cluster:
    a: ServerProcess
    b: ServerProcess
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
    # random channel: parallel runs never hear each other; the same secret key: a
    # session from one process works on all
    return server_environment(database_url, SECRET_KEY, redis_url=REDIS_URL, redis_channel=channel)


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
    a = ServerProcess(env, logs / "server-a.log", name="a")
    b = ServerProcess(env, logs / "server-b.log", name="b")
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
