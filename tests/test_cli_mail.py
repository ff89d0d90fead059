"""`podium mail status` and `podium mail test`: the queue as an operator reads it,
and a test mail to a real SMTP server on loopback or into the outbox folder."""

from __future__ import annotations

import asyncio
import shutil
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from podium.cli import main
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.mail_queue import Draft, claim_next, enqueue, mark_retry, mark_sent
from podium.settings import Settings
from podium.store.audience_tables import MailRun
from tests.smtp_server import SmtpServer


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path) -> Path:
    path = tmp_path / "podium.db"
    shutil.copy(migrated_template, path)
    for name in ("PODIUM_BASE_URL", "PODIUM_REDIS_URL", "PODIUM_SMTP_URL", "PODIUM_MAIL_OUTBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PODIUM_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("PODIUM_SECRET_KEY", "test-secret-key-that-is-long-enough")
    monkeypatch.setenv("PODIUM_DEFAULT_LANGUAGE", "de")
    return path


def draft(i: int, run_id: int | None = None) -> Draft:
    return Draft(
        kind="invitation",
        ref=f"i{i}",
        recipient=f"person{i}@example.org",
        lang="de",
        subject=f"Einladung {i}",
        text="Hallo",
        run_id=run_id,
    )


async def fill_queue() -> None:
    rt = Runtime(Settings())
    await rt.start()
    try:
        event = await catalog.create_event(rt, "Bürgerdialog")
        async with rt.sessions() as session, session.begin():
            run = MailRun(event_id=event.id, subject="Einladung zum Dialog", text="", recipients=3)
            session.add(run)
            await session.flush()
            run_id = run.id
        for i in range(3):
            await enqueue(rt, draft(i, run_id))
        first = await claim_next(rt)
        second = await claim_next(rt)
        assert first is not None and second is not None
        await mark_sent(rt, first.id)
        await mark_retry(rt, second, "550 5.1.1 No such mailbox here", permanent=True)
    finally:
        await rt.stop()


def test_status_of_an_empty_queue_says_where_mails_go(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "status"]) == 0
    out = capsys.readouterr().out
    assert f"outbox folder {migrated.parent / 'outbox'} as .eml files" in out
    assert "0 queued, 0 sending, 0 sent, 0 failed, 0 unknown" in out
    assert "Problems" not in out and "runs" not in out


def test_status_lists_the_problems_and_the_runs_still_sending(
    migrated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(fill_queue())
    monkeypatch.setenv("PODIUM_SMTP_URL", "smtp://user:geheim@mail.stadt.example:587")
    assert main(["mail", "status"]) == 0
    out = capsys.readouterr().out
    assert "Mails go to the SMTP server mail.stadt.example:587." in out
    assert "geheim" not in out
    assert "1 queued, 0 sending, 1 sent, 1 failed, 0 unknown" in out
    assert "Einladung zum Dialog" in out and "1 of 3 sent" in out
    assert "1 waiting, 1 problems" in out
    [problem] = [line for line in out.splitlines() if "person1@example.org" in line]
    assert "failed" in problem and "Einladung 1" in problem
    assert "550 5.1.1 No such mailbox here" in problem


def test_a_test_mail_reaches_the_smtp_server(
    migrated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpServer() as smtp:
        monkeypatch.setenv("PODIUM_SMTP_URL", smtp.url)
        assert main(["mail", "test", "orga@stadt.example"]) == 0
        [got] = smtp.received
    out = capsys.readouterr().out
    assert out.startswith("Sent to orga@stadt.example: Mails go to the SMTP server 127.0.0.1:")
    assert got.message_id in out
    assert got.recipients == ["orga@stadt.example"]
    assert got.message["Subject"] == "Testmail von podium"
    body = got.message.get_body(("plain",))
    assert body is not None and "Dies ist eine Testmail von podium." in body.get_content()


def test_a_test_mail_without_smtp_is_written_to_the_outbox(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "test", "orga@stadt.example"]) == 0
    out = capsys.readouterr().out
    [path] = list((migrated.parent / "outbox").glob("*.eml"))
    assert str(path) in out and "instead of being sent" in out
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["To"] == "orga@stadt.example"


def test_a_test_mail_to_a_server_that_is_down_says_why(
    migrated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp = SmtpServer()  # never started: nothing listens on its port
    monkeypatch.setenv("PODIUM_SMTP_URL", smtp.url)
    assert main(["mail", "test", "orga@stadt.example"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Not sent (failed): SMTPConnect")


def test_a_bad_address_is_a_one_line_error(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mail", "test", "orga@stadt.example\r\nBcc: all@example.org"]) == 2
    assert capsys.readouterr().err == "podium: error: Please enter a valid e-mail address.\n"


def test_serve_refuses_an_smtp_url_it_cannot_read(
    migrated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_SMTP_URL", "mail.stadt.example:587")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == (
        "podium: error: PODIUM_SMTP_URL must start with smtp:// or smtps://\n"
    )
