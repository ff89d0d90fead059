"""The organiser's overview says when mails are not sent but written to the outbox
folder (no SMTP server set), and how many mails failed or may not have arrived."""

from __future__ import annotations

import html
import os

from fastapi.testclient import TestClient

from podium.app import create_app
from podium.services import accounts
from podium.services.mail_queue import Draft, claim_next, enqueue, mark_retry
from podium.settings import Settings
from tests.web.conftest import PASSWORD, Harness
from tests.web.organiser_helpers import Admin, admin

__all__ = ["admin"]


def notice(page: str) -> str:
    start = page.find('id="mail-mode"')
    return html.unescape(page[start : page.find("</div>", start)]) if start >= 0 else ""


async def one_failed_mail(h: Harness) -> None:
    draft = Draft(
        kind="test", ref="t1", recipient="gone@example.org", lang="de", subject="S", text="T"
    )
    await enqueue(h.rt, draft)
    mail = await claim_next(h.rt)
    assert mail is not None
    await mark_retry(h.rt, mail, "550 No such mailbox", permanent=True)


def test_without_smtp_the_overview_names_the_outbox_folder(admin: Admin) -> None:
    folder = os.path.abspath(admin.h.rt.settings.outbox_folder())
    text = notice(admin.get("/admin").text)
    assert "Mails are not sent." in text
    assert f"writes every mail as an .eml file to the folder {folder} on the server" in text
    assert "could not be sent" not in text


def test_the_overview_counts_failed_mails(admin: Admin) -> None:
    admin.h.run(one_failed_mail, admin.h)
    text = notice(admin.get("/admin").text)
    assert "1 mail could not be sent." in text
    assert "podium mail status" in text


def test_with_smtp_and_nothing_failed_the_overview_says_nothing_of_mail(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:1"}))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        h = Harness(client, app.state.runtime)
        h.run(accounts.create_user, h.rt, "orga@example.org", PASSWORD, "Orga")
        h.login()
        page = client.get("/admin").text
    assert 'id="mail-mode"' not in page
