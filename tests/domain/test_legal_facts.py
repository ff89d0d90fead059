"""What the legal pages may state, from the server's plain settings."""

from __future__ import annotations

from podium.domain.legal_facts import (
    KNOWN_LIMITATIONS,
    Compliance,
    LegalSettings,
    Limitation,
    Link,
    accessibility,
    address_lines,
    documented_cookie,
    imprint,
    link_at_end,
    privacy,
)

FULL = LegalSettings(
    name="Landesamt für Beispiele",
    address="Musterstraße 1; 10115 Berlin",
    representative="Dr. Erika Muster, Präsidentin",
    email="poststelle@example.org",
    phone="+49 30 123456",
    dpo="datenschutz@example.org",
)


def test_address_lines_split_at_semicolons_and_newlines() -> None:
    assert address_lines("Musterstraße 1;10115 Berlin\n Haus B ;;") == (
        "Musterstraße 1",
        "10115 Berlin",
        "Haus B",
    )
    assert address_lines("  ") == ()


def test_a_complete_imprint() -> None:
    facts = imprint(FULL)
    assert facts.configured
    assert facts.missing == ()
    assert facts.body.name == "Landesamt für Beispiele"
    assert facts.body.address == ("Musterstraße 1", "10115 Berlin")
    assert facts.body.representative == "Dr. Erika Muster, Präsidentin"


def test_nothing_configured_names_every_missing_setting() -> None:
    facts = imprint(LegalSettings())
    assert not facts.configured
    assert facts.missing == ("legal_name", "legal_address", "legal_email")


def test_the_organisation_stands_in_for_the_legal_name() -> None:
    facts = imprint(LegalSettings(organisation="Stadt Beispiel", address="Rathaus", email="a@b.de"))
    assert facts.configured
    assert facts.body.name == "Stadt Beispiel"
    named = imprint(LegalSettings(name="Amt", organisation="Stadt", address="x", email="a@b.de"))
    assert named.body.name == "Amt"


def test_privacy_states_the_servers_actual_choices() -> None:
    facts = privacy(
        LegalSettings(
            store_ip=True,
            unconfirmed_days=7,
            confirm_hours=24,
            retention_days=90,
            signups_per_hour=5,
        )
    )
    assert facts.signups_per_hour == 5
    assert facts.store_ip
    assert (facts.unconfirmed_days, facts.confirm_hours, facts.retention_days) == (7, 24, 90)
    assert not facts.smtp
    assert not facts.controller_known
    assert privacy(LegalSettings(smtp=True)).smtp
    assert not privacy(LegalSettings()).store_ip


def test_privacy_names_each_cookie_with_its_lifetime() -> None:
    cookies = privacy(LegalSettings(participant_cookie_days=30, session_hours=12)).cookies
    assert [(c.name, c.lifetime, c.unit) for c in cookies] == [
        ("podium_p", 30, "days"),
        ("podium_session", 12, "hours"),
        ("podium_lang", 365, "days"),
        ("podium_a", 30, "days"),
    ]


def test_data_subjects_write_to_the_dpo_else_to_the_body() -> None:
    assert privacy(FULL).rights_contact == "datenschutz@example.org"
    assert privacy(FULL).controller_known
    no_dpo = LegalSettings(email="poststelle@example.org")
    assert privacy(no_dpo).rights_contact == "poststelle@example.org"
    assert privacy(no_dpo).dpo == ""
    assert privacy(LegalSettings()).rights_contact == ""


def test_known_limitations_make_the_statement_partial() -> None:
    statement = accessibility(FULL)
    assert statement.status is Compliance.PARTIAL
    assert statement.limitations == KNOWN_LIMITATIONS
    assert Limitation.NO_SIGN_OR_EASY_LANGUAGE in statement.limitations
    assert accessibility(FULL, limitations=()).status is Compliance.FULL


def test_the_feedback_contact_falls_back_to_the_legal_email() -> None:
    assert accessibility(FULL).contact == "poststelle@example.org"
    own = LegalSettings(email="a@example.org", accessibility_contact="barrieren@example.org")
    assert accessibility(own).contact == "barrieren@example.org"
    assert accessibility(LegalSettings()).contact == ""


def test_the_enforcement_body_and_its_address_apart() -> None:
    assert link_at_end("Schlichtungsstelle BGG, https://www.schlichtungsstelle-bgg.de") == Link(
        "Schlichtungsstelle BGG", "https://www.schlichtungsstelle-bgg.de"
    )
    assert link_at_end("Ombudsstelle des Landes") == Link("Ombudsstelle des Landes", None)
    assert link_at_end("https://example.org/stelle.") == Link(
        "https://example.org/stelle.", "https://example.org/stelle"
    )


def test_each_cookie_a_browser_gets_is_named_in_the_notice() -> None:
    cookies = privacy(FULL).cookies
    names = ("podium_p", "podium_session", "__Host-podium_session", "podium_lang", "podium_a7")
    assert all(documented_cookie(cookies, name) for name in names)
    assert not any(
        documented_cookie(cookies, name)
        for name in ("podium_a", "podium_ax", "__Host-podium_p2", "tracking", "podium_lang2")
    )
