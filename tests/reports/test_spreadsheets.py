"""XLSX as a spreadsheet program opens it: one sheet per table, text stays text."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from podium.reports.spreadsheets import SHEET_NAME_MAX, sheet_name, write_xlsx, xlsx_bytes
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


def test_a_table_longer_than_a_sheet_goes_on_in_the_next_one() -> None:
    rows = iter([(n, f"Zeile {n}") for n in range(1, 8)])
    out = io.BytesIO()
    write_xlsx([Table("Antworten", ("Nr.", "Text"), rows), Table("Ende", ("A",), [])], "x", out, 4)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Antworten", "Antworten (2)", "Antworten (3)", "Ende"]
    assert [[c.value for c in r] for r in book["Antworten (3)"].iter_rows()] == [
        ["Nr.", "Text"],
        [7, "Zeile 7"],
    ]
    numbers = [
        r[0]
        for name in book.sheetnames[:3]
        for r in book[name].iter_rows(min_row=2, values_only=True)
    ]
    assert numbers == list(range(1, 8))
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)


def test_text_is_kept_as_typed_or_shown_where_a_sheet_cannot_hold_it() -> None:
    typed = ["#N/A", "=A1", " eingerückt ", "Zeile\r\nzwei", "a\x00b", "<b>&amp;</b>", "\u202eabc"]
    book = load_workbook(io.BytesIO(xlsx_bytes([Table("T", ("A",), [(t,) for t in typed])], "t")))
    cells = list(book["T"]["A"])[1:]
    assert [c.value for c in cells] == [*typed[:4], "a\u2400b", typed[5], "⟨U+202E⟩abc"]
    assert all(c.data_type == "s" for c in cells)


def test_stored_times_are_shown_as_german_time_naive_or_not() -> None:
    winter_utc = datetime(2021, 2, 2, 9, 0)  # as SQLite gives a stored time back
    summer = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    body = xlsx_bytes([Table("Zeiten", ("Zeit",), [(winter_utc,), (summer,)])], "Zeiten")
    sheet = load_workbook(io.BytesIO(body))["Zeiten"]
    assert sheet["A2"].value == datetime(2021, 2, 2, 10, 0)
    assert sheet["A3"].value == datetime(2026, 6, 1, 10, 30)


def test_what_excel_would_decode_or_refuse_stays_as_typed() -> None:
    body = xlsx_bytes([Table("History", ("Text",), [("_x0041_ und _x000D_",)])], "x")
    archive = zipfile.ZipFile(io.BytesIO(body))
    sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "_x005F_x0041_ und _x005F_x000D_" in sheet_xml  # Excel shows the typed text
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["History (2)"]  # Excel keeps "History" for itself
