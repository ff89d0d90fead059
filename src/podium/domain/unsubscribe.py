"""Where a subscriber unsubscribes, and how every mail to them says it.

RFC 8058: a mail client's one-click unsubscribe POSTs `List-Unsubscribe=One-Click`
to the HTTPS address in `List-Unsubscribe`; `List-Unsubscribe-Post` says that it may.
The same address opened in a browser shows a page with one button (a GET must not
unsubscribe: link scanners open every link in a mail).
"""

from __future__ import annotations

import re

ONE_CLICK_BODY = "List-Unsubscribe=One-Click"
_PATH = re.compile(r"^/s/[^/]+/unsubscribe/[^/]+$")


def unsubscribe_path(series_slug: str, key: str) -> str:
    return f"/s/{series_slug}/unsubscribe/{key}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers of a mail whose recipient unsubscribes at `url`."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK_BODY}


def is_unsubscribe_path(path: str) -> bool:
    """A mail client posts the one-click unsubscribe from wherever it runs (RFC 8058):
    the secret key in the path is all the authority the request has or needs."""
    return bool(_PATH.match(path))
