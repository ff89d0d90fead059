"""Every table of an event, as the organiser opens it: the XLSX in a spreadsheet
program, the ZIP's CSV files in German or English Excel. Each holds the results the
live pages show and every answer that makes them up, and text stays text."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from podium import i18n
from podium.domain.questions import Kind
from podium.domain.report import ReportOptions
from podium.domain.tally import ChoiceResult, ScaleResult, WordsResult
from podium.reports.event_tables import write_csv_zip, write_xlsx
from podium.reports.tables import BOM, local_time
from podium.runtime import Runtime
from podium.services import contributions
from podium.services.participation import submit_answer
from podium.services.report_data import (
    AnswerRow,
    Participation,
    ReportData,
    ReportEvent,
    answer_rows,
    report_data,
)
from podium.services.results import live_event
from podium.settings import Settings
from tests.reports.report_event import report_event

ARTICLE = {  # the four percentages the article names, by option
    "Organisation von Homeoffice": 24,
    "Führung und Zusammenarbeit auf Distanz": 22,
    "Änderungen bei der Beratung": 28,
    "Änderungen bei den Zugangskanälen": 26,
}
INJECTIONS = ("=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "-2", "<script>alert(1)</script>")
RTL = "\u202eabc.exe"
SHOWN_RTL = "⟨U+202E⟩abc.exe"  # domain/display_text.py: the override shown, not obeyed
CONTROLS = "a\x01b\x07c\x1bd"
SHOWN_CONTROLS = "a\u2401b\u2407c\u241bd"


@pytest.fixture
async def rt(settings: Settings) -> Runtime:
    runtime = Runtime(settings.model_copy(update={"organisation": "Bundesagentur für Arbeit"}))
    await runtime.start()
    yield runtime  # type: ignore[misc]
    await runtime.stop()


@pytest.fixture
def lang() -> Iterator[str]:
    token = i18n.current_lang.set("de")
    yield "de"
    i18n.current_lang.reset(token)


async def export(
    rt: Runtime, options: ReportOptions = ReportOptions(), participants: int = 200
) -> tuple[ReportData, list[AnswerRow], list[AnswerRow]]:
    """The report's data, the answers of its questions and the answers of all."""
    event = await report_event(rt, participants=participants)
    data = await report_data(rt, event.event_id, options)
    chosen = tuple(q.id for q in data.questions)
    everything = tuple(event.question_ids)
    ours = [r async for r in answer_rows(rt.sessions, event.event_id, chosen)]
    every = [r async for r in answer_rows(rt.sessions, event.event_id, everything)]
    return data, ours, every


def once(rows: list[AnswerRow]) -> Iterator[AnswerRow]:
    """The answers as the worker hands them over: an iterator, read once."""
    yield from rows


def sheets(data: ReportData, answers: list[AnswerRow]) -> tuple[Any, bytes]:
    out = io.BytesIO()
    write_xlsx(data, once(answers), out)
    return load_workbook(io.BytesIO(out.getvalue())), out.getvalue()


