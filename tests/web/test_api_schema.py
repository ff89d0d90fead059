"""Schemathesis against /api/v1/openapi.json of a real server with a prepared event,
anonymous and signed in: every check, data that fits the schema and data that does
not, random path parameters and the event's own. No 5xx, no answer that breaks the
schema. Bounded: a few examples per operation, derandomized (the same cases in CI
every run), well under a minute."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from podium.services import accounts, live_control
from podium.settings import Settings
from tests.server import LiveServer, live_server
from tests.web.conftest import PASSWORD, Demo, Harness, make_event

# What the API answers does not depend on the store: SQLite only (the store's own
# behaviour is tested on both).
pytestmark = pytest.mark.sqlite_only
EXAMPLES = 6


# The schema says what a request looks like, not which question belongs to the event
# or which languages reports come in: such a rule of the domain answers 422 with its
# own code (`unknown_report_question`). Schemathesis' check that data fitting the
# schema is accepted runs on every other answer; a 422 `bad_request` (the schema's
# own refusal) still fails it.
@schemathesis.check
def accepted_unless_a_domain_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code == 422:
        try:
            code = response.json().get("error")
        except ValueError:
            code = None
        if code not in (None, "bad_request"):
            return None
    return positive_data_acceptance(ctx, response, case)


@pytest.fixture
def server(settings: Settings) -> Iterator[tuple[LiveServer, Demo]]:
    with live_server(settings) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(accounts.create_user, srv.rt, "orga@example.org", PASSWORD)
        srv.run(live_control.go_live, srv.rt, demo.event.id, demo.top3)
        yield srv, demo


def signed_in(srv: LiveServer) -> requests.Session:
    """An organiser's session: its cookie, and the CSRF header its POSTs need."""
    session = requests.Session()
    page = session.get(f"{srv.url}/login", timeout=10).text
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    done = session.post(
        f"{srv.url}/login",
        data={"csrf": csrf, "email": "orga@example.org", "password": PASSWORD},
        timeout=10,
        allow_redirects=False,
    )
    assert done.status_code == 303
    token = session.get(f"{srv.url}/api/v1/session", timeout=10).json()["csrf_token"]
    session.headers["X-CSRF-Token"] = token
    return session


def own_parameters(operation: Any, demo: Demo) -> dict[str, str]:
    """Path parameters that name the prepared event (random ones mostly find nothing)."""
    names = {p.name for p in operation.path_parameters}
    known = {
        "code": demo.event.join_code,
        "ref": str(demo.event.id),
        "question_id": str(demo.top3),
    }
    return {name: value for name, value in known.items() if name in names}


def run_operation(operation: Any, session: requests.Session, base_url: str, demo: Demo) -> int:
    cases = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for path_parameters in (None, own_parameters(operation, demo) or None):
            strategy = operation.as_strategy(mode, path_parameters=path_parameters)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                nonlocal cases
                cases += 1
                response = case.call_and_validate(
                    base_url=base_url,
                    session=session,
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[accepted_unless_a_domain_rule],
                )
                assert response.status_code < 500, (case.method, case.formatted_path)

            try:
                check()
            except Unsatisfiable:
                # nothing to break: an operation without parameters or body has no
                # negative case
                assert mode == GenerationMode.NEGATIVE, operation.label
    return cases


def test_schemathesis_finds_nothing_anonymous_or_signed_in(server) -> None:
    srv, demo = server
    schema = schemathesis.openapi.from_url(f"{srv.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    total = 0
    for session in (requests.Session(), signed_in(srv)):
        for operation in operations:
            total += run_operation(operation, session, srv.url, demo)
    assert total > 200


# --- what Schemathesis found before, each on its own -----------------------------------


def test_a_method_the_path_does_not_take_is_405_with_every_method_it_takes(
    harness: Harness, demo: Demo
) -> None:
    base = f"/api/v1/events/{demo.event.id}"
    for path, allowed in [
        (f"{base}/publication", "DELETE, GET, POST"),
        (f"{base}/live", "GET, POST"),
        ("/api/v1/session", "GET"),
        (f"/api/v1/join/{demo.event.join_code}/answers", "POST"),
    ]:
        for method in ("TRACE", "PUT", "PATCH"):
            refused = harness.client.request(method, path)
            assert refused.status_code == 405, (method, path)
            assert refused.headers["allow"] == allowed, (method, path)
            assert refused.json()["error"] == "method_not_allowed"


def test_a_body_that_is_not_utf8_json_is_422_with_the_usual_error(
    harness: Harness, demo: Demo
) -> None:
    harness.login()
    csrf = harness.client.get("/api/v1/session").json()["csrf_token"]
    for path in (
        f"/api/v1/events/{demo.event.id}/publication",
        f"/api/v1/events/{demo.event.id}/live",
        f"/api/v1/join/{demo.event.join_code}/answers",
    ):
        for body in (b"\x03\xff", b'{"a": "\xe4"}'):
            refused = harness.client.post(
                path,
                content=body,
                headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
            )
            assert refused.status_code == 422, (path, body)
            assert refused.json() == {
                "error": "bad_request",
                "message": "Die Anfrage konnte nicht gelesen werden.",
            }


def test_the_answer_ids_rule_is_in_the_schema(harness: Harness) -> None:
    schema = harness.client.get("/api/v1/openapi.json").json()
    answer_id = schema["components"]["schemas"]["AnswerIn"]["properties"]["answer_id"]
    assert answer_id["type"] == "string"
    assert (answer_id["minLength"], answer_id["maxLength"]) == (8, 64)
    assert answer_id["pattern"] == "^[A-Za-z0-9_-]+$"


def test_an_answer_id_against_the_rule_is_refused_as_the_domain_words_it(
    harness: Harness, demo: Demo
) -> None:
    harness.run(live_control.go_live, harness.rt, demo.event.id, demo.top3)
    option = demo.option_ids[demo.top3][0]
    for answer_id in ("short", "x" * 65, "has space in it", "umlaut-ä-1234"):
        refused = harness.client.post(
            f"/api/v1/join/{demo.event.join_code}/answers",
            json={"question_id": demo.top3, "answer_id": answer_id, "value": [option]},
        )
        assert refused.status_code == 422
        assert refused.json() == {
            "error": "bad_answer_id",
            "message": "Die Antwort konnte nicht verarbeitet werden. "
            "Bitte laden Sie die Seite neu.",
        }
