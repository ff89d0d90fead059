"""The imprint, the privacy notice and the accessibility statement: in German and
English, from the server's actual settings, linked from every page's footer (not
the presenter screen's), and no cookie in either direction."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.app import create_app
from podium.settings import Settings
from podium.web.legal_settings import LANGUAGE_COOKIE_DAYS, PARTICIPANT_COOKIE_DAYS, SESSION_HOURS
from tests.web.conftest import PASSWORD, Demo, Harness

pytestmark = pytest.mark.sqlite_only  # the pages read settings, not the store

PAGES = ("imprint", "privacy", "accessibility")
HEADINGS = {
    "de": ("Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit"),
    "en": ("Imprint", "Privacy notice", "Accessibility statement"),
}
CONFIGURED: dict[str, Any] = {
    "legal_name": "Landesamt für Beispiele",
    "legal_address": "Musterstraße 1; 10115 Berlin",
    "legal_representative": "Dr. Erika Muster, Präsidentin",
    "legal_email": "poststelle@example.org",
    "legal_phone": "+49 30 123456",
    "legal_dpo": "Datenschutzbeauftragte, dsb@example.org",
    "accessibility_contact": "barrieren@example.org",
    "accessibility_enforcement": "Ombudsstelle des Landes, https://ombud.example.org/",
    "unconfirmed_days": 7,
    "confirm_hours": 24,
    "signup_per_hour": 5,
    "answers_retention_days": 180,
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


Serve = Callable[..., TestClient]


@pytest.fixture
def serve(settings: Settings) -> Iterator[Serve]:
    """A stranger's browser on a server with these settings changed."""
    with ExitStack() as stack:

        def start(**changes: Any) -> TestClient:
            app = create_app(settings.model_copy(update=changes))
            return stack.enter_context(TestClient(app, base_url="http://127.0.0.1:8000"))

        yield start


@pytest.fixture
def reader(serve: Serve) -> TestClient:
    return serve()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_page_in_each_language(reader: TestClient, lang: str) -> None:
    for page, heading in zip(PAGES, HEADINGS[lang], strict=True):
        response = reader.get(f"/legal/{page}?lang={lang}")
        assert response.status_code == 200, page
        assert response.headers["content-language"] == lang
        assert f"<h1>{heading}</h1>" in response.text
        assert f'<html lang="{lang}">' in response.text


def test_the_browser_chooses_the_language_without_lang(reader: TestClient) -> None:
    english = reader.get("/legal/privacy", headers={"accept-language": "en-GB,en;q=0.9"})
    assert "<h1>Privacy notice</h1>" in english.text
    default = reader.get("/legal/privacy", headers={"accept-language": "fr"})
    assert "<h1>Datenschutzerklärung</h1>" in default.text  # the server's default


def test_nothing_configured_the_imprint_says_so(reader: TestClient) -> None:
    page = reader.get("/legal/imprint?lang=de").text
    assert "Dieses Impressum ist noch nicht vollständig." in text_of(page)
    assert "<code>PODIUM_LEGAL_NAME</code>, <code>PODIUM_LEGAL_ADDRESS</code>, " in page
    english = text_of(reader.get("/legal/imprint?lang=en").text)
    assert "This imprint is not complete yet." in english
    for page in ("privacy", "accessibility"):  # empty settings: pages, not errors
        assert reader.get(f"/legal/{page}?lang=de").status_code == 200


def test_the_settings_fill_the_pages(serve: Serve) -> None:
    reader = serve(**CONFIGURED)
    imprint = text_of(reader.get("/legal/imprint?lang=de").text)
    assert "noch nicht vollständig" not in imprint
    for value in (
        "Landesamt für Beispiele",
        "Musterstraße 1",
        "10115 Berlin",
        "Dr. Erika Muster, Präsidentin",
        "poststelle@example.org",
        "+49 30 123456",
    ):
        assert value in imprint
    privacy = text_of(reader.get("/legal/privacy?lang=de").text)
    assert "Datenschutzbeauftragten unter: Datenschutzbeauftragte, dsb@example.org" in privacy
    assert "Wenden Sie sich dazu an: Datenschutzbeauftragte, dsb@example.org." in privacy
    assert "Der Link ist 24 Stunden gültig" in privacy
    assert "nach 7 Tagen gelöscht" in privacy
    assert "höchstens 5 Anmeldungen pro Stunde" in privacy
    assert "180 Tage nach ihrem Beginn automatisch gelöscht" in privacy
    statement = reader.get("/legal/accessibility?lang=en").text
    assert "Landesamt für Beispiele is committed" in statement
    assert '<a href="mailto:barrieren@example.org">' in statement
    assert '<a href="https://ombud.example.org/">Ombudsstelle des Landes</a>' in statement


