"""The published results: the organiser publishes from the results page, anyone
with the link sees a read-only page and its PDF, without a cookie in either
direction; the link answers 404 as soon as it is unpublished or replaced, on every
process."""

from __future__ import annotations

import re
import subprocess
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Cookies, Response

from podium.app import create_app
from podium.live.hub import MemoryHub
from podium.runtime import Runtime
from podium.services.participation import submit_answer
from podium.services.results import live_event
from podium.settings import Settings
from tests.reports.report_event import ReportEvent, report_event
from tests.web.conftest import Harness, csrf_of
from tests.web.test_api import add_moderator

pytestmark = pytest.mark.sqlite_only  # the store is tested in tests/services
OPEN_TEXT = "Mehr Zeit für Beratung, bitte"
APPROVED = "Wie wird der Datenschutz im Homeoffice sichergestellt?"
REJECTED = "Das ist doch alles Quatsch"
PENDING = "Noch nicht gesehen"


async def with_open_text(rt: Runtime) -> ReportEvent:
    made = await report_event(rt, participants=12)
    live = await live_event(rt, made.event_id)
    text = next(q for q in live.ordered() if q.spec.kind == "text")
    await submit_answer(rt, live, "t" * 40, text.id, OPEN_TEXT, str(uuid.uuid4()))
    return made


@pytest.fixture
def event(harness: Harness) -> ReportEvent:
    made = harness.run(with_open_text, harness.rt)
    harness.login()
    return made


def results_page(harness: Harness, event: ReportEvent) -> str:
    page = harness.client.get(f"/admin/events/{event.event_id}/results")
    assert page.status_code == 200
    return page.text


