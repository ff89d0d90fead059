"""The public audience of a series: who signed up for which events, under which
version of the consent text, what they did when (the consent log), and the
invitation runs sent to them.

Kept apart from store/tables.py, which holds the event itself; both share its Base.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from podium.store.tables import NEVER_REUSED, Base, utcnow


class ConsentText(Base):
    """One version of a series' consent text. Versions are never changed or deleted
    while a consent refers to them: an edit adds the next version."""

    __tablename__ = "consent_texts"
    __table_args__ = (
        UniqueConstraint("series_id", "version", name="uq_consent_texts_series_version"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text_de: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Subscriber(Base):
    """An address that signed up for a series (or some of its events). `pending`
    until the confirmation link is followed; `withdrawn` once unsubscribed (kept, with
    its log, until an organiser deletes it on request or the sign-up is renewed)."""

    __tablename__ = "subscribers"
    __table_args__ = (
        UniqueConstraint("series_id", "email_key", name="uq_subscribers_series_email"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # as typed
    email_key: Mapped[str] = mapped_column(String(254))  # compared: lower-cased
    lang: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    state: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    whole_series: Mapped[bool] = mapped_column(Boolean, default=True)
    consent_version: Mapped[int] = mapped_column(Integer)
    # sha256 of the confirmation link's secret: the link itself is only in the mail
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # in every mail's unsubscribe link, so kept as it is (it can only unsubscribe)
    unsubscribe_key: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when the last confirmation mail was queued: at most one an hour per address
    last_mail_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubscriberEvent(Base):
    """A single event a subscriber chose (when not the whole series)."""

    __tablename__ = "subscriber_events"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ConsentLogEntry(Base):
    """What a subscriber did when: requested, confirmed, withdrawn, ... with the
    consent text's version and the scope as it read then (event titles included, so
    that the log still says what was agreed to after an event is gone)."""

    __tablename__ = "consent_log"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    consent_version: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # only with PODIUM_SIGNUP_STORE_IP (off by default)
    ip: Mapped[str | None] = mapped_column(String(45))


class MailRun(Base):
    """An invitation (or the day-before reminder) to one event, sent to everyone who
    consented to it. Its mails are in the mail queue with this run's id."""

    __tablename__ = "mail_runs"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="invitation")
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default="sending", server_default="sending")
    recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# Importing this module registers its tables on Base.metadata: the migrations' env and
# the tests that compare the schema import it.
__all__ = ["ConsentLogEntry", "ConsentText", "MailRun", "Subscriber", "SubscriberEvent"]
