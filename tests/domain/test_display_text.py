"""Invisible characters that change how a text reads are shown as markers; the ones
scripts and emoji need are kept."""

from __future__ import annotations

import pytest

from podium.domain.display_text import marker, neutralised, suspicious


def test_an_override_is_shown_as_a_marker_and_the_text_reads_as_typed() -> None:
    # "evil" behind a right-to-left override would be shown as "live"
    assert neutralised("Ich finde das \u202elive\u202c gut") == (
        "Ich finde das ⟨U+202E⟩live⟨U+202C⟩ gut"
    )


@pytest.mark.parametrize("char", [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))])
def test_every_embedding_override_and_isolate_is_marked(char: str) -> None:
    assert neutralised(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"


@pytest.mark.parametrize("code", [0x200B, 0x200E, 0x200F, 0x061C])
def test_zero_width_space_and_bidi_marks_are_marked(code: int) -> None:
    assert neutralised(f"Pass{chr(code)}wort") == f"Pass⟨U+{code:04X}⟩wort"


def test_marker_names_the_code_point() -> None:
    assert marker("\u2067") == "⟨U+2067⟩"


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا بالعالم",  # Arabic: right to left by its letters alone
        "שלום עולם",  # Hebrew
        "Das Wort שלום heißt Frieden",  # mixed directions, no control needed
        "می\u200cخواهم",  # Persian: the non-joiner is spelling
        "क्\u200dष",  # Devanagari half form: joiner after the virama
        "👩\u200d💻",  # woman technologist
        "👨\u200d👩\u200d👧",  # family
        "❤\ufe0f\u200d🔥",  # heart on fire: joiner after the presentation selector
        "👩🏽\u200d💻",  # with a skin tone
        "Grüße, naïve café",
        "",
    ],
)
def test_legitimate_text_is_left_exactly_as_typed(text: str) -> None:
    assert neutralised(text) is text
    assert not suspicious(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\u200db", "a⟨U+200D⟩b"),  # a joiner between Latin letters joins nothing
        ("a\u200cb", "a⟨U+200C⟩b"),
        ("\u200d👩", "⟨U+200D⟩👩"),  # at the start
        ("👩\u200d", "👩⟨U+200D⟩"),  # at the end
        ("👩\u200dx", "👩⟨U+200D⟩x"),  # emoji, then a letter
        ("1\u200d2", "1⟨U+200D⟩2"),
        ("م\u200cx", "م⟨U+200C⟩x"),  # Arabic letter, then Latin
        ("\u200c", "⟨U+200C⟩"),
        ("مرحبا \u202eabc", "مرحبا ⟨U+202E⟩abc"),  # RTL text does not excuse an override
    ],
)
def test_near_misses_are_marked(text: str, shown: str) -> None:
    assert neutralised(text) == shown
    assert suspicious(text)


def test_markers_carry_nothing_markup_or_a_spreadsheet_would_read() -> None:
    shown = neutralised("\u202e\u2066\u200b")
    assert not set(shown) & set("<>&\"'")
    assert shown.startswith("\u27e8")  # not = + - @: never a formula
