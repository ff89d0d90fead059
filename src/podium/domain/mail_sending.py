"""What an SMTP server's answer means for a mail, and how fast podium sends.

A 5xx reply to the recipient (RCPT) or to the mail itself (DATA) is final: the server
will refuse that mail again, so it is `failed` at once and listed for the organiser.
Everything else is worth another try after the back-off (domain/mail_retry.py): 4xx
replies (the server is busy or greylists), a refused or timed-out connection, and a
5xx to podium's own sender address or login, which is a mistake in the settings that
an operator can fix while the mails wait, not a fault of the mail.
"""

from __future__ import annotations

from typing import Literal

Stage = Literal["connect", "sender", "recipient", "data"]


class NotDeliverable(ValueError):
    """An address that plain SMTP cannot carry."""


def ascii_address(address: str) -> str:
    """The address as it goes on the wire: a Unicode domain in its IDNA form (the
    queue stores what the subscriber typed). A non-ASCII local part would need
    SMTPUTF8, which podium does not speak: NotDeliverable."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise NotDeliverable("the address's part before @ is not ASCII (needs SMTPUTF8)")
    try:
        wire_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise NotDeliverable("the address's domain cannot be encoded (IDNA)") from None
    return f"{local}@{wire_domain}"


def refusal_is_permanent(stage: Stage, code: int) -> bool:
    return stage in ("recipient", "data") and 500 <= code < 600


def send_interval(rate: float) -> float:
    """Seconds between the starts of two mails at `rate` mails per second at most."""
    return 1.0 / rate
