"""settings.metrics_allow: which addresses it lets in."""

from __future__ import annotations

import pytest

from podium.domain.address_allow import is_allowed, parse_allow_list


def test_addresses_and_networks_of_both_families() -> None:
    networks, bad = parse_allow_list(" 10.0.0.5, 10.1.0.0/16,fd00::/8 ,, 2001:db8::7")
    assert bad == ()
    assert [str(n) for n in networks] == [
        "10.0.0.5/32",
        "10.1.0.0/16",
        "fd00::/8",
        "2001:db8::7/128",
    ]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("10.0.0.5", True),
        ("10.0.0.6", False),
        ("10.1.255.254", True),
        ("10.2.0.1", False),
        ("::ffff:10.1.2.3", True),  # IPv4 through a dual-stack socket
        ("fd12:3456::1", True),
        ("2001:db8::7", True),
        ("2001:db8::8", False),
        ("203.0.113.9", False),
        ("testclient", False),
        ("", False),
    ],
)
def test_a_peer_is_allowed_only_inside_a_listed_network(address: str, allowed: bool) -> None:
    networks, _bad = parse_allow_list("10.0.0.5,10.1.0.0/16,fd00::/8,2001:db8::7")
    assert is_allowed(address, networks) is allowed


def test_an_entry_that_is_no_address_is_named_and_lets_nobody_in() -> None:
    networks, bad = parse_allow_list("10.0.0.5, prometheus.local, 10.0.0.0/33, *")
    assert bad == ("prometheus.local", "10.0.0.0/33", "*")
    assert [str(n) for n in networks] == ["10.0.0.5/32"]
    assert parse_allow_list("") == ((), ())


def test_host_bits_in_a_network_mean_the_network() -> None:
    networks, _bad = parse_allow_list("10.1.2.3/16")
    assert is_allowed("10.1.200.1", networks)
