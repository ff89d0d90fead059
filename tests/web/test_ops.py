"""Operators' endpoints: the health check, the no-op yardstick, and /metrics in
Prometheus' text format (who may read it, that it parses, that its figures move)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from podium.app import create_app
from podium.services import live_control
from podium.settings import Settings
from podium.store import writer as writer_module
from podium.store.stats import Histogram
from podium.store.writer import Committed
from tests.server import LiveServer, live_server
from tests.web.conftest import Demo, Harness, make_event
from tests.web.test_overload import fill_writer_queue

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
SAMPLE = re.compile(
    rf"^(?P<name>{_NAME})(?:\{{(?P<labels>{_LABEL}(?:,{_LABEL})*)?\}})?"
    r" (?P<value>[-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf)|NaN)$"
)
COMMENT = re.compile(
    rf"^# (?:HELP {_NAME} .*|TYPE {_NAME} (?:counter|gauge|histogram|summary|untyped))$"
)
Metrics = dict[tuple[str, frozenset[tuple[str, str]]], float]
# The metrics are the same whatever the store: their tests run on SQLite only.
product = pytest.mark.sqlite_only


def parse(text: str) -> Metrics:
    """Every line a sample or a HELP/TYPE comment; every sample of a declared family."""
    assert text.endswith("\n")
    samples: Metrics = {}
    types: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            assert COMMENT.match(line), f"bad comment line: {line!r}"
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ")
                assert name not in types, f"{name} declared twice"
                types[name] = kind
            continue
        found = SAMPLE.match(line)
        assert found, f"bad sample line: {line!r}"
        name = found["name"]
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or types.get(family) == "histogram", f"{name} has no TYPE"
        labels = frozenset(
            re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', found["labels"] or "")
        )
        key = (name, labels)
        assert key not in samples, f"{line!r} repeated"
        samples[key] = float(found["value"])
    for name, kind in types.items():
        if kind == "histogram":
            check_histogram(samples, name)
    return samples


def check_histogram(samples: Metrics, name: str) -> None:
    buckets = sorted(
        (float(dict(labels)["le"]), value)
        for (n, labels), value in samples.items()
        if n == f"{name}_bucket"
    )
    assert buckets and buckets[-1][0] == float("inf")
    counts = [count for _, count in buckets]
    assert counts == sorted(counts), f"{name}: buckets are not cumulative"
    assert buckets[-1][1] == samples[(f"{name}_count", frozenset())]
    assert (f"{name}_sum", frozenset()) in samples


def value(samples: Metrics, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


# --- in a TestClient --------------------------------------------------------------------


@pytest.fixture
def local(settings: Settings) -> Iterator[Harness]:
    """The app as seen from this host (the loopback address, no proxy)."""
    app = create_app(settings)
    client = TestClient(app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000))
    with client:
        yield Harness(client, app.state.runtime)


def scrape(h: Harness, **headers: str) -> Metrics:
    response = h.client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(response.text)


def test_health_check_and_noop(harness: Harness) -> None:
    assert harness.client.get("/healthz").json() == {"status": "ok"}
    assert harness.client.post("/healthz/noop").status_code == 204


@product
def test_metrics_parse_and_name_every_figure(local: Harness) -> None:
    samples = scrape(local)
    names = {name for name, _ in samples}
    for audience in ("screen", "device", "moderator"):
        assert value(samples, "podium_sse_connections", audience=audience) == 0
    for name in (
        "podium_answers_committed_total",
        "podium_answer_batches_total",
        "podium_frames_written_total",
        "podium_events_live",
        "podium_commit_seconds_count",
        "process_resident_memory_bytes",
        "process_open_fds",
        "process_cpu_seconds_total",
    ):
        assert name in names, name
    assert value(samples, "process_resident_memory_bytes") > 10_000_000
    assert value(samples, "process_open_fds") >= 3
    if hasattr(local.rt.hub, "lag"):
        assert "podium_hub_lag_seconds_count" in names


@product
def test_hub_figures_are_exposed_when_the_hub_measures_them(
    local: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    lag = Histogram()
    lag.observe(0.002)
    lag.observe(0.3)
    monkeypatch.setattr(local.rt.hub, "lag", lag, raising=False)
    monkeypatch.setattr(local.rt.hub, "reconnects", 2, raising=False)
    monkeypatch.setattr(local.rt.hub, "publish_failures", 3, raising=False)
    samples = scrape(local)
    assert value(samples, "podium_hub_reconnects_total") == 2
    assert value(samples, "podium_hub_publish_failures_total") == 3
    assert value(samples, "podium_hub_lag_seconds_count") == 2
    assert value(samples, "podium_hub_lag_seconds_bucket", le="0.0025") == 1
    assert value(samples, "podium_hub_lag_seconds_bucket", le="+Inf") == 2


def answer(h: Harness, code: str, question_id: int, choice: list[int], answer_id: str) -> str:
    response = h.client.post(
        f"/p/{code}/answer",
        json={"question_id": question_id, "answer_id": answer_id, "value": choice},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["outcome"])


@product
def test_counters_move_after_answers(local: Harness) -> None:
    demo: Demo = local.run(make_event, local.rt)
    local.run(live_control.go_live, local.rt, demo.event.id, demo.top3)
    before = scrape(local)
    code, options = demo.event.join_code, demo.option_ids[demo.top3]
    for n in range(3):  # three participants
        local.client.cookies.clear()
        assert answer(local, code, demo.top3, [options[n]], str(uuid.uuid4())) == "created"
    retried = str(uuid.uuid4())
    assert answer(local, code, demo.top3, [options[0]], retried) == "changed"
    assert answer(local, code, demo.top3, [options[0]], retried) == "repeated"
    after = scrape(local)
    moved = {
        name: value(after, name) - value(before, name)
        for name in (
            "podium_answers_committed_total",
            "podium_answer_batches_total",
            "podium_commit_seconds_count",
        )
    }
    assert moved["podium_answers_committed_total"] == 4  # the retry is not counted
    assert 1 <= moved["podium_answer_batches_total"] <= 5
    assert moved["podium_commit_seconds_count"] == moved["podium_answer_batches_total"]
    assert value(after, "podium_commit_seconds_sum") > value(before, "podium_commit_seconds_sum")
    assert value(after, "podium_events_live") == 1


@product
def test_a_full_queue_shows_its_depth_and_counts_the_refused(local: Harness) -> None:
    demo: Demo = local.run(make_event, local.rt)
    local.run(live_control.go_live, local.rt, demo.event.id, demo.single)
    code, yes = demo.event.join_code, demo.option_ids[demo.single][0]
    idle = scrape(local)
    assert value(idle, "podium_answer_queue_depth") == 0
    assert value(idle, "podium_answer_queue_capacity") == local.rt.settings.writer_queue
    assert value(idle, "podium_answers_refused_total") == 0
    local.client.get(f"/p/{code}")  # the participant cookie: the hot path
    fill_writer_queue(local)
    for _ in range(2):
        busy = local.client.post(
            f"/p/{code}/answer",
            json={"question_id": demo.single, "answer_id": str(uuid.uuid4()), "value": [yes]},
            headers={"Accept": "application/json"},
        )
        assert busy.status_code == 503
    full = scrape(local)
    assert value(full, "podium_answer_queue_depth") == 1
    assert value(full, "podium_answers_refused_total") == 2


@product
def test_publish_retries_and_failures_are_counted(
    local: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hub that fails: the committed answers are still acknowledged, their publish
    is tried again, and given up after the last try."""
    demo: Demo = local.run(make_event, local.rt)
    local.run(live_control.go_live, local.rt, demo.event.id, demo.top3)
    monkeypatch.setattr(writer_module, "PUBLISH_BACKOFF", 0.0)
    writer = local.rt.writer
    real = writer._on_commit
    # the 1st answer's publish fails all three tries; the 2nd's fails once, then goes out
    failures = [RuntimeError("hub down")] * 4

    async def flaky(changes: list[Committed]) -> None:
        if failures:
            raise failures.pop()
        await real(changes)

    monkeypatch.setattr(writer, "_on_commit", flaky)
    code, options = demo.event.join_code, demo.option_ids[demo.top3]
    for n in range(2):  # acknowledged whatever the hub does
        local.client.cookies.clear()
        assert answer(local, code, demo.top3, [options[n]], str(uuid.uuid4())) == "created"
    deadline = time.monotonic() + 10
    while (failures or writer.unpublished) and time.monotonic() < deadline:
        time.sleep(0.01)
    live = local.rt.live.loaded(demo.event.id)
    assert live is not None
    while live.tallies[demo.top3].result().respondents < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    samples = scrape(local)
    assert value(samples, "podium_answer_publish_backlog") == 0
    assert value(samples, "podium_answer_publish_retries_total") == 3
    assert value(samples, "podium_answer_publish_failures_total") == 1
    # only the 2nd answer reached the live tallies (without Redis no reconciler looks)
    assert [o.count for o in live.tallies[demo.top3].result().options][:2] == [0, 1]


