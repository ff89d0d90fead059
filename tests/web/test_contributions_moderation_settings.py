"""The event's contribution settings in the moderator's console, and who may post
to the queue at all (a moderator of the event, with the session's CSRF token)."""

from __future__ import annotations

import pytest

from podium.domain.contributions import InvalidContribution, State
from podium.domain.errors import NotAllowed
from podium.services import accounts
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of
from tests.web.moderation_helpers import (
    JSON,
    act,
    base,
    page,
    send,
    stored,
)


def test_the_settings_form(mod: Harness, demo: Demo) -> None:
    html = page(mod, demo)
    assert 'name="moderation" value="pre" checked' in html
    response = mod.client.post(
        f"{base(demo)}/contributions/settings",
        data={
            "csrf": csrf_of(html),
            "open": "0",
            "moderation": "post",
            "panelists": "Dr. Anna Berg\r\n\r\nMax Muster\r\n",
            "blocked_words": "Schwurbelei\nquatsch*",
            "allowed_words": "",
            "screen_mode": "contributions",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    live = mod.run(mod.rt.live.get, demo.event.id)
    assert live.contributions_open is False
    assert live.moderation == "post"
    assert live.panelists == ("Dr. Anna Berg", "Max Muster")
    assert live.screen_mode == "contributions"
    with pytest.raises(NotAllowed) as closed:
        send(mod, demo, "Darf ich noch fragen?")
    assert closed.value.code == "contributions_closed"

    html = page(mod, demo)
    assert 'name="open" value="0" checked' in html
    assert 'name="moderation" value="post" checked' in html
    assert ">Dr. Anna Berg\nMax Muster</textarea>" in html
    assert ">schwurbelei\nquatsch*</textarea>" in html
    # a field left out stays: opening again keeps everything else
    response = mod.client.post(
        f"{base(demo)}/contributions/settings",
        data={"csrf": csrf_of(html), "open": "1"},
        headers=JSON,
    )
    assert response.status_code == 200
    live = mod.run(mod.rt.live.get, demo.event.id)
    assert live.contributions_open is True and live.moderation == "post"
    with pytest.raises(InvalidContribution) as blocked:
        send(mod, demo, "Das ist doch Quatschkram!")
    assert blocked.value.code == "contribution_blocked"
    shown = send(mod, demo, "Eine Frage an Max", panelist="max muster")
    assert shown.state is State.APPROVED  # post-moderation: shown at once
    assert shown.panelist == "Max Muster"
    bad = mod.client.post(
        f"{base(demo)}/contributions/settings",
        data={"csrf": csrf_of(html), "moderation": "sometimes"},
        headers=JSON,
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == "unknown_moderation"


def test_every_post_needs_the_csrf_token(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Eine Frage ohne Token")
    assert act(mod, demo, item.id, "approve", csrf="").status_code == 403
    assert act(mod, demo, item.id, "approve", csrf="falsch", as_json=True).status_code == 403
    paths = [
        f"contributions/{item.id}/edit",
        f"contributions/{item.id}/ban",
        f"contributions/{item.id}/delete",
        "contributions/bulk",
        "contributions/merge",
        "contributions/settings",
    ]
    for path in paths:
        response = mod.client.post(f"{base(demo)}/{path}", data={"open": "0"}, headers=JSON)
        assert response.status_code == 403, path
        assert response.json()["error"] == "csrf"
    now = stored(mod, demo, item.id)
    assert now is not None and now.state is State.PENDING and now.version == item.version
    live = mod.run(mod.rt.live.get, demo.event.id)
    assert live.contributions_open is True


def test_no_access_without_login_or_assignment(harness: Harness, demo: Demo) -> None:
    item = send(harness, demo, "Eine Frage an niemanden")
    csrf = harness.csrf()  # a session of its own, not signed in
    response = harness.client.get(base(demo), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    response = harness.client.post(
        f"{base(demo)}/contributions/{item.id}/act",
        data={"csrf": csrf, "action": "approve", "version": str(item.version)},
        headers=JSON,
    )
    assert response.status_code == 401
    response = harness.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"csrf": csrf, "action": "approve", "ids": [str(item.id)]},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert harness.client.get(f"{base(demo)}/stream", headers=JSON).status_code == 401

    # a moderator of another event may not act on this one's queue
    harness.run(accounts.create_user, harness.rt, "other@example.org", PASSWORD, role="moderator")
    harness.login("other@example.org")
    assert harness.client.get(base(demo)).status_code == 403
    response = harness.client.post(
        f"{base(demo)}/contributions/{item.id}/act",
        data={"csrf": harness.csrf("/moderate"), "action": "approve"},
        headers=JSON,
    )
    assert response.status_code == 403
    assert stored(harness, demo, item.id).state is State.PENDING
