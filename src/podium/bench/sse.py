"""Reading podium's SSE streams: frames from byte chunks, counts from results frames."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

COUNT = re.compile(r'class="count"[^>]*>\((\d+)\)<')
LABEL = re.compile(r'<text[^>]*class="label"[^>]*>([^<]*)</text>')
RESPONDENTS = re.compile(r'<p class="n">\s*(\d+)')


class FrameParser:
    """Splits a byte stream into (event, data) frames; comments and retry lines are skipped."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        self._buffer += chunk.replace(b"\r\n", b"\n") if b"\r" in chunk else chunk
        frames: list[tuple[str, str]] = []
        while True:
            end = self._buffer.find(b"\n\n")
            if end < 0:
                return frames
            block, self._buffer = self._buffer[:end], self._buffer[end + 2 :]
            event, data = "message", []
            for line in block.split(b"\n"):
                if not line or line.startswith(b":"):
                    continue
                name, _, value = line.partition(b":")
                if value.startswith(b" "):
                    value = value[1:]
                if name == b"event":
                    event = value.decode()
                elif name == b"data":
                    data.append(value.decode())
            if data:
                frames.append((event, "\n".join(data)))


@dataclass(frozen=True)
class ResultsFrame:
    question_id: int | None
    counts: tuple[int, ...]  # per option, in the poll's order
    labels: tuple[str, ...]  # as shown: long labels are cut with "…"
    respondents: int | None


def parse_results(data: str) -> ResultsFrame:
    """A `results` frame's data: JSON {"question_id", "html"} with the rendered chart."""
    payload = json.loads(data)
    markup = str(payload.get("html", ""))
    respondents = RESPONDENTS.search(markup)
    return ResultsFrame(
        question_id=payload.get("question_id"),
        counts=tuple(int(c) for c in COUNT.findall(markup)),
        labels=tuple(html.unescape(label) for label in LABEL.findall(markup)),
        respondents=int(respondents.group(1)) if respondents else None,
    )


def label_matches(shown: str, label: str) -> bool:
    """The screen cuts long labels to 60 characters ending in "…"."""
    if shown == label:
        return True
    return shown.endswith("…") and label.startswith(shown[:-1].rstrip())
