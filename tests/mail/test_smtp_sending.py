"""Queued mails sent to a real SMTP server on loopback, read back as it received them:
headers, both parts and the calendar; STARTTLS and login; a server that is down or
refuses for a while, and one that refuses a recipient for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from podium.domain.mail_retry import FIRST_DELAY
from podium.mail.sender import MailSender, deliver_claimed
from podium.mail.transport import SmtpTransport, Transport
from podium.runtime import Runtime
from podium.services.mail_queue import claim_next, enqueue, get_mail, problems, status
from tests.mail.mail_helpers import ICS, invitation
from tests.smtp_server import PASSWORD, USERNAME, SmtpServer


def transport(runtime: Runtime, url: str, server: SmtpServer | None = None) -> Transport:
    context = server.client_tls_context() if server is not None and server.tls else None
    return SmtpTransport(url, runtime.settings.mail_from, 5.0, context)


def unix(text: str) -> str:
    return text.replace("\r\n", "\n")


async def test_an_invitation_arrives_with_its_headers_parts_and_calendar(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    settings = runtime.settings
    runtime.settings = settings.model_copy(
        update={"mail_reply_to": "dialog@stadt.example", "organisation": "Stadt Musterstadt"}
    )
    mail_id = await enqueue(runtime, invitation())
    sender = MailSender(runtime, transport(runtime, smtp.url), rate=50)
    assert await sender.send_next() == "sent"
    [got] = await smtp.wait_for_async(1)
    stored = await get_mail(runtime, mail_id)
    assert stored is not None and stored.state == "sent" and stored.sent_at is not None
    assert got.envelope_from == "podium@localhost" and got.recipients == ["max@example.org"]
    assert not got.tls and got.login == ""
    message = got.message
    assert message["From"] == "Stadt Musterstadt <podium@localhost>"
    assert message["To"] == "max@example.org"
    assert message["Reply-To"] == "dialog@stadt.example"
    assert message["Subject"] == "Einladung: Bürgerdialog Mobilität"
    assert message["Message-ID"] == stored.message_id
    assert message["List-Unsubscribe"] == "<https://podium.example.org/s/reihe/unsubscribe/k1>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and unix(text.get_content()) == "Guten Tag,\n\nwir laden Sie ein.\n"
    assert html is not None and "wir laden <b>Sie</b> ein." in html.get_content()
    [ics] = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "PUBLISH"
    assert ics.get_filename() == "veranstaltung.ics"
    assert unix(ics.get_content()) == unix(ICS)
    assert await sender.send_next() is None  # sent once


async def test_with_a_login_the_mail_goes_over_starttls_and_the_password_only_then(
    runtime: Runtime, smtp_tls: SmtpServer
) -> None:
    await enqueue(runtime, invitation())
    url = smtp_tls.url_with_login()  # user and password URL-encoded: "@", ":", "/", "ä"
    sender = MailSender(runtime, transport(runtime, url, smtp_tls), rate=50)
    assert await sender.send_next() == "sent"
    [got] = smtp_tls.received
    assert got.tls and got.login == USERNAME
    assert smtp_tls.handler.logins == [(USERNAME, PASSWORD, True)]


async def test_a_login_is_never_sent_to_a_server_without_starttls(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    mail_id = await enqueue(runtime, invitation())
    url = smtp.url.replace("smtp://", f"smtp://{USERNAME.replace('@', '%40')}:secret@")
    sender = MailSender(runtime, transport(runtime, url), rate=50)
    assert await sender.send_next() == "queued"  # a setting to fix, not the mail's fault
    stored = await get_mail(runtime, mail_id)
    assert stored is not None and "STARTTLS" in stored.last_error
    assert smtp.received == [] and smtp.handler.logins == []


async def test_smtps_speaks_tls_from_the_start() -> None:
    # No database needed: the transport alone, against a server that is TLS only.
    from podium.mail.message import build_message
    from podium.settings import Settings
    from tests.mail.mail_helpers import queued

    with SmtpServer(implicit_tls=True) as server:
        mail = queued(invitation())
        sending = SmtpTransport(server.url_with_login(), "podium@localhost", 5.0)
        sending.tls_context = server.client_tls_context()
        await sending.deliver(mail, build_message(mail, Settings()))
        [got] = server.received
        assert got.tls and got.login == USERNAME


async def test_a_server_that_is_down_gets_the_mail_after_the_back_off(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    mail_id = await enqueue(runtime, invitation())
    smtp.stop()
    smtp_transport = transport(runtime, smtp.url)
    before = datetime.now(UTC)
    mail = await claim_next(runtime)
    assert mail is not None
    assert await deliver_claimed(runtime, smtp_transport, mail) != ("sent", "")
    stored = await get_mail(runtime, mail_id)
    assert stored is not None and stored.state == "queued" and stored.attempts == 1
    assert "SMTPConnect" in stored.last_error
    assert stored.next_attempt_at >= before + timedelta(seconds=FIRST_DELAY)
    assert await claim_next(runtime) is None  # not before the back-off
    smtp.start()
    later = stored.next_attempt_at + timedelta(seconds=1)
    again = await claim_next(runtime, now=later)
    assert again is not None and again.id == mail_id and again.attempts == 2
    assert await deliver_claimed(runtime, smtp_transport, again) == ("sent", "")
    [got] = smtp.received
    assert got.message_id == stored.message_id
    counts = await status(runtime)
    assert counts == {
        "queued": 0,
        "sending": 0,
        "sent": 1,
        "failed": 0,
        "unknown": 0,
        "cancelled": 0,
    }


async def test_a_greylisting_server_gets_the_mail_on_a_later_try(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    mail_id = await enqueue(runtime, invitation())
    smtp.handler.refuse_next = 2
    smtp_transport = transport(runtime, smtp.url)
    moment = datetime.now(UTC)
    states = []
    for _ in range(3):
        moment += timedelta(hours=1)
        mail = await claim_next(runtime, now=moment)
        assert mail is not None and mail.id == mail_id
        states.append(await deliver_claimed(runtime, smtp_transport, mail))
    assert states[0] == ("queued", "451 4.7.1 Greylisted, try again later")
    assert states[1][0] == "queued" and states[2] == ("sent", "")
    assert len(smtp.received) == 1


async def test_a_recipient_refused_for_good_is_failed_and_listed(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    await enqueue(runtime, invitation(ref="a", recipient="gone@example.org"))
    await enqueue(runtime, invitation(ref="b", recipient="here@example.org"))
    smtp.handler.refused.add("gone@example.org")
    sender = MailSender(runtime, transport(runtime, smtp.url), rate=50)
    assert [await sender.send_next(), await sender.send_next()] == ["failed", "sent"]
    [problem] = await problems(runtime)
    assert problem.recipient == "gone@example.org" and problem.state == "failed"
    assert problem.last_error == "550 5.1.1 No such mailbox here"
    assert [got.recipients for got in smtp.received] == [["here@example.org"]]


async def test_a_mail_whose_answer_never_came_is_unknown_and_not_sent_again(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    mail_id = await enqueue(runtime, invitation())
    smtp.handler.stall_data = 2.0  # the server has the mail, its answer does not come
    hung = SmtpTransport(smtp.url, runtime.settings.mail_from, timeout=0.5)
    mail = await claim_next(runtime)
    assert mail is not None
    state, error = await deliver_claimed(runtime, hung, mail)
    assert state == "unknown" and "Timeout" in error
    stored = await get_mail(runtime, mail_id)
    assert stored is not None and stored.state == "unknown"
    assert len(smtp.received) == 1  # it did arrive: sending it again would be a second copy
    assert await claim_next(runtime, now=datetime.now(UTC) + timedelta(days=1)) is None
    [problem] = await problems(runtime)
    assert problem.id == mail_id


async def test_a_unicode_domain_is_sent_in_its_idna_form(
    runtime: Runtime, smtp: SmtpServer
) -> None:
    await enqueue(runtime, invitation(recipient="max@bürger.example"))
    sender = MailSender(runtime, transport(runtime, smtp.url), rate=50)
    assert await sender.send_next() == "sent"
    [got] = smtp.received
    assert got.recipients == ["max@xn--brger-kva.example"]
    assert got.message["To"] == "max@xn--brger-kva.example"
