"""Mail texts come in the recipient's language whatever the caller's, the plain text
unescaped and the HTML escaped, with the unsubscribe link in both."""

from __future__ import annotations

from podium import i18n
from podium.mail.templating import render_mail, translated


def test_a_mail_is_rendered_in_its_recipients_language_and_the_callers_stays() -> None:
    token = i18n.current_lang.set("en")
    try:
        text, html = _layout("de")
        assert i18n.current_lang.get() == "en"
    finally:
        i18n.current_lang.reset(token)
    assert "Abmelden" in html
    assert "https://podium.example.org/s/reihe/unsubscribe/k&amp;1" in html
    assert "https://podium.example.org/s/reihe/unsubscribe/k&1" in text
    assert "Stadt <Musterstadt>" in text and "Stadt &lt;Musterstadt&gt;" in html


def test_english_recipients_read_english() -> None:
    text, html = _layout("en")
    assert "Unsubscribe" in html and "Unsubscribe:" in text
    assert translated("en", "Unsubscribe") == "Unsubscribe"
    assert translated("de", "Unsubscribe") == "Abmelden"


def _layout(lang: str) -> tuple[str, str]:
    return render_mail(
        "layout",
        lang,
        sender="Stadt <Musterstadt>",
        unsubscribe_url="https://podium.example.org/s/reihe/unsubscribe/k&1",
    )
