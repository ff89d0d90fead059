"""The organiser's invitations page: recipients counted, the default text to start
from, a preview in German and English (text and HTML), a test mail to oneself, the
send with its confirmation, the runs' progress as JSON, the reminder switch; bad
texts answered with the message and the text kept; moderators and visitors refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from podium import i18n
from podium.services import accounts
from podium.store.audience_tables import MailRun
from podium.store.tables import Event, MailRow
from podium.web.routes.organiser_invitations import progress_text
from tests.services.invitation_helpers import Audience, audience
from tests.web.conftest import PASSWORD, Harness, csrf_of
from tests.web.organiser_helpers import Admin, admin

__all__ = ["admin"]  # the fixture, imported so that pytest finds it here

SUBJECT = "Einladung: {title} am {date}"
TEXT = "Guten Tag,\n\nwir laden ein: {title}, {date} um {time}.\n\nMehr: {event_link}"


def setup(admin: Admin) -> Audience:
    user = admin.h.run(accounts.get_user_by_email, admin.h.rt, "orga@example.org")
    assert user is not None
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    return admin.h.run(audience, admin.h.rt, start=start, user_id=user.id)


def mails(h: Harness) -> list[MailRow]:
    async def read() -> list[MailRow]:
        async with h.rt.sessions() as session:
            return list(await session.scalars(select(MailRow).order_by(MailRow.id)))

    return h.run(read)


def runs(h: Harness) -> list[MailRun]:
    async def read() -> list[MailRun]:
        async with h.rt.sessions() as session:
            return list(await session.scalars(select(MailRun).order_by(MailRun.id)))

    return h.run(read)


def test_the_page_counts_recipients_and_starts_from_the_default(admin: Admin) -> None:
    a = setup(admin)
    page = admin.get(f"/admin/events/{a.event_id}/invitations")
    assert page.status_code == 200
    assert "3 subscribers have consented to mails about this event." in page.text
    assert "Send to 3 recipients" in page.text
    # the event's language (German) first; English on request
    assert 'value="Einladung: {title} am {date}"' in page.text
    english = admin.get(f"/admin/events/{a.event_id}/invitations?start=en")
    assert 'value="Invitation: {title} on {date}"' in english.text
    for name in ("{title}", "{date}", "{time}", "{format}", "{series}", "{event_link}"):
        assert f"<code>{name}</code>" in page.text
    assert "the link to take part: only once the event's join link is public" in page.text
    event_page = admin.get(f"/admin/events/{a.event_id}")
    assert f'href="/admin/events/{a.event_id}/invitations"' in event_page.text


def test_the_page_speaks_german(admin: Admin) -> None:
    a = setup(admin)
    admin.h.client.cookies.set("podium_lang", "de")
    page = admin.get(f"/admin/events/{a.event_id}/invitations")
    assert "An 3 Empfängerinnen und Empfänger senden" in page.text
    assert "Einladungen" in page.text


def test_preview_shows_the_mail_in_both_languages(admin: Admin) -> None:
    a = setup(admin)
    page = admin.post(
        f"/admin/events/{a.event_id}/invitations/preview", {"subject": SUBJECT, "text": TEXT}
    )
    assert page.status_code == 200
    assert "For a subscriber in Deutsch" in page.text and "For a subscriber in English" in page.text
    german = re.search(
        r'<article class="invitation-preview" lang="de".*?</article>', page.text, re.S
    )
    english = re.search(
        r'<article class="invitation-preview" lang="en".*?</article>', page.text, re.S
    )
    assert german and english
    assert "wir laden ein: Digitale Verwaltung" in german.group(0)
    assert f"/s/{a.series_slug}/{a.event_slug}" in german.group(0)
    assert "Abmelden" in german.group(0) or "Unsubscribe" in german.group(0)
    assert re.search(r"Mehr: http://127\.0\.0\.1:8000/s/", english.group(0))
    # the text stays in the form
    assert "wir laden ein: {title}, {date} um {time}." in page.text
    assert mails(admin.h) == []
    html = admin.post(
        f"/admin/events/{a.event_id}/invitations/preview.html",
        {"subject": SUBJECT, "text": TEXT, "lang": "en"},
    )
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "script-src" not in html.headers["content-security-policy"]
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert '<html lang="en">' in html.text and "Event page" in html.text


def test_a_bad_text_is_answered_with_its_message_and_kept(admin: Admin) -> None:
    a = setup(admin)
    for path in ("preview", "test", "send"):
        page = admin.post(
            f"/admin/events/{a.event_id}/invitations/{path}",
            {"subject": SUBJECT, "text": "Hallo {0.__class__} und {titel}"},
        )
        assert page.status_code == 422, path
        assert "These placeholders do not exist: {0.__class__}, {titel}." in page.text
        assert 'aria-invalid="true"' in page.text
        assert "Hallo {0.__class__} und {titel}" in page.text
    join = admin.post(
        f"/admin/events/{a.event_id}/invitations/preview",
        {"subject": SUBJECT, "text": "Link: {join_link}"},
    )
    assert join.status_code == 422 and "{join_link} can only be used" in join.text
    assert mails(admin.h) == [] and runs(admin.h) == []


def test_a_test_mail_goes_to_the_organiser(admin: Admin) -> None:
    a = setup(admin)
    for _ in range(2):
        page = admin.post(
            f"/admin/events/{a.event_id}/invitations/test", {"subject": SUBJECT, "text": TEXT}
        )
        assert page.status_code == 200
        assert "A test mail to orga@example.org is on its way." in page.text
    found = mails(admin.h)
    assert [(m.recipient, m.kind, m.run_id) for m in found] == [
        ("orga@example.org", "test-invitation", None)
    ] * 2
    assert found[0].subject.startswith("[Test] Einladung: Digitale Verwaltung am ")
    assert runs(admin.h) == []


def test_send_asks_with_the_number_then_sends_once(admin: Admin) -> None:
    a = setup(admin)
    ask = admin.post(
        f"/admin/events/{a.event_id}/invitations/send", {"subject": SUBJECT, "text": TEXT}
    )
    assert ask.status_code == 200
    assert "Send the invitation to 3 recipients?" in ask.text
    assert "Yes, send to 3 recipients" in ask.text
    assert mails(admin.h) == []
    assert f'formaction="/admin/events/{a.event_id}/invitations/preview"' in ask.text
    token = csrf_of(ask.text)
    data = {"subject": SUBJECT, "text": TEXT, "confirm": "1"}
    sent = admin.post(f"/admin/events/{a.event_id}/invitations/send", data)
    assert sent.status_code == 303
    (run,) = runs(admin.h)
    assert sent.headers["location"] == f"/admin/events/{a.event_id}/invitations#run-{run.id}"
    assert sorted(m.recipient for m in mails(admin.h)) == [
        "anna@example.org",
        "diese@example.org",
        "ganz@example.org",
    ]
    again = admin.h.client.post(
        f"/admin/events/{a.event_id}/invitations/send", data={"csrf": token, **data}
    )
    assert again.status_code == 409
    assert "This mail has already been sent to the subscribers of this event" in again.text
    assert len(mails(admin.h)) == 3 and len(runs(admin.h)) == 1
    page = admin.get(f"/admin/events/{a.event_id}/invitations")
    assert f'id="run-{run.id}"' in page.text and "0 of 3 sent, 3 waiting" in page.text
    assert 'role="status"' in page.text and "invitation_progress.js" in page.text


def test_progress_json_follows_the_queue(admin: Admin) -> None:
    a = setup(admin)
    admin.post(
        f"/admin/events/{a.event_id}/invitations/send",
        {"subject": SUBJECT, "text": TEXT, "confirm": "1"},
    )
    (run,) = runs(admin.h)
    body = admin.get(f"/admin/events/{a.event_id}/invitations/progress.json").json()
    assert body == {
        "runs": [
            {
                "id": run.id,
                "kind": "invitation",
                "recipients": 3,
                "counts": {
                    "queued": 3,
                    "sending": 0,
                    "sent": 0,
                    "failed": 0,
                    "unknown": 0,
                    "cancelled": 0,
                    "total": 3,
                },
                "done": False,
                "summary": "0 of 3 sent, 3 waiting",
            }
        ]
    }

    async def deliver() -> None:
        async with admin.h.rt.sessions() as session, session.begin():
            rows = list(await session.scalars(select(MailRow).order_by(MailRow.id)))
            rows[0].state = rows[1].state = "sent"
            rows[2].state = "failed"

    admin.h.run(deliver)
    body = admin.get(f"/admin/events/{a.event_id}/invitations/progress.json").json()
    (only,) = body["runs"]
    assert only["done"] is True
    assert only["summary"] == "2 of 3 sent, 0 waiting, 1 not delivered or unknown"


def test_the_reminder_switch_is_saved(admin: Admin) -> None:
    a = setup(admin)

    def reminder() -> bool:
        async def read() -> bool:
            async with admin.h.rt.sessions() as session:
                return bool(
                    await session.scalar(select(Event.reminder).where(Event.id == a.event_id))
                )

        return admin.h.run(read)

    on = admin.post(f"/admin/events/{a.event_id}/invitations/reminder", {"reminder": "1"})
    assert on.status_code == 303 and reminder()
    assert "checked" in admin.follow(on).text.split('id="reminder-on"')[1].split(">")[0]
    off = admin.post(f"/admin/events/{a.event_id}/invitations/reminder", {})
    assert off.status_code == 303 and not reminder()


def test_an_event_the_public_cannot_see_cannot_be_sent_to(admin: Admin) -> None:
    a = setup(admin)

    async def hide() -> None:
        async with admin.h.rt.sessions() as session, session.begin():
            event = await session.get(Event, a.event_id)
            assert event is not None
            event.public = False

    admin.h.run(hide)
    page = admin.get(f"/admin/events/{a.event_id}/invitations")
    assert "Invitations can only be sent for a public event in a public series." in page.text
    refused = admin.post(
        f"/admin/events/{a.event_id}/invitations/send",
        {"subject": SUBJECT, "text": TEXT, "confirm": "1"},
    )
    assert refused.status_code == 409 and mails(admin.h) == []
    test = admin.post(
        f"/admin/events/{a.event_id}/invitations/test", {"subject": SUBJECT, "text": TEXT}
    )
    assert test.status_code == 409 and mails(admin.h) == []


def test_unknown_event_and_missing_csrf(admin: Admin) -> None:
    a = setup(admin)
    assert admin.get("/admin/events/999999/invitations").status_code == 404
    assert admin.get("/admin/events/abc/invitations/progress.json").status_code == 404
    no_csrf = admin.h.client.post(
        f"/admin/events/{a.event_id}/invitations/send",
        data={"subject": SUBJECT, "text": TEXT, "confirm": "1"},
    )
    assert no_csrf.status_code == 403 and mails(admin.h) == []


def test_moderators_and_visitors_are_refused(harness: Harness) -> None:
    admin_user = harness.run(accounts.get_user_by_email, harness.rt, "orga@example.org")
    assert admin_user is not None
    start = datetime.now(UTC) + timedelta(days=10)
    a = harness.run(audience, harness.rt, start=start, user_id=admin_user.id)
    base = f"/admin/events/{a.event_id}/invitations"
    anonymous = harness.client.get(base, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert harness.client.get(f"{base}/progress.json", follow_redirects=False).status_code in (
        303,
        401,
    )
    harness.run(accounts.create_user, harness.rt, "mod@example.org", PASSWORD, role="moderator")
    harness.run(accounts.assign_moderator, harness.rt, a.event_id, "mod@example.org")
    harness.login("mod@example.org")
    token = csrf_of(harness.client.get("/login").text)
    assert harness.client.get(base).status_code == 403
    assert harness.client.get(f"{base}/progress.json").status_code == 403
    refused = harness.client.post(
        f"{base}/send", data={"csrf": token, "subject": SUBJECT, "text": TEXT, "confirm": "1"}
    )
    assert refused.status_code == 403
    assert harness.client.post(f"{base}/test", data={"csrf": token}).status_code == 403
    assert mails(harness) == [] and runs(harness) == []


def test_the_progress_line_names_mails_not_sent_because_someone_unsubscribed() -> None:
    counts = {"queued": 0, "sending": 0, "sent": 2, "failed": 0, "unknown": 0, "cancelled": 1}
    token = i18n.current_lang.set("de")
    try:
        line = progress_text({**counts, "total": 3})
    finally:
        i18n.current_lang.reset(token)
    assert line == "2 von 3 versendet, 0 ausstehend, 1 nicht versendet (abgemeldet)"
