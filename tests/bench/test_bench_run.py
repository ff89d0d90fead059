"""`podium bench` against a real server: setup over HTTP, streams, answers, figures."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from podium.cli import main
from podium.demo.seed import ensure_demo
from podium.settings import Settings
from tests.server import LiveServer, live_server


@pytest.fixture
def demo_server(settings: Settings) -> Iterator[LiveServer]:
    with live_server(settings) as srv:
        srv.run(ensure_demo, srv.rt)
        yield srv


def test_bench_run_measures_everything(demo_server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    # A process of its own, as in real use: in this one it would share the GIL with the server.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "podium.cli",
            "bench",
            "--url", demo_server.url,
            "--participants", "100",
            "--rate", "50",
            "--duration", "3",
            "--presenters", "2",
            "--concurrency", "8",
            "--throughput-seconds", "1",
            "--max-inflight", "64",
            "--server-pid", str(os.getpid()),  # the server runs in this process
            "--json", str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    assert "answer->presenter" in printed and "targets (issue 3)" in printed

    figures = json.loads(out.read_text())
    for key in (
        "command", "date", "podium_version", "machine", "config", "setup", "connections",
        "answers", "presenter", "throughput", "server", "errors", "targets",
    ):  # fmt: skip
        assert key in figures, key
    assert figures["command"][:2] == ["podium", "bench"]
    assert {"cores", "memory_mib", "cpu_model"} <= set(figures["machine"])
    assert figures["errors"] == {}
    assert figures["setup"]["presenter_token_from"] == "event page"
    assert figures["connections"]["participants_connected"] == 100
    assert figures["connections"]["presenters_connected"] == 2
    assert figures["connections"]["streams_open_at_end"] == 100

    answers = figures["answers"]
    assert answers["scheduled"] == 150
    # On a busy machine a few may find every participant waiting for its last answer.
    assert answers["sent"] + answers["skipped"] == 150
    assert answers["sent"] >= 100
    assert answers["acknowledged"] == answers["sent"]
    assert answers["ack_latency_ms"]["count"] == answers["sent"]
    assert answers["ack_latency_ms"]["p99"] >= answers["ack_latency_ms"]["p50"] > 0

    presenter = figures["presenter"]
    assert presenter["unseen"] == 0
    assert presenter["latency_ms"]["count"] == 2 * answers["sent"]  # every answer, both screens
    assert presenter["latency_ms"]["p99"] < 5000

    throughput = figures["throughput"]
    assert throughput["noop"]["ok"] > 0 and throughput["answer"]["ok"] > 0
    assert throughput["ratio"] == pytest.approx(
        throughput["answer"]["per_second"] / throughput["noop"]["per_second"], abs=0.01
    )
    assert figures["server"]["rss_kib"]["connected"] > 0
    assert set(figures["targets"]) == {
        "participants_connected", "answer_rate", "ack_p99_ms", "presenter_p99_ms",
        "kib_per_connection", "answer_vs_noop",
    }  # fmt: skip


def test_bench_fails_loudly_when_login_fails(
    demo_server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["bench", "--url", demo_server.url, "--participants", "1", "--password", "wrong"])
    assert status == 2
    assert "login as organiser@podium.example failed" in capsys.readouterr().err


def test_bench_says_when_the_file_limit_is_too_low(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1024, 1024))
    status = main(
        ["bench", "--url", "http://127.0.0.1:9", "--participants", "10000", "--server-pid", "1"]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "ulimit -n" in err and "at most 1024" in err
