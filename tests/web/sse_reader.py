"""A reader of one server-sent event stream of a real server, on a thread of its own:
each frame as (event, data), every line as it came, and whether the server ended it."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

Frame = tuple[str, dict[str, Any]]


class SseReader:
    def __init__(self, client: httpx.Client, path: str, *, own_client: bool = False) -> None:
        self.frames: queue.Queue[Frame] = queue.Queue()
        self.raw: list[str] = []  # every line read, heartbeats included
        self.opened = threading.Event()  # answered 200
        self.ended = threading.Event()  # the server closed the stream
        self._client = client
        self._own_client = own_client  # closed with the reader
        self._path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        event = None
        try:
            with self._client.stream("GET", self._path) as stream:
                if stream.status_code != 200:
                    return  # neither opened nor ended: waiting for a frame fails
                self.opened.set()
                for line in stream.iter_lines():
                    if self._stop.is_set():
                        return
                    self.raw.append(line)
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event:
                        self.frames.put((event, json.loads(line[6:])))
            self.ended.set()
        except (httpx.HTTPError, OSError, RuntimeError):
            pass  # closed by the test

    def wait_for(
        self, kind: str, predicate: Callable[[dict[str, Any]], bool], seconds: float
    ) -> dict[str, Any]:
        """The first frame of `kind` that `predicate` accepts; frames before it are used up."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                event, data = self.frames.get(timeout=left)
            except queue.Empty:
                break
            if event == kind and predicate(data):
                return data
        raise AssertionError(f"no {kind} frame as expected within {seconds} s ({self._path})")

    def drain(self) -> None:
        while not self.frames.empty():
            self.frames.get_nowait()

    def close(self) -> None:
        """Stop reading at the next line (a heartbeat at the latest) and hang up."""
        self._stop.set()
        self._thread.join(5)
        if self._own_client:
            self._client.close()
