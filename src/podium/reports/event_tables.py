"""Every table of an event's report, as an XLSX workbook or as a ZIP of CSV files.

The tables, in this order: an overview (the event, what the report holds and when it
was made), the results (every question's tally), the word list of each word cloud
(with the spellings counted as each word), all answers (one row per answer, the
participant named by a pseudonym that holds for this export only), the contributions
(when the report includes them) and the participation over time.

The results are one long table with the question's number and title in every row,
in the workbook and in the ZIP alike, rather than a file per question: the columns are
the same for every kind of question (what was chosen, its count, its percentages and
what they are a share of), so one table can be filtered, sorted and pivoted at once,
and joined to the answers table on the question's number; an event with thirty
questions would otherwise hand over thirty small files with nothing to hold them
together. Word clouds appear there too (each word's respondents), and again in a
table of their own that adds the spellings. Open texts have no tally: their answers
are in the answers table.

Answers are read once, as they stream from the database: the writers hold one row at
a time (each worksheet and each CSV is written into its ZIP archive as it comes).
The language (words and CSV separators) is `i18n.current_lang` where a writer is
called; asyncio.to_thread carries it into a worker thread. Words inside rows (states,
yes and no) are translated before the rows stream, never per row.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import BinaryIO

from podium import i18n
from podium.domain.codes import slugify
from podium.domain.questions import PercentBase
from podium.domain.report import answer_cell
from podium.domain.tally import ChoiceResult, ScaleResult, WordsResult, percent, whole_percent
from podium.reports.spreadsheets import write_xlsx as write_workbook
from podium.reports.tables import FAST_DEFLATE, Cell, Table, word_table, write_csv
from podium.services.read_models import Item
from podium.services.report_data import AnswerRow, ReportData, ReportQuestion

PERCENT_FORMAT = "0.00"
_MINUTE = timedelta(minutes=1)
# A pseudonym is hex digits: "0123456789" or "12345e6789" would be read as a number by
# a spreadsheet opening the CSV. The letter keeps it text everywhere.
PSEUDONYM_PREFIX = "P"


def event_tables(data: ReportData, answers: Iterable[AnswerRow]) -> list[Table]:
    """The report's tables; the answers' rows are read once, while the answers table is
    written, and only those of the report's questions are kept."""
    tables = [overview_table(data), results_table(data)]
    tables += word_tables(data)
    tables.append(answers_table(data, answers))
    if data.options.include_contributions:
        tables.append(contributions_table(data.contributions))
    tables.append(participation_table(data))
    return tables


def _yes_no() -> tuple[str, str]:
    return i18n.gettext("yes"), i18n.gettext("no")


