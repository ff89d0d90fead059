"""Per client address: a room of 300 phones behind one NAT gets in at human pace, a
script that asks for tokens or guesses join codes by the thousand does not."""

from __future__ import annotations

import uuid

import pytest

from podium.domain.join_limits import Throttled
from podium.services import live_control
from podium.web.participant_identity import ParticipantIdentity
from tests.web.conftest import Demo, Harness


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(harness: Harness) -> Clock:
    """The app's identity with a clock the test moves (the default limits)."""
    app = harness.client.app
    clock = Clock()
    app.state.participant_identity = ParticipantIdentity(app.state.settings, clock)  # type: ignore[attr-defined]
    return clock


def fresh_join(h: Harness, path: str):
    h.client.cookies.clear()  # another phone: no cookie yet
    return h.client.get(path, headers={"Accept-Language": "en"})


def test_300_phones_behind_one_address_join_within_a_minute(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    tokens = set()
    for i in range(300):
        clock.now = 1000.0 + i * 0.2  # one every 0.2 s: the room scans the QR code
        page = fresh_join(harness, f"/p/{demo.event.join_code}")
        assert page.status_code == 200, (i, page.status_code)
        tokens.add(page.cookies["podium_p"])
    assert len(tokens) == 300


def test_a_script_issuing_thousands_a_second_is_refused_with_retry_after(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    statuses = []
    for _ in range(320):  # within one instant of the clock
        statuses.append(fresh_join(harness, f"/p/{demo.event.join_code}"))
    assert [r.status_code for r in statuses].count(200) == 300
    refused = statuses[-1]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert "Too many participants are joining from your network" in refused.text
    assert "podium_p" not in refused.cookies
    api = harness.client.get(f"/api/v1/join/{demo.event.join_code}")
    assert api.status_code == 429 and api.json()["error"] == "too_many_participants"
    clock.now += 1.0  # three tokens a second come back
    assert fresh_join(harness, f"/p/{demo.event.join_code}").status_code == 200


def test_a_participant_with_a_token_is_not_slowed_by_the_limit(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    harness.client.get(f"/p/{demo.event.join_code}")  # issued before the script came
    mine = dict(harness.client.cookies)
    for _ in range(300):
        fresh_join(harness, f"/p/{demo.event.join_code}")
    harness.client.cookies.update(mine)
    assert harness.client.get(f"/p/{demo.event.join_code}").status_code == 200


def test_while_an_address_guesses_its_participants_go_on_answering(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    code = demo.event.join_code
    harness.run(live_control.go_live, harness.rt, demo.event.id, demo.scale)
    harness.client.get(f"/p/{code}")  # a phone in the room, joined and answered
    assert answer(harness, code, demo.scale).status_code == 200
    phone = dict(harness.client.cookies)
    for _ in range(30):
        harness.client.cookies.clear()
        harness.client.get("/p/00000000")  # someone behind the same NAT guesses
    assert harness.client.get(f"/p/{code}").status_code == 429  # the guesser learns nothing
    stranger = harness.client.cookies.get("podium_p")
    assert stranger is None
    harness.client.cookies.update(phone)
    assert answer(harness, code, demo.scale).status_code == 200  # the phone goes on


def answer(h: Harness, code: str, question_id: int):
    return h.client.post(
        f"/p/{code}/answer",
        json={"question_id": question_id, "answer_id": str(uuid.uuid4()), "value": 4},
        headers={"Accept": "application/json"},
    )


def test_a_guesser_with_a_token_learns_nothing_from_answers(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    code = demo.event.join_code
    harness.client.get(f"/p/{code}")  # a token, but no answer in this event yet
    for _ in range(30):
        harness.client.get("/p/00000000")
    assert answer(harness, code, demo.scale).status_code == 429
    assert answer(harness, "00000001", demo.scale).status_code == 429


def test_the_right_code_never_counts_wrong_ones_do(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    code = demo.event.join_code
    for _ in range(300):  # a room joins by typing the code on the start page
        joined = harness.client.post("/join", data={"code": code}, follow_redirects=False)
        assert joined.status_code == 303
    wrong = "0" * 8 if code != "0" * 8 else "1" * 8
    for i in range(30):  # a script, all at once
        miss = harness.client.post("/join", data={"code": wrong}, headers={"Accept-Language": "en"})
        assert miss.status_code == 404, i
    blocked = harness.client.post("/join", data={"code": wrong}, headers={"Accept-Language": "en"})
    assert blocked.status_code == 429
    assert "Too many wrong codes were tried from your network" in blocked.text
    assert blocked.headers["Retry-After"] == "20"  # 30 in ten minutes: one every 20 s
    # While refused, the right code is refused the same way: no answer tells a guesser
    # which code exists, on any path.
    right = harness.client.post("/join", data={"code": code}, follow_redirects=False)
    assert right.status_code == 429
    assert harness.client.get(f"/p/{code}").status_code == 429
    assert harness.client.get(f"/api/v1/join/{code}").status_code == 429
    assert harness.client.get(f"/p/{wrong}/stream").status_code == 429
    clock.now += 20.0  # one more try
    again = harness.client.post("/join", data={"code": code}, follow_redirects=False)
    assert again.status_code == 303


def test_guessing_by_the_api_and_the_page_counts_the_same(
    harness: Harness, demo: Demo, clock: Clock
) -> None:
    for i in range(15):
        assert harness.client.get(f"/api/v1/join/9{i:07d}").status_code in (404,)
        assert harness.client.get(f"/p/8{i:07d}").status_code == 404
    refused = harness.client.get("/api/v1/join/77777777", headers={"Accept-Language": "de"})
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_wrong_codes"
    assert "Aus Ihrem Netz wurden zu viele falsche Codes versucht" in refused.json()["message"]
    assert "Retry-After" in refused.headers


def test_malformed_codes_do_not_count(harness: Harness, demo: Demo, clock: Clock) -> None:
    for _ in range(100):
        assert harness.client.post("/join", data={"code": "12 34"}).status_code == 400
    assert (
        harness.client.post(
            "/join", data={"code": demo.event.join_code}, follow_redirects=False
        ).status_code
        == 303
    )


def test_the_servers_own_host_is_not_limited(harness: Harness, clock: Clock) -> None:
    """A reverse proxy on the same machine, or a load test: loopback says nothing about
    the client, so neither limit counts it (docs/SECURITY.md)."""
    identity: ParticipantIdentity = harness.client.app.state.participant_identity  # type: ignore[attr-defined]
    for host in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert len({identity.issue(host) for _ in range(1000)}) == 1000
        for _ in range(100):
            identity.lookup_failed(host)
        assert identity.lookups_blocked(host) == 0
    for _ in range(300):
        identity.issue("192.0.2.7")
    with pytest.raises(Throttled):
        identity.issue("192.0.2.7")
