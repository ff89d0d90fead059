"""Which recipient addresses podium sends mail to.

An address typed by a visitor ends up in a mail header: anything that could split
the header (CR, LF, other control characters) or name a second recipient (a display
name, a second @, a comma) is refused, not cleaned up. Unicode domains are accepted
when IDNA can encode them and stored as given; the SMTP client encodes them.
"""

from __future__ import annotations

from podium.domain.errors import RuleViolation

MAX_ADDRESS = 254  # RFC 5321's path limit less its angle brackets
MAX_LOCAL = 64
# Characters with a meaning in headers or address lists, never in a plain address.
FORBIDDEN = set(' <>()[]\\,;:"')


def checked_address(raw: str) -> str:
    """The address trimmed, or RuleViolation: `bad_email` (malformed) or
    `email_too_long` (max=254)."""
    address = raw.strip()
    if not address:
        raise RuleViolation("bad_email")
    if len(address) > MAX_ADDRESS:
        raise RuleViolation("email_too_long", max=MAX_ADDRESS)
    if any(ord(ch) < 32 or ord(ch) == 127 or ch in FORBIDDEN for ch in address):
        raise RuleViolation("bad_email")
    if address.count("@") != 1:
        raise RuleViolation("bad_email")
    local, domain = address.split("@")
    if not local or len(local) > MAX_LOCAL or local.startswith(".") or local.endswith("."):
        raise RuleViolation("bad_email")
    if ".." in local or not _good_domain(domain):
        raise RuleViolation("bad_email")
    return address


def _good_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return False
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    for label in ascii_domain.split("."):
        if len(label) > 63 or label.startswith("-") or label.endswith("-"):
            return False
        if not all(ch.isalnum() or ch == "-" for ch in label):
            return False
    return not ascii_domain.split(".")[-1].isdigit()
