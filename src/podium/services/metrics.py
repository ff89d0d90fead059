"""What an operator monitors, in Prometheus' text exposition format (version 0.0.4).

Written by hand: a few counters, gauges and histograms need no client library.
Everything is read from objects the process keeps anyway (the writer's counters,
the fan-out's subscribers, the live cache), so a scrape costs no database query.
The figures hold no personal data: counts, durations and process figures only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Protocol

from podium import __version__

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PROCESS_STARTED = time.time()  # when podium's modules were loaded: the process's start

Labels = dict[str, str]


class HistogramLike(Protocol):
    """store.stats.Histogram, or anything with Prometheus' cumulative buckets."""

    count: int
    sum: float

    def cumulative(self) -> list[tuple[str, int]]: ...


class Exposition:
    """Collects metric families and renders them as one text document."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def family(
        self, name: str, kind: str, help_text: str, samples: Iterable[tuple[Labels, float]]
    ) -> None:
        self._header(name, kind, help_text)
        for labels, value in samples:
            self._sample(name, labels, value)

    def counter(self, name: str, help_text: str, value: float) -> None:
        self.family(name, "counter", help_text, [({}, value)])

    def gauge(self, name: str, help_text: str, value: float) -> None:
        self.family(name, "gauge", help_text, [({}, value)])

    def histogram(self, name: str, help_text: str, histogram: HistogramLike) -> None:
        self._header(name, "histogram", help_text)
        for bound, count in histogram.cumulative():
            self._sample(f"{name}_bucket", {"le": _bound(bound)}, count)
        self._sample(f"{name}_sum", {}, histogram.sum)
        self._sample(f"{name}_count", {}, histogram.count)

    def render(self) -> str:
        return "\n".join(self._lines) + "\n"

    def _header(self, name: str, kind: str, help_text: str) -> None:
        self._lines.append(f"# HELP {name} {_escape_help(help_text)}")
        self._lines.append(f"# TYPE {name} {kind}")

    def _sample(self, name: str, labels: Labels, value: float) -> None:
        if labels:
            inner = ",".join(f'{k}="{_escape_label(v)}"' for k, v in labels.items())
            name = f"{name}{{{inner}}}"
        self._lines.append(f"{name} {_number(value)}")


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value:  # NaN
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


def _bound(bound: str) -> str:
    return bound if bound == "+Inf" else _number(float(bound))


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# --- the process (Linux /proc; elsewhere the figures are left out) --------------------


def resident_memory_bytes() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None


def max_fds() -> int | None:
    try:
        import resource
    except ImportError:  # not a Unix
        return None
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- podium ---------------------------------------------------------------------------


class Subscriptions(Protocol):
    """The fan-out of live.fanout: frames written, and its open streams."""

    frames_written: int

    def connections(self) -> dict[str, int]: ...


def connections(fanout: Subscriptions) -> dict[str, int]:
    """Open SSE streams of this process per audience, summed over events."""
    return fanout.connections()


def events_loaded(live: object) -> int:
    """Events held in the live cache (loaded by a visit, a stream or an answer)."""
    count = getattr(live, "loaded_count", None)
    if callable(count):
        return int(count())
    return len(getattr(live, "_events", {}))


class RuntimeLike(Protocol):
    # Read-only members: a settable `object` attribute would reject Runtime's
    # narrower types (protocol attributes are invariant).
    @property
    def writer(self) -> object: ...
    @property
    def hub(self) -> object: ...
    @property
    def live(self) -> object: ...


def render(rt: RuntimeLike, fanout: Subscriptions, started: float = PROCESS_STARTED) -> str:
    """The whole exposition of this process."""
    out = Exposition()
    out.family("podium_info", "gauge", "podium's version", [({"version": __version__}, 1)])
    out.family(
        "podium_sse_connections",
        "gauge",
        "Open live (SSE) streams of this process, by audience",
        [({"audience": a}, n) for a, n in connections(fanout).items()],
    )
    out.gauge("podium_events_live", "Events loaded in the live cache", events_loaded(rt.live))
    writer = rt.writer
    out.counter(
        "podium_answers_committed_total",
        "Answers durably committed by this process (new or changed; retries not counted)",
        int(getattr(writer, "rows", 0)),
    )
    out.counter(
        "podium_answer_batches_total",
        "Group-commit transactions of the answer writer",
        int(getattr(writer, "batches", 0)),
    )
    _writer_queue(out, writer)
    latency = getattr(writer, "commit_latency", None)
    if latency is not None:
        out.histogram(
            "podium_commit_seconds", "Seconds from a batch's start to its durable commit", latency
        )
    out.counter(
        "podium_frames_written_total",
        "Live frames handed to SSE connections (one per frame and connection)",
        fanout.frames_written,
    )
    _hub(out, rt.hub)
    _process(out, started)
    return out.render()


WRITER_COUNTERS = (
    (
        "refused",
        "podium_answers_refused_total",
        "Answers refused at once (503 with Retry-After) because the writer's queue was full",
    ),
    (
        "publish_retries",
        "podium_answer_publish_retries_total",
        "Failed publishes of committed answers to the hub that were tried again",
    ),
    (
        "publish_failures",
        "podium_answer_publish_failures_total",
        "Publishes of committed answers given up after retrying (left to the reconciler)",
    ),
)
WRITER_GAUGES = (
    ("waiting", "podium_answer_queue_depth", "Answers waiting for the writer's next transaction"),
    (
        "capacity",
        "podium_answer_queue_capacity",
        "Answers that may wait for the writer at once; beyond it they are refused",
    ),
    (
        "unpublished",
        "podium_answer_publish_backlog",
        "Committed answer batches waiting to be published to the hub",
    ),
)


def _writer_queue(out: Exposition, writer: object) -> None:
    """Overload and a slow hub, as the writer sees them (figures it lacks are left out)."""
    for attribute, name, help_text in WRITER_COUNTERS:
        count = getattr(writer, attribute, None)
        if isinstance(count, int):
            out.counter(name, help_text, count)
    for attribute, name, help_text in WRITER_GAUGES:
        level = getattr(writer, attribute, None)
        if isinstance(level, int):
            out.gauge(name, help_text, level)


HUB_COUNTERS = (
    ("published", "podium_hub_published_total", "Messages this process published on the hub"),
    (
        "publish_failures",
        "podium_hub_publish_failures_total",
        "Hub messages dropped because the hub did not take them (a resync follows)",
    ),
    ("received", "podium_hub_received_total", "Hub messages this process received"),
    ("reconnects", "podium_hub_reconnects_total", "Times the hub connection was re-established"),
)


def _hub(out: Exposition, hub: object) -> None:
    """What the hub measures (the Redis hub: all of it; figures it lacks are left out)."""
    lag = getattr(hub, "lag", None)
    if lag is not None:
        out.histogram(
            "podium_hub_lag_seconds", "Seconds from publishing a hub message to its delivery", lag
        )
    for attribute, name, help_text in HUB_COUNTERS:
        count = getattr(hub, attribute, None)
        if isinstance(count, int):
            out.counter(name, help_text, count)


def _process(out: Exposition, started: float) -> None:
    rss = resident_memory_bytes()
    if rss is not None:
        out.gauge("process_resident_memory_bytes", "Resident memory size in bytes", rss)
    fds = open_fds()
    if fds is not None:
        out.gauge("process_open_fds", "Number of open file descriptors", fds)
    limit = max_fds()
    if limit is not None:
        out.gauge("process_max_fds", "Maximum number of open file descriptors", limit)
    times = os.times()
    out.counter(
        "process_cpu_seconds_total",
        "Total user and system CPU time spent in seconds",
        round(times.user + times.system, 3),
    )
    out.gauge("process_start_time_seconds", "Start time of the process (Unix time)", started)