# --- who may read the metrics -------------------------------------------------------------


def client_from(settings: Settings, host: str) -> TestClient:
    return TestClient(create_app(settings), base_url="http://podium.example", client=(host, 4711))


@product
@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_metrics_from_this_host(settings: Settings, host: str) -> None:
    with client_from(settings, host) as client:
        assert client.get("/metrics").status_code == 200
        # through a reverse proxy on this host: not local
        assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
        assert client.get("/metrics", headers={"Forwarded": "for=203.0.113.9"}).status_code == 404


@product
def test_metrics_from_elsewhere_are_hidden_without_a_token(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PODIUM_METRICS_TOKEN", raising=False)
    with client_from(settings, "203.0.113.9") as client:
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 404
        assert client.get("/healthz").status_code == 200  # stays public


@product
def test_metrics_from_elsewhere_need_the_bearer_token(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_METRICS_TOKEN", "s3cret-scrape-token")
    with client_from(settings, "203.0.113.9") as client:
        missing = client.get("/metrics")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
        assert wrong.status_code == 401
        basic = client.get("/metrics", headers={"Authorization": "Basic s3cret-scrape-token"})
        assert basic.status_code == 401
        right = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
        assert right.status_code == 200
        parse(right.text)


# --- over a real server: open streams -----------------------------------------------------


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    with live_server(settings) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(live_control.go_live, srv.rt, demo.event.id, demo.top3)
        srv.run(live_control.set_flags, srv.rt, demo.event.id, demo.top3, results_on_screen=True)
        yield srv, demo


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.02)


@product
def test_connections_gauge_counts_open_streams(server: tuple[LiveServer, Demo]) -> None:
    srv, demo = server
    with httpx.Client(base_url=srv.url, timeout=5) as client:

        def get() -> Metrics:
            response = client.get("/metrics")
            assert response.status_code == 200
            return parse(response.text)

        def screens() -> float:
            return value(get(), "podium_sse_connections", audience="screen")

        assert screens() == 0
        token = demo.event.presenter_token
        with (
            httpx.Client(base_url=srv.url, timeout=5) as viewer,
            viewer.stream("GET", f"/present/{token}/stream") as first,
            viewer.stream("GET", f"/p/{demo.event.join_code}/stream") as device,
        ):
            assert first.status_code == device.status_code == 200
            lines = first.iter_lines()  # kept: a dropped iterator closes the connection
            assert next(lines).startswith("retry:")
            samples = get()
            assert value(samples, "podium_sse_connections", audience="screen") == 1
            assert value(samples, "podium_sse_connections", audience="device") == 1
            assert value(samples, "podium_sse_connections", audience="moderator") == 0
            frames = value(samples, "podium_frames_written_total")
            participant = httpx.Client(base_url=srv.url, timeout=5)
            with participant:
                ack = participant.post(
                    f"/p/{demo.event.join_code}/answer",
                    json={
                        "question_id": demo.top3,
                        "answer_id": str(uuid.uuid4()),
                        "value": [demo.option_ids[demo.top3][0]],
                    },
                    headers={"Accept": "application/json"},
                )
                assert ack.status_code == 200
            wait_until(lambda: value(get(), "podium_frames_written_total") > frames)
        wait_until(lambda: screens() == 0)
