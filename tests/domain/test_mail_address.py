"""The recipient address rule: plain addresses pass trimmed, anything that could
reach a second recipient or split a header is refused."""

from __future__ import annotations

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.mail_address import checked_address


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("max@example.org", "max@example.org"),
        ("  Max.Muster+reihe@Stadt.Example.de \n", "Max.Muster+reihe@Stadt.Example.de"),
        ("jürgen@münchen.de", "jürgen@münchen.de"),
        ("a@b.de", "a@b.de"),
    ],
)
def test_plain_addresses_are_accepted_trimmed(raw: str, stored: str) -> None:
    assert checked_address(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "a@b.de\r\nBcc: x@y.z",
        "a@b.de\nBcc: x@y.z",
        "a@b.de\rx",
        "a\x00@b.de",
        "a\t@b.de",
        "Max <max@example.org>",
        "<max@example.org>",
        '"Max" max@example.org',
        "max@example.org, eve@example.org",
        "max@example.org;eve@example.org",
        "max example@org.de",
        "max@@example.org",
        "max@a@example.org",
        "maxexample.org",
        "@example.org",
        "max@",
        "max@localhost",
        "max@example..org",
        "max@.example.org",
        "max@example.org.",
        "max@-example.org",
        "max@exa_mple.org",
        "max@1.2.3.4",
        ".max@example.org",
        "max.@example.org",
        "ma..x@example.org",
        "x" * 65 + "@example.org",
    ],
)
def test_malformed_addresses_are_refused(raw: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        checked_address(raw)
    assert refused.value.code == "bad_email"


def test_an_overlong_address_is_refused_with_its_limit() -> None:
    raw = "max@" + ".".join(["a" * 60] * 5) + ".de"
    with pytest.raises(RuleViolation) as refused:
        checked_address(raw)
    assert refused.value.code == "email_too_long"
    assert refused.value.params == {"max": 254}


def test_the_longest_address_passes() -> None:
    domain = ".".join(["a" * 61] * 3) + ".example.de"
    raw = "m" * (254 - len(domain) - 1) + "@" + domain
    assert len(raw) == 254
    assert checked_address(raw) == raw
