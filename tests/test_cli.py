"""The `podium` command, run in-process against a fresh SQLite file per test, and
once as a real process."""

from __future__ import annotations

import asyncio
import getpass
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from podium.cli import main
from podium.cli.server import run_server
from podium.demo.run import simulation
from podium.demo.seed import DemoInfo, ensure_demo, event_documents
from podium.runtime import Runtime
from podium.services.accounts import authenticate
from podium.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty database file's path in PODIUM_DATABASE_URL; nothing else from outside."""
    path = tmp_path / "podium.db"
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PODIUM_SECRET_KEY", "test-secret-key-that-is-long-enough")
    return path


@pytest.fixture
def migrated(db: Path, migrated_template: Path) -> Path:
    shutil.copy(migrated_template, db)
    return db


def login_works(email: str, password: str) -> bool:
    async def check() -> bool:
        rt = Runtime(Settings())
        await rt.start()
        try:
            return await authenticate(rt, email, password) is not None
        finally:
            await rt.stop()

    return asyncio.run(check())


def test_db_upgrade_then_create_a_user(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (
        main(["user", "create", "Orga@Example.org", "--name", "Orga", "--password", PASSWORD]) == 0
    )
    assert "orga@example.org" in capsys.readouterr().out
    assert login_works("orga@example.org", PASSWORD)


def test_a_duplicate_user_is_a_clear_error(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "create", "orga@example.org", "--password", PASSWORD]) == 0
    capsys.readouterr()
    assert main(["user", "create", "orga@example.org", "--password", PASSWORD]) == 2
    err = capsys.readouterr().err
    assert err == "podium: error: An account with this e-mail address already exists.\n"


