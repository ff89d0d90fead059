"""The organisation's logo on a report's title page, from the file the installation
names (PODIUM_REPORT_LOGO): an SVG as it is, a PNG wrapped in an SVG, the one picture
format the report's typesetting takes."""

from __future__ import annotations

import base64
import struct
from pathlib import Path

from podium.domain.errors import NotAllowed

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 2_000_000


def logo_svg(path: str) -> str:
    """The logo as SVG text; "" when none is set. A file that cannot be used is the
    installation's mistake, said to the organiser rather than silently left out."""
    if not path:
        return ""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise NotAllowed("report_logo_unusable", path=path) from None
    if len(raw) > MAX_LOGO_BYTES:
        raise NotAllowed("report_logo_unusable", path=path)
    if raw.startswith(PNG_SIGNATURE) and raw[12:16] == b"IHDR":
        width, height = struct.unpack(">II", raw[16:24])
        data = base64.b64encode(raw).decode("ascii")
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><image width="{width}" height="{height}" '
            f'href="data:image/png;base64,{data}"/></svg>'
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAllowed("report_logo_unusable", path=path) from None
    if "<svg" not in text:
        raise NotAllowed("report_logo_unusable", path=path)
    return text
