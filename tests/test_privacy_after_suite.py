"""Privacy, shown: after every other test of the run (tests/conftest.py sorts these
last), no test database holds an IP address, a user agent or a participant's e-mail
address, no log record holds a participant token, and every cookie any test saw
podium set is one the privacy notice lists.

What is read: the database of every test that had one (tests/conftest.py,
`database_url`: SQLite's files at the end, PostgreSQL's tables as text just before
each test's database is dropped), every log record of the run (podium's
from INFO up), every Set-Cookie header of every podium app in the run. Run alone,
these tests see only what ran before them in the same run.
"""

from __future__ import annotations

import pytest

from podium.domain.legal_facts import LegalSettings, documented_cookie, privacy
from tests.privacy_scan import RECORDED, scan_sqlite, tokens_in

pytestmark = pytest.mark.after_suite

# Tests whose databases hold an address on purpose, by name, with the reason.
EXCLUDED = {
    "tests/services/test_subscriptions.py::test_the_ip_is_stored_only_when_set": (
        "turns signup_store_ip on: it tests that the sign-up's IP is then stored"
    ),
    "tests/test_privacy_scan.py::test_a_stored_client_address_and_user_agent_are_found": (
        "the scanner's deliberately failing case: an app that stores a client address"
    ),
    "tests/test_privacy_scan.py::test_an_ip_stored_with_signup_store_ip_on_is_found": (
        "turns signup_store_ip on to show that the scanner finds the stored IP"
    ),
    "tests/test_privacy_scan_postgres.py::test_an_ip_stored_with_signup_store_ip_on_is_found": (
        "the same on PostgreSQL"
    ),
}


def test_no_database_holds_an_ip_a_user_agent_or_a_participant_address() -> None:
    findings = [
        finding
        for test, path in RECORDED.databases
        if test.split("[")[0] not in EXCLUDED and path.exists()
        for finding in scan_sqlite(path, test)
    ] + [
        finding
        for test, found in RECORDED.postgres
        if test.split("[")[0] not in EXCLUDED
        for finding in found
    ]
    assert not findings, "\n".join(str(f) for f in findings[:40])


def test_no_log_record_holds_a_participant_token() -> None:
    found = tokens_in(RECORDED.logs, RECORDED.tokens)
    assert not found, "\n".join(str(f) for f in found[:20])


def test_every_cookie_set_in_the_run_is_listed_in_the_privacy_notice() -> None:
    cookies = privacy(LegalSettings()).cookies
    unlisted = {name for name in RECORDED.cookie_names if not documented_cookie(cookies, name)}
    assert unlisted == set()
