"""One word, counted once: spelling variants, transliterations and inflections share a
key; different words, even when one contains the other, do not."""

from __future__ import annotations

import pytest

from podium.domain.errors import InvalidAnswer
from podium.domain.questions import Kind, QuestionSpec, validate_answer
from podium.domain.tally import Tally
from podium.domain.word_forms import clean_entry, is_stopword, split_entries, word_key

SAME_DE = [
    ["Homeoffice", "Home-Office", "Home Office", "homeoffice", "HOMEOFFICE!", "„Homeoffice“"],
    ["Homeoffice", "Homeoffices", "Home-Offices", "Homeoffice 🏠"],
    ["E-Akte", "eAkte", "E Akte", "E-Akten", "eAkten"],
    ["Büro", "Buero", "Büros", "Bueros"],
    ["Führung", "Fuehrung", "führung"],
    ["Videokonferenz", "Videokonferenzen", "Video-Konferenz"],
    ["digitale Akte", "digitalen Akten", "Digitale Akte"],
    ["Jobcenter", "Jobcentern", "Jobcenters"],
    ["Team", "Teams"],
    ["Bürger", "Bürgern", "Buergern"],  # dative plurals of nouns in -er and -el
    ["Mittel", "Mitteln"],
    ["Regel", "Regeln"],
]
SAME_EN = [
    ["meeting", "meetings", "Meeting"],
    ["home office", "home offices", "Home-Office"],
    ["leader", "leaders"],
    ["office", "offices"],
]
DIFFERENT = [
    ("Arbeit", "Arbeitgeber", "de"),
    ("Beratung", "Beratungsqualität", "de"),
    ("digital", "Digitalisierung", "de"),
    ("Team", "Teamgeist", "de"),
    ("Akte", "E-Akte", "de"),
    ("Mut", "Wut", "de"),
    ("Wandel", "Handel", "de"),
    ("Wandern", "Wander", "de"),  # a verb in -ern is no plural
    ("Gestern", "Gester", "de"),
    ("work", "workload", "en"),
    ("lead", "leader", "en"),
    ("trust", "truth", "en"),
]


@pytest.mark.parametrize("spellings", SAME_DE)
def test_german_variants_are_one_word(spellings: list[str]) -> None:
    assert len({word_key(s, "de") for s in spellings}) == 1, {
        s: word_key(s, "de") for s in spellings
    }


@pytest.mark.parametrize("spellings", SAME_EN)
def test_english_variants_are_one_word(spellings: list[str]) -> None:
    assert len({word_key(s, "en") for s in spellings}) == 1, {
        s: word_key(s, "en") for s in spellings
    }


@pytest.mark.parametrize(("one", "other", "language"), DIFFERENT)
def test_different_words_stay_apart(one: str, other: str, language: str) -> None:
    assert word_key(one, language) != word_key(other, language)


def test_entries_are_cleaned_at_their_ends_only() -> None:
    assert clean_entry("  „Home-Office“!! ") == "Home-Office"
    assert clean_entry("🏠 Homeoffice 🏠") == "Homeoffice"
    assert clean_entry("Führung   auf Distanz") == "Führung auf Distanz"
    assert clean_entry("ｗｏｒｋ") == "work"  # full-width letters: NFKC
    assert clean_entry("👍🎉") == ""


def test_a_typed_list_is_split_but_a_phrase_is_not() -> None:
    assert split_entries("Homeoffice, Digitalisierung") == ["Homeoffice", "Digitalisierung"]
    assert split_entries("Beratung; Erreichbarkeit") == ["Beratung", "Erreichbarkeit"]
    assert split_entries("Führung und Zusammenarbeit auf Distanz") == [
        "Führung und Zusammenarbeit auf Distanz"
    ]
    assert split_entries("mobile/digital") == ["mobile/digital"]  # not "a / b"


def test_stopwords_only_as_whole_entries() -> None:
    assert is_stopword("und", "de") and is_stopword("The", "en")
    assert not is_stopword("Führung auf Distanz", "de")


def word_spec(language: str = "de", max_words: int = 3) -> QuestionSpec:
    return QuestionSpec(Kind.WORDS, max_words=max_words, language=language)


def test_an_answer_counts_one_word_once_and_splits_lists() -> None:
    spec = word_spec()
    assert validate_answer(spec, ["Homeoffice", "Home-Office", "Videoberatung"]) == [
        "Homeoffice",
        "Videoberatung",
    ]
    assert validate_answer(spec, ["Homeoffice, Digitalisierung"]) == [
        "Homeoffice",
        "Digitalisierung",
    ]
    assert validate_answer(spec, ["und", "Beratung"]) == ["Beratung"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (["!!!"], "word_without_letters"),
        (["👍"], "word_without_letters"),
        (["Hоmeoffice"], "mixed_scripts"),  # a Cyrillic o
        (["a, b, c, d"], "too_many_words"),
        (["und"], "no_words"),
        (["Home\x07office"], "control_characters"),
        (["x" * 41], "word_too_long"),
    ],
)
def test_bad_words_are_refused(raw: list[str], code: str) -> None:
    with pytest.raises(InvalidAnswer) as caught:
        validate_answer(word_spec(), raw)
    assert caught.value.code == code


def test_the_cloud_shows_the_spelling_most_people_used() -> None:
    tally = Tally(word_spec())
    for answer in (["Home-Office"], ["Homeoffice"], ["homeoffice"], ["Homeoffice"], ["Büro"]):
        tally.add(answer)
    words = tally.result().words  # type: ignore[union-attr]
    assert (words[0].word, words[0].count) == ("Homeoffice", 4)
    assert set(words[0].spellings) == {"Home-Office", "Homeoffice", "homeoffice"}
    assert words[1].word == "Büro"
