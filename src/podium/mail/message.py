"""A queued mail as the message that goes out: headers, plain text and HTML, and its
attachments (the event's ICS file).

The same bytes go to the SMTP server and into the outbox folder, so that a mail read
from the outbox is the mail a subscriber would have received. Every header value is
checked once more for CR and LF, although the queue refused them already: a header
line split here would add recipients or headers to a citizen's mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime

from podium.domain.display_text import neutralised
from podium.domain.mail_sending import NotDeliverable, ascii_address
from podium.services.mail_queue import Mail
from podium.settings import Settings

# Headers that hold angle-bracketed URLs (RFC 2369, RFC 8058). Python folds a long
# value without spaces by turning it into RFC 2047 encoded-words, which no mail client
# reads as a URL there: these go out as one line (an address is far below SMTP's
# 998-character limit).
UNFOLDED = frozenset({"list-unsubscribe", "list-unsubscribe-post"})


class MailPolicy(EmailPolicy):
    """The SMTP policy, but the URL headers are never folded or encoded."""

    def _unfolded(self, name: str, value: str) -> str | None:
        text = str(value)
        if name.lower() in UNFOLDED and text.isascii() and len(name) + len(text) < 990:
            return f"{name}: {text}{self.linesep}"
        return None

    def fold(self, name: str, value: str) -> str:
        return self._unfolded(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        line = self._unfolded(name, value)
        return line.encode("ascii") if line else super().fold_binary(name, value)


# Bodies in 7 bits (quoted-printable where needed): any SMTP server takes them, without
# asking whether it speaks 8BITMIME; other headers are RFC 2047-encoded where needed.
POLICY = MailPolicy(linesep="\r\n", cte_type="7bit")

# Headers this module writes itself: a queued mail's extra headers may not replace them.
OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "subject",
        "date",
        "message-id",
        "auto-submitted",
        "content-language",
        "content-type",
        "content-transfer-encoding",
        "mime-version",
    }
)


class UnsafeHeader(NotDeliverable):
    """A header name or value that could split or add header lines."""


def _safe(value: str) -> str:
    if "\r" in value or "\n" in value or "\0" in value:
        raise UnsafeHeader("a header value holds a line break")
    return value


def _safe_name(name: str) -> str:
    if not name or any(ch <= " " or ch == ":" or ord(ch) > 126 for ch in name):
        raise UnsafeHeader(f"not a header name: {name!r}")
    if name.lower() in OWN_HEADERS:
        raise UnsafeHeader(f"header {name} is podium's own")
    return name


def sender_address(settings: Settings) -> Address:
    """From: the configured address, named after the body that runs the server."""
    name = _safe(settings.legal_name or settings.organisation)
    return Address(display_name=name, addr_spec=_safe(settings.mail_from))


def _add_attachment(message: EmailMessage, attachment: Mapping[str, str]) -> None:
    content_type = attachment.get("content_type", "application/octet-stream")
    kind, *params = (part.strip() for part in _safe(content_type).split(";"))
    maintype, _, subtype = kind.partition("/")
    parameters = dict(p.split("=", 1) for p in params if "=" in p)
    filename = _safe(attachment.get("filename", "attachment"))
    content = attachment.get("content", "")
    if maintype == "text":
        message.add_attachment(
            content, subtype=subtype or "plain", params=parameters, filename=filename
        )
    else:
        message.add_attachment(
            content.encode(),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            params=parameters,
            filename=filename,
        )


def build_message(mail: Mail, settings: Settings, now: datetime | None = None) -> EmailMessage:
    """The message of `mail`, dated `now` (the time it is sent or written)."""
    message = EmailMessage(policy=POLICY)
    message["From"] = sender_address(settings)
    message["To"] = ascii_address(_safe(mail.recipient))
    if settings.mail_reply_to:
        message["Reply-To"] = _safe(settings.mail_reply_to)
    # The subject as the bodies show typed text (domain/display_text.py): markers
    # for bidi overrides, or a mail client's list would show the title turned around.
    message["Subject"] = _safe(neutralised(mail.subject))
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = _safe(mail.message_id)
    # RFC 3834: no auto-replies (out-of-office) to a mail no person wrote.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[_safe_name(name)] = _safe(value)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        _add_attachment(message, attachment)
    # Last: making the message multipart moves every Content-* header into its first part.
    message["Content-Language"] = _safe(mail.lang)
    return message
