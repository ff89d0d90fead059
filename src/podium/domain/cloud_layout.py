"""Where each word of a word cloud goes, so that the cloud stays calm while it grows.

A placed word keeps its place from one update to the next. New words, and words
whose size step changed, are placed again: a word that changed size stays centred
where it was if it still fits; others go along an even spiral from the centre to
the first free spot. Sizes follow the counts in six steps (by the square root of
the share of the most frequent word, so that area grows with the count). Widths are
estimated from the letters and enforced when drawn (SVG `textLength`), so that no
font makes two words overlap.

Why not the `wordcloud` package: measured here, it takes about 22 ms to place one
word into a mask and it lays the whole cloud out anew on every call, so words jump
whenever an answer arrives; an incremental layout of 40 words with it would block
the event loop for about a second.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

STEPS = 6
WIDTH, HEIGHT = 1000, 560
MIN_SIZE, MAX_SIZE = 16.0, 64.0  # font sizes in the viewBox's units
PADDING = 3.0
ASCENT, DESCENT = 0.8, 0.24  # of the font size, above and below the baseline
TONES = 3  # colours cycle through three tones (each at least 3:1 on white)
CELL = 32  # the occupancy grid's cell
SPIRAL_STEP = 12.0  # distance between candidate places along the spiral
MAX_WORDS = 40
RETRY_AFTER = 5  # updates before a word that found no room tries again

BOLD = 1.15  # the cloud is drawn in bold, which is wider
_NARROW = set("fijlrtI.,:;'!|()[]-")
_WIDE = set("mwMWÄÖÜ@%")

Box = tuple[float, float, float, float]  # left, top, right, bottom


def estimated_width(text: str, size: float) -> float:
    """The drawn width: a sans-serif's letter proportions, rounded up a little."""
    units = 0.0
    for char in text:
        if char in _NARROW:
            units += 0.34
        elif char in _WIDE:
            units += 0.9
        elif char.isupper() or char.isdigit():
            units += 0.68
        elif char == " ":
            units += 0.3
        else:
            units += 0.56
    return units * size * BOLD


def size_step(count: int, top: int) -> int:
    """1 (smallest) to STEPS (the most frequent word)."""
    if top <= 0 or count <= 0:
        return 1
    return max(1, min(STEPS, math.ceil(STEPS * math.sqrt(count / top))))


def font_size(step: int) -> float:
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (step - 1) / (STEPS - 1)


@dataclass(frozen=True)
class Placed:
    key: str
    word: str
    count: int
    step: int  # the size step drawn
    wanted: int  # the step its count asks for (larger than `step` when room was short)
    x: float  # left end of the baseline
    y: float  # the baseline
    width: float
    size: float
    tone: int

    @property
    def box(self) -> Box:
        return _box(self.x, self.y, self.width, self.size)


def _box(x: float, y: float, width: float, size: float) -> Box:
    return (
        x - PADDING,
        y - size * ASCENT - PADDING,
        x + width + PADDING,
        y + size * DESCENT + PADDING,
    )


class _Grid:
    """Placed boxes by the cells they touch: a candidate meets only its neighbours."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = {}

    @staticmethod
    def _cells_of(box: Box) -> Iterator[tuple[int, int]]:
        for cx in range(int(box[0] // CELL), int(box[2] // CELL) + 1):
            for cy in range(int(box[1] // CELL), int(box[3] // CELL) + 1):
                yield cx, cy

    def add(self, box: Box) -> None:
        for cell in self._cells_of(box):
            self._cells.setdefault(cell, []).append(box)

    def free(self, box: Box) -> bool:
        left, top, right, bottom = box
        for cell in self._cells_of(box):
            for other in self._cells.get(cell, ()):
                if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                    return False
        return True


def _spiral(width: float, height: float, start: float) -> list[tuple[float, float]]:
    """Points on an Archimedean spiral from the centre, evenly spaced along it and
    stretched to the canvas's proportions, until it has covered the corners too."""
    stretch = width / height
    spacing = SPIRAL_STEP / (2 * math.pi)  # the next turn lies SPIRAL_STEP further out
    limit = math.hypot(height / 2, height / 2) + SPIRAL_STEP
    points: list[tuple[float, float]] = []
    theta = 0.0
    while (radius := spacing * theta) <= limit:
        x = width / 2 + radius * math.cos(theta + start) * stretch
        y = height / 2 + radius * math.sin(theta + start)
        if 0 <= x <= width and 0 <= y <= height:
            points.append((x, y))
        theta += SPIRAL_STEP / max(radius * stretch, SPIRAL_STEP)
    return points


