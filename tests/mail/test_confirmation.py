"""The confirmation mail: in the subscriber's language, the link and its expiry, what
was chosen, no advertising, and the one-click unsubscribe headers."""

from __future__ import annotations

from datetime import UTC, datetime

from podium.mail.confirmation import confirmation_draft
from podium.services.subscriptions import ChosenEvent, ConfirmationRequest
from podium.settings import Settings

SETTINGS = Settings(base_url="https://podium.example.org", legal_name="Stadt Musterstadt")


def request(lang: str, whole: bool = False) -> ConfirmationRequest:
    return ConfirmationRequest(
        subscriber_id=7,
        recipient="max@example.org",
        lang=lang,
        series_slug="digitale-reihe",
        series_title="Digitale Reihe",
        whole_series=whole,
        events=(ChosenEvent("Beratung & Zugang", datetime(2026, 12, 14, 17, 0, tzinfo=UTC)),),
        token="T" * 43,
        token_hash="ab" * 32,
        unsubscribe_key="K" * 43,
        expires_at=datetime(2026, 12, 6, 9, 0, tzinfo=UTC),
        unconfirmed_days=14,
    )


def test_the_german_mail_says_what_was_chosen_and_links_once() -> None:
    draft = confirmation_draft(SETTINGS, request("de"))
    assert draft.kind == "confirm" and draft.ref == "confirm:7:" + "ab" * 8
    assert draft.subject == "Bitte bestätigen Sie Ihre Anmeldung: Digitale Reihe"
    link = "https://podium.example.org/s/digitale-reihe/confirm/" + "T" * 43 + "?lang=de"
    assert link in draft.text and f'href="{link}"' in draft.html
    assert "„Digitale Reihe“" in draft.text
    assert "- Beratung & Zugang (14.12.2026, 18:00)" in draft.text
    assert "Beratung &amp; Zugang" in draft.html
    assert "gültig bis 06.12.2026, 10:00" in draft.text
    assert "spätestens nach 14 Tagen gelöscht" in draft.text
    assert "Stadt Musterstadt" in draft.text
    unsubscribe = "https://podium.example.org/s/digitale-reihe/unsubscribe/" + "K" * 43
    assert draft.headers == {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert unsubscribe in draft.text


def test_the_english_mail_for_the_whole_series() -> None:
    draft = confirmation_draft(SETTINGS, request("en", whole=True))
    assert draft.subject == "Please confirm your sign-up: Digitale Reihe"
    assert "Chosen: the whole series." in draft.text and "Beratung" not in draft.text
    assert "valid until Dec 6, 2026, 10:00 AM" in draft.text.replace("\u202f", " ")
    assert "If you did not sign up, please ignore this mail" in draft.html
