"""CSRF: the token in the form field `csrf` or in the X-CSRF-Token header on every
cookie-authenticated POST; Sec-Fetch-Site as a second check, which a proxy that
rewrites Host does not break."""

from __future__ import annotations

from podium.domain.contributions import State
from podium.services import catalog
from tests.web.conftest import Demo, Harness, csrf_of
from tests.web.moderation_helpers import base, page, send, stored, version_on

HEADER = "X-CSRF-Token"


def test_the_moderators_contribution_actions_take_the_header(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Wann beginnt die Pause?")
    html = page(mod, demo)
    token = csrf_of(html)
    url = f"{base(demo)}/contributions/{item.id}/act"
    fields = {"action": "approve", "version": str(version_on(html, item.id))}
    assert mod.client.post(url, data=fields, follow_redirects=False).status_code == 403
    assert stored(mod, demo, item.id).state is State.PENDING  # type: ignore[union-attr]
    wrong = mod.client.post(url, data=fields, headers={HEADER: "forged"})
    assert wrong.status_code == 403
    done = mod.client.post(url, data=fields, headers={HEADER: token}, follow_redirects=False)
    assert done.status_code == 303
    assert stored(mod, demo, item.id).state is State.APPROVED  # type: ignore[union-attr]


def test_organiser_forms_and_logout_take_the_header(harness: Harness) -> None:
    harness.login()
    token = harness.csrf("/admin")
    created = harness.client.post(
        "/admin/series/new", data={"title": "Reihe"}, headers={HEADER: token}
    )
    assert created.status_code == 200 and created.url.path == "/admin"
    assert [s.title for s in harness.run(catalog.list_series, harness.rt)] == ["Reihe"]
    out = harness.client.post("/logout", headers={HEADER: token}, follow_redirects=False)
    assert out.status_code == 303
    assert harness.client.get("/admin", follow_redirects=False).status_code == 303


def test_the_form_field_still_works(
    harness: Harness,
) -> None:
    harness.login()
    token = harness.csrf("/admin")
    refused = harness.client.post("/admin/series/new", data={"title": "X", "csrf": "forged"})
    assert refused.status_code == 403
    ok = harness.client.post("/admin/series/new", data={"title": "Y", "csrf": token})
    assert ok.status_code == 200
    assert [s.title for s in harness.run(catalog.list_series, harness.rt)] == ["Y"]


def test_sec_fetch_site_cross_site_is_refused_even_with_the_token(harness: Harness) -> None:
    harness.login()
    token = harness.csrf("/admin")
    for site in ("cross-site", "same-site"):
        refused = harness.client.post(
            "/admin/series/new",
            data={"title": site, "csrf": token},
            headers={"sec-fetch-site": site, "origin": "https://evil.example"},
        )
        assert refused.status_code == 403, site
    # cross-site is refused even without an Origin header to compare
    bare = harness.client.post(
        "/admin/series/new",
        data={"title": "bare", "csrf": token},
        headers={"sec-fetch-site": "cross-site"},
    )
    assert bare.status_code == 403
    assert harness.run(catalog.list_series, harness.rt) == []


def test_a_proxy_that_rewrites_host_does_not_break_a_same_origin_post(harness: Harness) -> None:
    """The browser says same-origin; the proxy passed on `Host: 127.0.0.1:8000` while the
    browser's Origin names the public host: accepted. Without Sec-Fetch-Site the Origin
    check alone still decides (and refuses)."""
    harness.login()
    token = harness.csrf("/admin")
    proxied = harness.client.post(
        "/admin/series/new",
        data={"title": "Behind a proxy", "csrf": token},
        headers={"sec-fetch-site": "same-origin", "origin": "https://podium.example.org"},
    )
    assert proxied.status_code == 200
    old_browser = harness.client.post(
        "/admin/series/new",
        data={"title": "Old browser", "csrf": token},
        headers={"origin": "https://podium.example.org"},
    )
    assert old_browser.status_code == 403
    titles = [s.title for s in harness.run(catalog.list_series, harness.rt)]
    assert titles == ["Behind a proxy"]


def test_same_origin_does_not_replace_the_token(harness: Harness) -> None:
    harness.login()
    refused = harness.client.post(
        "/admin/series/new", data={"title": "No token"}, headers={"sec-fetch-site": "same-origin"}
    )
    assert refused.status_code == 403
    assert harness.run(catalog.list_series, harness.rt) == []
