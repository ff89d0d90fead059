"""The contributions queue of the moderator's console: every action as a plain form
post (CSRF token from the page, 303 back to the queue) and as JSON for the script;
the second of two moderators deciding on the same view is told it was decided;
bulk, edit, merge, ban, delete."""

from __future__ import annotations

import pytest

from podium.domain.codes import new_token
from podium.domain.contributions import State
from podium.domain.errors import NotAllowed
from podium.services import accounts, contributions
from podium.web.contribution_frames import QueueLists
from podium.web.static_files import tree_version
from tests.web.conftest import PASSWORD, Demo, Harness, csrf_of
from tests.web.moderation_helpers import (
    JSON,
    act,
    base,
    eventually,
    german,
    page,
    public_texts,
    send,
    stored,
    version_on,
)


def test_the_console_shows_the_queue_with_a_pending_contribution(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Wie geht es mit der Videoberatung weiter?", name="Ada")
    html = page(mod, demo, lang="de")
    assert 'id="contributions"' in html
    assert f"/static/{tree_version()}/css/moderation.css" in html
    assert "Wie geht es mit der Videoberatung weiter?" in html
    assert f'data-id="{item.id}" data-version="{item.version}" data-state="pending"' in html
    assert "<span data-pending>1</span>" in html
    section = html[html.index('id="contributions"') :]
    token = csrf_of(html)
    assert f'data-csrf="{token}"' in section
    # every form of the queue carries the token, so that each button works without script
    queue = section[
        section.index('id="contribution-queue"') : section.index("contribution-settings")
    ]
    assert queue.count("<form") == queue.count(f'name="csrf" value="{token}"') > 5
    assert f'name="ids" value="{item.id}"' in queue and 'form="contributions-bulk"' in queue
    # the console's stream renders the queue from the board: loading the page loads it
    assert mod.rt.board.loaded(demo.event.id) is not None


def test_the_broadcast_queue_has_no_csrf_token(mod: Harness, demo: Demo) -> None:
    send(mod, demo, "Eine Frage an alle")
    live = mod.run(mod.rt.live.get, demo.event.id)
    items = mod.run(contributions.all_items, mod.rt, demo.event.id)
    frame = QueueLists(mod.client.app.state.templates.env).frame(live, items, "de", full=True)
    html = frame["shell"] + "".join(frame["items"].values())
    assert frame["pending"] == 1
    assert "Eine Frage an alle" in html
    assert 'name="csrf"' not in html
    assert "/contributions/" in html and 'data-key="a"' in html


def test_every_action_works_as_a_plain_form_post(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Was kostet das Projekt?")
    steps = [
        ("approve", State.APPROVED, {}),
        ("highlight", State.APPROVED, {"highlighted": True}),
        ("answered", State.APPROVED, {"answered": True, "highlighted": False}),
        ("pin", State.APPROVED, {"pinned": True}),
        ("unpin", State.APPROVED, {"pinned": False}),
        ("archive", State.ARCHIVED, {"answered": True}),
        ("put_back", State.PENDING, {"answered": False}),
        ("reject", State.REJECTED, {}),
    ]
    for action, state, flags in steps:
        response = act(mod, demo, item.id, action)
        assert response.status_code == 303, (action, response.text)
        assert response.headers["location"] == f"{base(demo)}#contributions"
        now = stored(mod, demo, item.id)
        assert now is not None and now.state is state, action
        for flag, value in flags.items():
            assert getattr(now.status, flag) is value, (action, flag)
    # the page the post is redirected to shows the decision at once
    assert f'data-id="{item.id}" data-version="{now.version}" data-state="rejected"' in page(
        mod, demo
    )


def test_actions_answer_json_for_the_script(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Gibt es eine Aufzeichnung?")
    response = act(mod, demo, item.id, "approve", as_json=True)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["contribution"]["state"] == "approved"
    assert body["contribution"]["version"] == item.version + 1
    for action, key in (("highlight", "highlighted"), ("pin", "pinned"), ("answered", "answered")):
        body = act(mod, demo, item.id, action, as_json=True).json()
        assert body["contribution"][key] is True, action
    body = act(mod, demo, item.id, "archive", as_json=True).json()
    assert body["contribution"]["state"] == "archived"
    body = act(mod, demo, item.id, "put_back", as_json=True).json()
    assert body["contribution"]["state"] == "pending"
    refused = act(mod, demo, item.id, "highlight", as_json=True)  # not while waiting
    assert refused.status_code == 409
    assert refused.json()["error"] == "contribution_not_possible"


def test_the_second_moderator_on_the_same_view_is_told_it_was_decided(
    harness: Harness, demo: Demo
) -> None:
    harness.run(accounts.create_user, harness.rt, "mod@example.org", PASSWORD, role="moderator")
    harness.run(accounts.assign_moderator, harness.rt, demo.event.id, "mod@example.org")
    harness.login()
    first = dict(harness.client.cookies)
    harness.client.cookies.clear()
    harness.login("mod@example.org")
    second = dict(harness.client.cookies)
    item = send(harness, demo, "Wer entscheidet darüber?")

    harness.client.cookies = first
    first_page = page(harness, demo)
    harness.client.cookies = second
    second_page = page(harness, demo)
    seen = version_on(second_page, item.id)
    assert seen == version_on(first_page, item.id)

    harness.client.cookies = first
    assert act(harness, demo, item.id, "approve", version=seen, as_json=True).status_code == 200
    harness.client.cookies = second
    response = harness.client.post(
        f"{base(demo)}/contributions/{item.id}/act",
        data={"csrf": csrf_of(second_page), "action": "reject", "version": str(seen)},
        headers={**JSON, "Accept-Language": "de"},
    )
    assert response.status_code == 409
    assert response.json() == {
        "error": "contribution_changed",
        "message": german("contribution_changed"),
    }
    # without script: the same refusal as a page in the moderator's language
    response = harness.client.post(
        f"{base(demo)}/contributions/{item.id}/act",
        data={"csrf": csrf_of(second_page), "action": "reject", "version": str(seen)},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 409
    assert german("contribution_changed") in response.text.replace("&#39;", "'")
    now = stored(harness, demo, item.id)
    assert now is not None and now.state is State.APPROVED  # the first decision stands


def test_bulk_approve(mod: Harness, demo: Demo) -> None:
    texts = ("Wie hoch ist der Haushalt?", "Wer prüft das?", "Gibt es Folien?", "Wann ist Pause?")
    a, b, c, d = (send(mod, demo, text) for text in texts)
    csrf = csrf_of(page(mod, demo))
    response = mod.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"csrf": csrf, "action": "approve", "ids": f"{a.id},{b.id}"},
        headers=JSON,
    )
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": a.id, "status": "ok"},
        {"id": b.id, "status": "ok"},
    ]
    assert [stored(mod, demo, i.id).state for i in (a, b, c, d)] == [
        State.APPROVED,
        State.APPROVED,
        State.PENDING,
        State.PENDING,
    ]
    # one already decided does not stop the others
    body = mod.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"csrf": csrf, "action": "approve", "ids": f"{a.id},{c.id}"},
        headers=JSON,
    ).json()
    assert [r.get("error") for r in body["results"]] == ["contribution_not_possible", None]
    # the bulk bar without script: one field per ticked box
    response = mod.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"csrf": csrf, "action": "archive", "ids": [str(b.id), str(d.id)]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{base(demo)}#contributions"
    assert stored(mod, demo, b.id).state is State.ARCHIVED
    assert stored(mod, demo, d.id).state is State.ARCHIVED
    unknown = mod.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"csrf": csrf, "action": "explode", "ids": [str(c.id)]},
        headers=JSON,
    )
    assert unknown.status_code == 422 and unknown.json()["error"] == "unknown_action"
    refused = mod.client.post(
        f"{base(demo)}/contributions/bulk",
        data={"action": "archive", "ids": [str(c.id)]},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert stored(mod, demo, c.id).state is State.APPROVED


def test_editing_keeps_the_original_and_the_queue_shows_it(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Wie geht es mit der Videoberatng weiter?")
    html = page(mod, demo)
    response = mod.client.post(
        f"{base(demo)}/contributions/{item.id}/edit",
        data={
            "csrf": csrf_of(html),
            "text": "Wie geht es mit der Videoberatung weiter?",
            "version": str(version_on(html, item.id)),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    now = stored(mod, demo, item.id)
    assert now is not None
    assert now.text == "Wie geht es mit der Videoberatung weiter?"
    assert now.original_text == "Wie geht es mit der Videoberatng weiter?"
    html = page(mod, demo)
    assert "Original:</span> Wie geht es mit der Videoberatng weiter?" in html
    assert ">Wie geht es mit der Videoberatung weiter?</textarea>" in html
    # an edit on an outdated view is refused like any other action
    stale = mod.client.post(
        f"{base(demo)}/contributions/{item.id}/edit",
        data={"csrf": csrf_of(html), "text": "Anders", "version": str(item.version)},
        headers=JSON,
    )
    assert stale.status_code == 409
    assert stale.json()["error"] == "contribution_changed"


def test_merging_combines_the_upvotes(mod: Harness, demo: Demo) -> None:
    keep = send(mod, demo, "Wann kommt die Videoberatung?")
    duplicate = send(mod, demo, "Ab wann gibt es Beratung per Video?")
    for item in (keep, duplicate):
        assert act(mod, demo, item.id, "approve").status_code == 303
    live = mod.run(mod.rt.live.get, demo.event.id)
    both, only_dup, only_keep = new_token(), new_token(), new_token()
    for token, ids in ((both, (keep, duplicate)), (only_dup, (duplicate,)), (only_keep, (keep,))):
        for item in ids:
            mod.run(contributions.vote, mod.rt, live, token, item.id, True)
    response = mod.client.post(
        f"{base(demo)}/contributions/merge",
        data={"csrf": csrf_of(page(mod, demo)), "keep": keep.id, "duplicate": duplicate.id},
        headers=JSON,
    )
    assert response.status_code == 200
    assert response.json()["contribution"]["votes"] == 3  # one vote per participant
    gone = stored(mod, demo, duplicate.id)
    assert gone is not None and gone.state is State.ARCHIVED
    assert gone.merged_into_id == keep.id
    assert f"merged into #{keep.id}" in page(mod, demo)
    itself = mod.client.post(
        f"{base(demo)}/contributions/merge",
        data={"csrf": csrf_of(page(mod, demo)), "keep": keep.id, "duplicate": keep.id},
        headers=JSON,
    )
    assert itself.status_code == 409
    assert itself.json()["error"] == "merge_itself"


def test_a_banned_author_can_send_no_more(mod: Harness, demo: Demo) -> None:
    token = new_token()
    first = send(mod, demo, "Das ist alles Unsinn hier", token=token)
    second = send(mod, demo, "Und noch einmal Unsinn", token=token)
    other = send(mod, demo, "Eine ernsthafte Frage zum Thema")
    response = mod.client.post(
        f"{base(demo)}/contributions/{first.id}/ban",
        data={"csrf": csrf_of(page(mod, demo))},
        headers=JSON,
    )
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "rejected": 2}
    assert stored(mod, demo, second.id).state is State.REJECTED
    assert stored(mod, demo, other.id).state is State.PENDING
    with pytest.raises(NotAllowed) as refused:
        send(mod, demo, "Ich bin wieder da", token=token)
    assert refused.value.code == "banned"
    send(mod, demo, "Jemand anderes darf weiter fragen")


def test_deleting_removes_it_from_the_queue_and_the_public_list(mod: Harness, demo: Demo) -> None:
    item = send(mod, demo, "Ein Beitrag, der gelöscht wird")
    kept = send(mod, demo, "Ein Beitrag, der bleibt")
    for one in (item, kept):
        assert act(mod, demo, one.id, "approve").status_code == 303
    eventually(lambda: "Ein Beitrag, der gelöscht wird" in public_texts(mod, demo))
    response = mod.client.post(
        f"{base(demo)}/contributions/{item.id}/delete",
        data={"csrf": csrf_of(page(mod, demo))},
        follow_redirects=False,
    )
    assert response.status_code == 303
    html = page(mod, demo)
    assert f'data-id="{item.id}"' not in html
    assert "Ein Beitrag, der gelöscht wird" not in html
    eventually(lambda: public_texts(mod, demo) == ["Ein Beitrag, der bleibt"])
    assert stored(mod, demo, item.id) is None
