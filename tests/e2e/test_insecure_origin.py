"""Issue 14, defect 3: over plain HTTP on an intranet host name the page is no secure
context, so `crypto.randomUUID` does not exist there. Tapping an answer must still
send it (the answer id comes from `crypto.getRandomValues`).

localhost and 127.0.0.1 count as secure in Chromium, so the server listens on
127.0.0.2 and the browser opens it as http://podium.test:<port>, a name that a
host-resolver rule maps to that address: the same as a phone on http://10.1.2.3.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect
from sqlalchemy import func, select

from podium.runtime import Runtime
from podium.services import live_control
from podium.settings import Settings
from podium.store.tables import Answer
from tests.e2e.conftest import PHONE, TIMEOUT_MS, launch
from tests.e2e.test_live_event import choice_button, expect_question, expect_received
from tests.server import live_server
from tests.web.conftest import Demo, make_event

pytestmark = pytest.mark.browser

ADDRESS = "127.0.0.2"
NAME = "podium.test"


@pytest.fixture(scope="module")
def intranet_browser(playwright: Playwright) -> Iterator[Browser]:
    # A browser of its own: the host-resolver rule is a launch argument.
    browser = launch(playwright, f"--host-resolver-rules=MAP {NAME} {ADDRESS}")
    try:
        yield browser
    finally:
        browser.close()


async def stored_answers(rt: Runtime, question_id: int) -> int:
    async with rt.sessions() as session:
        count = await session.scalar(
            select(func.count(Answer.id)).where(
                Answer.question_id == question_id, Answer.superseded.is_(False)
            )
        )
    return int(count or 0)


def test_a_tap_is_stored_over_plain_http_on_an_intranet_name(
    settings: Settings, intranet_browser: Browser
) -> None:
    with live_server(settings, host=ADDRESS, name=NAME) as srv:
        assert srv.url.startswith(f"http://{NAME}:")
        demo: Demo = srv.run(make_event, srv.rt)
        srv.run(live_control.go_live, srv.rt, demo.event.id, demo.single)
        context = intranet_browser.new_context(locale="de-DE", viewport=PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        try:
            phone: Page = context.new_page()
            phone.on("pageerror", lambda exc: errors.append(str(exc)))
            phone.goto(f"{srv.url}/p/{demo.event.join_code}")
            assert phone.evaluate("window.isSecureContext") is False
            assert phone.evaluate("typeof crypto.randomUUID") == "undefined"
            expect_question(phone, "Ja oder nein?")

            # The script takes the tap (no page load, as the no-script form would do).
            phone.evaluate("window.__marker = 1")
            choice_button(phone, "Ja").click()
            expect_received(phone)
            expect(choice_button(phone, "Ja")).to_have_attribute("aria-pressed", "true")
            assert phone.evaluate("window.__marker") == 1
            assert errors == []
        finally:
            context.close()

        assert srv.run(stored_answers, srv.rt, demo.single) == 1
        live = srv.rt.live.loaded(demo.event.id)
        assert live is not None
        result = live.tallies[demo.single].result()
        assert {o.label: o.count for o in result.options} == {"Ja": 1, "Nein": 0}
