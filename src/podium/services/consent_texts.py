"""A series' consent texts: every version kept, an edit adds the next one.

A series whose organiser never wrote one gets the default text (domain/consent_text.py,
naming the responsible body from the settings) saved as version 1 the first time it
is needed, so that every consent in the log points at a stored text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from podium.domain.consent_text import checked_wording, default_consent, wording_for
from podium.domain.errors import NotFound
from podium.services.catalog_common import as_utc
from podium.services.context import Context
from podium.settings import Settings
from podium.store.audience_tables import ConsentText
from podium.store.tables import Series

ATTEMPTS = 5  # two first uses (or two edits) at once: the second takes the next number


@dataclass(frozen=True)
class ConsentVersion:
    series_id: int
    version: int
    text_de: str
    text_en: str
    created_at: datetime

    def text(self, lang: str) -> str:
        return wording_for(self.text_de, self.text_en, lang)


def _version(row: ConsentText) -> ConsentVersion:
    created = as_utc(row.created_at)
    assert created is not None
    return ConsentVersion(row.series_id, row.version, row.text_de, row.text_en, created)


def responsible(settings: Settings) -> str:
    return settings.legal_name or settings.organisation


async def _latest(session: AsyncSession, series_id: int) -> ConsentText | None:
    row: ConsentText | None = await session.scalar(
        select(ConsentText)
        .where(ConsentText.series_id == series_id)
        .order_by(ConsentText.version.desc())
        .limit(1)
    )
    return row


async def current_in(session: AsyncSession, settings: Settings, series_id: int) -> ConsentVersion:
    """The current version inside the caller's transaction; the default saved as
    version 1 when there is none (a concurrent first use: IntegrityError, retried by
    the caller's whole transaction)."""
    row = await _latest(session, series_id)
    if row is not None:
        return _version(row)
    title = await session.scalar(select(Series.title).where(Series.id == series_id))
    if title is None:
        raise NotFound("unknown_series")
    wording = default_consent(
        responsible(settings), title, settings.unconfirmed_days, settings.signup_store_ip
    )
    row = ConsentText(
        series_id=series_id, version=1, text_de=wording.text_de, text_en=wording.text_en
    )
    session.add(row)
    await session.flush()
    return _version(row)


async def current_consent(rt: Context, series_id: int) -> ConsentVersion:
    for attempt in range(ATTEMPTS):
        try:
            async with rt.sessions() as session, session.begin():
                return await current_in(session, rt.settings, series_id)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def save_consent(
    rt: Context, series_id: int, text_de: str, text_en: str, user_id: int | None = None
) -> ConsentVersion:
    """A new version (the old ones stay as they are). The same text again adds none."""
    wording = checked_wording(text_de, text_en)
    for attempt in range(ATTEMPTS):
        try:
            async with rt.sessions() as session, session.begin():
                if await session.get(Series, series_id) is None:
                    raise NotFound("unknown_series")
                latest = await _latest(session, series_id)
                if latest is not None and (latest.text_de, latest.text_en) == (
                    wording.text_de,
                    wording.text_en,
                ):
                    return _version(latest)
                row = ConsentText(
                    series_id=series_id,
                    version=(latest.version if latest else 0) + 1,
                    text_de=wording.text_de,
                    text_en=wording.text_en,
                    created_by=user_id,
                )
                session.add(row)
                await session.flush()
                return _version(row)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def consent_versions(rt: Context, series_id: int) -> list[ConsentVersion]:
    """Every version of the series, the newest first."""
    async with rt.sessions() as session:
        rows = await session.scalars(
            select(ConsentText)
            .where(ConsentText.series_id == series_id)
            .order_by(ConsentText.version.desc())
        )
        return [_version(r) for r in rows]
