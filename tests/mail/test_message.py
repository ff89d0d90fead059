"""The message built from a queued mail, read back by the e-mail parser as a mail
client would: its headers, its two text parts, and the calendar file."""

from __future__ import annotations

from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest

from podium.mail.message import UnsafeHeader, build_message
from podium.settings import Settings
from tests.mail.mail_helpers import ICS, NOW, invitation, queued

SETTINGS = Settings(
    mail_from="podium@stadt.example",
    mail_reply_to="buergerdialog@stadt.example",
    legal_name="Stadt Musterstadt, Amt für Beteiligung",
)


def parsed(message: EmailMessage) -> EmailMessage:
    data = message.as_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # SMTP line ends
    result = message_from_bytes(data, policy=default)
    assert isinstance(result, EmailMessage)
    return result


def unix(text: str) -> str:
    """The parser keeps the wire's CRLF in a part's text."""
    return text.replace("\r\n", "\n")


def test_an_invitation_carries_every_header_both_parts_and_the_calendar() -> None:
    mail = parsed(build_message(queued(invitation()), SETTINGS, now=NOW))
    assert mail["From"] == '"Stadt Musterstadt, Amt für Beteiligung" <podium@stadt.example>'
    assert mail["From"].addresses[0].addr_spec == "podium@stadt.example"
    assert mail["To"] == "max@example.org"
    assert mail["Reply-To"] == "buergerdialog@stadt.example"
    assert mail["Subject"] == "Einladung: Bürgerdialog Mobilität"
    assert mail["Date"] == "Thu, 03 Dec 2026 09:00:00 +0000"
    assert mail["Message-ID"] == "<abc.1@podium.example.org>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Content-Language"] == "de"
    assert mail["List-Unsubscribe"] == "<https://podium.example.org/s/reihe/unsubscribe/k1>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "multipart/mixed"
    body = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert body is not None and html is not None
    assert unix(body.get_content()) == "Guten Tag,\n\nwir laden Sie ein.\n"
    assert unix(html.get_content()).strip() == "<p>Guten Tag,</p><p>wir laden <b>Sie</b> ein.</p>"
    [ics] = list(mail.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"
    assert ics.get_filename() == "veranstaltung.ics"
    assert unix(ics.get_content()) == unix(ICS)


def test_a_plain_mail_is_one_text_part_without_reply_to_when_none_is_set() -> None:
    draft = invitation(html="", attachments=(), headers={})
    settings = Settings(mail_from="podium@stadt.example", organisation="Musterstadt")
    mail = parsed(build_message(queued(draft), settings, now=NOW))
    assert mail.get_content_type() == "text/plain"
    assert unix(mail.get_content()) == "Guten Tag,\n\nwir laden Sie ein.\n"
    assert mail["Reply-To"] is None and mail["List-Unsubscribe"] is None
    assert mail["From"] == "Musterstadt <podium@stadt.example>"


def test_without_a_name_the_sender_is_the_bare_address() -> None:
    mail = parsed(build_message(queued(invitation()), Settings(), now=NOW))
    assert mail["From"] == "podium@localhost"


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": "Hallo\r\nBcc: viele@example.org"},
        {"recipient": "max@example.org\nBcc: viele@example.org"},
        {"headers": {"List-Unsubscribe": "<https://x.example>\r\nBcc: viele@example.org"}},
        {"headers": {"Bcc": "viele@example.org"}},
        {"headers": {"X-Bad\r\nBcc": "viele@example.org"}},
    ],
)
def test_a_header_that_could_add_lines_or_recipients_is_refused(changes: dict[str, object]) -> None:
    # The queue refuses these already; the message is built from stored rows, checked again.
    with pytest.raises(UnsafeHeader):
        build_message(queued(invitation(**changes)), SETTINGS, now=NOW)


def test_a_unicode_domain_is_written_in_its_idna_form() -> None:
    mail = parsed(build_message(queued(invitation(recipient="max@bürger.example")), SETTINGS))
    assert mail["To"] == "max@xn--brger-kva.example"


def test_the_message_is_seven_bit() -> None:
    data = build_message(queued(invitation()), SETTINGS, now=NOW).as_bytes()
    assert data.isascii()  # any server takes it, 8BITMIME or not


def test_a_long_unsubscribe_address_goes_out_as_one_plain_line() -> None:
    """A series with a long slug: folded, Python would write RFC 2047 encoded-words,
    which no mail client reads as the unsubscribe URL."""
    url = (
        "https://podium.example.org/s/qualitaetsarbeit-im-sgb-ii-chancen-im-wandel-nutzen"
        "/unsubscribe/PF7301K5RCSjxqnPo8LWZ6l1bjLGQQXYFPz7dTely4M"
    )
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    data = build_message(queued(invitation(headers=headers)), SETTINGS, now=NOW).as_bytes()
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in data
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in data
    assert b"=?utf-8?q?=3Chttps" not in data
    assert (
        parsed(build_message(queued(invitation(headers=headers)), SETTINGS, now=NOW))[
            "List-Unsubscribe"
        ]
        == f"<{url}>"
    )
