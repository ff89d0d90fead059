"""The figures of a run: the issue's targets, a readable summary, and the JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The targets of issue 3, for one podium process on SQLite on a 2-core machine.
TARGET_PARTICIPANTS = 10_000
TARGET_RATE = 2_000
TARGET_SECONDS = 60
TARGET_ACK_P99_MS = 250
TARGET_PRESENTER_P99_MS = 1_000
TARGET_KIB_PER_CONNECTION = 20
TARGET_RATIO = 0.40


def _met(value: float | None, ok: bool) -> bool | None:
    return None if value is None else ok


def targets(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target: what it asks, what this run measured, and whether it was met.
    `at_scale` says whether the run was as large as the target assumes."""
    config = figures["config"]
    conn = figures["connections"]
    answers = figures["answers"]
    at_scale = (
        config["participants"] >= TARGET_PARTICIPANTS
        and config["rate"] >= TARGET_RATE
        and config["duration"] >= TARGET_SECONDS
    )
    ack_p99 = answers["ack_latency_ms"]["p99"]
    presenter_p99 = figures["presenter"]["latency_ms"]["p99"]
    kib = figures["server"].get("kib_per_connection")
    ratio = figures["throughput"].get("ratio")
    errors = sum(figures["errors"].values())
    rate = answers["acknowledged_per_second"]
    return {
        "participants_connected": {
            "target": f">= {TARGET_PARTICIPANTS} with no errors",
            "measured": conn["participants_connected"],
            "met": conn["participants_connected"] >= TARGET_PARTICIPANTS and errors == 0,
            "at_scale": config["participants"] >= TARGET_PARTICIPANTS,
        },
        "answer_rate": {
            "target": f">= {TARGET_RATE}/s for >= {TARGET_SECONDS} s, all acknowledged",
            "measured": rate,
            "met": rate >= TARGET_RATE * 0.99
            and config["duration"] >= TARGET_SECONDS
            and answers["acknowledged"] == answers["scheduled"],
            "at_scale": at_scale,
        },
        "ack_p99_ms": {
            "target": f"<= {TARGET_ACK_P99_MS}",
            "measured": ack_p99,
            "met": _met(ack_p99, ack_p99 is not None and ack_p99 <= TARGET_ACK_P99_MS),
            "at_scale": at_scale,
        },
        "presenter_p99_ms": {
            "target": f"<= {TARGET_PRESENTER_P99_MS}",
            "measured": presenter_p99,
            "met": _met(
                presenter_p99,
                presenter_p99 is not None and presenter_p99 <= TARGET_PRESENTER_P99_MS,
            ),
            "at_scale": at_scale,
        },
        "kib_per_connection": {
            "target": f"<= {TARGET_KIB_PER_CONNECTION}",
            "measured": kib,
            "met": _met(kib, kib is not None and kib <= TARGET_KIB_PER_CONNECTION),
            "at_scale": config["participants"] >= TARGET_PARTICIPANTS,
        },
        "answer_vs_noop": {
            "target": f">= {TARGET_RATIO:.2f}",
            "measured": ratio,
            "met": _met(ratio, ratio is not None and ratio >= TARGET_RATIO),
            "at_scale": True,  # a ratio: it holds at any scale
        },
    }


def _ms(summary: dict[str, Any]) -> str:
    if not summary.get("count"):
        return "no samples"
    return (
        f"p50 {summary['p50']:.1f}  p90 {summary['p90']:.1f}  p99 {summary['p99']:.1f}  "
        f"max {summary['max']:.1f} ms  (n={summary['count']})"
    )


def _or_dash(value: Any, unit: str = "") -> str:
    return "-" if value is None else f"{value}{unit}"


def summary_text(figures: dict[str, Any]) -> str:
    config, machine = figures["config"], figures["machine"]
    conn, answers = figures["connections"], figures["answers"]
    presenter, server, tp = figures["presenter"], figures["server"], figures["throughput"]
    lines = [
        f"podium bench {figures['date']}  podium {figures['podium_version']}  "
        f"against {config['url']}",
        f"machine: {machine['cores']} cores, {machine['memory_mib']} MiB, {machine['cpu_model']}, "
        f"load {machine['load_average_at_start']} (bench and server share it)",
        "",
        f"connections: {conn['participants_connected']}/{config['participants']} participants "
        f"streaming (joined in {conn['join_seconds']:.1f} s, {conn['streams_open_at_end']} open "
        f"at the end), {conn['presenters_connected']} presenter(s)",
        *(
            [
                f"warm-up: {figures['warmup']['answers']} first answers in "
                f"{figures['warmup']['seconds']} s ({figures['warmup']['per_second']}/s)"
            ]
            if figures.get("warmup")
            else []
        ),
        f"answers: {answers['acknowledged']}/{answers['scheduled']} acknowledged at "
        f"{config['rate']}/s offered for {config['duration']} s -> "
        f"{answers['acknowledged_per_second']:.0f}/s; outcomes {answers['outcomes']}; "
        f"unknown {answers['unknown']}, skipped {answers['skipped']} (no participant free), "
        f"new identities {answers['rejoins']}",
        f"  ack latency       {_ms(answers['ack_latency_ms'])}",
        f"  server time       {_ms(answers['service_ms'])}",
        f"  bench send lag    {_ms(answers['send_lag_ms'])}",
        f"  answer->presenter {_ms(presenter['latency_ms'])}; frames {presenter['frames']}, "
        f"unseen {presenter['unseen']}",
        f"  CPU in the answer phase: server {_or_dash(answers['cpu']['server_cpu_percent'], '%')},"
        f" bench {answers['cpu']['bench_cpu_percent']}% (100% = one core)",
    ]
    if tp.get("noop"):
        lines.append(
            f"throughput ({tp['concurrency']} workers, {tp['seconds']} s each): "
            f"no-op {tp['noop']['per_second']:.0f}/s, answer {tp['answer']['per_second']:.0f}/s "
            f"-> ratio {_or_dash(tp['ratio'])}"
        )
    rss = server.get("rss_kib") or {}
    lines.append(
        f"server RSS (KiB): before joining {_or_dash(rss.get('before_join'))}, connected "
        f"{_or_dash(rss.get('connected'))}, end {_or_dash(rss.get('end'))} -> "
        f"{_or_dash(server.get('kib_per_connection'))} KiB per connection"
        + ("" if server.get("pid") else "  (pass --server-pid to measure)")
    )
    errors = figures["errors"]
    lines.append(
        "errors: " + (", ".join(f"{k} x{n}" for k, n in errors.items()) if errors else "none")
    )
    lines += ["", "targets (issue 3):"]
    for name, t in figures["targets"].items():
        verdict = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        scale = "" if t["at_scale"] else "  (run smaller than the target's scale)"
        lines.append(
            f"  {name:24} {t['target']:38} {_or_dash(t['measured']):>10}  {verdict}{scale}"
        )
    return "\n".join(lines)


def write_json(figures: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
