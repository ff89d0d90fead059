"""The secret key a server insists on: `serve` refuses to run without a usable one,
`podium secret-key` makes one, `demo` keeps its own beside its database."""

from __future__ import annotations

import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from podium.cli import main
from podium.settings import Settings

GOOD_KEY = "test-secret-key-that-is-long-enough"


@pytest.fixture
def taken_port() -> Iterator[str]:
    """A port somebody else listens on: a server that gets as far as binding stops there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield str(sock.getsockname()[1])


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path) -> Path:
    """A migrated SQLite file in PODIUM_DATABASE_URL and no PODIUM_SECRET_KEY."""
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL", "PODIUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "podium.db"
    shutil.copy(migrated_template, path)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "PODIUM_SECRET_KEY is not set"),
        ("", "PODIUM_SECRET_KEY is not set"),
        ("x" * 31, "PODIUM_SECRET_KEY is too short (31 bytes, at least 32)"),
        ("change-me-to-a-long-random-string", "PODIUM_SECRET_KEY is the placeholder"),
        ("change-me-to-the-output-of-podium-secret-key", "PODIUM_SECRET_KEY is the placeholder"),
        ("...", "PODIUM_SECRET_KEY is the placeholder"),
    ],
)
def test_serve_refuses_an_unusable_key(
    migrated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    taken_port: str,
    key: str | None,
    reason: str,
) -> None:
    if key is not None:
        monkeypatch.setenv("PODIUM_SECRET_KEY", key)
    assert main(["serve", "--port", taken_port]) == 2  # refused before it tries the port
    err = capsys.readouterr().err
    assert err.startswith(f"podium: error: {reason}"), err
    assert "`podium secret-key`" in err and err.count("\n") == 1


def test_serve_takes_a_key_of_32_bytes(
    migrated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    taken_port: str,
) -> None:
    """Counted in bytes: 16 umlauts are 32 bytes."""
    monkeypatch.setenv("PODIUM_SECRET_KEY", "ä" * 16)
    assert main(["serve", "--port", taken_port]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{taken_port}" in err and "SECRET_KEY" not in err


def test_secret_key_prints_a_new_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["secret-key"]) == 0
    first = capsys.readouterr().out
    assert main(["secret-key"]) == 0
    second = capsys.readouterr().out
    assert first.endswith("\n") and len(first.strip()) == 64
    assert first != second


def test_secret_key_as_a_process_feeds_serve() -> None:
    made = subprocess.run(
        [sys.executable, "-m", "podium.cli", "secret-key"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0
    key = made.stdout.strip()
    assert Settings(secret_key=key).secret_key == key and len(key.encode()) >= 32


def test_demo_makes_a_private_key_beside_its_database_and_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL", "PODIUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    assert main(["demo", "--no-serve"]) == 0
    key_file = tmp_path / "demo.db.secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="utf-8").strip()
    assert len(key.encode()) >= 32
    assert main(["demo", "--no-serve"]) == 0
    assert key_file.read_text(encoding="utf-8").strip() == key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.db.secret-key"]


def test_demo_serves_with_the_key_it_keeps(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    taken_port: str,
) -> None:
    """The key reaches the server: `demo` on a taken port fails at the port, not at the key."""
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL", "PODIUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    assert main(["demo", "--port", taken_port]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{taken_port}" in err and "SECRET_KEY" not in err


def test_demo_refuses_a_bad_key_of_its_own_or_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("PODIUM_SECRET_KEY", "short")
    assert main(["demo", "--no-serve"]) == 2
    assert "PODIUM_SECRET_KEY is too short" in capsys.readouterr().err
    monkeypatch.delenv("PODIUM_SECRET_KEY")
    (tmp_path / "demo.db.secret-key").write_text("short\n", encoding="utf-8")
    assert main(["demo", "--no-serve"]) == 2
    assert "delete the file to make a new one" in capsys.readouterr().err
