"""Token buckets per address: a room behind one NAT gets in, a script does not."""

from __future__ import annotations

from podium.domain.join_limits import Buckets, address_key, is_local


def test_300_phones_joining_over_a_minute_all_get_tokens() -> None:
    issuing = Buckets(300, 3.0)
    refused = [issuing.take("10.0.0.1", i * 60 / 300) for i in range(300)]
    assert refused == [0] * 300


def test_two_rooms_a_few_minutes_apart_both_get_in() -> None:
    issuing = Buckets(300, 3.0)
    assert all(issuing.take("nat", i * 0.01) == 0 for i in range(300))  # all at once
    assert all(issuing.take("nat", 120 + i * 0.2) == 0 for i in range(300))  # two minutes later


def test_a_script_asking_thousands_a_second_is_refused_after_the_burst() -> None:
    issuing = Buckets(300, 3.0)
    waits = [issuing.take("script", i / 5000) for i in range(5000)]  # one second
    assert waits.count(0) in (300, 301, 302, 303)  # the burst, and what came back meanwhile
    assert waits[-1] == 1  # told to wait a second (3 a second come back)
    assert issuing.take("someone else", 1.0) == 0  # other addresses are not slowed


def test_the_wait_is_the_time_until_one_came_back() -> None:
    failures = Buckets(30, 30 / 600)  # 30 in ten minutes: one every 20 s
    for _ in range(30):
        assert failures.take("a", 0.0) == 0
    assert failures.wait("a", 0.0) == 20
    assert failures.wait("a", 15.0) == 5
    assert failures.wait("a", 20.0) == 0
    assert failures.take("a", 20.0) == 0
    assert failures.wait("a", 20.0) == 20


def test_waiting_takes_nothing() -> None:
    failures = Buckets(2, 1.0)
    assert [failures.wait("a", 0.0) for _ in range(100)] == [0] * 100
    assert failures.level("a", 0.0) == 2


def test_capacity_zero_turns_the_limit_off() -> None:
    off = Buckets(0, 3.0)
    assert all(off.take("a", 0.0) == 0 for _ in range(10_000))
    assert len(off) == 0


def test_memory_is_bounded_and_full_buckets_go_first() -> None:
    buckets = Buckets(10, 1.0, max_keys=100)
    for i in range(1000):
        buckets.take(f"10.0.{i // 250}.{i % 250}", float(i))
    assert len(buckets) <= 100
    busy = Buckets(10, 1.0, max_keys=100)
    for _ in range(10):
        busy.take("busy", 0.0)
    for i in range(150):
        busy.take(f"other{i}", 0.0)
    assert busy.wait("busy", 0.0) == 1  # the emptied bucket was kept, not reset


def test_ipv6_counts_by_its_64_network() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_key("192.0.2.7") == "192.0.2.7"
    assert address_key("testclient") == "testclient"
    assert address_key(None) == "unknown"


def test_only_the_servers_own_host_is_local() -> None:
    assert [is_local(h) for h in ("127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1")] == [
        True
    ] * 4
    assert [is_local(h) for h in ("10.0.0.1", "192.0.2.7", "2001:db8::1", "testclient", None)] == [
        False
    ] * 5
