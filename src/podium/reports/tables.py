"""Tables for export: a header and rows, produced once, written as CSV here or as a
worksheet by spreadsheets.py.

CSV is for spreadsheet programs first: UTF-8 with a byte order mark (or Excel reads
umlauts wrongly), the list separator the language's Excel expects (German Excel splits
at semicolons, English at commas), and text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) written with a leading apostrophe.

Times are kept as aware datetimes in a table and written in Europe/Berlin, the time
of the events and of their readers: in a CSV as ISO 8601 text with the offset
(2026-03-05T10:15:00+01:00), so that nothing is lost; a worksheet has no time zones
(spreadsheets.py). Fractions are written with the language's decimal sign, or German
Excel reads 24.5 as a date or as text. Control characters other than tab and line
breaks become their visible symbols (U+2400...): XLSX cannot hold them at all, and a
CSV reader may stop at them. Bidi overrides and zero-width characters become markers
(⟨U+202E⟩), as on the pages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from podium import i18n
from podium.domain.display_text import neutralised
from podium.domain.tally import WordsResult

Cell = str | int | float | datetime | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FAST_DEFLATE = 1  # zlib level of the ZIP archives (XLSX and CSV): speed over a few per cent
SEPARATORS = {"de": ";", "en": ","}
DECIMAL_SIGNS = {"de": ",", "en": "."}
ZONE = ZoneInfo("Europe/Berlin")
FRACTION_DIGITS = 6  # of a fraction in a CSV: a percentage to a millionth of a point
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Table:
    title: str  # the worksheet's name; a CSV file has none
    header: tuple[str, ...]
    rows: Iterable[Sequence[Cell]]  # may be a generator: read once
    widths: tuple[int, ...] = ()  # column widths in characters, for worksheets
    formats: tuple[str, ...] = ()  # number formats of the columns in a worksheet ("": none)


class TextSink(Protocol):
    def write(self, text: str, /) -> int: ...


def local_time(moment: datetime) -> datetime:
    """A stored (UTC) moment as the time in Germany, to the second (Excel keeps
    milliseconds only, and both formats should show the same); naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZONE).replace(microsecond=0)


def visible_controls(text: str) -> str:
    """Text with its control characters (but tab and line breaks) shown as symbols,
    and its bidi overrides and zero-width characters as markers (domain/display_text):
    every text cell of a CSV and of a worksheet passes here."""
    text = neutralised(text)
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def safe_text(value: Cell) -> Cell:
    """A cell as a spreadsheet will take it as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Cell, decimal_sign: str = ".") -> str | int | None:
    """A cell as a CSV holds it: text neutralised, times and fractions written out."""
    if isinstance(value, str):
        text = visible_controls(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    if isinstance(value, datetime):
        return local_time(value).isoformat()
    if isinstance(value, float):
        text = f"{value:.{FRACTION_DIGITS}f}".rstrip("0").rstrip(".")
        return text.replace(".", decimal_sign) if decimal_sign != "." else text
    return value


def _writer(sink: TextSink, lang: str | None) -> tuple[Any, str]:
    lang = lang or i18n.current_lang.get()
    separator = SEPARATORS.get(lang, ",")
    writer = csv.writer(sink, delimiter=separator, lineterminator="\r\n")
    return writer, DECIMAL_SIGNS.get(lang, ".")


def write_csv(table: Table, sink: TextSink, lang: str | None = None) -> None:
    """The table as CSV text into `sink` (a file), a row at a time, the BOM first."""
    writer, sign = _writer(sink, lang)
    sink.write(BOM)
    writer.writerow([csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([csv_cell(cell, sign) for cell in row])


def csv_chunks(table: Table, lang: str | None = None) -> Iterator[str]:
    """The table as CSV text, a row at a time (for a streamed download)."""
    buffer = io.StringIO()
    writer, sign = _writer(buffer, lang)
    writer.writerow([csv_cell(h) for h in table.header])
    yield BOM + buffer.getvalue()
    for row in table.rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(cell, sign) for cell in row])
        yield buffer.getvalue()


def word_table(result: WordsResult) -> Table:
    """A word cloud's words, most frequent first, with every spelling that was counted
    as the word (after the moderators' merges; hidden words are left out)."""
    return Table(
        title=i18n.gettext("Words"),
        header=(i18n.gettext("Word"), i18n.gettext("Mentions"), i18n.gettext("Spellings")),
        rows=((w.word, w.count, ", ".join(w.spellings)) for w in result.words),
        widths=(32, 12, 60),
    )
