"""Where each word of a word cloud goes, so that the cloud stays calm while it grows.

A placed word keeps its place from one update to the next. New words, and words
whose size step changed, are placed again: a word that changed size stays centred
where it was if it still fits; others go along an even spiral from the centre to
the first free spot. Sizes follow the counts in six steps (by the square root of
the share of the most frequent word, so that area grows with the count). Widths are
estimated from the letters and enforced when drawn (SVG `textLength`), so that no
font makes two words overlap.

A picture (the results page, the downloads) is laid out once instead, by
`picture_layout`: at the largest type at which every word fits.

Why not the `wordcloud` package: measured here, it takes about 22 ms to place one
word into a mask and it lays the whole cloud out anew on every call, so words jump
whenever an answer arrives; an incremental layout of 40 words with it would block
the event loop for about a second.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace

STEPS = 6
WIDTH, HEIGHT = 1000, 560
MIN_SIZE, MAX_SIZE = 16.0, 64.0  # font sizes in the viewBox's units
PADDING = 3.0
ASCENT, DESCENT = 0.8, 0.24  # of the font size, above and below the baseline
TONES = 3  # colours cycle through three tones (each at least 3:1 on white)
RESOLUTION = 2.0  # the occupancy map's cell, in the viewBox's units
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


def font_size(step: int, max_size: float = MAX_SIZE) -> float:
    return MIN_SIZE + (max_size - MIN_SIZE) * (step - 1) / (STEPS - 1)


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


class _Occupancy:
    """The taken parts of the canvas, one bit mask per row of RESOLUTION units: a box
    is free when none of its rows shares a bit with it. Boxes are rounded outwards,
    so words may end up a unit further apart, never closer."""

    def __init__(self, height: float) -> None:
        self.rows = [0] * (math.ceil(height / RESOLUTION) + 2)

    def add(self, box: Box) -> None:
        left = int(box[0] // RESOLUTION)
        mask = ((1 << (math.ceil(box[2] / RESOLUTION) - left)) - 1) << left
        for y in range(int(box[1] // RESOLUTION), math.ceil(box[3] / RESOLUTION)):
            self.rows[y] |= mask

    def free(self, box: Box) -> bool:
        left = int(box[0] // RESOLUTION)
        mask = ((1 << (math.ceil(box[2] / RESOLUTION) - left)) - 1) << left
        top, bottom = int(box[1] // RESOLUTION), math.ceil(box[3] / RESOLUTION)
        return not any(row & mask for row in self.rows[top:bottom])


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

    def __init__(
        self, width: int = WIDTH, height: int = HEIGHT, max_size: float = MAX_SIZE
    ) -> None:
        self.width, self.height, self.max_size = width, height, max_size
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
        grid = _Occupancy(self.height)
        for kept in placed.values():
            grid.add(kept.box)
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

    def _fits(self, box: Box, grid: _Occupancy) -> bool:
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= self.width and box[3] <= self.height
        return inside and grid.free(box)

    def _keep_centre(
        self, old: Placed, word: str, count: int, wanted: int, grid: _Occupancy
    ) -> Placed | None:
        size = self.font_size(wanted)
        width = estimated_width(word, size)
        x = old.x + old.width / 2 - width / 2
        y = old.y + (size - old.size) * (ASCENT - DESCENT) / 2
        if not self._fits(_box(x, y, width, size), grid):
            return None
        return Placed(old.key, word, count, wanted, wanted, x, y, width, size, old.tone)

    def _place(
        self, key: str, word: str, count: int, wanted: int, grid: _Occupancy, shrink: int = 1
    ) -> Placed | None:
        """The first free spot along the word's spiral. The loop is written out: it
        runs for every point of the spiral when a word finds no room."""
        seed = zlib.crc32(key.encode())
        spirals = _spirals(self.width, self.height)
        spiral, tone = spirals[seed % len(spirals)], seed % TONES
        rows = grid.rows
        for step in range(wanted, max(0, wanted - 1 - shrink), -1):  # no room: smaller
            size = self.font_size(step)
            width = estimated_width(word, size)
            if width + 2 * PADDING > self.width:
                continue
            shift = (size * (ASCENT - DESCENT)) / 2
            above, below = size * ASCENT + PADDING, size * DESCENT + PADDING
            # every candidate box spans the same number of cells (one more at most)
            cells = math.ceil((width + 2 * PADDING) / RESOLUTION) + 1
            band = math.ceil((above + below) / RESOLUTION) + 1
            span = (1 << cells) - 1
            low_x, high_x = width / 2 + PADDING, self.width - width / 2 - PADDING
            low_y, high_y = above - shift, self.height - below - shift
            for cx, cy in spiral:
                if not (low_x <= cx <= high_x and low_y <= cy <= high_y):
                    continue
                x, y = cx - width / 2, cy + shift
                mask = span << int((x - PADDING) // RESOLUTION)
                top = int((y - above) // RESOLUTION)
                if not any(row & mask for row in rows[top : top + band]):
                    return Placed(key, word, count, step, wanted, x, y, width, size, tone)
        return None

    def font_size(self, step: int) -> float:
        return font_size(step, self.max_size)


PICTURE_SIZES = (64.0, 54.0, 46.0, 40.0, 34.0, 28.0, 22.0)  # the largest type a picture tries
PICTURE_FILL = 0.55  # of the canvas that words' boxes may cover and still fit, usually


def picture_layout(
    words: Iterable[tuple[str, str, int]], width: int = WIDTH, height: int = HEIGHT
) -> list[Placed]:
    """A cloud laid out once, for a picture rather than a live screen: at the largest
    type at which every word fits at the size its count asks for (sizes keep their
    order; only the largest shrinks), most frequent first from the centre. Starts at
    the size the words' total area allows, and gives a size up at its first word
    that finds no room."""
    items = list(words)[:MAX_WORDS]
    top = max((count for _key, _word, count in items), default=0)

    def area(max_size: float) -> float:
        total = 0.0
        for _key, word, count in items:
            size = font_size(size_step(count, top), max_size)
            total += (estimated_width(word, size) + 2 * PADDING) * (
                size * (ASCENT + DESCENT) + 2 * PADDING
            )
        return total

    room = PICTURE_FILL * width * height
    first = next((m for m in PICTURE_SIZES if area(m) <= room), PICTURE_SIZES[-1])
    for max_size in PICTURE_SIZES[PICTURE_SIZES.index(first) :]:
        layout = CloudLayout(width, height, max_size)
        grid = _Occupancy(height)
        placed: list[Placed] = []
        for key, word, count in items:
            spot = layout._place(key, word, count, size_step(count, top), grid, shrink=0)
            if spot is None:
                break
            placed.append(spot)
            grid.add(spot.box)
        else:
            return placed
    # not every word fits even in the smallest type: as many as fit, a step smaller if need be
    return CloudLayout(width, height, PICTURE_SIZES[-1]).update(items)