def test_password_from_stdin_and_a_too_short_one(
    migrated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "create", "mod@example.org", "--role", "moderator"]) == 0
    assert login_works("mod@example.org", PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["user", "password", "mod@example.org"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("a new long password\n"))
    assert main(["user", "password", "MOD@example.org"]) == 0
    assert login_works("mod@example.org", "a new long password")
    assert main(["user", "password", "nobody@example.org", "--password", PASSWORD]) == 2
    assert "no account" in capsys.readouterr().err


def test_password_is_asked_twice_on_a_terminal(
    migrated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([PASSWORD, "something else", PASSWORD, PASSWORD])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert main(["user", "create", "orga@example.org"]) == 2
    assert "passwords differ" in capsys.readouterr().err
    assert main(["user", "create", "orga@example.org"]) == 0
    assert login_works("orga@example.org", PASSWORD)


def test_event_import_export_round_trip_and_list(
    migrated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "auftakt.yaml"
    source.write_text(event_documents()[0], encoding="utf-8")
    assert main(["event", "import", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported event 1 (auftakt-chancen-im-wandel-nutzen), join code ")

    first = tmp_path / "first.yaml"
    assert main(["event", "export", "auftakt-chancen-im-wandel-nutzen", "-o", str(first)]) == 0
    assert main(["event", "import", str(first)]) == 0
    assert "Imported event 2 (auftakt-chancen-im-wandel-nutzen-2)" in capsys.readouterr().out
    assert main(["event", "export", "2"]) == 0
    second = capsys.readouterr().out
    assert second == first.read_text(encoding="utf-8")
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    exported = yaml.safe_load(second)
    for key in ("series", "title", "format", "language"):
        assert exported[key] == original[key]
    assert [q["title"] for q in exported["questions"]] == [
        q["title"] for q in original["questions"]
    ]

    assert main(["event", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:3] == ["id", "slug", "join"]
    rows = [line.split() for line in listing[2:]]
    assert [row[:2] for row in rows] == [
        ["1", "auftakt-chancen-im-wandel-nutzen"],
        ["2", "auftakt-chancen-im-wandel-nutzen-2"],
    ]
    assert "2021-02-02 10:00 +0100" in listing[2]
    assert "Qualitätsarbeit im SGB II" in listing[2]


def test_event_errors_are_one_line(
    migrated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["event", "export", "no-such-event"]) == 2
    assert capsys.readouterr().err == "podium: error: There is no event with this id or slug.\n"
    assert main(["event", "import", str(tmp_path / "missing.yaml")]) == 2
    assert "No such file" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Test\nquestions:\n  - kind: multiple\n    title: Q\n", encoding="utf-8")
    assert main(["event", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "question 1" in err and "at least 2 options" in err
    assert main(["event", "list"]) == 0
    assert "No events yet" in capsys.readouterr().out


def test_commands_refuse_an_unmigrated_database(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", "1"]) == 2  # never gets to bind the port
    err = capsys.readouterr().err
    assert "podium db upgrade" in err and "Traceback" not in err
    assert main(["event", "list"]) == 2
    assert "podium db upgrade" in capsys.readouterr().err


def test_a_wrong_database_url_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{tmp_path}/missing/podium.db")
    monkeypatch.setenv("PODIUM_SECRET_KEY", "test-secret-key-that-is-long-enough")
    assert main(["db", "upgrade"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["event", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert main(["serve"]) == 2
    assert "does not exist" in capsys.readouterr().err
    monkeypatch.setenv("PODIUM_SECURE_COOKIES", "maybe")
    assert main(["event", "list"]) == 2
    assert capsys.readouterr().err.startswith("podium: error: PODIUM_SECURE_COOKIES: ")


def test_demo_creates_its_data_once_and_prints_the_links(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--no-serve", "--port", "8123"]) == 0  # upgrades the database itself
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/login" in out
    assert "organiser@podium.example" in out and "podium-demo-2021" in out
    assert "http://127.0.0.1:8123/p/" in out and "with code " in out
    assert "http://127.0.0.1:8123/present/" in out
    assert "http://127.0.0.1:8123/moderate/1" in out
    assert "http://127.0.0.1:8123/s/qualitaetsarbeit-im-sgb-ii" in out
    assert f"Mails:            outbox folder {db.parent / 'outbox'}" in out
    assert main(["demo", "--no-serve"]) == 0
    again = capsys.readouterr().out
    assert "http://127.0.0.1:8000/moderate/1" in again
    assert main(["event", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2 + 4
    assert login_works("organiser@podium.example", "podium-demo-2021")


def test_demo_serves_and_lets_a_simulated_audience_vote(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The path of `podium demo --simulate N`: the server starts on a free port, the
    polls open, the audience votes over HTTP, the results are printed."""
    assert main(["demo", "--no-serve"]) == 0
    info = asyncio.run(demo_info())

    class Done(Exception):
        pass

    async def then_stop(rt: Runtime, url: str) -> None:
        await simulation(info.event_id, info.join_code, 50)(rt, url)
        raise Done

    with pytest.raises(Done):
        run_server(Settings(), "127.0.0.1", 0, then_stop, access_log=False)
    out = capsys.readouterr().out
    assert "Serving on http://127.0.0.1:" in out
    assert "Simulation: " in out and " 0 errors" in out
    assert " 24 %  Organisation von Homeoffice" in out
    assert " 26 %  Änderungen bei den Zugangskanälen" in out
    # the series' comparison has a second event to compare with
    assert "The series' next event has 50 answers to compare with." in out


async def demo_info() -> DemoInfo:
    rt = Runtime(Settings())
    await rt.start()
    try:
        return await ensure_demo(rt)
    finally:
        await rt.stop()


def test_links_use_the_public_base_url_when_it_is_set(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PODIUM_BASE_URL", "https://podium.example.org")
    assert main(["demo", "--no-serve", "--port", "8123"]) == 0
    assert "https://podium.example.org/moderate/1" in capsys.readouterr().out


def test_as_a_process(db: Path) -> None:
    helped = subprocess.run(
        [sys.executable, "-m", "podium.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0
    for command in ("serve", "demo", "db", "user", "event"):
        assert command in helped.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "podium.cli", "serve"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
    assert "Run: podium db upgrade" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_user_create_with_an_organisation_and_a_role(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["user", "create", "b@example.org", "--password", PASSWORD]
    assert main([*args, "--organisation", "Jobcenter Nord"]) == 0
    assert "organiser b@example.org in Jobcenter Nord" in capsys.readouterr().out
    admin = ["user", "create", "admin@example.org", "--password", PASSWORD]
    assert main([*admin, "--role", "administrator"]) == 0
    assert "Created administrator admin@example.org (id" in capsys.readouterr().out
    again = ["user", "create", "a2@example.org", "--password", PASSWORD, "--role"]
    assert main([*again, "administrator", "--organisation", "X"]) == 2
