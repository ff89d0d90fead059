"""What organiser pages say about mail: written to the outbox folder instead of being
sent (no SMTP server set), and how many mails someone should look at."""

from __future__ import annotations

import os
from dataclasses import dataclass

from podium.services.context import Context
from podium.services.mail_queue import status


@dataclass(frozen=True)
class MailMode:
    outbox: str  # the folder mails are written to; '' when they are sent by SMTP
    failed: int
    unknown: int

    @property
    def shown(self) -> bool:
        return bool(self.outbox) or self.failed + self.unknown > 0


async def mail_mode(rt: Context) -> MailMode:
    """For templates/partials/mail_mode.html (`mail_mode=await mail_mode(rt)`)."""
    counts = await status(rt)
    settings = rt.settings
    outbox = "" if settings.smtp_url else os.path.abspath(settings.outbox_folder())
    return MailMode(outbox=outbox, failed=counts["failed"], unknown=counts["unknown"])
