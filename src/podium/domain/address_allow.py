"""Address allow-lists (settings.metrics_allow): addresses and networks, IPv4 and
IPv6, and whether a peer's address is on one."""

from __future__ import annotations

import ipaddress
from functools import cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def parse_allow_list(setting: str) -> tuple[tuple[Network, ...], tuple[str, ...]]:
    """(networks, entries that are none): "10.0.0.5, 10.1.0.0/16, fd00::/8". A single
    address is a network of one; host bits set in a network are ignored, as an
    operator who writes 10.1.2.3/16 means the /16."""
    networks: list[Network] = []
    bad: list[str] = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            bad.append(entry)
    return tuple(networks), tuple(bad)


def is_allowed(address: str, networks: tuple[Network, ...]) -> bool:
    """Whether the address is in one of the networks; an IPv4 address that comes as
    IPv6 (::ffff:10.0.0.5, from a dual-stack socket) counts as its IPv4 self."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)
