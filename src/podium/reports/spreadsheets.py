"""Tables as an XLSX workbook (openpyxl), one worksheet per table, written row by row
(write-only mode) so that a large export is never held as cells in memory.

Every text is stored as text: openpyxl would otherwise turn a value that starts with
"=" into a formula, and a spreadsheet would run it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from podium.reports.tables import Cell, Table

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
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "="
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(tables: Iterable[Table], title: str) -> bytes:
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
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
    if not taken:
        book.create_sheet("Sheet")  # a workbook needs one sheet
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
