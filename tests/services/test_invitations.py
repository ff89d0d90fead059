"""Invitation runs on both backends: exactly the subscribers who consented to the
event get one mail each, with the unsubscribe headers and the event's calendar; a
repeated send, an event the public cannot see and a past one are refused; the
reminder starts once, on the day before."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from podium.domain.errors import NotAllowed, RuleViolation
from podium.domain.invitation_text import default_message
from podium.mail.invitation import composer, send_due_reminders
from podium.runtime import Runtime
from podium.services import catalog, invitation_audience, invitations, mail_runs
from podium.services.catalog_common import as_utc
from podium.services.mail_queue import Draft, add_mails, get_mail
from podium.services.subscriber_admin import delete_subscriber
from podium.services.subscription_ends import unsubscribe
from podium.store.audience_tables import MailRun, Subscriber
from podium.store.tables import MailRow
from tests.services.invitation_helpers import NOW, START, Audience, audience

SUBJECT = "Einladung: {title} am {date}"
TEXT = "Guten Tag,\n\nam {date} um {time}: {title}.\nMehr: {event_link}"


async def queued(rt: Runtime, run_id: int) -> list[MailRow]:
    async with rt.sessions() as session:
        return list(
            await session.scalars(
                select(MailRow).where(MailRow.run_id == run_id).order_by(MailRow.id)
            )
        )


async def start(
    rt: Runtime, a: Audience, subject: str = SUBJECT, text: str = TEXT
) -> invitations.RunInfo:
    return await invitations.start_run(
        rt, a.event_id, subject, text, a.user_id, composer(rt), now=NOW
    )


async def test_recipients_are_exactly_those_who_consented_to_the_event(runtime: Runtime) -> None:
    a = await audience(runtime)
    found = await invitation_audience.recipients(runtime, a.event_id)
    assert [r.id for r in found] == [a.whole, a.chose_this, a.english]
    assert await invitation_audience.count_recipients(runtime, a.event_id) == 3
    other = await invitation_audience.recipients(runtime, a.other_event_id)
    assert [r.id for r in other] == [a.whole, a.english, a.chose_other]


async def test_a_run_queues_one_mail_per_recipient(runtime: Runtime) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    assert (run.kind, run.recipients, run.state) == ("invitation", 3, "sending")
    mails = await queued(runtime, run.id)
    assert [(m.recipient, m.lang, m.kind, m.ref) for m in mails] == [
        ("ganz@example.org", "de", "invitation", f"run{run.id}:sub{a.whole}"),
        ("diese@example.org", "de", "invitation", f"run{run.id}:sub{a.chose_this}"),
        ("anna@example.org", "en", "invitation", f"run{run.id}:sub{a.english}"),
    ]
    german, english = mails[0], mails[2]
    assert german.subject == "Einladung: Digitale Verwaltung am Dienstag, 12. Mai 2026"
    assert english.subject == "Einladung: Digitale Verwaltung am Tuesday, May 12, 2026"
    assert "am Dienstag, 12. Mai 2026 um 19:00: Digitale Verwaltung." in german.text
    assert "on Tuesday" not in german.text and "7:00\u202fPM" in english.text
    event_url = f"http://127.0.0.1:8000/s/{a.series_slug}/{a.event_slug}"
    assert f"Mehr: {event_url}" in german.text
    assert f'href="{event_url}"' in german.html
    async with runtime.sessions() as session:
        key = await session.scalar(
            select(Subscriber.unsubscribe_key).where(Subscriber.id == a.whole)
        )
    unsubscribe = f"http://127.0.0.1:8000/s/{a.series_slug}/unsubscribe/{key}"
    assert german.headers == {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert unsubscribe in german.text and f'href="{unsubscribe}"' in german.html
    assert "Unsubscribe" in english.html and "Abmelden" in german.html


async def test_each_mail_carries_the_events_calendar(runtime: Runtime) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    mail = await get_mail(runtime, (await queued(runtime, run.id))[0].id)
    assert mail is not None
    (attachment,) = mail.attachments
    assert attachment["filename"] == f"{a.event_slug}.ics"
    assert attachment["content_type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    calendar = Calendar.from_ical(attachment["content"])
    (item,) = calendar.walk("VEVENT")
    assert str(item["uid"]) == f"event-{a.event_id}@127.0.0.1"
    assert item.decoded("dtstart") == START
    assert str(item["summary"]) == "Digitale Verwaltung"
    assert str(calendar["method"]) == "PUBLISH"


async def test_the_same_mail_is_not_sent_twice(runtime: Runtime) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    with pytest.raises(NotAllowed) as again:
        await start(runtime, a)
    assert again.value.code == "invitation_already_sent"
    # another text while the first run's mails are still queued: refused too
    with pytest.raises(NotAllowed) as other:
        await start(runtime, a, text="Anderer Text {title}")
    assert other.value.code == "invitation_running"
    assert len(await queued(runtime, run.id)) == 3
    async with runtime.sessions() as session:
        assert len(list(await session.scalars(select(MailRun)))) == 1


async def test_once_the_first_run_is_out_another_text_may_follow(runtime: Runtime) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    async with runtime.sessions() as session, session.begin():
        for row in await session.scalars(select(MailRow).where(MailRow.run_id == run.id)):
            row.state = "sent"
    second = await start(runtime, a, text="Nachtrag zu {title}")
    assert second.recipients == 3 and second.id != run.id
    runs = await invitations.list_runs(runtime, a.event_id)
    assert [r.id for r in runs] == [second.id, run.id]
    assert await mail_runs.run_progress(runtime, run.id) == {
        "queued": 0,
        "sending": 0,
        "sent": 3,
        "failed": 0,
        "unknown": 0,
        "cancelled": 0,
        "total": 3,
    }
    assert (await mail_runs.run_progress(runtime, second.id))["queued"] == 3


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"public": False}, "invitation_not_public"),
        ({"cancelled": True}, "invitation_cancelled"),
        ({"starts_at": NOW - timedelta(days=1)}, "invitation_past"),
        ({"starts_at": None}, "invitation_past"),
        ({"series_id": None}, "invitation_no_series"),
    ],
)
async def test_only_upcoming_public_events_can_be_sent_to(
    runtime: Runtime, changes: dict[str, object], code: str
) -> None:
    a = await audience(runtime)
    event = await catalog.get_event(runtime, a.event_id)
    fields: dict[str, object] = {
        "title": event.title,
        "series_id": event.series_id,
        "description": event.description,
        "format": event.format,
        "starts_at": as_utc(event.starts_at),
        "language": event.language,
    }
    await catalog.update_event(runtime, a.event_id, **{**fields, **changes})  # type: ignore[arg-type]
    with pytest.raises(NotAllowed) as refused:
        await start(runtime, a)
    assert refused.value.code == code
    async with runtime.sessions() as session:
        assert list(await session.scalars(select(MailRun))) == []
        assert list(await session.scalars(select(MailRow))) == []


async def test_a_private_series_is_refused(runtime: Runtime) -> None:
    a = await audience(runtime)
    series = await catalog.get_series(runtime, a.series_id)
    await catalog.update_series(
        runtime, a.series_id, series.title, series.description, public=False
    )
    with pytest.raises(NotAllowed) as refused:
        await start(runtime, a)
    assert refused.value.code == "invitation_not_public"


async def test_bad_texts_are_refused_before_anything_is_stored(runtime: Runtime) -> None:
    a = await audience(runtime)
    for subject, text, code in [
        ("Einladung {0.__class__}", TEXT, "unknown_placeholder"),
        (SUBJECT, "Hier: {join_link}", "join_link_not_public"),
        ("Zwei\r\nBcc: x@example.org", TEXT, "subject_line_break"),
    ]:
        with pytest.raises(RuleViolation) as refused:
            await start(runtime, a, subject, text)
        assert refused.value.code == code
    async with runtime.sessions() as session:
        assert list(await session.scalars(select(MailRow))) == []


async def test_the_join_link_fills_in_once_public(runtime: Runtime) -> None:
    a = await audience(runtime, join_link_public=True)
    run = await start(runtime, a, text="Teilnehmen: {join_link}")
    event = await catalog.get_event(runtime, a.event_id)
    mail = (await queued(runtime, run.id))[0]
    assert f"Teilnehmen: http://127.0.0.1:8000/p/{event.join_code}" in mail.text


async def test_no_recipients_no_run(runtime: Runtime) -> None:
    a = await audience(runtime)
    series = await catalog.create_series(runtime, "Leere Reihe", public=True)
    event = await catalog.create_event(
        runtime, "Niemand", series_id=series.id, starts_at=START, public=True
    )
    with pytest.raises(NotAllowed) as refused:
        await invitations.start_run(
            runtime, event.id, SUBJECT, TEXT, a.user_id, composer(runtime), now=NOW
        )
    assert refused.value.code == "no_recipients"
    async with runtime.sessions() as session:
        assert list(await session.scalars(select(MailRun))) == []


async def test_a_test_mail_goes_to_the_organiser_as_a_recipient_would_read_it(
    runtime: Runtime,
) -> None:
    a = await audience(runtime)
    first = await invitations.send_test(
        runtime, a.event_id, SUBJECT, TEXT, a.user_id, composer(runtime), lang="de", now=NOW
    )
    second = await invitations.send_test(
        runtime, a.event_id, SUBJECT, TEXT, a.user_id, composer(runtime), lang="en", now=NOW
    )
    assert first != second
    mail = await get_mail(runtime, first)
    assert mail is not None
    assert (mail.recipient, mail.kind, mail.run_id) == ("orga@example.org", "test-invitation", None)
    assert mail.subject == "[Test] Einladung: Digitale Verwaltung am Dienstag, 12. Mai 2026"
    assert "am Dienstag, 12. Mai 2026 um 19:00: Digitale Verwaltung." in mail.text
    assert mail.attachments[0]["filename"] == f"{a.event_slug}.ics"
    english = await get_mail(runtime, second)
    assert english is not None and english.subject.startswith("[Test] Einladung: Digitale")
    async with runtime.sessions() as session:
        assert list(await session.scalars(select(MailRun))) == []


# The event on Tuesday 12 May 2026, 19:00 Berlin: its reminder on Monday 11 May from 08:00.
MONDAY_MORNING = datetime(2026, 5, 11, 6, 0, tzinfo=UTC)  # 08:00 Berlin (summer time)


async def test_the_reminder_starts_once_on_the_day_before(runtime: Runtime) -> None:
    a = await audience(runtime, reminder=True)
    assert await send_due_reminders(runtime, MONDAY_MORNING - timedelta(minutes=1)) == []
    assert await send_due_reminders(runtime, START - timedelta(days=3)) == []
    started = await send_due_reminders(runtime, MONDAY_MORNING)
    assert len(started) == 1
    assert await send_due_reminders(runtime, MONDAY_MORNING + timedelta(minutes=5)) == []
    assert await send_due_reminders(runtime, MONDAY_MORNING + timedelta(hours=10)) == []
    run = await invitations.get_run(runtime, started[0])
    assert run.event_id == a.event_id
    default = default_message("reminder", "de")
    assert (run.kind, run.subject, run.text, run.recipients) == (
        "reminder",
        default.subject,
        default.text,
        3,
    )
    mails = await queued(runtime, run.id)
    assert mails[0].subject == "Erinnerung: Digitale Verwaltung morgen um 19:00"
    assert mails[0].kind == "reminder" and mails[0].attachments[0]["filename"].endswith(".ics")


async def test_two_processes_start_one_reminder(runtime: Runtime) -> None:
    a = await audience(runtime, reminder=True)
    results = await asyncio.gather(
        send_due_reminders(runtime, MONDAY_MORNING), send_due_reminders(runtime, MONDAY_MORNING)
    )
    assert sorted(len(r) for r in results) == [0, 1]
    async with runtime.sessions() as session:
        runs = list(await session.scalars(select(MailRun).where(MailRun.event_id == a.event_id)))
    assert len(runs) == 1 and len(await queued(runtime, runs[0].id)) == 3


async def test_no_reminder_unless_asked_or_for_a_cancelled_event(runtime: Runtime) -> None:
    a = await audience(runtime)
    assert await send_due_reminders(runtime, MONDAY_MORNING) == []
    await invitation_audience.set_reminder(runtime, a.event_id, True)
    event = await catalog.get_event(runtime, a.event_id)
    await catalog.update_event(
        runtime,
        a.event_id,
        title=event.title,
        series_id=event.series_id,
        description=event.description,
        format=event.format,
        starts_at=as_utc(event.starts_at),
        language=event.language,
        cancelled=True,
    )
    assert await send_due_reminders(runtime, MONDAY_MORNING) == []


async def test_a_batch_queued_twice_is_queued_once(runtime: Runtime) -> None:
    drafts = [
        Draft(
            kind="invitation",
            ref=f"run9:sub{i}",
            recipient=f"p{i}@example.org",
            lang="de",
            subject="S",
            text="T",
            run_id=None,
        )
        for i in range(3)
    ]
    async with runtime.sessions() as session, session.begin():
        assert await add_mails(session, runtime.settings.base_url, drafts, NOW) == 3
    async with runtime.sessions() as session, session.begin():
        assert await add_mails(session, runtime.settings.base_url, [*drafts, drafts[0]], NOW) == 0
        bad = Draft(**{**drafts[0].__dict__, "ref": "x", "recipient": "nobody"})
        with pytest.raises(RuleViolation):
            await add_mails(session, runtime.settings.base_url, [bad], NOW)
    async with runtime.sessions() as session:
        assert len(list(await session.scalars(select(MailRow)))) == 3


async def test_two_clicks_at_once_start_one_run(runtime: Runtime) -> None:
    a = await audience(runtime)
    results = await asyncio.gather(start(runtime, a), start(runtime, a), return_exceptions=True)
    started = [r for r in results if isinstance(r, invitations.RunInfo)]
    refused = [r for r in results if isinstance(r, NotAllowed)]
    assert len(started) == 1 and [r.code for r in refused] == ["invitation_already_sent"]
    assert len(await queued(runtime, started[0].id)) == 3


async def unsubscribe_key(rt: Runtime, subscriber_id: int) -> str:
    async with rt.sessions() as session:
        row = await session.get(Subscriber, subscriber_id)
        assert row is not None
        return row.unsubscribe_key


async def test_who_unsubscribes_while_a_run_is_sending_gets_nothing_more(
    runtime: Runtime,
) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    await unsubscribe(runtime, a.series_slug, await unsubscribe_key(runtime, a.chose_this))
    states = {row.ref: row.state for row in await queued(runtime, run.id)}
    assert states == {
        f"run{run.id}:sub{a.whole}": "queued",
        f"run{run.id}:sub{a.chose_this}": "cancelled",
        f"run{run.id}:sub{a.english}": "queued",
    }
    progress = await mail_runs.run_progress(runtime, run.id)
    assert (progress["queued"], progress["cancelled"], progress["total"]) == (2, 1, 3)
    async with runtime.sessions() as session, session.begin():
        for row in await session.scalars(select(MailRow).where(MailRow.state == "queued")):
            row.state = "sent"
    assert await mail_runs.finish_runs(runtime) == [run.id]  # nothing waits for the cancelled


async def test_a_deleted_subscriber_leaves_only_the_record_of_their_mails(
    runtime: Runtime,
) -> None:
    a = await audience(runtime)
    run = await start(runtime, a)
    await delete_subscriber(runtime, a.series_id, a.whole)
    rows = {row.ref: row for row in await queued(runtime, run.id)}
    gone = rows[f"run{run.id}:sub{a.whole}"]
    assert (gone.state, gone.recipient, gone.text, gone.html) == ("cancelled", "", "", "")
    assert gone.headers == {} and gone.attachments == [] and gone.message_id
    kept = rows[f"run{run.id}:sub{a.english}"]
    assert kept.state == "queued" and kept.recipient and "unsubscribe" in kept.text
