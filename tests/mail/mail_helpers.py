"""Queued mails for the mail tests, as the queue would hand them out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from podium.services.mail_queue import Draft, Mail

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://podium.example.org/s/reihe/unsubscribe/k1>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def invitation(ref: str = "inv-1", recipient: str = "max@example.org", **changes: Any) -> Draft:
    """An invitation with text, HTML, the unsubscribe headers and an ICS file."""
    values: dict[str, Any] = {
        "kind": "invitation",
        "ref": ref,
        "recipient": recipient,
        "lang": "de",
        "subject": "Einladung: Bürgerdialog Mobilität",
        "text": "Guten Tag,\n\nwir laden Sie ein.\n",
        "html": "<p>Guten Tag,</p><p>wir laden <b>Sie</b> ein.</p>",
        "headers": UNSUBSCRIBE,
        "attachments": [
            {
                "filename": "veranstaltung.ics",
                "content_type": "text/calendar; method=PUBLISH",
                "content": ICS,
            }
        ],
    }
    values.update(changes)
    return Draft(**values)


def queued(draft: Draft, mail_id: int = 1, message_id: str = "<abc.1@podium.example.org>") -> Mail:
    return Mail(
        id=mail_id,
        kind=draft.kind,
        ref=draft.ref,
        recipient=draft.recipient,
        lang=draft.lang,
        subject=draft.subject,
        text=draft.text,
        html=draft.html,
        headers=dict(draft.headers),
        attachments=[dict(a) for a in draft.attachments],
        state="sending",
        attempts=1,
        next_attempt_at=NOW,
        message_id=message_id,
        last_error="",
        created_at=NOW,
        sent_at=None,
        run_id=draft.run_id,
    )
