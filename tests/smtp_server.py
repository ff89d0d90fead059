"""A real SMTP server on loopback (aiosmtpd) that keeps every mail it receives,
envelope and parsed message with all its headers, for tests that read podium's mails.

    with SmtpServer() as smtp:              # plain SMTP on a free port
        ... PODIUM_SMTP_URL=smtp.url ...
        [mail] = smtp.wait_for(1)           # Received(envelope_from, recipients, message)

It can refuse: `refuse_next` tries with 451 (greylisting, a full queue), `refused`
recipients with 550 for good; `stall_data` keeps the answer to a mail it took back.
`SmtpServer(tls=True)` offers STARTTLS with a self-signed certificate made for the
test, requires it, and takes AUTH only after it (`client_tls_context()` trusts that
certificate); `SmtpServer(implicit_tls=True)` speaks TLS from the start (smtps).
`stop()` and `start()` take it down and bring it back on the same port.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USERNAME = "podium@stadt.example"
PASSWORD = "geheim: äöü/%"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage
    data: bytes
    tls: bool  # the mail came over TLS
    login: str  # the account it was sent by, '' without AUTH

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


def _over_tls(server: SMTP, session: Session) -> bool:
    """STARTTLS sets `session.ssl`; TLS from the start shows on the transport only."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_next: int = 0  # RCPTs answered 451 before any is taken
    refused: set[str] = field(default_factory=set)  # recipients answered 550
    logins: list[tuple[str, str, bool]] = field(default_factory=list)  # user, password, tls
    stall_data: float = 0.0  # seconds to keep a received mail's answer back (a hung server)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if isinstance(envelope.content, bytes):
            data = envelope.content
        message = message_from_bytes(data, policy=default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data
        user = login.login.decode() if isinstance(login, LoginPassword) else ""
        with self.lock:
            self.received.append(
                Received(
                    envelope_from=str(envelope.mail_from),
                    recipients=list(envelope.rcpt_tos),
                    message=message,
                    data=data,
                    tls=_over_tls(server, session),
                    login=user,
                )
            )
        if self.stall_data:
            await asyncio.sleep(self.stall_data)
        return "250 2.0.0 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        self.logins.append((user, password, _over_tls(server, session)))
        return AuthResult(success=user == USERNAME and password == PASSWORD, auth_data=data)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made now by openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class SmtpServer:
    def __init__(self, tls: bool = False, implicit_tls: bool = False) -> None:
        self.port = free_port()
        self.handler = Handler()
        self.tls = tls or implicit_tls
        self.implicit_tls = implicit_tls
        self._folder = tempfile.TemporaryDirectory(prefix="podium-smtp-")
        self._controller: Controller | None = None
        self.cert: Path | None = None
        self._server_context: ssl.SSLContext | None = None
        if self.tls:
            self.cert, key = make_certificate(Path(self._folder.name))
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, key)
            self._server_context = context

    @property
    def url(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://127.0.0.1:{self.port}"

    def url_with_login(self, user: str = USERNAME, password: str = PASSWORD) -> str:
        from urllib.parse import quote

        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{quote(user, safe='')}:{quote(password, safe='')}@127.0.0.1:{self.port}"

    def client_tls_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate (and no other)."""
        assert self.cert is not None
        return ssl.create_default_context(cafile=str(self.cert))

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def start(self) -> None:
        assert self._controller is None
        options: dict[str, Any] = {}
        if self.tls and not self.implicit_tls:
            options = {
                "tls_context": self._server_context,
                "require_starttls": True,
                "auth_require_tls": True,
                "authenticator": self.handler.authenticate,
            }
        elif self.implicit_tls:
            # TLS from the first byte: aiosmtpd's own check knows only STARTTLS.
            options = {"authenticator": self.handler.authenticate, "auth_require_tls": False}
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=self._server_context if self.implicit_tls else None,
            **options,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self._folder.cleanup()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until `count` mails arrived; all received so far."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} of {count} mails after {timeout} s")
            time.sleep(0.02)
        return self.received

    async def wait_for_async(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.received)} of {count} mails after {timeout} s")
            await asyncio.sleep(0.02)
        return self.received
