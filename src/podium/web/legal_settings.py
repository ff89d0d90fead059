"""The legal pages' plain values: the server's settings, and the lifetimes of the
cookies as the web layer sets them (tests/web/test_legal_pages.py checks that these
match the cookies really set)."""

from __future__ import annotations

from podium.domain.legal_facts import LegalSettings
from podium.domain.web_session import LIFETIME_HOURS
from podium.settings import Settings

PARTICIPANT_COOKIE_DAYS = 30  # web/security.give_participant_cookie
SESSION_HOURS = LIFETIME_HOURS  # domain/web_session: a session's absolute lifetime
LANGUAGE_COOKIE_DAYS = 365  # web/routes/auth.py, POST /lang


def legal_settings(settings: Settings) -> LegalSettings:
    return LegalSettings(
        name=settings.legal_name,
        organisation=settings.organisation,
        address=settings.legal_address,
        representative=settings.legal_representative,
        email=settings.legal_email,
        phone=settings.legal_phone,
        dpo=settings.legal_dpo,
        accessibility_contact=settings.accessibility_contact,
        enforcement=settings.accessibility_enforcement,
        store_ip=settings.signup_store_ip,
        unconfirmed_days=settings.unconfirmed_days,
        confirm_hours=settings.confirm_hours,
        signups_per_hour=settings.signup_per_hour,
        retention_days=settings.answers_retention_days,
        smtp=bool(settings.smtp_url.strip()),
        participant_cookie_days=PARTICIPANT_COOKIE_DAYS,
        session_hours=SESSION_HOURS,
        language_cookie_days=LANGUAGE_COOKIE_DAYS,
    )