def overview_table(data: ReportData) -> Table:
    _ = i18n.gettext
    event, participation = data.event, data.participation
    yes, no = _yes_no()
    rows: list[tuple[str, Cell]] = [
        (_("Event"), event.title),
        (_("Series"), event.series_title or ""),
        (_("Date (Europe/Berlin)"), event.starts_at),
        (_("Format"), event.format),
        (_("Organiser"), event.organiser),
        (_("Participants"), participation.joined),
        (_("Answers"), participation.answers),
        (_("Questions"), len(data.questions)),
        (_("Open texts included"), yes if data.options.include_texts else no),
        (_("Contributions included"), yes if data.options.include_contributions else no),
        (_("Generated at (Europe/Berlin)"), data.generated_at),
        (
            _("State of the results"),
            _("Snapshot: voting was still open when this report was made.")
            if data.running
            else _("Final: no voting was open when this report was made."),
        ),
        (_("Minutes per row of participation over time"), participation.width // _MINUTE),
    ]
    return Table(_("Overview"), (_("Item"), _("Value")), rows, (40, 60))


def results_table(data: ReportData) -> Table:
    _ = i18n.gettext
    bases = {PercentBase.RESPONDENTS: _("Respondents"), PercentBase.ANSWERS: _("Answers")}
    respondents = bases[PercentBase.RESPONDENTS]
    header = (
        _("Question no."),
        _("Question"),
        _("Option, step or word"),
        _("Count"),
        _("Percent (rounded)"),
        _("Percent (exact)"),
        _("Percent of"),
        _("Respondents"),
    )
    return Table(
        _("Results"),
        header,
        _result_rows(data.questions, bases, respondents),
        (10, 50, 40, 10, 12, 12, 16, 14),
        ("", "", "", "", "", PERCENT_FORMAT, "", ""),
    )


def _result_rows(
    questions: Sequence[ReportQuestion], bases: dict[PercentBase, str], respondents: str
) -> Iterator[tuple[Cell, ...]]:
    for q in questions:
        result = q.result
        n = result.respondents
        if isinstance(result, ChoiceResult):
            base = bases[result.percent_base]
            for o in result.options:
                yield (q.number, q.title, o.label, o.count, o.whole_percent, o.percent, base, n)
        elif isinstance(result, ScaleResult):
            for s in result.steps:
                yield (
                    q.number,
                    q.title,
                    s.value,
                    s.count,
                    s.whole_percent,
                    s.percent,
                    respondents,
                    n,
                )
        elif isinstance(result, WordsResult):
            for w in result.words:
                shares = whole_percent(w.count, n), percent(w.count, n)
                yield (q.number, q.title, w.word, w.count, *shares, respondents, n)


def word_tables(data: ReportData) -> list[Table]:
    """One table per word cloud: its words after the moderators' merges and hides."""
    return [
        replace(
            word_table(q.result),
            title=i18n.gettext("Words, question %(n)s", n=q.number),
        )
        for q in data.questions
        if isinstance(q.result, WordsResult)
    ]


def answers_table(data: ReportData, answers: Iterable[AnswerRow]) -> Table:
    _ = i18n.gettext
    header = (
        _("Participant (pseudonym)"),
        _("Question no."),
        _("Question"),
        _("Time (Europe/Berlin)"),
        _("Answer"),
    )
    return Table(_("Answers"), header, _answer_rows(data, answers), (16, 10, 50, 20, 60))


def _answer_rows(data: ReportData, answers: Iterable[AnswerRow]) -> Iterator[tuple[Cell, ...]]:
    questions = {q.id: q for q in data.questions}
    for row in answers:
        q = questions.get(row.question_id)
        if q is None:  # not chosen, or an open text left out: never in the file
            continue
        yield (
            PSEUDONYM_PREFIX + row.participant,
            q.number,
            q.title,
            row.created_at,
            answer_cell(q.spec, row.value),
        )


def contributions_table(items: Sequence[Item]) -> Table:
    _ = i18n.gettext
    states = {
        "pending": _("Waiting"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "archived": _("Archived"),
    }
    yes, no = _yes_no()
    header = (
        _("ID"),
        _("State"),
        _("Created (Europe/Berlin)"),
        _("Upvotes"),
        _("Highlighted"),
        _("Answered"),
        _("Pinned"),
        _("Addressed to (panelist)"),
        _("Shown text"),
        _("Original text (if edited)"),
        _("Name"),
    )
    rows = (
        (
            i.id,
            states.get(i.state.value, i.state.value),
            i.created_at,
            i.votes,
            yes if i.status.highlighted else no,
            yes if i.status.answered else no,
            yes if i.status.pinned else no,
            i.panelist or "",
            i.text,
            i.original_text or "",
            i.name or "",
        )
        for i in items
    )
    return Table(_("Contributions"), header, rows, (8, 14, 20, 10, 10, 10, 10, 20, 60, 60, 20))


def participation_table(data: ReportData) -> Table:
    _ = i18n.gettext
    rows = ((b.start, b.answers) for b in data.participation.buckets)
    return Table(
        _("Participation over time"),
        (_("From (Europe/Berlin)"), _("Answers")),
        rows,
        (20, 10),
    )


def _title(data: ReportData) -> str:
    return i18n.gettext("Results: %(event)s", event=data.event.title)


def write_xlsx(data: ReportData, answers: Iterable[AnswerRow], out: BinaryIO) -> None:
    """The workbook: one sheet per table, the header row frozen."""
    write_workbook(event_tables(data, answers), _title(data), out)


def csv_name(number: int, table: Table) -> str:
    """The file's name in the ZIP: numbered in the tables' order, ASCII only."""
    return f"{number:02d}-{slugify(table.title)}.csv"


def write_csv_zip(data: ReportData, answers: Iterable[AnswerRow], out: BinaryIO) -> None:
    """A ZIP of CSV files, one per table, each written into the archive as it comes."""
    lang = i18n.current_lang.get()
    # level 1: a large event's file is a little larger, and written in a fraction of the time
    with zipfile.ZipFile(
        out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=FAST_DEFLATE
    ) as archive:
        for number, table in enumerate(event_tables(data, answers), start=1):
            with (
                archive.open(csv_name(number, table), "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                write_csv(table, text, lang)
