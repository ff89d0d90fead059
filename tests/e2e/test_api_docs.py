"""/api/docs: Swagger UI from podium's own files, under podium's own policy. The page
shows the API's operations with no console error, no CSP violation and no request
to another host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Request, expect

from tests.e2e.conftest import LAPTOP, People, Site

pytestmark = pytest.mark.browser


def test_the_api_documentation_works_under_the_csp_without_other_hosts(
    site: Site, people: People
) -> None:
    page = people.page(LAPTOP, locale="en-GB")
    requested: list[str] = []

    def remember(request: Request) -> None:
        requested.append(request.url)

    page.on("request", remember)
    response = page.goto(f"{site.url}/api/docs")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("podium")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    assert operations.count() > 5
    # an operation opens, with its parameters
    operations.filter(has_text="/api/v1/session").first.click()
    expect(page.locator(".opblock.is-open").first).to_be_visible()
    own = urlsplit(site.url).netloc
    others = [url for url in requested if urlsplit(url).netloc not in (own, "")]
    assert others == []
    assert any("/api/v1/openapi.json" in url for url in requested)
    people.assert_no_errors()