def csv_files(data: ReportData, answers: list[AnswerRow]) -> dict[str, str]:
    out = io.BytesIO()
    write_csv_zip(data, once(answers), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def assert_no_formulas(workbook: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml and b't="str"' not in xml


def read_csv(text: str, separator: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=separator))


def values(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def assert_round_trip(data: ReportData, results: list[list[Any]], answers: list[list[Any]]) -> None:
    """The results table is the live results, and the answers table adds up to it."""
    by_number = {q.number: q for q in data.questions}
    counted: dict[int, Counter[Any]] = {q.number: Counter() for q in data.questions}
    respondents: Counter[int] = Counter()
    for _pseudonym, question, _title, _time, value in answers[1:]:
        q = by_number[int(question)]
        respondents[q.number] += 1
        if q.spec.is_choice:
            counted[q.number].update(str(value).split(" | "))
        elif q.spec.kind is Kind.SCALE:
            counted[q.number][int(value)] += 1
    for q in data.questions:
        assert respondents[q.number] == q.result.respondents, q.title
        shown = {
            (int(r[2]) if q.spec.kind is Kind.SCALE else r[2]): int(r[3])
            for r in results[1:]
            if int(r[0]) == q.number
        }
        if isinstance(q.result, ChoiceResult):
            expected = {o.label: o.count for o in q.result.options}
            assert shown == expected
            assert {k: v for k, v in counted[q.number].items()} == {
                k: v for k, v in expected.items() if v
            }
        elif isinstance(q.result, ScaleResult):
            expected_steps = {s.value: s.count for s in q.result.steps}
            assert shown == expected_steps
            assert dict(counted[q.number]) == {k: v for k, v in expected_steps.items() if v}
        elif isinstance(q.result, WordsResult):
            assert shown == {w.word: w.count for w in q.result.words}
        else:
            assert shown == {}  # open texts have no tally: their answers are listed


async def test_the_workbook_holds_every_table_with_numbers_as_numbers(
    rt: Runtime, lang: str
) -> None:
    data, answers, _every = await export(rt)
    book, raw = sheets(data, answers)
    clouds = [q.number for q in data.questions if q.spec.kind is Kind.WORDS]
    assert clouds, "the demo event has a word cloud"
    assert book.sheetnames == [
        "Übersicht",
        "Ergebnisse",
        *(f"Wörter, Frage {n}" for n in clouds),
        "Antworten",
        "Beiträge",
        "Beteiligung im Verlauf",
    ]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)
    assert book.properties.title == f"Ergebnisse: {data.event.title}"

    overview = dict(values(book["Übersicht"])[1:])
    assert overview["Veranstalter"] == "Bundesagentur für Arbeit"
    assert overview["Teilnehmende"] == data.participation.joined
    assert overview["Antworten"] == data.participation.answers
    assert isinstance(overview["Erstellt am (Europe/Berlin)"], datetime)
    assert overview["Stand der Ergebnisse"].startswith("Zwischenstand")

    results = book["Ergebnisse"]
    rows = values(results)
    assert rows[0] == [
        "Frage Nr.",
        "Frage",
        "Antwortmöglichkeit, Stufe oder Wort",
        "Anzahl",
        "Prozent (gerundet)",
        "Prozent (genau)",
        "Prozent bezogen auf",
        "Antwortende",
    ]
    article = {r[2]: r[4] for r in rows[1:] if r[2] in ARTICLE}
    assert article == ARTICLE
    for cells in results.iter_rows(min_row=2):
        assert cells[0].data_type == "n" and isinstance(cells[0].value, int)
        assert cells[3].data_type == "n" and isinstance(cells[4].value, int)
        assert isinstance(cells[5].value, float | int) and cells[5].number_format == "0.00"

    answer_sheet = values(book["Antworten"])
    assert len(answer_sheet) - 1 == sum(q.result.respondents for q in data.questions)
    assert_round_trip(data, rows, answer_sheet)
    first = answer_sheet[1]
    assert isinstance(first[3], datetime)  # a real time, in German local time
    assert first[3] == local_time(answers[0].created_at).replace(tzinfo=None)
    assert all(re.fullmatch(r"P[0-9a-f]{10}", r[0]) for r in answer_sheet[1:])

    for number_ in clouds:
        words = values(book[f"Wörter, Frage {number_}"])
        assert words[0] == ["Wort", "Nennungen", "Schreibweisen"]
        cloud = next(q for q in data.questions if q.number == number_)
        assert isinstance(cloud.result, WordsResult)
        assert [(w, n) for w, n, _s in words[1:]] == [(w.word, w.count) for w in cloud.result.words]

    contributions = values(book["Beiträge"])
    assert contributions[0][:4] == [
        "Nr.",
        "Status",
        "Eingegangen (Europe/Berlin)",
        "Unterstützungen",
    ]
    by_text = {r[8]: r for r in contributions[1:]}
    asked = by_text["Wie wird der Datenschutz im Homeoffice sichergestellt?"]
    assert asked[1] == "Freigegeben" and asked[3] == 5
    assert by_text["Gibt es Schulungen für Führungskräfte?"][4] == "ja"
    assert by_text["Wann kommt die E-Akte?"][5] == "ja"
    assert by_text["Das ist doch alles Quatsch"][1] == "Abgelehnt"
    assert by_text["Noch nicht gesehen"][1] == "Wartet"

    over_time = values(book["Beteiligung im Verlauf"])
    assert sum(n for _start, n in over_time[1:]) == data.participation.answers
    assert_no_formulas(raw)


@pytest.mark.parametrize(("language", "separator"), [("de", ";"), ("en", ",")])
async def test_the_zip_holds_a_csv_per_table_in_the_languages_format(
    rt: Runtime, language: str, separator: str
) -> None:
    data, answers, _every = await export(rt)
    token = i18n.current_lang.set(language)
    try:
        files = csv_files(data, answers)
    finally:
        i18n.current_lang.reset(token)
    names = list(files)
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+\.csv", n) for n in names)
    assert names == sorted(names)
    clouds = [q.number for q in data.questions if q.spec.kind is Kind.WORDS]
    after = 3 + len(clouds)
    if language == "de":
        assert names == [
            "01-uebersicht.csv",
            "02-ergebnisse.csv",
            *(f"{3 + i:02d}-woerter-frage-{n}.csv" for i, n in enumerate(clouds)),
            f"{after:02d}-antworten.csv",
            f"{after + 1:02d}-beitraege.csv",
            f"{after + 2:02d}-beteiligung-im-verlauf.csv",
        ]
    else:
        assert names == [
            "01-overview.csv",
            "02-results.csv",
            *(f"{3 + i:02d}-words-question-{n}.csv" for i, n in enumerate(clouds)),
            f"{after:02d}-answers.csv",
            f"{after + 1:02d}-contributions.csv",
            f"{after + 2:02d}-participation-over-time.csv",
        ]
    tables = {n: read_csv(text, separator) for n, text in files.items()}
    results, answer_rows_, *_ = (tables[n] for n in (names[1], names[-3]))
    article = {r[2]: int(r[4]) for r in results[1:] if r[2] in ARTICLE}
    assert article == ARTICLE
    decimals = [r[5] for r in results[1:] if r[2] == "Organisation von Homeoffice"]
    other_sign = "." if language == "de" else ","
    assert decimals and not any(other_sign in d for d in decimals)
    assert float(decimals[0].replace(",", ".")) == pytest.approx(24, abs=0.5)
    assert_round_trip(data, results, answer_rows_)
    moment = datetime.fromisoformat(answer_rows_[1][3])
    assert moment.utcoffset() is not None and moment == answers[0].created_at.replace(microsecond=0)
    assert str(moment.tzinfo) != "UTC" and answer_rows_[1][3][-6:] in ("+01:00", "+02:00")


async def test_text_that_looks_like_a_formula_or_markup_stays_text(rt: Runtime, lang: str) -> None:
    data, answers, _every = await export(rt, participants=10)
    text_question = next(q for q in data.questions if q.spec.kind is Kind.TEXT)
    payloads = (*INJECTIONS, RTL, CONTROLS)
    first = data.contributions[0]
    contributions = tuple(
        replace(first, id=900 + n, text=p, original_text=p, name=p, panelist=p)
        for n, p in enumerate(payloads)
    )
    data = replace(data, contributions=contributions)
    moment = datetime(2026, 3, 5, 9, 15, tzinfo=UTC)
    answers = [*answers, *(AnswerRow(text_question.id, "abc", moment, p) for p in payloads)]
    shown = {p: p for p in payloads} | {CONTROLS: SHOWN_CONTROLS, RTL: SHOWN_RTL}

    book, raw = sheets(data, answers)
    assert_no_formulas(raw)
    contribution_cells = list(book["Beiträge"].iter_rows(min_row=2))
    for cells, p in zip(contribution_cells, payloads, strict=True):
        for cell in (cells[7], cells[8], cells[9], cells[10]):
            assert cell.value == shown[p] and cell.data_type == "s"
    typed = [r for r in book["Antworten"].iter_rows(min_row=2) if r[0].value == "Pabc"]
    assert [(c[4].value, c[4].data_type) for c in typed] == [(shown[p], "s") for p in payloads]

    tables = {n: read_csv(t, ";") for n, t in csv_files(data, answers).items()}
    neutral = {p: ("'" + p if p[0] in "=+-@" else shown[p]) for p in payloads}
    contribution_rows = next(t for n, t in tables.items() if n.endswith("beitraege.csv"))[1:]
    for row, p in zip(contribution_rows, payloads, strict=True):
        assert row[7:11] == [neutral[p]] * 4
    answer_table = next(t for n, t in tables.items() if n.endswith("antworten.csv"))
    assert [r[4] for r in answer_table if r[0] == "Pabc"] == [neutral[p] for p in payloads]


async def test_left_out_texts_and_contributions_are_in_no_table(rt: Runtime, lang: str) -> None:
    options = ReportOptions(include_texts=False, include_contributions=False)
    data, _ours, every = await export(rt, options, participants=20)
    texts = {
        q.title
        for q in (await report_data(rt, data.event.id, ReportOptions())).questions
        if q.spec.kind is Kind.TEXT
    }
    assert texts and not any(q.spec.kind is Kind.TEXT for q in data.questions)
    # every answer of the event handed over, the open texts' too: none may slip in
    book, _raw = sheets(data, every)
    assert "Beiträge" not in book.sheetnames
    assert book["Übersicht"]["B10"].value == "nein" and book["Übersicht"]["B11"].value == "nein"
    listed = values(book["Antworten"])[1:]
    assert listed and not {r[2] for r in listed} & texts
    assert_round_trip(data, values(book["Ergebnisse"]), values(book["Antworten"]))
    files = csv_files(data, every)
    assert not any("beitraege" in n for n in files)
    answers_csv = read_csv(next(t for n, t in files.items() if n.endswith("antworten.csv")), ";")
    assert not {r[2] for r in answers_csv[1:]} & texts


def test_an_event_without_answers_gives_short_tables_not_an_error(lang: str) -> None:
    data = ReportData(
        event=ReportEvent(1, "leer", "Leere Runde", "", None, "", None, "de", ""),
        options=ReportOptions(),
        participation=Participation(0, 0, timedelta(minutes=1), ()),
        questions=(),
        contributions=(),
        generated_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        running=False,
    )
    book, raw = sheets(data, [])
    assert_no_formulas(raw)
    assert book.sheetnames == [
        "Übersicht",
        "Ergebnisse",
        "Antworten",
        "Beiträge",
        "Beteiligung im Verlauf",
    ]
    overview = dict(values(book["Übersicht"])[1:])
    assert overview["Teilnehmende"] == 0 and overview["Datum (Europe/Berlin)"] is None
    assert overview["Erstellt am (Europe/Berlin)"] == datetime(2026, 7, 1, 12, 0)  # summer time
    assert overview["Stand der Ergebnisse"].startswith("Endstand")
    assert all(len(values(book[name])) == 1 for name in book.sheetnames[1:])
    files = csv_files(data, [])
    assert len(files) == 5
    overview_csv = dict(read_csv(files["01-uebersicht.csv"], ";")[1:])
    assert overview_csv["Erstellt am (Europe/Berlin)"] == "2026-07-01T12:00:00+02:00"


async def test_what_participants_send_through_the_services_stays_text(
    rt: Runtime, lang: str
) -> None:
    event = await report_event(rt, participants=5)
    live = await live_event(rt, event.event_id)
    text_id = next(q.id for q in live.ordered() if q.spec.kind is Kind.TEXT)
    sent = [*INJECTIONS, RTL]  # a right-to-left override is refused in contributions
    for n, p in enumerate(sent):
        if p != RTL:
            await contributions.submit(rt, live, f"x{n:039d}", f"{p} Frage Nummer {n}")
        await submit_answer(rt, live, f"x{n:039d}", text_id, p, str(uuid.uuid4()))
    data = await report_data(rt, event.event_id, ReportOptions())
    chosen = tuple(q.id for q in data.questions)
    answers = [r async for r in answer_rows(rt.sessions, event.event_id, chosen)]

    book, raw = sheets(data, answers)
    assert_no_formulas(raw)
    texts = [c.value for c in book["Beiträge"]["I"]]
    for n, p in enumerate(INJECTIONS):
        assert f"{p} Frage Nummer {n}" in texts
    typed = {c.value for c in book["Antworten"]["E"]}
    assert {*INJECTIONS, SHOWN_RTL} <= typed

    tables = {n: read_csv(t, ";") for n, t in csv_files(data, answers).items()}
    contribution_texts = {r[8] for r in tables[next(n for n in tables if "beitraege" in n)]}
    assert "'=cmd|' /C calc'!A0 Frage Nummer 0" in contribution_texts
    assert "<script>alert(1)</script> Frage Nummer 4" in contribution_texts
    answered = {r[4] for r in tables[next(n for n in tables if "antworten" in n)]}
    assert {"'=cmd|' /C calc'!A0", "'+1", "'@SUM(A1)", "'-2", SHOWN_RTL} <= answered
