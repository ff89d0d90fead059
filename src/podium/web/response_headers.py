"""The headers every response carries (web/security.py adds them to the app's, and
web/hot_path.py sends the same precomputed bytes).

A response may bring its own Content-Security-Policy (the presenter view, framed by
the origins its organiser lists; the invitation preview, stricter still): it is
kept. X-Frame-Options, for browsers older than frame-ancestors, is only added when
that policy does not say who may frame the page, since no value of it can name an
origin that may.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders

from podium.domain.frame_origins import DEFAULT_POLICY

CSP = DEFAULT_POLICY
REFERRER_POLICY = "same-origin"
# Organiser and moderator pages and API answers hold what only the signed-in may
# see: no browser or proxy cache keeps them (a shared computer's back button, a
# proxy that ignores the cookie). Static files and public pages set their own.
NO_STORE_PREFIXES = ("/admin", "/moderate", "/api/", "/login")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", REFERRER_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
]
NO_STORE = (b"cache-control", b"no-store")


def wants_no_store(path: str) -> bool:
    return path.startswith(NO_STORE_PREFIXES)


def add_security_headers(headers: MutableHeaders, path: str) -> None:
    """The defaults, where the response has not set its own."""
    own_policy = headers.get("content-security-policy")
    if own_policy is None:
        headers["content-security-policy"] = CSP
    if own_policy is None or "frame-ancestors" not in own_policy:
        headers.setdefault("x-frame-options", "DENY")
    headers.setdefault("x-content-type-options", "nosniff")
    headers.setdefault("referrer-policy", REFERRER_POLICY)
    if wants_no_store(path):
        headers.setdefault("cache-control", "no-store")
