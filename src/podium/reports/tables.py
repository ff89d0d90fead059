"""Tables for export: a header and rows, produced once, written as CSV here or as a
worksheet by spreadsheets.py.

CSV is for spreadsheet programs first: UTF-8 with a byte order mark (or Excel reads
umlauts wrongly), the list separator the language's Excel expects (German Excel splits
at semicolons, English at commas), and text that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from podium import i18n
from podium.domain.tally import WordsResult

Cell = str | int | float | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
SEPARATORS = {"de": ";", "en": ","}


@dataclass(frozen=True)
class Table:
    title: str  # the worksheet's name; a CSV file has none
    header: tuple[str, ...]
    rows: Iterable[Sequence[Cell]]  # may be a generator: read once
    widths: tuple[int, ...] = ()  # column widths in characters, for worksheets


def safe_text(value: Cell) -> Cell:
    """A cell as a spreadsheet will take it as text, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(table: Table, lang: str | None = None) -> Iterator[str]:
    """The table as CSV text, a row at a time (for a streamed download)."""
    separator = SEPARATORS.get(lang or i18n.current_lang.get(), ",")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in table.header])
    yield BOM + buffer.getvalue()
    for row in table.rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_text(cell) for cell in row])
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
