"""Tables as an XLSX workbook (openpyxl), one worksheet per table, written row by row
(write-only mode) so that a large export is never held as cells in memory.

Every text is stored as text: openpyxl would otherwise turn a value that starts with
"=" into a formula (and "#N/A" into an error), and a spreadsheet would run it. Only
such texts, the header and formatted numbers are wrapped in a cell object of their own;
every other value goes in plain, which is what keeps 100,000 rows to a second or two.

Times are real Excel datetimes in Europe/Berlin local time, so that they sort, filter
and calculate as times; Excel has no time zones, so the column's header says which
time it is (the CSV gives the offset too)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from podium.reports.tables import Cell, Table, local_time, visible_controls

SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique."""
    base = _NOT_IN_SHEET_NAMES.sub(" ", title).strip(" '") or "Sheet"
    name = base[:SHEET_NAME_MAX]
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _cell(sheet: WriteOnlyWorksheet, value: Cell, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = visible_controls(value)
    elif isinstance(value, datetime):
        value = _excel_time(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "="
    if bold:
        cell.font = Font(bold=True)
    return cell


def _excel_time(moment: datetime) -> datetime:
    return local_time(moment).replace(tzinfo=None)


def _value(sheet: WriteOnlyWorksheet, value: Cell, number_format: str) -> object:
    """What to append for a value: plain where openpyxl keeps it as it is."""
    if isinstance(value, str):
        value = visible_controls(value)
        if value.startswith("=") or value in ERROR_CODES:
            return _cell(sheet, value)
        return value
    if isinstance(value, datetime):
        value = _excel_time(value)
    if number_format and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value


def xlsx_bytes(tables: Iterable[Table], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(tables, title, buffer)
    return buffer.getvalue()


def write_xlsx(tables: Iterable[Table], title: str, out: BinaryIO) -> None:
    """The tables as a workbook into `out`. Rows are written to the worksheets'
    temporary files as they come (write-only mode), so only the file is ever whole."""
    book = Workbook(write_only=True)
    book.properties.title = title
    book.properties.creator = "podium"
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        for index, width in enumerate(table.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, h, bold=True) for h in table.header])
        formats = table.formats
        if any(formats):
            for row in table.rows:
                sheet.append(
                    [
                        _value(sheet, value, formats[i] if i < len(formats) else "")
                        for i, value in enumerate(row)
                    ]
                )
        else:
            for row in table.rows:
                sheet.append([_value(sheet, value, "") for value in row])
    if not taken:
        book.create_sheet("Sheet")  # a workbook needs one sheet
    book.save(out)
