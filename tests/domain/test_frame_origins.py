"""The origins that may frame a presenter view: what an organiser may list, and the
policy that results."""

from __future__ import annotations

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.frame_origins import (
    DEFAULT_POLICY,
    MAX_ORIGINS,
    check_origin,
    content_security_policy,
    parse_origins,
    server_origins,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://bbb.example.org", "https://bbb.example.org"),
        ("  HTTPS://Meet.Example.ORG/ ", "https://meet.example.org"),
        ("https://teams.example.org:8443", "https://teams.example.org:8443"),
        ("https://intranet.example.org:443", "https://intranet.example.org"),
        ("https://*.example.org", "https://*.example.org"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
        ("https://192.0.2.10", "https://192.0.2.10"),
    ],
)
def test_an_origin_is_stored_as_csp_writes_it(typed: str, stored: str) -> None:
    assert check_origin(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("http://bbb.example.org", "frame_origin_not_https"),
        ("ftp://bbb.example.org", "frame_origin_not_https"),
        ("https://bbb.example.org/rooms/1", "frame_origin_path"),
        ("https://bbb.example.org?x=1", "frame_origin_path"),
        ("https://bbb.example.org#top", "frame_origin_path"),
        ("*", "bad_frame_origin"),
        ("https://*", "bad_frame_origin"),
        ("https://*.*.example.org", "bad_frame_origin"),
        ("https://ex*ample.org", "bad_frame_origin"),
        ("https:", "bad_frame_origin"),
        ("bbb.example.org", "bad_frame_origin"),
        ("'self'", "bad_frame_origin"),
        ("https://", "bad_frame_origin"),
        ("https://user@bbb.example.org", "bad_frame_origin"),
        ("https://bbb.example.org:0", "bad_frame_origin"),
        ("https://bbb.example.org:70000", "bad_frame_origin"),
        ("https://bbb.example.org;script-src", "bad_frame_origin"),
        ("https://bücher.example", "bad_frame_origin"),
        ("https://-bad.example.org", "bad_frame_origin"),
        ("https://" + "a" * 250 + ".org", "bad_frame_origin"),
    ],
)
def test_anything_but_an_origin_is_refused_with_its_reason(typed: str, code: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_origin(typed)
    assert refused.value.code == code
    assert refused.value.params["origin"] == typed.strip()[:200]


def test_a_list_is_read_one_per_line_spaces_or_commas_without_repeats() -> None:
    typed = (
        "https://a.example.org\r\nhttps://b.example.org, https://A.example.org  http://localhost"
    )
    assert parse_origins(typed) == [
        "https://a.example.org",
        "https://b.example.org",
        "http://localhost",
    ]
    assert parse_origins("  \n ") == []


def test_the_first_bad_origin_refuses_the_whole_list() -> None:
    with pytest.raises(RuleViolation) as refused:
        parse_origins("https://a.example.org\nhttp://b.example.org")
    assert refused.value.code == "frame_origin_not_https"
    assert refused.value.params == {"origin": "http://b.example.org"}


def test_a_list_has_at_most_twenty_origins() -> None:
    many = "\n".join(f"https://h{i}.example.org" for i in range(MAX_ORIGINS + 1))
    with pytest.raises(RuleViolation) as refused:
        parse_origins(many)
    assert refused.value.code == "too_many_frame_origins"
    assert len(parse_origins("\n".join(many.split("\n")[:MAX_ORIGINS]))) == MAX_ORIGINS


def test_the_server_list_leaves_out_what_the_operator_mistyped() -> None:
    assert server_origins("https://bbb.example.org  http://evil.example *  https://x.org/a") == [
        "https://bbb.example.org"
    ]
    assert server_origins("") == []


def test_by_default_no_page_may_be_framed_and_nothing_inline_runs() -> None:
    assert DEFAULT_POLICY.endswith("; frame-ancestors 'none'")
    assert "unsafe-inline" not in DEFAULT_POLICY
    assert "unsafe-eval" not in DEFAULT_POLICY
    assert "script-src 'self';" in DEFAULT_POLICY


def test_listed_origins_replace_none_once_each() -> None:
    policy = content_security_policy(
        ["https://a.example.org", "https://b.example.org", "https://a.example.org"]
    )
    assert policy.endswith("; frame-ancestors https://a.example.org https://b.example.org")
    assert policy.count("frame-ancestors") == 1
