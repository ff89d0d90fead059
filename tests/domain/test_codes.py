from podium.domain.codes import (
    format_join_code,
    is_answer_id,
    new_join_code,
    new_token,
    normalise_join_code,
    slugify,
)


def test_join_codes_are_eight_digits_and_typing_variants_are_accepted() -> None:
    code = new_join_code()
    assert len(code) == 8 and code.isdigit()
    assert normalise_join_code("1234 5678") == "12345678"
    assert normalise_join_code("#1234-5678") == "12345678"
    assert normalise_join_code("1234") is None
    assert normalise_join_code("１２３４５６７８") is None  # full-width digits are not a code
    assert format_join_code("12345678") == "1234 5678"


def test_tokens_carry_at_least_128_bits() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 32 for t in tokens)  # 24 bytes -> 32 url-safe characters


def test_slugs_are_readable_ascii() -> None:
    assert slugify("Qualitätsarbeit im SGB II – Chancen im Wandel nutzen") == (
        "qualitaetsarbeit-im-sgb-ii-chancen-im-wandel-nutzen"
    )
    assert slugify("!!!") == "event"


def test_answer_ids() -> None:
    assert is_answer_id("0b7e4a0c-4a55-4a8e-9a43-0c2d3e1f5a6b")
    assert not is_answer_id("short")
    assert not is_answer_id("has spaces in it")
