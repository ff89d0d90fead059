"""The background sender: its pace, the outbox folder without an SMTP server, a
clean stop, and the sender of the real app sending a queued mail."""

from __future__ import annotations

import asyncio
import itertools
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from podium.mail.sender import IDLE, MailSender
from podium.mail.transport import OutboxTransport, destination, safe_name
from podium.runtime import Runtime
from podium.services.mail_queue import enqueue, get_mail, status
from podium.settings import Settings
from tests.mail.mail_helpers import invitation
from tests.server import live_server
from tests.smtp_server import SmtpServer


class FakeClock:
    """The sender's clock: it moves only when the sender sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0.001)


async def wait_until_sent(rt: Runtime, count: int, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while (await status(rt))["sent"] < count:
            await asyncio.sleep(0.02)


async def test_mails_go_out_at_the_rate_and_the_empty_queue_is_looked_at_calmly(
    runtime: Runtime, tmp_path: Path
) -> None:
    for i in range(6):
        await enqueue(runtime, invitation(ref=f"r{i}", recipient=f"p{i}@example.org"))
    clock = FakeClock()
    outbox = OutboxTransport(str(tmp_path))
    sender = MailSender(runtime, outbox, rate=4, clock=clock, sleep=clock.sleep)
    await sender.start()
    try:
        await wait_until_sent(runtime, 6)
        while IDLE not in clock.sleeps:  # then it finds the queue empty
            await asyncio.sleep(0.01)
    finally:
        await sender.stop()
    starts = sender.sent_at
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.25 and starts[-1] - starts[0] >= 5 / 4
    assert all(pause <= 1.0 for pause in clock.sleeps)  # never longer than a second
    assert len(list(tmp_path.glob("*.eml"))) == 6


async def test_without_smtp_the_mail_is_an_eml_file_in_the_outbox(
    runtime: Runtime, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox" / "podium"  # made when the first mail comes
    mail_id = await enqueue(runtime, invitation())
    sender = MailSender(runtime, OutboxTransport(str(outbox)), rate=50)
    assert await sender.send_next() == "sent"
    mail = await get_mail(runtime, mail_id)
    assert mail is not None and mail.state == "sent"
    [path] = list(outbox.iterdir())  # no temporary file left beside it
    assert path.name == f"{mail_id}-{safe_name(mail.message_id)}.eml"
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["Message-ID"] == mail.message_id
    assert message["To"] == "max@example.org"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [part.get_filename() for part in message.iter_attachments()] == ["veranstaltung.ics"]


def test_the_destination_names_the_host_or_the_folder_never_the_password() -> None:
    with_login = Settings(smtp_url="smtp://user:geheim@mail.stadt.example:587")
    assert destination(with_login) == "SMTP server mail.stadt.example:587"
    assert destination(Settings(smtp_url="smtps://mail.stadt.example")).endswith(":465")
    assert destination(Settings(smtp_url="smtp://relay")) == "SMTP server relay:25"
    folder = Settings(database_url="sqlite:////srv/podium/podium.db")
    assert destination(folder) == "outbox folder /srv/podium/outbox"


@pytest.mark.parametrize(
    "url", ["http://mail.example", "smtp://", "smtp://host:port"], ids=["scheme", "host", "port"]
)
def test_a_bad_smtp_url_says_what_is_wrong(url: str) -> None:
    from podium.mail.transport import smtp_target

    with pytest.raises(ValueError, match="PODIUM_SMTP_URL"):
        smtp_target(url)


async def test_the_sender_ends_an_invitation_run_once_its_mails_are_sent(
    runtime: Runtime, tmp_path: Path
) -> None:
    from podium.services import catalog
    from podium.store.audience_tables import MailRun

    event = await catalog.create_event(runtime, "Bürgerdialog")
    async with runtime.sessions() as session, session.begin():
        run = MailRun(event_id=event.id, subject="Einladung", text="", recipients=2)
        session.add(run)
        await session.flush()
        run_id = run.id
    for i in range(2):
        draft = invitation(ref=f"r{i}", recipient=f"p{i}@example.org", run_id=run_id)
        await enqueue(runtime, draft)
    sender = MailSender(runtime, OutboxTransport(str(tmp_path)), rate=50)
    await sender.start()
    try:
        async with asyncio.timeout(5):
            while True:
                async with runtime.sessions() as session:
                    found = await session.get(MailRun, run_id)
                    assert found is not None
                    if found.state == "done":
                        break
                await asyncio.sleep(0.05)
    finally:
        await sender.stop()
    assert found.finished_at is not None
    assert (await status(runtime))["sent"] == 2


async def test_stopping_while_idle_is_at_once(runtime: Runtime, tmp_path: Path) -> None:
    sender = MailSender(runtime, OutboxTransport(str(tmp_path)), rate=5)
    await sender.start()
    await asyncio.sleep(0.1)
    async with asyncio.timeout(1.0):
        await sender.stop()


@pytest.mark.sqlite_only
def test_the_running_server_sends_a_queued_mail(settings: Settings, smtp: SmtpServer) -> None:
    with live_server(settings.model_copy(update={"smtp_url": smtp.url})) as server:
        mail_id = server.run(enqueue, server.rt, invitation())
        [got] = smtp.wait_for(1)
        server.run(wait_until_sent, server.rt, 1)  # recorded just after the server took it
        mail = server.run(get_mail, server.rt, mail_id)
    assert mail is not None and mail.state == "sent"
    assert got.message_id == mail.message_id and got.recipients == ["max@example.org"]
