"""Which pages may show a podium page in a frame, and the Content-Security-Policy
that says so.

Every page refuses to be framed (`frame-ancestors 'none'`), except the presenter
view: it is meant to run inside BigBlueButton's link share, Jitsi, a Teams tab or an
intranet page, so the server's list (settings.frame_ancestors) and the event's own
list (Event.frame_ancestors) name the origins that may embed it.

An origin is checked here before it is stored: https (http only for localhost, for
a test on the organiser's own machine), a host, an optional port, nothing else. CSP
would accept more (paths, `*` alone, schemes), but each of those lets in more pages
than the organiser means to: a path is ignored for redirected frames, and `*` or a
bare scheme admits every site. Only a leading `*.` for the subdomains of one host is
kept, as CSP defines it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from podium.domain.errors import RuleViolation

MAX_ORIGINS = 20
MAX_ORIGIN_LENGTH = 200
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})*$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
_ORIGIN = re.compile(
    r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>\[[^\]]*\]|[^:/?#\[\]]*)(?::(?P<port>[0-9]{1,5}))?(?P<rest>.*)$"
)

BASE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def content_security_policy(frame_ancestors: Iterable[str] = ()) -> str:
    """The policy of podium's pages; with origins, those origins may frame the page."""
    origins = " ".join(dict.fromkeys(frame_ancestors)) or "'none'"
    return f"{BASE_POLICY}; frame-ancestors {origins}"


DEFAULT_POLICY = content_security_policy()


def check_origin(text: str) -> str:
    """The origin as CSP writes it (lower case, no default port), or
    RuleViolation("bad_frame_origin", origin=...) saying what is wrong."""
    raw = text.strip()
    shown = raw[:MAX_ORIGIN_LENGTH]
    if (
        not raw
        or len(raw) > MAX_ORIGIN_LENGTH
        or not raw.isascii()
        or any(c.isspace() or ord(c) < 32 for c in raw)
    ):
        raise RuleViolation("bad_frame_origin", origin=shown)
    found = _ORIGIN.match(raw.lower())
    if found is None:
        raise RuleViolation("bad_frame_origin", origin=shown)
    scheme, host, port, rest = found["scheme"], found["host"], found["port"], found["rest"]
    if rest not in ("", "/"):
        raise RuleViolation("frame_origin_path", origin=shown)
    if not (_HOST.match(host) or _IPV6.match(host)) or host.count("*") > 1:
        raise RuleViolation("bad_frame_origin", origin=shown)
    if scheme == "http" and host not in LOCAL_HOSTS:
        raise RuleViolation("frame_origin_not_https", origin=shown)
    if scheme not in ("https", "http"):
        raise RuleViolation("frame_origin_not_https", origin=shown)
    if port is not None:
        number = int(port)
        if not 0 < number < 65536:
            raise RuleViolation("bad_frame_origin", origin=shown)
        default = 443 if scheme == "https" else 80
        port = None if number == default else str(number)
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def parse_origins(text: str) -> list[str]:
    """The origins of a list typed one per line (or separated by spaces or commas),
    checked and without repeats; the first bad one raises."""
    origins: list[str] = []
    for part in re.split(r"[\s,]+", text):
        if part:
            origin = check_origin(part)
            if origin not in origins:
                origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise RuleViolation("too_many_frame_origins", max=MAX_ORIGINS)
    return origins


def server_origins(setting: str) -> list[str]:
    """settings.frame_ancestors' origins; one the operator mistyped is left out (the
    server starts all the same; `check_origin` says why, see docs/OPERATIONS.md)."""
    origins: list[str] = []
    for part in setting.split():
        try:
            origins.append(check_origin(part))
        except RuleViolation:
            continue
    return origins
