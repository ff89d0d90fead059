"""Accounts in the browser: an administrator invites by a single-use link (no
password mailed or shown), lists, changes roles, deactivates (sessions end at once),
deletes and resets passwords by link; every change is in the account log; nobody
else reaches the page."""

from __future__ import annotations

import re

from podium.services import accounts
from tests.web.conftest import PASSWORD, Harness, csrf_of

LINK = re.compile(r"http://127\.0\.0\.1:8000(/account/password/[A-Za-z0-9_-]+)")


def _admin(h: Harness) -> None:
    h.run(accounts.create_user, h.rt, "admin@example.org", PASSWORD, "", "administrator")
    h.login("admin@example.org")


def _post(h: Harness, path: str, **data: str) -> object:
    token = csrf_of(h.client.get("/admin/accounts").text)
    return h.client.post(path, data={"csrf": token, **data}, follow_redirects=False)


def test_only_administrators_reach_the_accounts_page(harness: Harness) -> None:
    assert harness.client.get("/admin/accounts", follow_redirects=False).status_code == 303
    harness.login()
    assert harness.client.get("/admin/accounts").status_code == 403


def test_invite_by_link_and_set_the_password(harness: Harness) -> None:
    h = harness
    _admin(h)
    page = _post(h, "/admin/accounts/invite", email="Neu@Example.org", role="moderator")
    assert page.status_code == 200  # type: ignore[attr-defined]
    found = LINK.search(page.text)  # type: ignore[attr-defined]
    assert found
    link = found.group(1)
    user = h.run(accounts.get_user_by_email, h.rt, "neu@example.org")
    assert user is not None and user.role == "moderator" and user.organisation_id is not None
    assert h.run(accounts.authenticate, h.rt, "neu@example.org", "") is None
    h.client.cookies.clear()
    form = h.client.get(link)
    assert form.status_code == 200 and "neu@example.org" in form.text
    differ = h.client.post(
        link, data={"csrf": csrf_of(form.text), "password": PASSWORD, "again": "x"}
    )
    assert differ.status_code == 422
    done = h.client.post(
        link,
        data={"csrf": csrf_of(form.text), "password": PASSWORD, "again": PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert h.run(accounts.authenticate, h.rt, "neu@example.org", PASSWORD) is not None
    assert h.client.get(link).status_code == 404  # used up
    h.login("admin@example.org")
    log = h.client.get("/admin/accounts").text
    # German first (the server's default language)
    assert "eingeladen" in log and "Passwort festgelegt" in log and "admin@example.org" in log


def test_change_role_deactivate_reset_delete(harness: Harness) -> None:
    h = harness
    h.login()  # orga's session, which deactivation must end
    orga_cookies = dict(h.client.cookies)
    h.client.cookies.clear()
    _admin(h)
    orga = h.run(accounts.get_user_by_email, h.rt, "orga@example.org")
    assert orga is not None
    assert _post(h, f"/admin/accounts/{orga.id}/role", role="moderator").status_code == 303  # type: ignore[attr-defined]
    assert h.run(accounts.get_user, h.rt, orga.id).role == "moderator"
    assert _post(h, f"/admin/accounts/{orga.id}/active", active="0").status_code == 303  # type: ignore[attr-defined]
    assert not h.run(accounts.get_user, h.rt, orga.id).active
    admin_cookies = dict(h.client.cookies)
    h.client.cookies.clear()
    h.client.cookies.update(orga_cookies)
    assert h.client.get("/moderate", follow_redirects=False).status_code == 303  # signed out
    h.client.cookies.clear()
    h.client.cookies.update(admin_cookies)
    reset = _post(h, f"/admin/accounts/{orga.id}/reset")
    assert LINK.search(reset.text)  # type: ignore[attr-defined]
    assert _post(h, f"/admin/accounts/{orga.id}/delete").status_code == 303  # type: ignore[attr-defined]
    assert h.run(accounts.get_user, h.rt, orga.id) is None
    page = h.client.get("/admin/accounts").text
    changes = ("Rolle geändert", "deaktiviert", "Link zum Zurücksetzen des Passworts", "gelöscht")
    for change in changes:
        assert change in page


def test_an_administrator_cannot_change_their_own_account(harness: Harness) -> None:
    h = harness
    _admin(h)
    me = h.run(accounts.get_user_by_email, h.rt, "admin@example.org")
    assert me is not None
    refused = _post(h, f"/admin/accounts/{me.id}/delete")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert h.run(accounts.get_user, h.rt, me.id) is not None


def test_the_accounts_page_in_english(harness: Harness) -> None:
    _admin(harness)
    page = harness.client.get("/admin/accounts", headers={"Accept-Language": "en"}).text
    assert "Invite an account" in page and "Account log" in page
