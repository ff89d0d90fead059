"""`podium serve` in a process of its own, for benches and tests that need a whole
server beside them (its report worker and mail sender included) rather than an app
in their own loop, and that may kill it as a crash would."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_environment(database_url: str, secret_key: str, **settings: str) -> dict[str, str]:
    """This process's environment without its PODIUM_* settings, then the server's:
    one server with the in-process hub unless `redis_url` is given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        PODIUM_DATABASE_URL=database_url,
        PODIUM_SECRET_KEY=secret_key,
        PODIUM_REDIS_URL="",
        PYTHONUNBUFFERED="1",
    )
    env.update({f"PODIUM_{name.upper()}": value for name, value in settings.items()})
    return env


class ServerProcess:
    """One server on a port fixed at creation, so that a restart after `kill` comes
    back at the same address. `env` as made by `server_environment`; PODIUM_BASE_URL
    is set to the server's own address unless `env` names one."""

    def __init__(self, env: Mapping[str, str], log: Path, name: str = "podium") -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.env = dict(env)
        self.env.setdefault("PODIUM_BASE_URL", self.url)
        self.starts = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        """Starts it without waiting: see wait_ready / wait_healthy."""
        assert self._process is None or self._process.poll() is not None
        command = [sys.executable, "-m", "podium.cli", "serve", "--host", "127.0.0.1"]
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts + 1}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1

    def _check_running(self) -> None:
        if self._process is None or self._process.poll() is not None:
            code = None if self._process is None else self._process.returncode
            raise RuntimeError(f"server {self.name} exited ({code}):\n{self.log_tail()}")

    def wait_ready(self, timeout: float = START_TIMEOUT) -> float:
        """Until /healthz answers 200 (fails at once if the process died); the seconds
        it took."""
        started = time.monotonic()
        with httpx.Client(timeout=2.0) as client:
            while True:
                self._check_running()
                try:
                    if client.get(f"{self.url}/healthz").status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"server {self.name} did not start:\n{self.log_tail()}")
                time.sleep(0.05)

    async def wait_healthy(self, timeout: float = START_TIMEOUT) -> float:
        """wait_ready for callers inside an event loop."""
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=1.0) as client:
            while True:
                self._check_running()
                try:
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > timeout:
                    raise RuntimeError(f"no /healthz after {timeout} s:\n{self.log_tail()}")
                await asyncio.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(10)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
