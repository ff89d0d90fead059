"""What the PDF engine is handed: printable text only, and long runs given places to
break, while charts and metadata stay exactly as they are."""

from __future__ import annotations

from podium.reports.typst_pdf import cleaned, printable, wrapped


def test_control_characters_are_dropped_bidi_overrides_marked_and_scripts_stay() -> None:
    assert printable("a\x00b\x07c\x1bd\x7f") == "abcd"
    assert printable("Zeile 1\nZeile 2\tTab") == "Zeile 1\nZeile 2\tTab"
    assert printable("\u202eevil\u202c \u2067x\u2069") == "⟨U+202E⟩evil⟨U+202C⟩ ⟨U+2067⟩x⟨U+2069⟩"
    assert printable("Grüße, مرحبا, שלום, 你好") == "Grüße, مرحبا, שלום, 你好"
    assert printable("\ud800lone") == "lone"
    assert cleaned({"a\x00": ["x\x07", ("y\x01",)], "n": 3}) == {"a": ["x", ["y"]], "n": 3}


def test_long_runs_break_in_text_but_not_in_charts_or_metadata() -> None:
    long = "x" * 60
    content = {"text": f"kurz {long}", "svg": long, "title": long, "alt": long, "rows": [[long]]}
    out = wrapped(content)
    assert out["text"].startswith("kurz x") and "\u200b" in out["text"]
    assert out["text"].replace("\u200b", "") == f"kurz {long}"
    assert "\u200b" in out["rows"][0][0]
    assert out["svg"] == out["title"] == out["alt"] == long
    assert wrapped("Donaudampfschifffahrtsgesellschaft ist lang") == (
        "Donaudampfschifffahrtsgesellschaft ist lang"
    )
