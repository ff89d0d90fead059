"""Browser fixtures: one headless Chromium per test run, a fresh context (own cookies,
own participant) per simulated person, a real podium server per test.

Chromium is Debian's /usr/bin/chromium (CI installs it). A missing browser is an
error, never a skip: these tests are the only proof that the pages work live.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from podium.services import accounts
from podium.settings import Settings
from tests.server import LiveServer, live_server
from tests.web.conftest import PASSWORD, Demo, make_event

CHROMIUM = "/usr/bin/chromium"
ORGANISER = "orga@example.org"
TIMEOUT_MS = 10_000  # for every wait on a condition; generous for a busy 2-core CI box
expect.set_options(timeout=TIMEOUT_MS)

PHONE = {"width": 390, "height": 844}
SCREEN_720 = {"width": 1280, "height": 720}
SCREEN_1080 = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 900}


# Every document records what the Content-Security-Policy blocked (the console shows it too).
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright per run: a second sync one cannot start while the first runs."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium)")
    with sync_playwright() as pw:
        yield pw


def launch(pw: Playwright, *extra_args: str) -> Browser:
    return pw.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch(playwright)
    try:
        yield browser
    finally:
        browser.close()


@dataclass
class Site:
    """A running podium with one prepared event and an organiser account."""

    srv: LiveServer
    demo: Demo

    @property
    def url(self) -> str:
        return self.srv.url

    @property
    def join_url(self) -> str:
        return f"{self.url}/p/{self.demo.event.join_code}"

    @property
    def presenter_url(self) -> str:
        return f"{self.url}/present/{self.demo.event.presenter_token}"

    @property
    def console_url(self) -> str:
        return f"{self.url}/moderate/{self.demo.event.id}"


@pytest.fixture
def site(settings: Settings) -> Iterator[Site]:
    with live_server(settings) as srv:
        demo = srv.run(make_event, srv.rt)
        srv.run(accounts.create_user, srv.rt, ORGANISER, PASSWORD)
        yield Site(srv, demo)


@dataclass
class People:
    """Browser contexts of one test; records every console error and page error."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def page(self, viewport: dict[str, int] = PHONE, **options: Any) -> Page:
        options.setdefault("locale", "de-DE")
        context = self.browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(CSP_WATCH)
        self.contexts.append(context)
        return self._watch(context.new_page())

    def tab(self, page: Page) -> Page:
        """Another tab of the same person (same cookies, same session)."""
        return self._watch(page.context.new_page())

    def _watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # CSP violations, failed module loads and uncaught errors all land here.
        # Chromium asks every site for /favicon.ico by itself; its 404 is no page error.
        if message.type == "error" and "/favicon.ico" not in str(message.location.get("url")):
            self.errors.append(f"console: {message.text} @ {message.location.get('url')}")

    def assert_no_errors(self) -> None:
        for context in self.contexts:
            for page in context.pages:
                blocked = page.evaluate("window.__cspViolations || []")
                self.errors.extend(f"CSP violation on {page.url}: {v}" for v in blocked)
        assert self.errors == [], "\n".join(self.errors)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser: Browser, site: Site) -> Iterator[People]:
    # Depends on `site` so that pages close before the server stops (no stray
    # reconnect errors from EventSource at teardown).
    group = People(browser)
    try:
        yield group
    finally:
        group.close()


@pytest.fixture
def shot(tmp_path: Path):
    """Save a screenshot. The user guide's pictures (`guide=True`) go to
    $PODIUM_SCREENSHOTS (docs/img) when it is set; everything else to tmp_path."""
    scratch = tmp_path / "screenshots"
    guide_folder = (
        Path(os.environ["PODIUM_SCREENSHOTS"]) if os.environ.get("PODIUM_SCREENSHOTS") else None
    )

    def save(page: Page, name: str, *, full_page: bool = False, guide: bool = True) -> Path:
        folder = guide_folder if guide and guide_folder else scratch
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return save


def log_in(page: Page, site: Site, next_url: str) -> None:
    """Log in through the real form (selectors that do not depend on the UI language)."""
    page.goto(f"{site.url}/login?next={next_url}")
    page.locator("#email").fill(ORGANISER)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
