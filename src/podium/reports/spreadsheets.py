"""Tables as an XLSX workbook (XlsxWriter), one worksheet per table, written row by
row in its constant-memory mode: each row goes to the worksheet's temporary file as
the next one starts, so nothing is held but the row being written.

XlsxWriter rather than openpyxl, whose write-only mode spends some 12 µs on every cell
(about 7 s for an event of 100,000 answers, against the 5 s the report has).

Every text is stored as text (an inline string, written with write_string and with
the workbook's guessing of numbers, formulas and links turned off), so a value that
starts with "=" is never a formula, "#N/A" never an error and "1e5" never a number.
Numbers are numbers. Times are real Excel datetimes in Europe/Berlin local time, so
that they sort, filter and calculate as times; Excel has no time zones, so the
column's header says which time it is (the CSV gives the offset as well). Control
characters, which XML cannot hold, are shown as their symbols (tables.visible_controls).
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, BinaryIO

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from podium.reports.tables import Cell, Table, local_time, visible_controls

SHEET_NAME_MAX = 31
CELL_TEXT_MAX = 32_767  # what Excel holds in a cell
MAX_ROWS = 1_048_576  # of a worksheet in Excel, the header included
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
_NOT_IN_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_RESERVED_SHEET_NAMES = {"history"}  # Excel keeps it for its change history
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


class _TextSheet(Worksheet):
    """A worksheet whose texts are always text.

    In constant-memory mode XlsxWriter passes a string that starts with "<r>" and ends
    with "</r>" into the file unescaped, taking it for one of its own rich strings
    (which podium never writes): a participant's "<r>...</r>" would break the file."""

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        self._xml_inline_string(string, string != string.strip(), list(attributes))


def sheet_name(title: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique."""
    base = _NOT_IN_SHEET_NAMES.sub(" ", _xml_safe(title)).strip(" '") or "Sheet"
    name = base[:SHEET_NAME_MAX]
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
        n += 1
    taken.add(name.casefold())
    return name


def xlsx_bytes(tables: Iterable[Table], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(tables, title, buffer)
    return buffer.getvalue()


def write_xlsx(
    tables: Iterable[Table], title: str, out: BinaryIO, max_rows: int = MAX_ROWS
) -> None:
    """The tables as a workbook into `out`, each table's rows read once, as written.

    A table longer than a worksheet holds (Excel's 1,048,576 rows) goes on in further
    sheets, "Answers (2)" and so on, each with the header: nothing is cut off."""
    tables = list(tables) or [Table("Sheet", (), ())]  # a workbook needs one sheet
    book = Workbook(out, _OPTIONS)
    book.set_properties({"title": _xml_safe(title), "author": "podium"})
    bold = book.add_format({"bold": True})
    moment = book.add_format({"num_format": _DATETIME_FORMAT})
    formats: dict[str, Format] = {}
    taken = set(_RESERVED_SHEET_NAMES)
    for table in tables:
        column_formats = [
            formats.setdefault(f, book.add_format({"num_format": f})) if f else None
            for f in table.formats
        ]
        rows: Iterator[Sequence[Cell]] | None = iter(table.rows)
        while rows is not None:
            sheet = book.add_worksheet(sheet_name(table.title, taken), _TextSheet)
            rows = _write_sheet(sheet, table, rows, bold, moment, column_formats, max_rows)
    book.close()


def _write_sheet(
    sheet: Worksheet,
    table: Table,
    rows: Iterator[Sequence[Cell]],
    bold: Format,
    moment: Format,
    column_formats: list[Format | None],
    max_rows: int,
) -> Iterator[Sequence[Cell]] | None:
    """One worksheet of the table's rows; the rows left over when it is full."""
    for i, width in enumerate(table.widths):
        sheet.set_column(i, i, width)
    r = 0
    if table.header:
        sheet.freeze_panes(1, 0)
        for c, heading in enumerate(table.header):
            sheet.write_string(0, c, _text(heading), bold)
        r = 1
    write_string, write_number = sheet.write_string, sheet.write_number
    write_datetime, write_boolean = sheet.write_datetime, sheet.write_boolean
    n_formats = len(column_formats)
    for row in rows:
        if r == max_rows:
            return itertools.chain((row,), rows)
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c, _text(value))
            elif isinstance(value, datetime):
                write_datetime(r, c, _excel_time(value), moment)
            elif isinstance(value, bool):
                write_boolean(r, c, value)
            elif isinstance(value, float) and not math.isfinite(value):
                continue  # Excel has no infinity or NaN: an empty cell
            else:
                write_number(r, c, value, column_formats[c] if c < n_formats else None)
        r += 1
    return None


def _text(value: str) -> str:
    if value.isprintable() and len(value) <= CELL_TEXT_MAX:
        return value  # most texts: no control, surrogate or non-character to mend
    text = visible_controls(value[:CELL_TEXT_MAX])
    if _NOT_IN_XML.search(text):
        text = _NOT_IN_XML.sub("\ufffd", text)
    return text


def _excel_time(moment: datetime) -> datetime:
    """A time as Excel shows it: in Germany, without a zone (naive means UTC)."""
    return local_time(moment).replace(tzinfo=None)


def _xml_safe(text: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", visible_controls(text))
