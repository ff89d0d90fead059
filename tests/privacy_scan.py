"""What a dump of podium's database must not hold, and what its logs must not: the
scanner behind tests/test_privacy_after_suite.py, tested in tests/test_privacy_scan.py.

A database may hold no IP address (IPv4 or IPv6, and not Starlette's TestClient's
client host "testclient" either: a test stores that where production would store an
address), no user agent, and no e-mail address but those podium is given for a
purpose: organisers' accounts and subscribers (participants never give one). The logs
may hold no participant token.
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Dotted quads not inside a longer run of digits and dots (a version 1.2.3.4.5, a
# decimal 3.14159): each candidate is checked by the ipaddress module.
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)")
# Hex groups and colons with at least two colons; times (10:15:00) and ratios fail
# ipaddress's check, "::" alone is not taken (Python's slices, a C++ scope).
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}(?![\w:])")
# A server's own address in a link it wrote (http://127.0.0.1:8000/s/...) is not a
# visitor's: the tests' base URL and the links in mails.
_IN_URL = re.compile(r"(?:https?|wss?)://\[?$")
# Nor is one after an "@": the server's name in its mails' Message-IDs (<...@127.0.0.1>).
# The client host Starlette's TestClient reports instead of an address.
TEST_CLIENT_HOST = "testclient"
_USER_AGENT = re.compile(
    r"Mozilla/[\d.]+|AppleWebKit/|HeadlessChrome|Chrome/\d+\.|Firefox/\d|Safari/\d"
    r"|python-httpx/|python-requests/|aiohttp/|curl/\d|Wget/|Playwright"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Finding:
    kind: str  # "ip", "user agent", "e-mail", "token"
    value: str
    where: str

    def __str__(self) -> str:
        return f"{self.kind} {self.value!r} in {self.where}"


def _before(text: str, at: int) -> str:
    return text[max(0, at - 10) : at]


def _plausible_v6(candidate: str) -> bool:
    """An address, not "a::b" in a C++ text or "::2" in a Python slice: two groups or
    more, one of them longer than a character (fe80::1, 2001:db8::1)."""
    groups = [g for g in re.split(r"[:.]", candidate) if g]
    return len(groups) >= 2 and any(len(g) > 1 for g in groups)


def ip_addresses(text: str) -> list[str]:
    """Every IPv4 or IPv6 address in `text` that is not a server's in a link."""
    found: list[str] = []
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(text):
            candidate = match.group().strip("[]")
            before = _before(text, match.start())
            if candidate in ("::", "") or _IN_URL.search(before) or before.endswith("@"):
                continue
            try:
                address = ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if address.version == 6 and not (address.is_loopback or _plausible_v6(candidate)):
                continue
            found.append(candidate)
    if TEST_CLIENT_HOST in text:
        found.append(TEST_CLIENT_HOST)
    return found


def user_agents(text: str) -> list[str]:
    return [m.group() for m in _USER_AGENT.finditer(text)]


def email_addresses(text: str, allowed: Iterable[str] = ()) -> list[str]:
    known = {a.lower() for a in allowed}
    return [m.group() for m in _EMAIL.finditer(text) if m.group().lower() not in known]


def scan_text(text: str, where: str, allowed_emails: Iterable[str] = ()) -> list[Finding]:
    allowed = list(allowed_emails)
    return [
        *(Finding("ip", v, where) for v in ip_addresses(text)),
        *(Finding("user agent", v, where) for v in user_agents(text)),
        *(Finding("e-mail", v, where) for v in email_addresses(text, allowed)),
    ]


# Where podium keeps the addresses it is given for a purpose: organisers' accounts,
# subscribers, and the mails queued to them (a mail's recipient, its text's links).
_ADDRESS_COLUMNS = (("users", "email"), ("subscribers", "email"))
# Tables that hold copies of those addresses and nothing typed by a participant: the
# mails queued to them, and the account log (who changed which staff account when: it
# keeps a deleted account's address, the record of its deletion).
_ADDRESS_TABLES = frozenset({"mail_queue", "account_log"})


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return [str(r[0]) for r in rows]


def _allowed(db: sqlite3.Connection, tables: list[str]) -> set[str]:
    allowed: set[str] = set()
    for table, column in _ADDRESS_COLUMNS:
        if table in tables:
            for (value,) in db.execute(f'SELECT "{column}" FROM "{table}"'):
                # as the scan reads it: "=bob@example.org" (a test's formula) holds
                # bob@example.org
                allowed |= set(_EMAIL.findall(str(value)))
    return allowed


def scan_tables(tables: dict[str, str], where: str) -> list[Finding]:
    """Tables as text (one row a line), as tests/conftest.py reads PostgreSQL's."""
    allowed = set(_EMAIL.findall(tables.get("users", "") + tables.get("subscribers", "")))
    findings: list[Finding] = []
    for table, text in tables.items():
        found = scan_text(text, f"{where} table {table}", allowed)
        if table in _ADDRESS_TABLES:
            found = [f for f in found if f.kind != "e-mail"]
        findings.extend(found)
    return findings


def scan_sqlite(path: Path, where: str = "") -> list[Finding]:
    """Every cell of every table of the database at `path`, as a dump would show it."""
    findings: list[Finding] = []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = _tables(db)
        allowed = _allowed(db, tables)
        for table in tables:
            if table == "alembic_version":
                continue
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
            text = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)
            found = scan_text(text, f"{where or path} table {table}", allowed)
            if table in _ADDRESS_TABLES:
                found = [f for f in found if f.kind != "e-mail"]
            findings.extend(found)
    finally:
        db.close()
    return findings


def tokens_in(texts: Iterable[str], tokens: Iterable[str]) -> list[Finding]:
    """Each participant token that appears in one of the log `texts`."""
    wanted = [t for t in set(tokens) if t]
    return [
        Finding("token", token[:8] + "...", f"log record {text[:120]!r}")
        for text in texts
        for token in wanted
        if token in text
    ]


# --- what the whole test run leaves behind ----------------------------------------------

PARTICIPANT_COOKIE = "podium_p"


@dataclass
class Recorder:
    """Filled while the suite runs (tests/conftest.py): the SQLite files of the tests'
    databases, every cookie name any podium app set with its participant tokens, and
    every log record's text."""

    databases: list[tuple[str, Path]]
    cookie_names: set[str]
    tokens: set[str]
    logs: list[str]
    # PostgreSQL databases are dropped after each test: scanned just before, by test
    postgres: list[tuple[str, list[Finding]]] = field(default_factory=list)

    def saw_headers(self, headers: Iterable[tuple[bytes, bytes]]) -> None:
        for name, value in headers:
            if name.lower() != b"set-cookie":
                continue
            pair = value.decode("latin-1").split(";", 1)[0]
            cookie, _, content = pair.partition("=")
            self.cookie_names.add(cookie.strip())
            if cookie.strip() == PARTICIPANT_COOKIE and content.strip('"'):
                self.tokens.add(content.strip('"'))


RECORDED = Recorder([], set(), set(), [])
