"""The JSON API: its OpenAPI document, the session, and the helpers the other
test_api_* modules share."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from podium.services import accounts, live_control
from podium.store.tables import Answer
from podium.web.messages import MESSAGES
from tests.web.conftest import PASSWORD, Demo, Harness

API = "/api/v1"
JSON = {"Accept": "application/json"}


def answer_count(h: Harness) -> int:
    async def count() -> int:
        async with h.rt.sessions() as session:
            return await session.scalar(select(func.count()).select_from(Answer)) or 0

    return h.run(count)


def go_live(h: Harness, demo: Demo, question_id: int) -> None:
    h.run(live_control.go_live, h.rt, demo.event.id, question_id)


def csrf(h: Harness) -> str:
    response = h.client.get(f"{API}/session")
    assert response.status_code == 200
    return str(response.json()["csrf_token"])


def post_live(h: Harness, ref: int | str, body: Any, token: str | None = None) -> httpx.Response:
    headers = {} if token is None else {"X-CSRF-Token": token}
    return h.client.post(f"{API}/events/{ref}/live", json=body, headers=headers)


def vote(
    h: Harness, code: str, question_id: Any, value: Any, answer_id: str | None = None
) -> httpx.Response:
    body = {"question_id": question_id, "answer_id": answer_id or str(uuid.uuid4()), "value": value}
    return h.client.post(f"{API}/join/{code}/answers", json=body)


def new_participant(h: Harness) -> None:
    """Forget the participant cookie: the next vote comes from another person."""
    h.client.cookies.delete("podium_p")


def add_moderator(h: Harness, email: str, event_id: int | None = None) -> None:
    h.run(accounts.create_user, h.rt, email, PASSWORD, "Mod", role="moderator")
    if event_id is not None:
        h.run(accounts.assign_moderator, h.rt, event_id, email)


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, (code, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]


# -- the OpenAPI document -----------------------------------------------------------


def test_openapi_document_lists_the_api_and_only_the_api(harness: Harness) -> None:
    response = harness.client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {
        f"{API}/session",
        f"{API}/events",
        f"{API}/events/{{ref}}",
        f"{API}/events/{{ref}}/results",
        f"{API}/events/{{ref}}/results/{{question_id}}/{{name}}",
        f"{API}/events/{{ref}}/report.{{fmt}}",
        f"{API}/events/{{ref}}/publication",
        f"{API}/events/{{ref}}/live",
        f"{API}/join/{{code}}",
        f"{API}/join/{{code}}/answers",
    }
    files = document["paths"][f"{API}/events/{{ref}}/results/{{question_id}}/{{name}}"]["get"]
    assert set(files["responses"]["200"]["content"]) == {
        "image/svg+xml",
        "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    live = document["paths"][f"{API}/events/{{ref}}/live"]
    assert set(live) == {"get", "post"}
    assert live["post"]["operationId"] == "set_live"
    schemas = document["components"]["schemas"]
    assert {"AnswerIn", "AnswerOut", "ErrorOut", "EventOut", "LiveUpdateIn"} <= set(schemas)
    assert "HTTPValidationError" not in schemas  # never sent: errors are ErrorOut
    post = document["paths"][f"{API}/join/{{code}}/answers"]["post"]
    assert post["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AnswerIn"
    }
    result = schemas["QuestionResultOut"]["properties"]["result"]
    assert set(result["discriminator"]["mapping"]) == {
        "single",
        "multiple",
        "scale",
        "words",
        "text",
    }


def test_interactive_docs_are_served(harness: Harness) -> None:
    response = harness.client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text


def test_unknown_api_path_is_json_404(harness: Harness) -> None:
    assert_error(harness.client.get(f"{API}/nothing-here"), 404, "not_found")


# -- the session ------------------------------------------------------------------------


def test_session_when_anonymous_gives_a_token_to_sign_in_with(harness: Harness) -> None:
    response = harness.client.get(f"{API}/session")
    assert response.status_code == 200
    body = response.json()
    assert body["user"] is None
    token = body["csrf_token"]
    login = harness.client.post(
        "/login",
        data={"csrf": token, "email": "orga@example.org", "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert login.status_code == 303
    after = harness.client.get(f"{API}/session").json()
    assert after["user"]["email"] == "orga@example.org"
    assert after["user"]["role"] == "organiser"
    assert after["csrf_token"] == token  # kept across the login


def test_every_error_code_in_the_api_docs_has_a_message() -> None:
    text = (Path(__file__).parents[2] / "docs" / "API.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| \d{3} \| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert len(documented) >= 20
    assert documented <= set(MESSAGES)
