"""CSV as spreadsheet programs read it: BOM, the language's separator, no formulas."""

from __future__ import annotations

import csv
import io

import pytest

from podium import i18n
from podium.domain.questions import Kind
from podium.domain.tally import WordCount, WordsResult
from podium.reports.tables import BOM, Table, csv_chunks, safe_text, word_table


def read_csv(text: str, separator: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+49 30 1234", "'+49 30 1234"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Homeoffice", "Homeoffice"),
        ("E-Akte", "E-Akte"),
        ("", ""),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_kept_as_text(typed: str, stored: str) -> None:
    assert safe_text(typed) == stored


def test_numbers_stay_numbers() -> None:
    assert safe_text(-3) == -3 and safe_text(2.5) == 2.5 and safe_text(None) is None


@pytest.mark.parametrize(("lang", "separator"), [("de", ";"), ("en", ",")])
def test_csv_round_trips_with_the_languages_separator(lang: str, separator: str) -> None:
    rows = [("Homeoffice; Telearbeit", 3, 'Sagte "ja"'), ("=1+1", -2, "Zeile\nzwei")]
    table = Table("Test", ("Wort", "Anzahl", "Notiz"), iter(rows))
    text = "".join(csv_chunks(table, lang))
    assert "\r\n" in text
    assert read_csv(text, separator) == [
        ["Wort", "Anzahl", "Notiz"],
        ["Homeoffice; Telearbeit", "3", 'Sagte "ja"'],
        ["'=1+1", "-2", "Zeile\nzwei"],
    ]


def test_the_word_table_lists_every_counted_spelling_in_the_users_language() -> None:
    words = (
        WordCount("Homeoffice", 4, ("Home-Office", "Homeoffice", "home office"), "homeoffice"),
        WordCount("E-Akte", 1, ("eAkte",), "eakte"),
    )
    result = WordsResult(Kind.WORDS, 4, words)
    token = i18n.current_lang.set("de")
    try:
        german = read_csv("".join(csv_chunks(word_table(result))), ";")
    finally:
        i18n.current_lang.reset(token)
    assert german == [
        ["Wort", "Nennungen", "Schreibweisen"],
        ["Homeoffice", "4", "Home-Office, Homeoffice, home office"],
        ["E-Akte", "1", "eAkte"],
    ]
    token = i18n.current_lang.set("en")
    try:
        english = read_csv("".join(csv_chunks(word_table(result))), ",")
    finally:
        i18n.current_lang.reset(token)
    assert english[0] == ["Word", "Mentions", "Spellings"]
