"""What an SMTP reply means for a mail, and addresses as they go on the wire."""

from __future__ import annotations

import pytest

from podium.domain.mail_sending import (
    NotDeliverable,
    ascii_address,
    refusal_is_permanent,
    send_interval,
)


@pytest.mark.parametrize(
    ("stage", "code", "permanent"),
    [
        ("recipient", 550, True),
        ("recipient", 553, True),
        ("data", 554, True),
        ("recipient", 450, False),
        ("recipient", 451, False),
        ("data", 452, False),
        ("sender", 550, False),  # podium's own From refused: a setting to fix, retried
        ("connect", 554, False),
    ],
)
def test_only_a_5xx_to_the_recipient_or_the_mail_is_final(
    stage: str, code: int, permanent: bool
) -> None:
    assert refusal_is_permanent(stage, code) is permanent  # type: ignore[arg-type]


def test_a_unicode_domain_goes_out_in_its_idna_form() -> None:
    assert ascii_address("max@bürger.example") == "max@xn--brger-kva.example"
    assert ascii_address("max@example.org") == "max@example.org"


def test_a_non_ascii_local_part_cannot_be_sent() -> None:
    with pytest.raises(NotDeliverable, match="SMTPUTF8"):
        ascii_address("jürgen@example.org")


def test_the_interval_between_mails() -> None:
    assert send_interval(5) == 0.2
