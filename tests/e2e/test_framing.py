"""The presenter view inside another site's page (BigBlueButton's link share, Jitsi, a
Teams tab, an intranet page): a parent page from an origin the event lists shows it
and its live updates; a parent page from any other origin gets nothing, Chromium
refusing the frame by the view's frame-ancestors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page, expect

from podium.services import live_control
from podium.services.frame_origins import set_event_frame_origins
from tests.e2e.conftest import LAPTOP, People, Site
from tests.server import free_port

pytestmark = pytest.mark.browser


class Parent:
    """A page on another local origin (another port) whose iframe shows `src`."""

    def __init__(self, src: str) -> None:
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Call</title>'
            f'</head><body><h1>Video call</h1><iframe title="podium" src="{src}" '
            'width="1000" height="600"></iframe></body></html>'
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Parent:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def parents(site: Site) -> Iterator[tuple[Parent, Parent]]:
    with Parent(site.presenter_url) as allowed, Parent(site.presenter_url) as refused:
        site.srv.run(set_event_frame_origins, site.srv.rt, site.demo.event.id, [allowed.origin])
        yield allowed, refused


def presenter_frame(page: Page) -> Frame:
    frames = [frame for frame in page.frames if frame is not page.main_frame]
    assert len(frames) == 1
    return frames[0]


def test_a_listed_origin_shows_the_presenter_view_live_in_its_frame(
    site: Site, people: People, parents: tuple[Parent, Parent]
) -> None:
    allowed, _refused = parents
    page = people.page(LAPTOP)
    page.goto(allowed.origin)
    inside = page.frame_locator("iframe")
    expect(inside.locator(".screen-welcome h1")).to_have_text(site.demo.event.title)
    expect(inside.locator(".join-code")).to_be_visible()
    # the stream works inside the frame: the question the moderator starts appears
    site.srv.run(live_control.go_live, site.srv.rt, site.demo.event.id, site.demo.single)
    expect(inside.get_by_text("Ja oder nein?").first).to_be_visible()
    people.assert_no_errors()


def test_any_other_origin_gets_a_refused_frame(
    site: Site, people: People, parents: tuple[Parent, Parent]
) -> None:
    allowed, refused = parents
    page = people.page(LAPTOP)

    def refusal(message: ConsoleMessage) -> bool:
        return "frame-ancestors" in message.text and message.type == "error"

    with page.expect_console_message(refusal) as reported:
        page.goto(refused.origin)
    said = reported.value.text
    assert "violates the following Content Security Policy directive" in said
    assert f'"frame-ancestors {allowed.origin}"' in said  # the event's list, not 'none'
    assert "blocked" in said
    expect(page.locator("h1")).to_have_text("Video call")  # the parent page itself loads
    frame = presenter_frame(page)
    # the frame's document is Chromium's error page, never the presenter's
    assert frame.url != site.presenter_url
    assert frame.locator(".join-code").count() == 0
    assert frame.locator(".screen-welcome").count() == 0
