"""A contribution with a zero-width space and an open-text answer with a right-to-left
override (contributions refuse overrides outright: domain/contributions.py) are stored
as typed and reach every output with the invisible characters as markers: the pages,
the live frames' JSON, the scripts' JSON, CSV, XLSX, the PDF; and mails, whose typed
text is the organiser's."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import uuid
import zipfile
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from podium.live.fanout import DEVICE, FULL_LIST, MODERATOR
from podium.mail.message import build_message
from podium.mail.templating import render_mail
from podium.services import contributions, live_control, moderation
from podium.services.participation import submit_answer
from podium.services.results import live_event
from podium.settings import Settings
from podium.store.tables import Answer, Contribution
from tests.mail.mail_helpers import NOW, invitation, queued
from tests.web.conftest import Demo, Harness

pytestmark = pytest.mark.sqlite_only  # the store is tested elsewhere; this is the output

CONTRIBUTION = "Wer zahlt\u200b das?"  # a zero-width space splits a word for the blocklist
CONTRIBUTION_SHOWN = "Wer zahlt⟨U+200B⟩ das?"
ANSWER = "Ich stimme \u202eNEIN\u202c zu"  # shown as "Ich stimme NIEN zu" without a marker
ANSWER_SHOWN = "Ich stimme ⟨U+202E⟩NEIN⟨U+202C⟩ zu"
HIDDEN = ("\u200b", "\u202e", "\u202c")
TOKEN = "t" * 40


def visible(text: str) -> bool:
    return not any(c in text for c in HIDDEN)


@pytest.fixture
def typed(mod: Harness, demo: Demo) -> Harness:
    async def setup() -> None:
        rt = mod.rt
        await live_control.go_live(rt, demo.event.id, demo.text)
        await moderation.configure(rt, demo.event.id, contributions_open=True, moderation="post")
        live = await live_event(rt, demo.event.id)
        await contributions.submit(rt, live, TOKEN, CONTRIBUTION)
        await submit_answer(rt, live, TOKEN, demo.text, ANSWER, str(uuid.uuid4()))

    mod.run(setup)
    return mod


def test_the_database_keeps_what_was_typed(typed: Harness) -> None:
    async def rows() -> tuple[list[str], list[object]]:
        async with typed.rt.sessions() as session:
            texts = list((await session.scalars(select(Contribution.text))).all())
            values = list((await session.scalars(select(Answer.value))).all())
        return texts, values

    texts, values = typed.run(rows)
    assert texts == [CONTRIBUTION]
    assert ANSWER in json.dumps(values, ensure_ascii=False)


def test_pages_show_markers(typed: Harness, demo: Demo) -> None:
    console = typed.client.get(f"/moderate/{demo.event.id}").text
    results = typed.client.get(f"/admin/events/{demo.event.id}/results").text
    participant = typed.client.get(f"/p/{demo.event.join_code}").text
    assert CONTRIBUTION_SHOWN in console and CONTRIBUTION_SHOWN in participant
    assert ANSWER_SHOWN in results
    assert all(visible(page) for page in (console, results, participant))


def test_live_frames_and_the_scripts_json_show_markers(typed: Harness, demo: Demo) -> None:
    frames = typed.client.app.state.frames  # type: ignore[attr-defined]

    def frame(kind: str, audience: str) -> str:
        body = typed.run(lambda: _render(frames, kind, demo.event.id, audience))
        assert body is not None
        return json.dumps(json.loads(body), ensure_ascii=False)  # \u escapes read back

    device, queue = frame(FULL_LIST, DEVICE), frame(FULL_LIST, MODERATOR)
    assert CONTRIBUTION_SHOWN in device and CONTRIBUTION_SHOWN in queue
    assert visible(device) and visible(queue)
    listed = typed.client.get(f"/api/v1/p/{demo.event.join_code}/contributions")
    texts = [item["text"] for item in listed.json()["contributions"]]
    assert texts == [CONTRIBUTION_SHOWN]


async def _render(frames: object, kind: str, event_id: int, audience: str) -> str | None:
    rt = frames._rt  # type: ignore[attr-defined]
    await live_event(rt, event_id)
    await rt.board.get(event_id)  # what the fan-out has loaded when a device subscribes
    return frames.render(kind, event_id, audience, "de")  # type: ignore[attr-defined]


def test_csv_xlsx_and_pdf_show_markers(typed: Harness, demo: Demo) -> None:
    base = f"/admin/events/{demo.event.id}"
    book = load_workbook(io.BytesIO(typed.client.get(f"{base}/report.xlsx").content))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert CONTRIBUTION_SHOWN in cells and ANSWER_SHOWN in cells
    assert all(visible(c) for c in cells)

    archive = zipfile.ZipFile(io.BytesIO(typed.client.get(f"{base}/report.zip").content))
    rows = [
        cell
        for name in archive.namelist()
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";")
        for cell in row
    ]
    assert CONTRIBUTION_SHOWN in rows and ANSWER_SHOWN in rows
    assert all(visible(c) for c in rows)

    pdf = typed.client.get(f"{base}/report.pdf").content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "⟨U+202E⟩NEIN⟨U+202C⟩" in flat and "⟨U+200B⟩" in flat
    assert visible(text.replace("\u200b", ""))  # Typst's own break hints aside: none typed


def test_mails_show_markers_in_both_parts_and_the_subject() -> None:
    event = SimpleNamespace(title="Bürgerdialog \u202eevil\u202c", format=None)
    text, html = render_mail(
        "invitation",
        "de",
        body="Hallo\u2066 zusammen",
        event=event,
        values={},
        event_url="https://podium.example.org/s/reihe",
        join_url=None,
        sender="Stadt",
        unsubscribe_url="https://podium.example.org/u/1",
    )
    draft = invitation(subject=f"Einladung: {event.title}", text=text, html=html)
    message = build_message(queued(draft), Settings(mail_from="podium@stadt.example"), now=NOW)
    subject = str(message["Subject"])
    for part in (text, html, subject):
        assert "⟨U+202E⟩evil⟨U+202C⟩" in part and visible(part)
    assert "Hallo⟨U+2066⟩ zusammen" in text and "Hallo⟨U+2066⟩ zusammen" in html
