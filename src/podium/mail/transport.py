"""Where a built message goes: an SMTP server (`PODIUM_SMTP_URL`), or, without one,
a `.eml` file in the outbox folder.

SMTP: `smtp://user:password@host:587` sends the credentials only after STARTTLS
(refused if the server does not offer it: a password never travels in clear text);
`smtps://user:password@host:465` speaks TLS from the first byte; `smtp://host:25`
without credentials upgrades with STARTTLS when the server offers it. Certificates
are verified. One connection per mail: at a few mails per second that costs little,
and a broken connection can never hold a second mail.

A failed try raises `DeliveryFailed`; `permanent` when the server refused the
recipient or the mail for good (domain/mail_sending.py), `uncertain` when the
connection broke while the server was taking the mail, so that it may have arrived.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from podium.domain.mail_sending import Stage, ascii_address, refusal_is_permanent
from podium.services.mail_queue import Mail
from podium.settings import Settings


class DeliveryFailed(Exception):
    def __init__(self, reason: str, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.uncertain = uncertain


class Transport(Protocol):
    async def deliver(self, mail: Mail, message: EmailMessage) -> None:
        """Hand `message` over; returns once it was accepted, else DeliveryFailed."""


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool  # smtps: TLS from the start
    username: str
    password: str

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_target(url: str) -> SmtpTarget:
    """The parts of PODIUM_SMTP_URL, or ValueError saying what is wrong (never the
    password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("PODIUM_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("PODIUM_SMTP_URL names no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("PODIUM_SMTP_URL has a port that is not a number") from None
    username = unquote(parts.username or "")
    password = unquote(parts.password or "")
    implicit = parts.scheme == "smtps"
    default_port = 465 if implicit else 587 if username else 25
    return SmtpTarget(parts.hostname, port or default_port, implicit, username, password)


def _failure(stage: Stage, exc: aiosmtplib.SMTPResponseException) -> DeliveryFailed:
    reason = f"{exc.code} {exc.message}".strip()
    return DeliveryFailed(reason, permanent=refusal_is_permanent(stage, exc.code))


class SmtpTransport:
    def __init__(
        self,
        url: str,
        sender: str,
        timeout: float,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """`tls_context`: None for the system's verified default; tests pass one that
        trusts their own certificate."""
        self.target = smtp_target(url)
        self.sender = sender
        self.timeout = timeout
        self.tls_context = tls_context

    def _client(self) -> aiosmtplib.SMTP:
        target = self.target
        credentials = bool(target.username)
        return aiosmtplib.SMTP(
            hostname=target.host,
            port=target.port,
            username=target.username or None,
            password=target.password if credentials else None,
            use_tls=target.implicit_tls,
            # True: STARTTLS or no mail (and no password); None: when offered.
            start_tls=None if target.implicit_tls else (True if credentials else None),
            timeout=self.timeout,
            tls_context=self.tls_context,
        )

    async def deliver(self, mail: Mail, message: EmailMessage) -> None:
        data = message.as_bytes()
        stage: Stage = "connect"
        accepted = False
        try:
            async with self._client() as client:  # connects, STARTTLS, logs in
                stage = "sender"
                await client.mail(self.sender)
                stage = "recipient"
                await client.rcpt(ascii_address(mail.recipient))
                stage = "data"
                await client.data(data)
                accepted = True
        except aiosmtplib.SMTPResponseException as exc:
            if not accepted:  # a refusal at QUIT changes nothing once the mail is taken
                raise _failure(stage, exc) from exc
        except Exception as exc:  # SMTPException, OSError, TimeoutError and the unforeseen
            if not accepted:
                reason = f"{type(exc).__name__}: {exc}"
                raise DeliveryFailed(reason, uncertain=stage == "data") from exc


def safe_name(message_id: str) -> str:
    """A Message-ID as part of a file name: letters, digits, dot, hyphen, underscore."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", message_id.strip("<>"))[:120]


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    """A reader of the folder sees the whole file or none: written beside it, synced,
    then renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class OutboxTransport:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def path_of(self, mail: Mail) -> Path:
        return self.folder / f"{mail.id}-{safe_name(mail.message_id)}.eml"

    async def deliver(self, mail: Mail, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(
                _write_atomically, self.folder, self.path_of(mail).name, message.as_bytes()
            )
        except OSError as exc:
            raise DeliveryFailed(f"outbox {self.folder}: {exc}") from exc


def make_transport(settings: Settings, tls_context: ssl.SSLContext | None = None) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(
            settings.smtp_url, settings.mail_from, settings.mail_timeout, tls_context
        )
    return OutboxTransport(settings.outbox_folder())


def destination(settings: Settings) -> str:
    """Where mails go, for people: `SMTP server HOST:PORT` or `outbox folder PATH`.
    Never the credentials."""
    if settings.smtp_url:
        return f"SMTP server {smtp_target(settings.smtp_url).where}"
    return f"outbox folder {os.path.abspath(settings.outbox_folder())}"
