"""The consent text a series starts with when its organiser has written none.

Both languages are stored together in one version (the visitor reads the one of the
page, the log keeps the version number), so these are data, not gettext messages.
They name who is responsible, what is stored, what for, for how long, and how to
withdraw: what a consent needs to say to be informed (Art. 7, 13 GDPR).
"""

from __future__ import annotations

from dataclasses import dataclass

from podium.domain.errors import RuleViolation

MAX_TEXT = 10_000


@dataclass(frozen=True)
class ConsentWording:
    text_de: str
    text_en: str


def default_consent(
    responsible: str, series_title: str, unconfirmed_days: int, store_ip: bool
) -> ConsentWording:
    who_de = responsible or "die Veranstalterin dieser Reihe"
    who_en = responsible or "the organiser of this series"
    ip_de = (
        " sowie die IP-Adresse, von der aus Sie sich angemeldet und bestätigt haben"
        if store_ip
        else ""
    )
    ip_en = " and the IP address you signed up and confirmed from" if store_ip else ""
    de = (
        f"Ich willige ein, dass {who_de} mir Einladungen zu den Veranstaltungen der Reihe "
        f"„{series_title}“ per E-Mail schickt (zur ganzen Reihe oder zu den Veranstaltungen, "
        "die ich auswähle). Gespeichert werden meine E-Mail-Adresse, meine Sprache, meine "
        "Auswahl und wann ich mich angemeldet, bestätigt oder abgemeldet habe, mit der "
        f"Fassung dieses Textes{ip_de}. Bestätige ich die Anmeldung nicht, wird sie nach "
        f"spätestens {unconfirmed_days} Tagen gelöscht. Ich kann die Einwilligung jederzeit "
        "mit dem Abmeldelink in jeder E-Mail widerrufen; danach erhalte ich keine "
        "Einladungen mehr."
    )
    en = (
        f"I agree that {who_en} may send me invitations to the events of the series "
        f"“{series_title}” by e-mail (to the whole series or to the events I choose). "
        "Stored are my e-mail address, my language, my choice and when I signed up, "
        f"confirmed or unsubscribed, with the version of this text{ip_en}. If I do not "
        f"confirm the sign-up, it is deleted after {unconfirmed_days} days at most. I can "
        "withdraw my consent at any time with the unsubscribe link in every e-mail; after "
        "that I receive no more invitations."
    )
    return ConsentWording(de, en)


def checked_wording(text_de: str, text_en: str) -> ConsentWording:
    """An organiser's edit: German is required (the default language), English may be
    empty (the German text is shown then); each at most MAX_TEXT characters."""
    de, en = text_de.strip(), text_en.strip()
    if "\x00" in de or "\x00" in en:  # PostgreSQL's text cannot hold it
        raise RuleViolation("control_characters")
    if not de:
        raise RuleViolation("consent_text_empty")
    if len(de) > MAX_TEXT or len(en) > MAX_TEXT:
        raise RuleViolation("consent_text_too_long", max=MAX_TEXT)
    return ConsentWording(de, en)


def wording_for(text_de: str, text_en: str, lang: str) -> str:
    """The text a visitor of `lang` reads."""
    return text_en if lang == "en" and text_en.strip() else text_de
