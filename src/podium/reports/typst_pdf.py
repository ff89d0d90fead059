"""Typst as the PDF engine of the reports: a template of our own, the content only as
JSON (never spliced into markup, so that whatever a participant typed stays text),
the fonts shipped with podium and nothing from the system, tagged PDF/UA-1.

Typst checks PDF/UA-1 as it writes (a missing alternative text or document title is
an error, not a warning); pikepdf then packs the objects into object streams, which
makes the file much smaller (the demo's 110 KB to 68 KB, a 200-page report's 3.0 MB to
0.7 MB: the structure tree is many small objects) and leaves tags and metadata alone.

Typst releases the GIL while it compiles; pikepdf holds it while it saves (about 0.3 s
for a 200-page report): a server renders reports in a process of their own, or
accepts that pause for its other threads.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pikepdf
import typst

from podium.domain.display_text import neutralised

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates" / "report"
FONTS = HERE / "fonts"

# C0 controls but tab and newline, DEL, and lone surrogates: no font draws them, XML
# (the charts) forbids them, and Typst's JSON reader refuses some of them. The bidi
# overrides and zero-width characters become markers first (domain/display_text.py),
# as on the pages: an override would show "evil" as "live".
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub("", neutralised(text))


def cleaned(value: Any) -> Any:
    """`value` with every string in it printable (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(v) for v in value]
    return value


# A word longer than a table column (a link, a pasted hash) would run off the page:
# Typst breaks lines only between words. A zero-width space every BREAK_EVERY
# characters of a run of LONG_RUN or more gives it places to break.
LONG_RUN = 36
BREAK_EVERY = 24
_LONG = re.compile(rf"\S{{{LONG_RUN},}}")
_PIECE = re.compile(rf"\S{{{BREAK_EVERY}}}(?=\S)")
# Strings that are not laid out as text: SVG markup, metadata, alternative texts.
NOT_WRAPPED = frozenset({"svg", "logo", "title", "author", "alt", "logo-alt"})


def wrappable(text: str) -> str:
    return _LONG.sub(lambda run: _PIECE.sub(lambda m: m.group() + "\u200b", run.group()), text)


def wrapped(value: Any, key: str = "") -> Any:
    """`value` with long runs breakable in every string laid out as text."""
    if isinstance(value, str):
        return value if key in NOT_WRAPPED else wrappable(value)
    if isinstance(value, dict):
        return {k: wrapped(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [wrapped(v, key) for v in value]
    return value


def render_pdf(template: str, content: dict[str, Any], timestamp: datetime) -> bytes:
    """The PDF of `templates/report/<template>` filled with `content` (JSON-able)."""
    data = json.dumps(wrapped(cleaned(content)), ensure_ascii=False)
    pdf = typst.compile(
        TEMPLATES / template,
        root=TEMPLATES,
        font_paths=[FONTS],
        ignore_system_fonts=True,
        sys_inputs={"data": data},
        pdf_standards="ua-1",
        timestamp=timestamp.replace(microsecond=0),
    )
    assert isinstance(pdf, bytes)
    return packed(pdf)


def packed(pdf: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
        )
    return out.getvalue()
