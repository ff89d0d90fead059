"""XLSX as a spreadsheet program opens it: one sheet per table, text stays text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from podium.reports.spreadsheets import SHEET_NAME_MAX, sheet_name, xlsx_bytes
from podium.reports.tables import Table


def test_tables_read_back_as_written() -> None:
    words = Table("Wörter", ("Wort", "Nennungen"), iter([("Homeoffice", 4), ("=1+1", 2)]), (30, 10))
    other = Table("Wörter", ("A",), iter([("+49 30",), ("@x",)]))
    data = xlsx_bytes([words, other], title="Drei Stichworte")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Wörter", "Wörter (2)"]
    assert book.properties.title == "Drei Stichworte"
    sheet = book["Wörter"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Wort", "Nennungen"],
        ["Homeoffice", 4],
        ["=1+1", 2],
    ]
    assert sheet["A3"].data_type == "s"  # stored as text: never run as a formula
    assert sheet["B2"].data_type == "n"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert [c.value for c in book["Wörter (2)"]["A"]] == ["A", "+49 30", "@x"]


def test_sheet_names_excel_accepts() -> None:
    taken: set[str] = set()
    assert sheet_name("Frage 1: Was? [Test]/A*B\\C", taken) == "Frage 1  Was   Test  A B C"
    long = sheet_name("x" * 40, taken)
    assert len(long) == SHEET_NAME_MAX
    again = sheet_name("x" * 40, taken)
    assert len(again) == SHEET_NAME_MAX and again.endswith(" (2)")
    assert sheet_name("", taken) == "Sheet"


def test_no_tables_still_make_a_workbook() -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes([], title="leer")))
    assert len(book.sheetnames) == 1
