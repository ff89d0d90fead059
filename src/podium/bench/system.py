"""What the bench reads from the operating system: file limits, /proc figures, the machine."""

from __future__ import annotations

import os
import platform
import resource
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROC = Path("/proc")


class LimitTooLow(Exception):
    """The file-descriptor limit does not allow the connections asked for."""


def raise_fd_limit(needed: int) -> int:
    """Raise this process's RLIMIT_NOFILE soft limit to its hard limit; the new soft limit.
    Raises LimitTooLow, with what to do, when even the hard limit is below `needed`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise LimitTooLow(
            f"{needed} file descriptors are needed (one per connection, and some more), "
            f"but this shell allows at most {hard}. Raise the limit, e.g. `ulimit -n {needed}` "
            "(as root, or after raising the hard limit in /etc/security/limits.conf or the "
            "service's LimitNOFILE=), then run the bench from that shell."
        )
    if soft == resource.RLIM_INFINITY or (hard != resource.RLIM_INFINITY and soft >= hard):
        return soft
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def process_fd_limit(pid: int) -> int | None:
    """The soft 'Max open files' of another process, from /proc/PID/limits."""
    try:
        text = (PROC / str(pid) / "limits").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Max open files"):
            value = line.split()[3]
            return None if value == "unlimited" else int(value)
    return None


def rss_kib(pid: int) -> int | None:
    """VmRSS of a process in KiB, None when it cannot be read."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used, from /proc/PID/stat."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the command name may hold spaces
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class CpuClock:
    """CPU used by this process and the server between two moments, as % of one core."""

    server_pid: int | None
    wall: float = 0.0
    own: float = 0.0
    server: float | None = None

    def start(self) -> CpuClock:
        self.wall = time.perf_counter()
        self.own = own_cpu_seconds()
        self.server = process_cpu_seconds(self.server_pid) if self.server_pid else None
        return self

    def read(self) -> dict[str, float | None]:
        wall = max(1e-9, time.perf_counter() - self.wall)
        server_now = process_cpu_seconds(self.server_pid) if self.server_pid else None
        server = (
            None
            if server_now is None or self.server is None
            else round(100 * (server_now - self.server) / wall, 1)
        )
        return {
            "bench_cpu_percent": round(100 * (own_cpu_seconds() - self.own) / wall, 1),
            "server_cpu_percent": server,
        }


def listener_pid(port: int) -> int | None:
    """The process listening on this TCP port on this machine (same user), or None."""
    inodes = set()
    for table in ("net/tcp", "net/tcp6"):
        try:
            lines = (PROC / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{inode}]")
    if not inodes:
        return None
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None


def port_range() -> int | None:
    """How many local ports the kernel hands out for outgoing connections."""
    try:
        low, high = (PROC / "sys/net/ipv4/ip_local_port_range").read_text().split()
    except (OSError, ValueError):
        return None
    return int(high) - int(low) + 1


def machine() -> dict[str, object]:
    """Cores, memory, CPU model, kernel, load: what a reader needs to compare figures."""
    model = ""
    try:
        for line in (PROC / "cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kib = None
    try:
        for line in (PROC / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cores": os.cpu_count(),
        "memory_mib": mem_kib // 1024 if mem_kib else None,
        "cpu_model": model or platform.processor() or platform.machine(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": load,
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