def publish(harness: Harness, event: ReportEvent, **form: object) -> str:
    """Publish with the form's fields; the public path shown on the results page."""
    data = {"csrf": csrf_of(results_page(harness, event)), **form}
    done = harness.client.post(
        f"/admin/events/{event.event_id}/publication", data=data, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"].endswith("/results#publish")
    found = re.search(
        r'id="public-link" value="http://[^/"]+(/r/[A-Za-z0-9_-]{43})"',
        results_page(harness, event),
    )
    assert found, "no public link on the results page"
    return found.group(1)


def unpublish(harness: Harness, event: ReportEvent) -> None:
    data = {"csrf": csrf_of(results_page(harness, event))}
    done = harness.client.post(
        f"/admin/events/{event.event_id}/publication/delete", data=data, follow_redirects=False
    )
    assert done.status_code == 303


class Stranger:
    """A browser that never signed in, on the same server (and its event loop): the
    harness's client with the organiser's cookies put aside for each request."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}

    def get(self, path: str, **kwargs: Any) -> Response:
        kept = self.client.cookies
        self.client.cookies = Cookies(self.cookies)
        try:
            response = self.client.get(path, **kwargs)
            self.cookies = dict(self.client.cookies)
        finally:
            self.client.cookies = kept
        return response


@pytest.fixture
def stranger(harness: Harness) -> Stranger:
    return Stranger(harness.client)


EVERYTHING = {"questions": [], "texts": "1", "contributions": "1"}


def everything(event: ReportEvent) -> dict[str, object]:
    return {**EVERYTHING, "questions": [str(q) for q in all_questions(event)]}


def all_questions(event: ReportEvent) -> list[int]:
    return event.question_ids  # the polls; the words and text questions come on top


def test_off_by_default(harness: Harness, event: ReportEvent) -> None:
    page = results_page(harness, event)
    assert "Die Ergebnisse sind nicht veröffentlicht." in page
    assert 'id="public-link"' not in page


def test_the_public_page_shows_the_results_without_a_cookie(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    page = results_page(harness, event)
    ids = re.findall(r'name="questions" value="(\d+)"', page.split('id="rpublish"')[1])
    path = publish(harness, event, questions=ids, texts="1", contributions="1")
    for client in (stranger, harness.client):  # the organiser's cookies are not read either
        shown = client.get(path)
        assert shown.status_code == 200, shown.text
        assert "set-cookie" not in shown.headers
        assert shown.headers["referrer-policy"] == "no-referrer"
        assert shown.headers["cache-control"] == "no-store"
        assert shown.headers["x-robots-tag"] == "noindex"
        assert '<meta name="robots" content="noindex' in shown.text
        assert "Abmelden" not in shown.text  # nobody is signed in here
        assert 'method="post"' not in shown.text
    assert not stranger.cookies
    text = shown.text
    figures = next(iter(event.percentages.values()))
    for label in figures:
        assert label.split()[0] in text
    assert 'class="results kind-multiple' in text  # the chart
    assert "<table>" in text  # and its numbers
    assert OPEN_TEXT in text
    assert APPROVED in text
    assert REJECTED not in text and PENDING not in text  # never, whatever was chosen
    assert text.count("<h1>") == 1
    assert re.search(r"(src|href)=\"https?://", text) is None  # nothing from elsewhere


def test_left_out_questions_texts_and_contributions_are_absent(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    first, second = event.question_ids[:2]
    path = publish(harness, event, questions=[str(first)], texts="0", contributions="0")
    text = stranger.get(path).text
    assert f'id="rq{first}"' in text
    assert f'id="rq{second}"' not in text
    assert OPEN_TEXT not in text
    assert APPROVED not in text and 'id="rcontributions"' not in text
    # the organiser sees what is published, ticked as it was
    page = results_page(harness, event).split('id="rpublish"')[1]
    assert f'value="{first}" checked' in page and f'value="{second}" checked' not in page


def test_unpublishing_answers_404_at_once(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    path = publish(harness, event, **everything(event))
    assert stranger.get(path).status_code == 200
    unpublish(harness, event)
    gone = stranger.get(path)
    assert gone.status_code == 404
    assert "nicht (mehr) veröffentlicht" in gone.text
    assert "set-cookie" not in gone.headers
    assert stranger.get(f"{path}/report.pdf").status_code == 404
    assert "Die Ergebnisse sind nicht veröffentlicht." in results_page(harness, event)


def test_publishing_again_kills_the_old_link(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    old = publish(harness, event, **everything(event))
    new = publish(harness, event, **everything(event))
    assert new != old
    assert stranger.get(old).status_code == 404
    assert stranger.get(new).status_code == 200


def test_the_published_pdf_has_the_published_options(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    first = event.question_ids[0]
    path = publish(harness, event, questions=[str(first)], texts="0", contributions="1")
    page = stranger.get(path).text
    link = re.search(r'href="(/r/[^"]+/report\.pdf\?lang=de)"', page)
    assert link, "no PDF link on the public page"
    pdf = stranger.get(link.group(1))
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert "set-cookie" not in pdf.headers
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Datenschutz im Homeoffice" in text  # an approved contribution
    assert "Quatsch" not in text
    assert OPEN_TEXT not in text


def test_the_reader_chooses_the_language_by_link(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    path = publish(harness, event, **everything(event))
    german = stranger.get(path)
    assert '<html lang="de">' in german.text
    english = stranger.get(f"{path}?lang=en")
    assert '<html lang="en">' in english.text and "Published results" in english.text
    assert english.headers["content-language"] == "en"
    assert "set-cookie" not in english.headers
    browser = stranger.get(path, headers={"Accept-Language": "en"})
    assert '<html lang="en">' in browser.text


def test_publishing_needs_the_forms_token(harness: Harness, event: ReportEvent) -> None:
    refused = harness.client.post(
        f"/admin/events/{event.event_id}/publication", data={"csrf": "wrong", **EVERYTHING}
    )
    assert refused.status_code == 403
    assert "Die Ergebnisse sind nicht veröffentlicht." in results_page(harness, event)


def test_a_question_of_another_event_is_refused(harness: Harness, event: ReportEvent) -> None:
    refused = harness.client.post(
        f"/admin/events/{event.event_id}/publication",
        data={"csrf": csrf_of(results_page(harness, event)), "questions": ["999999"]},
    )
    assert refused.status_code == 422
    assert "999999" in refused.text


def test_unpublished_on_one_process_is_404_on_the_other_at_once(
    harness: Harness, event: ReportEvent, settings: Settings
) -> None:
    # process B: an app of its own on the same database, whose hub never hears A
    other = create_app(settings, Runtime(settings, hub=MemoryHub()))
    with TestClient(other, base_url="http://127.0.0.1:8001") as b:
        path = publish(harness, event, **everything(event))
        assert b.get(path).status_code == 200
        unpublish(harness, event)
        assert b.get(path).status_code == 404


def test_the_api_publishes_shows_and_revokes_the_link(
    harness: Harness, event: ReportEvent, stranger: Stranger
) -> None:
    api = f"/api/v1/events/{event.event_id}/publication"
    token = harness.client.get("/api/v1/session").json()["csrf_token"]
    assert harness.client.get(api).json() == {
        "published": False,
        "url": None,
        "questions": None,
        "include_texts": False,
        "include_contributions": False,
    }
    refused = harness.client.post(api, json={})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf"
    first = event.question_ids[0]
    made = harness.client.post(
        api,
        json={"questions": [first], "include_contributions": True},
        headers={"X-CSRF-Token": token},
    )
    assert made.status_code == 200, made.text
    body = made.json()
    assert body["published"] and body["questions"] == [first]
    assert body["include_contributions"] and not body["include_texts"]
    path = "/r/" + body["url"].split("/r/", 1)[1]
    assert harness.client.get(api).json() == body
    page = stranger.get(path)
    assert page.status_code == 200 and APPROVED in page.text and OPEN_TEXT not in page.text
    bad = harness.client.post(api, json={"questions": [999999]}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and bad.json()["error"] == "unknown_report_question"
    assert stranger.get(path).status_code == 200  # a refused change keeps the link
    gone = harness.client.delete(api, headers={"X-CSRF-Token": token})
    assert gone.status_code == 200 and gone.json()["published"] is False
    assert stranger.get(path).status_code == 404


def test_a_moderator_sees_results_but_does_not_publish(
    harness: Harness, event: ReportEvent
) -> None:
    add_moderator(harness, "mod@example.org", event.event_id)
    harness.client.post("/logout", data={"csrf": csrf_of(results_page(harness, event))})
    harness.login("mod@example.org")
    page = results_page(harness, event)
    assert 'id="rpublish"' not in page
    refused = harness.client.post(
        f"/admin/events/{event.event_id}/publication",
        data={"csrf": csrf_of(page), **EVERYTHING},
    )
    assert refused.status_code == 403
