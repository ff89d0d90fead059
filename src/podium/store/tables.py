"""The tables. Portable SQL only: the same models run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# SQLite gives a deleted row's id (the highest) to the next row unless the table says
# AUTOINCREMENT. Ids name rows outside the database (URLs, cookies, the live caches, the
# writer's participant cache, hub messages), so none is ever given twice. PostgreSQL's
# sequences never give one twice anyway; the option means nothing there.
NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}


class Organisation(Base):
    """A department or job centre: its organisers see and change only its series and
    events (domain/access.py)."""

    __tablename__ = "organisations"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    # "administrator" manages organisations and accounts and sees everything;
    # "organiser" manages its organisation's series, events and questions;
    # "moderator" runs the events assigned (domain/access.py).
    role: Mapped[str] = mapped_column(String(20), default="organiser")
    # None only for administrators (services/accounts.py enforces it)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    # a deactivated account cannot sign in, and its sessions end at once
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Series(Base):
    __tablename__ = "series"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # shown on /s/{slug} to everyone (off until the organiser turns it on)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # whose it is; None: only administrators see it (the services always set one)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )

    events: Mapped[list[Event]] = relationship(
        back_populates="series", order_by="Event.starts_at, Event.position"
    )


class Event(Base):
    __tablename__ = "events"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )
    # whose it is (the same as its series'); None: only administrators see it
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(200), default="")  # "Online-Podium", venue, ...
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(5), default="de")
    position: Mapped[int] = mapped_column(Integer, default=0)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    presenter_token: Mapped[str] = mapped_column(String(64), unique=True)
    # Live state: the question the moderator shows right now. No foreign key, so that
    # events and questions do not depend on each other; deleting a question clears it.
    current_question_id: Mapped[int | None] = mapped_column(Integer)
    # Written contributions to the panel (domain/contributions.py)
    contributions_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    moderation: Mapped[str] = mapped_column(String(10), default="pre", server_default="pre")
    panelists: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # this event's edits of the shipped blocklist: words added, shipped words allowed
    blocked_words: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    allowed_words: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # what the presenter screen shows: the current poll, or the approved contributions
    screen_mode: Mapped[str] = mapped_column(String(20), default="poll", server_default="poll")
    # whether the presenter screen shows how many participants are connected
    screen_shows_participants: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # On the series' public page (when the series is public too); its join link only
    # when the organiser says so (on the day, say); a cancelled event stays listed as
    # cancelled; calendars take a change only with a higher sequence (RFC 5545).
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    join_link_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # mail its subscribers a reminder the day before (services/invitations.py)
    reminder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # origins that may show its presenter view in a frame (besides the server's list)
    frame_ancestors: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # optional: participants type it to join (what it does and does not prevent: docs)
    access_code: Mapped[str | None] = mapped_column(String(64))
    # The public results link (services/publication.py): its secret, and the options
    # the organiser published with it (questions, open texts, contributions). None: not
    # published; a new secret on every publishing, so that a revoked link stays dead.
    results_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    results_options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Salts the hashes of its participants' tokens (services/participation.token_hash):
    # random per event, so that a participant's key never rests on an id alone. Events
    # made before migration 0004 have their id as salt, which their stored hashes used.
    participant_salt: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    series: Mapped[Series | None] = relationship(back_populates="events")
    questions: Mapped[list[Question]] = relationship(
        back_populates="event",
        order_by="Question.position",
        foreign_keys="Question.event_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    # Set by the organiser: the same key on questions of several events of a series
    # compares their answers side by side (services/series_results.py)
    match_key: Mapped[str | None] = mapped_column(String(80))
    # Type-specific settings: max_choices, percent_base, scale bounds and labels, max_words, ...
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    allow_change: Mapped[bool] = mapped_column(Boolean, default=True)
    voting_open: Mapped[bool] = mapped_column(Boolean, default=False)
    results_on_screen: Mapped[bool] = mapped_column(Boolean, default=False)
    results_on_devices: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="questions", foreign_keys=[event_id])
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question",
        order_by="QuestionOption.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class QuestionOption(Base):
    __tablename__ = "options"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="options")


class Participant(Base):
    """Anonymous: a hash of the random token in the participant's cookie, nothing else."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "token_hash"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(Base):
    """Every answer given; a changed answer supersedes the earlier row, which is kept.

    The database enforces one row per client answer id and one current
    (not superseded) answer per participant and question.
    """

    __tablename__ = "answers"
    __table_args__ = (
        Index(
            "uq_answers_current",
            "question_id",
            "participant_id",
            unique=True,
            sqlite_where=text("superseded = 0"),
            postgresql_where=text("superseded = false"),
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[str] = mapped_column(String(64), unique=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSON)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EventModerator(Base):
    __tablename__ = "event_moderators"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class Contribution(Base):
    """A question or statement sent to the panel. `text` is what is shown; when a
    moderator corrects a typo, the participant's own words stay in `original_text`.
    `version` grows with every moderation, so that a moderator acting on what they saw
    learns when someone else acted first. `votes` is the count of its rows in
    contribution_votes, kept in the transaction that changes them."""

    __tablename__ = "contributions"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    original_text: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(100))
    panelist: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10))
    highlighted: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContributionVote(Base):
    """One upvote per participant and contribution: the primary key says so."""

    __tablename__ = "contribution_votes"

    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParticipantBan(Base):
    """A participant token that may send no more contributions to this event."""

    __tablename__ = "participant_bans"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WordEditRow(Base):
    """A moderator's merge or hide of a word cloud's word; kept when undone (the audit
    trail: who did what when, and who undid it)."""

    __tablename__ = "word_edits"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))
    word_key: Mapped[str] = mapped_column(String(200))
    into_key: Mapped[str | None] = mapped_column(String(200))
    # the words as shown when it was done, for the audit trail
    word: Mapped[str] = mapped_column(String(200))
    into_word: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MailRow(Base):
    """A mail accepted for sending. Its state is written before the SMTP transaction
    (sending) and after it (sent), so that a sender restarted after a crash knows
    which mails may have gone: nothing is sent twice, nothing is lost. `kind` and
    `ref` name what it is for (an invitation to one subscriber, say), once."""

    __tablename__ = "mail_queue"
    __table_args__ = (
        UniqueConstraint("kind", "ref", name="uq_mail_queue_kind_ref"),
        Index("ix_mail_queue_state", "state", "next_attempt_at"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str | None] = mapped_column(String(120))
    recipient: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="", server_default="")
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    message_id: Mapped[str] = mapped_column(String(200))
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the invitation run it belongs to (store/audience_tables.MailRun), for its progress;
    # no foreign key: the record of a sent mail outlives its event
    run_id: Mapped[int | None] = mapped_column(Integer, index=True)


class SessionRow(Base):
    """A signed-in browser. The cookie holds a random secret; this row holds its
    sha256, so that ending a session (logout, password change, deactivation, an
    administrator's "end all sessions") holds at once on every process."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccountLog(Base):
    """Every change of an account: who did what to whom, when. The names are copied,
    so that the log still reads after an account is deleted."""

    __tablename__ = "account_log"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(254))  # the e-mail, or "cli"
    account: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))  # invited, role, deactivated, ...
    detail: Mapped[str] = mapped_column(String(300), default="")


class AccountLink(Base):
    """A single-use link that lets an invited account set its first password, or an
    account its new one (an administrator's reset). Only the token's SHA-256 is kept:
    a copy of the database opens no account."""

    __tablename__ = "account_links"
    __table_args__ = NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
