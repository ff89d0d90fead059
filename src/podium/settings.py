"""Settings from the environment (PODIUM_*), with safe defaults for the embedded mode."""

from __future__ import annotations

import os
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Shorter keys can be guessed offline from one signed session cookie.
MIN_SECRET_KEY_BYTES = 32
# Values from our own documentation: copied as they are, they would let anybody who
# read it sign session cookies.
PLACEHOLDER_PREFIXES = ("change-me", "...", "\u2026")
MAKE_SECRET_KEY = "podium secret-key"


def secret_key_problem(key: str) -> str | None:
    """Why `key` must not sign session cookies, or None when it may."""
    if not key:
        return "is not set"
    if key.strip().lower().startswith(PLACEHOLDER_PREFIXES):
        return "is the placeholder from the documentation (anybody could forge sessions)"
    size = len(key.encode())
    if size < MIN_SECRET_KEY_BYTES:
        return f"is too short ({size} bytes, at least {MIN_SECRET_KEY_BYTES})"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PODIUM_", extra="ignore")

    database_url: str = Field(
        "sqlite:///podium.db",
        description="SQLite file (default) or postgresql://user@host/db",
    )
    redis_url: str = Field(
        "",
        description="redis://host:6379/0 to share live updates between several processes; "
        "empty: one process, in-process broadcast",
    )
    redis_channel: str = Field(
        "podium", description="Redis pub/sub channel; processes of one installation share it"
    )
    secret_key: str = Field(
        "",
        description="signs session cookies: at least 32 bytes, the same on every process "
        "(`podium secret-key` makes one); `podium serve` refuses to start without it",
    )
    base_url: str = Field(
        "http://127.0.0.1:8000", description="public address, used in links and QR codes"
    )
    organisation: str = Field(
        "", description="the organising body, named on the title page of every report"
    )
    report_logo: str = Field(
        "", description="an SVG or PNG file: the organisation's logo on reports' title pages"
    )
    default_language: str = Field("de", description="language when the browser states none we have")
    secure_cookies: bool = Field(
        False, description="mark cookies Secure; always on when base_url is https"
    )
    screen_tick: float = Field(
        0.25, description="seconds between result frames to presenter screens"
    )
    device_tick: float = Field(1.0, description="seconds between result frames to participants")
    heartbeat: float = Field(20.0, description="seconds between SSE heartbeat comments")
    reconcile_interval: float = Field(
        30.0,
        gt=0,
        description="with Redis: seconds between checks that the live tallies hold every "
        "stored answer (a process killed between a commit and its publish)",
    )
    evict_after: float = Field(
        1800.0,
        gt=0,
        description="seconds after which an event without open streams and requests is "
        "dropped from memory (it is loaded again on its next request)",
    )
    metrics_token: str = Field(
        "", description="Bearer token that lets other hosts read /metrics; empty: only this host"
    )
    metrics_allow: str = Field(
        "",
        description="addresses or networks (comma-separated, e.g. 10.0.0.5,10.1.0.0/16) that "
        "may read /metrics without the token; empty: only this host",
    )
    frame_ancestors: str = Field(
        "",
        description="origins (space-separated, e.g. https://bbb.example.org) whose pages may "
        "show presenter views in a frame (BigBlueButton, Jitsi, Teams, an intranet); empty: "
        "none, unless an event lists its own",
    )
    writer_queue: int = Field(
        4000,
        gt=0,
        description="answers that may wait for the database at once; more are refused at "
        "once with 503 and Retry-After (2 s of the 2,000 answers/s target, a fraction of "
        "a second at the rate the writer commits: docs/BENCHMARKS.md)",
    )

    smtp_url: str = Field(
        "",
        description="smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 "
        "(TLS from the start) or smtp://host:25 without credentials; empty: mails are written "
        "to the outbox folder as .eml files instead of being sent",
    )
    mail_from: str = Field(
        "podium@localhost", description="the From address of every mail podium sends"
    )
    mail_reply_to: str = Field(
        "", description="where replies to podium's mails go (the organisers); empty: none"
    )
    mail_outbox: str = Field(
        "",
        description="folder for the .eml files while no smtp_url is set; empty: `outbox` "
        "beside the SQLite database, or ./outbox",
    )
    mail_rate: float = Field(
        5.0, gt=0, description="mails per second at most (many providers limit the rate)"
    )

    mail_timeout: float = Field(
        30.0, gt=0, description="seconds an SMTP connection or transaction may take"
    )

    confirm_hours: int = Field(
        48, gt=0, description="hours a sign-up's confirmation link stays valid (single use)"
    )
    unconfirmed_days: int = Field(
        14,
        gt=0,
        le=14,
        description="days after which a sign-up that was never confirmed is deleted (14 at most)",
    )
    signup_store_ip: bool = Field(
        False,
        description="store the visitor's IP address with each entry of the consent log, as "
        "proof of who signed up; off: podium stores no IP address at all (docs/OPERATIONS.md "
        "weighs the two)",
    )
    signup_per_hour: int = Field(
        20,
        gt=0,
        description="sign-ups per hour from one client address (against bots; a sign-up form "
        "is not filled in faster by people)",
    )

    legal_name: str = Field(
        "",
        description="who runs this server (the responsible body) for the imprint and the "
        "privacy notice; empty: `organisation`",
    )
    legal_address: str = Field(
        "", description="its postal address, lines separated by `;` or newlines"
    )
    legal_email: str = Field("", description="its contact e-mail address")
    legal_phone: str = Field("", description="its contact telephone number")
    legal_representative: str = Field(
        "", description="who represents it (the imprint's Vertretungsberechtigte)"
    )
    legal_dpo: str = Field(
        "", description="how to reach its data-protection officer (name, address or e-mail)"
    )
    accessibility_contact: str = Field(
        "",
        description="where to report accessibility barriers (e-mail); empty: legal_email",
    )
    accessibility_enforcement: str = Field(
        "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG), "
        "https://www.schlichtungsstelle-bgg.de",
        description="the enforcement procedure named in the accessibility statement (a "
        "Land's body for its public bodies)",
    )
    answers_retention_days: int = Field(
        0,
        ge=0,
        description="days after an event's start when its answers and contributions are "
        "deleted by the server itself; 0: kept until an organiser deletes them or runs "
        "`podium purge`",
    )
    participant_tokens_burst: int = Field(
        300,
        ge=0,
        description="participant tokens one client address gets at once (a room of phones "
        "behind one NAT); then `participant_tokens_per_second`; 0: no limit; per process",
    )
    participant_tokens_per_second: float = Field(
        3.0, ge=0, description="how fast an address's participant tokens come back"
    )
    join_code_failures: int = Field(
        30,
        ge=0,
        description="wrong join or access codes one client address may try in ten minutes "
        "before it waits (the right code never counts); 0: no limit; per process",
    )

    @model_validator(mode="after")
    def _secure_behind_https(self) -> Self:
        # A public https address means browsers reach us over TLS: a cookie that could
        # also travel over plain HTTP would only be a session waiting to leak.
        if self.base_url.lower().startswith("https://"):
            self.secure_cookies = True
        return self

    def outbox_folder(self) -> str:
        """Where mails go without an SMTP server."""
        if self.mail_outbox:
            return self.mail_outbox
        url = self.database_url
        if url.startswith("sqlite") and ":///" in url:
            path = url.split(":///", 1)[1].split("?", 1)[0]
            if path and path != ":memory:":
                return os.path.join(os.path.dirname(path) or ".", "outbox")
        return "outbox"