def test_privacy_without_settings_says_what_podium_does_by_default(reader: TestClient) -> None:
    german = text_of(reader.get("/legal/privacy?lang=de").text)
    assert "IP-Adressen werden dabei nicht gespeichert (so ist dieser Server eingestellt)" in german
    assert "Eine automatische Löschfrist ist auf diesem Server nicht eingestellt." in german
    assert "Mails werden nicht versandt, sondern nur als Dateien auf dem Server abgelegt" in german
    assert "Der Link ist 48 Stunden gültig" in german and "nach 14 Tagen gelöscht" in german
    assert f"podium_p in Ihrem Browser ({PARTICIPANT_COOKIE_DAYS} Tage gültig)" in german
    assert f"__Host-podium_session ) die Sitzung ({SESSION_HOURS} Stunden gültig)" in german
    assert f"({LANGUAGE_COOKIE_DAYS} Tage gültig)" in german
    assert "keine Dienste Dritter, kein Content-Delivery-Network" in german
    assert "Art. 77 DSGVO" in german and "Art. 15 DSGVO" in german
    english = text_of(reader.get("/legal/privacy?lang=en").text)
    assert "No IP addresses are stored with it (this server is set up so)." in english


def test_privacy_with_ip_addresses_stored_and_a_mail_server(serve: Serve) -> None:
    reader = serve(signup_store_ip=True, smtp_url="smtp://mail.example.org:587")
    german = text_of(reader.get("/legal/privacy?lang=de").text)
    assert "Auf diesem Server wird zu jedem Eintrag dieses Protokolls auch die IP-Adresse" in german
    assert "IP-Adressen werden dabei nicht gespeichert" not in german
    assert "mit einer Ausnahme bei der Anmeldung zu einer Veranstaltungsreihe" in german
    assert "über den Mailserver versandt, den der Betreiber" in german
    english = text_of(reader.get("/legal/privacy?lang=en").text)
    assert "On this server the IP address is stored with each entry of this log" in english


def test_the_statement_lists_its_limitations_and_how_it_was_assessed(reader: TestClient) -> None:
    german = text_of(reader.get("/legal/accessibility?lang=de").text)
    assert "weitgehend, aber wegen der folgenden Unvereinbarkeiten nur teilweise" in german
    assert "Deutscher Gebärdensprache und in Leichter Sprache" in german
    assert "axe-core" in german and "mit der Tastatur" in german
    # every page is checked now (tests/e2e/a11y_pages.py): only people with screen readers
    # have not tried them yet
    assert "noch nicht automatisch" not in german and "alle Seiten der Veranstalter" in german
    assert "mit einem Screenreader" in german and "320 Pixel" in german
    assert "Diese Erklärung wurde am 4. Dezember 2026 erstellt." in german
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG)" in german
    assert "PODIUM_ACCESSIBILITY_CONTACT" in german  # no contact configured: said so
    english = reader.get("/legal/accessibility?lang=en").text
    assert "This statement was prepared on December 4, 2026." in text_of(english)
    assert '<a href="https://www.schlichtungsstelle-bgg.de">' in english


def test_no_cookie_either_way(reader: TestClient) -> None:
    reader.cookies.set("podium_lang", "en")
    reader.cookies.set("podium_session", "anything")
    for page in PAGES:
        response = reader.get(f"/legal/{page}")
        assert "set-cookie" not in response.headers, page
        assert response.headers["content-language"] == "de"  # the cookie was not read
        assert response.headers["referrer-policy"] == "no-referrer"


def footer_links(html: str) -> list[str]:
    found = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    return re.findall(r'href="([^"]+)"', found.group(1)) if found else []


def test_every_page_links_the_legal_pages_in_its_language(harness: Harness, demo: Demo) -> None:
    client = harness.client
    expected_de = [f"/legal/{page}?lang=de" for page in PAGES]
    assert footer_links(client.get("/").text) == expected_de
    assert footer_links(client.get("/login").text) == expected_de
    assert footer_links(client.get(f"/p/{demo.event.join_code}").text) == expected_de
    assert footer_links(client.get("/legal/privacy?lang=en").text) == [
        f"/legal/{page}?lang=en" for page in PAGES
    ]
    assert footer_links(client.get("/nowhere").text) == expected_de  # the error page too
    harness.login()
    for page in ("/admin", f"/admin/events/{demo.event.id}", f"/moderate/{demo.event.id}"):
        assert footer_links(client.get(page).text) == expected_de, page


def test_the_presenter_screen_has_no_footer(harness: Harness, demo: Demo) -> None:
    screen = harness.client.get(f"/present/{demo.event.presenter_token}")
    assert screen.status_code == 200
    assert "site-footer" not in screen.text and "/legal/" not in screen.text


def test_the_footer_is_translated(harness: Harness, demo: Demo) -> None:
    german = harness.client.get(f"/p/{demo.event.join_code}").text
    assert ">Impressum</a>" in german and ">Datenschutz</a>" in german
    assert ">Barrierefreiheit</a>" in german
    english = harness.client.get("/login", headers={"accept-language": "en"}).text
    assert ">Imprint</a>" in english and ">Privacy</a>" in english


def test_the_stated_cookie_lifetimes_are_the_real_ones(harness: Harness, demo: Demo) -> None:
    client = harness.client
    page = client.get(f"/p/{demo.event.join_code}")
    assert f"Max-Age={PARTICIPANT_COOKIE_DAYS * 86400}" in page.headers["set-cookie"]
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token
    login = client.post(
        "/login",
        data={"csrf": token.group(1), "email": "orga@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert f"Max-Age={SESSION_HOURS * 3600}" in login.headers["set-cookie"]
    lang = client.post("/lang", data={"lang": "en"}, follow_redirects=False)
    assert f"Max-Age={LANGUAGE_COOKIE_DAYS * 86400}" in lang.headers["set-cookie"]
