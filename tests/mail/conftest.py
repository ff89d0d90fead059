"""The mail tests' SMTP server: a real one on loopback (tests/smtp_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.smtp_server import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """Plain SMTP, no login: what a relay on the same host offers."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_tls() -> Iterator[SmtpServer]:
    """STARTTLS required, then AUTH: what a provider's submission port offers."""
    with SmtpServer(tls=True) as server:
        yield server
