"""A public series with an upcoming public event and subscribers in every state, made
directly in the tables (the sign-up is another module's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from podium.domain.subscription import new_secret
from podium.runtime import Runtime
from podium.services import accounts, catalog
from podium.services.invitation_audience import set_reminder
from podium.store.audience_tables import Subscriber, SubscriberEvent

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # a Monday, 12:00 in Berlin
START = datetime(2026, 5, 12, 17, 0, tzinfo=UTC)  # Tuesday week, 19:00 in Berlin


@dataclass(frozen=True)
class Audience:
    series_id: int
    series_slug: str
    event_id: int
    event_slug: str
    other_event_id: int
    user_id: int
    # subscriber ids by what they are
    whole: int
    chose_this: int
    english: int
    pending: int
    withdrawn: int
    chose_other: int
    other_series: int


async def add_subscriber(
    rt: Runtime,
    series_id: int,
    email: str,
    state: str = "confirmed",
    whole_series: bool = True,
    events: tuple[int, ...] = (),
    lang: str = "de",
) -> int:
    async with rt.sessions() as session, session.begin():
        row = Subscriber(
            series_id=series_id,
            email=email,
            email_key=email.lower(),
            lang=lang,
            state=state,
            whole_series=whole_series,
            consent_version=1,
            unsubscribe_key=new_secret(),
            confirmed_at=NOW if state != "pending" else None,
            withdrawn_at=NOW if state == "withdrawn" else None,
        )
        session.add(row)
        await session.flush()
        for event_id in events:
            session.add(SubscriberEvent(subscriber_id=row.id, event_id=event_id))
        return row.id


async def audience(
    rt: Runtime,
    start: datetime = START,
    reminder: bool = False,
    join_link_public: bool = False,
    user_id: int | None = None,
) -> Audience:
    series = await catalog.create_series(rt, "Digitale Reihe", "Vier Termine", public=True)
    event = await catalog.create_event(
        rt,
        "Digitale Verwaltung",
        series_id=series.id,
        description="Wie weiter nach außen?",
        format="Online-Podium",
        starts_at=start,
        public=True,
        join_link_public=join_link_public,
    )
    other = await catalog.create_event(
        rt, "Dritte", series_id=series.id, starts_at=start + timedelta(days=30), public=True
    )
    elsewhere = await catalog.create_series(rt, "Andere Reihe", public=True)
    if reminder:
        await set_reminder(rt, event.id, True)
    if user_id is None:
        user = await accounts.create_user(rt, "orga@example.org", "correct horse battery", "Orga")
        user_id = user.id
    s = series.id
    return Audience(
        series_id=s,
        series_slug=series.slug,
        event_id=event.id,
        event_slug=event.slug,
        other_event_id=other.id,
        user_id=user_id,
        whole=await add_subscriber(rt, s, "ganz@example.org"),
        chose_this=await add_subscriber(
            rt, s, "diese@example.org", whole_series=False, events=(event.id,)
        ),
        english=await add_subscriber(rt, s, "anna@example.org", lang="en"),
        pending=await add_subscriber(rt, s, "offen@example.org", state="pending"),
        withdrawn=await add_subscriber(rt, s, "weg@example.org", state="withdrawn"),
        chose_other=await add_subscriber(
            rt, s, "andere@example.org", whole_series=False, events=(other.id,)
        ),
        other_series=await add_subscriber(rt, elsewhere.id, "fremd@example.org"),
    )
