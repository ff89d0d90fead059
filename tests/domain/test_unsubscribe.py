"""Every mail to a subscriber names its one-click unsubscribe address (RFC 8058)."""

from __future__ import annotations

from podium.domain.unsubscribe import ONE_CLICK_BODY, unsubscribe_headers, unsubscribe_path


def test_the_headers_name_the_address_and_allow_the_one_click_post() -> None:
    url = "https://podium.example.org" + unsubscribe_path("digitale-reihe", "k1")
    assert unsubscribe_headers(url) == {
        "List-Unsubscribe": "<https://podium.example.org/s/digitale-reihe/unsubscribe/k1>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert ONE_CLICK_BODY == "List-Unsubscribe=One-Click"