_SPIRALS: dict[tuple[int, int], list[list[tuple[float, float]]]] = {}


def _spirals(width: int, height: int) -> list[list[tuple[float, float]]]:
    if (width, height) not in _SPIRALS:
        _SPIRALS[(width, height)] = [_spiral(width, height, n * math.pi / 4) for n in range(8)]
    return _SPIRALS[(width, height)]


class CloudLayout:
    """The places of one cloud's words, kept between updates."""

    def __init__(self, width: int = WIDTH, height: int = HEIGHT) -> None:
        self.width, self.height = width, height
        self._placed: dict[str, Placed] = {}
        self._no_room: dict[str, tuple[int, int]] = {}  # key -> (wanted step, update)
        self._updates = 0

    def update(self, words: Iterable[tuple[str, str, int]]) -> list[Placed]:
        """Place (key, shown word, count), most frequent first; returns what is drawn,
        in that order. A word with no room left is not drawn (the list under the
        cloud has every word)."""
        self._updates += 1
        items = list(words)[:MAX_WORDS]
        top = max((count for _key, _word, count in items), default=0)
        placed: dict[str, Placed] = {}
        for key, word, count in items:
            old = self._placed.get(key)
            if old is not None and old.wanted == size_step(count, top) and old.word == word:
                placed[key] = replace(old, count=count)
        grid = _Grid()
        for spot in placed.values():
            grid.add(spot.box)
        for key, word, count in items:
            if key in placed:
                continue
            wanted = size_step(count, top)
            failed = self._no_room.get(key)
            if failed and failed[0] == wanted and self._updates - failed[1] < RETRY_AFTER:
                continue
            old = self._placed.get(key)
            spot = self._keep_centre(old, word, count, wanted, grid) if old else None
            spot = spot or self._place(key, word, count, wanted, grid)
            if spot is None:
                self._no_room[key] = (wanted, self._updates)
                continue
            self._no_room.pop(key, None)
            placed[key] = spot
            grid.add(spot.box)
        self._placed = placed
        return [placed[key] for key, _word, _count in items if key in placed]

    def _fits(self, box: Box, grid: _Grid) -> bool:
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.width and box[3] <= self.height
        return inside and grid.free(box)

    def _keep_centre(
        self, old: Placed, word: str, count: int, wanted: int, grid: _Grid
    ) -> Placed | None:
        size = font_size(wanted)
        width = estimated_width(word, size)
        x = old.x + old.width / 2 - width / 2
        y = old.y + (size - old.size) * (ASCENT - DESCENT) / 2
        if not self._fits(_box(x, y, width, size), grid):
            return None
        return Placed(old.key, word, count, wanted, wanted, x, y, width, size, old.tone)

    def _place(self, key: str, word: str, count: int, wanted: int, grid: _Grid) -> Placed | None:
        seed = zlib.crc32(key.encode())
        spirals = _spirals(self.width, self.height)
        spiral, tone = spirals[seed % len(spirals)], seed % TONES
        for step in range(wanted, max(0, wanted - 2), -1):  # no room: one step smaller
            size = font_size(step)
            width = estimated_width(word, size)
            shift = (size * (ASCENT - DESCENT)) / 2
            for cx, cy in spiral:
                x, y = cx - width / 2, cy + shift
                if self._fits(_box(x, y, width, size), grid):
                    return Placed(key, word, count, step, wanted, x, y, width, size, tone)
        return None
