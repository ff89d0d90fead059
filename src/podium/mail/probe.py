"""The test mail of `podium mail test`: queued like any other mail (so that it is
built and recorded the same way), then sent at once, with one try only: whoever
runs the command wants to know now, not get the mail hours later."""

from __future__ import annotations

import asyncio
import secrets
import time

from podium.mail.sender import deliver_claimed
from podium.mail.templating import render_mail, translated
from podium.mail.transport import Transport
from podium.services.context import Context
from podium.services.mail_queue import Draft, Mail, claim_next, enqueue, get_mail
from podium.settings import Settings


def N_(message: str) -> str:
    """Marks a message for extraction; translated when the mail is made."""
    return message


SUBJECT = N_("Test mail from podium")
WAIT_FOR_OTHER = 30.0  # seconds: a running server's sender may have taken it first


def test_draft(settings: Settings, address: str) -> Draft:
    lang = settings.default_language
    subject = translated(lang, SUBJECT)
    text, html = render_mail(
        "test_mail",
        lang,
        subject=subject,
        base_url=settings.base_url,
        sender=settings.legal_name or settings.organisation,
        unsubscribe_url="",
    )
    return Draft(
        kind="test",
        ref=f"test-{secrets.token_hex(8)}",
        recipient=address,
        lang=lang,
        subject=subject,
        text=text,
        html=html,
    )


async def send_test_mail(rt: Context, transport: Transport, address: str) -> tuple[Mail, str]:
    """Queue and send the test mail; the mail as recorded after the try, and the error."""
    mail_id = await enqueue(rt, test_draft(rt.settings, address))
    claimed = await claim_next(rt, only=mail_id)
    error = ""
    if claimed is not None:
        _, error = await deliver_claimed(rt, transport, claimed, give_up=True)
    deadline = time.monotonic() + WAIT_FOR_OTHER
    while True:
        mail = await get_mail(rt, mail_id)
        if mail is None:
            raise LookupError(f"mail {mail_id} left the queue")
        if mail.state not in ("queued", "sending") or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    return mail, error or mail.last_error
