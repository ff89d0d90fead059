"""`podium export`: an event's report as a file from the command line, in every
format, with the options of the results page, and one-line errors."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from podium.cli import main
from podium.runtime import Runtime
from podium.settings import Settings
from tests.reports.report_event import ReportEvent, report_event


@pytest.fixture
def event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path) -> ReportEvent:
    path = tmp_path / "podium.db"
    shutil.copy(migrated_template, path)
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)

    async def make() -> ReportEvent:
        rt = Runtime(Settings())
        await rt.start()
        try:
            return await report_event(rt, participants=12)
        finally:
            await rt.stop()

    return asyncio.run(make())


def test_export_writes_the_pdf_with_its_options(event: ReportEvent, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Vielen Dank an das Panel.", encoding="utf-8")
    out = tmp_path / "bericht.pdf"
    args = ["export", str(event.event_id), "-o", str(out), "--cover-note", str(note)]
    assert main([*args, "--no-contributions"]) == 0
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Vielen Dank an das Panel." in text
    assert "Datenschutz im Homeoffice" not in text


def test_export_writes_tables_by_slug_with_a_default_name(
    event: ReportEvent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", event.slug, "--format", "xlsx", "--lang", "en"]) == 0
    written = list(tmp_path.glob("*-report.xlsx"))
    assert len(written) == 1
    assert "Wrote" in capsys.readouterr().err
    book = load_workbook(written[0], read_only=True)
    assert "Answers" in book.sheetnames
    assert main(["export", str(event.event_id), "--format", "csv", "-o", "tables.zip"]) == 0
    names = zipfile.ZipFile(io.BytesIO((tmp_path / "tables.zip").read_bytes())).namelist()
    assert names and all(n.endswith(".csv") for n in names)


def test_export_errors_are_one_line(event: ReportEvent, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "no-such-event"]) != 0
    assert "There is no event with this id or slug." in capsys.readouterr().err
    assert main(["export", str(event.event_id), "--question", "999999"]) != 0
    err = capsys.readouterr().err
    assert "999999" in err and "Traceback" not in err
