"""A public series with upcoming events to sign up for, and a plain `compose` that
puts the link's secret in the mail's text, as the real one does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from podium.runtime import Runtime
from podium.services import catalog
from podium.services.mail_queue import Draft
from podium.services.subscriptions import ConfirmationRequest
from podium.store.tables import MailRow


@dataclass(frozen=True)
class Signable:
    series_id: int
    slug: str
    first: int  # event ids
    second: int
    private: int
    past: int
    now: datetime


async def signable_series(rt: Runtime, title: str = "Digitale Reihe") -> Signable:
    now = datetime.now(UTC).replace(microsecond=0)
    series = await catalog.create_series(rt, title, "Vier Termine im Jahr", public=True)

    async def event(name: str, days: int, public: bool = True) -> int:
        made = await catalog.create_event(
            rt, name, series_id=series.id, starts_at=now + timedelta(days=days), public=public
        )
        return made.id

    return Signable(
        series.id,
        series.slug,
        await event("Beratung", 10),
        await event("Führung", 40),
        await event("Intern", 20, public=False),
        await event("Auftakt", -30),
        now,
    )


def compose(request: ConfirmationRequest) -> Draft:
    return Draft(
        kind="confirm",
        ref=f"confirm:{request.subscriber_id}:{request.token_hash[:16]}",
        recipient=request.recipient,
        lang=request.lang,
        subject=f"Bitte bestätigen: {request.series_title}",
        text=f"/s/{request.series_slug}/confirm/{request.token}",
    )


async def mails(rt: Runtime) -> list[MailRow]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(MailRow).order_by(MailRow.id)))


def token_of(mail: MailRow) -> str:
    return mail.text.rsplit("/", 1)[1]
