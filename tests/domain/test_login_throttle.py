"""Failed sign-ins per account and per address, on an injected clock."""

from __future__ import annotations

from podium.domain.login_throttle import PER_ACCOUNT, PER_ADDRESS, WINDOW, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_account_waits_after_five_failures_until_the_first_is_forgotten() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for n in range(PER_ACCOUNT):
        assert throttle.wait("orga@example.org", f"10.0.0.{n}") is None
        throttle.failed("orga@example.org", f"10.0.0.{n}")
        clock.now += 10
    # From any address: the account is what is being guessed.
    assert throttle.wait("orga@example.org", "10.9.9.9") == WINDOW - 50
    assert throttle.wait("other@example.org", "10.9.9.9") is None
    clock.now = 1000.0 + WINDOW  # the first failure is forgotten
    assert throttle.wait("orga@example.org", "10.9.9.9") is None


def test_an_address_waits_after_twenty_failures_on_any_accounts() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for n in range(PER_ADDRESS):
        throttle.failed(f"user{n}@example.org", "192.0.2.1")
    assert throttle.wait("fresh@example.org", "192.0.2.1") == WINDOW
    assert throttle.wait("fresh@example.org", "192.0.2.2") is None


def test_success_resets_the_account_but_not_the_address() -> None:
    throttle = LoginThrottle(per_account=2, per_address=3, clock=Clock())
    throttle.failed("orga@example.org", "192.0.2.1")
    throttle.failed("orga@example.org", "192.0.2.1")
    assert throttle.wait("orga@example.org", "192.0.2.2") is not None
    throttle.succeeded("orga@example.org")
    assert throttle.wait("orga@example.org", "192.0.2.2") is None
    throttle.failed("x@example.org", "192.0.2.1")
    assert throttle.wait("y@example.org", "192.0.2.1") is not None  # 3 from that address


def test_the_memory_is_bounded() -> None:
    throttle = LoginThrottle(per_account=1, per_address=100, clock=Clock(), max_keys=3)
    for n in range(10):
        throttle.failed(f"u{n}@example.org", "192.0.2.1")
    assert throttle.wait("u0@example.org", "192.0.2.9") is None  # forgotten first
    assert throttle.wait("u9@example.org", "192.0.2.9") is not None
    assert len(throttle._accounts._times) == 3
