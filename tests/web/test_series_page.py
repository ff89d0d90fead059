"""The public series page: nothing shows until the organiser makes the series and
the event public; then anyone (without a cookie in either direction) sees the
upcoming events in Berlin time, the past ones with their published results, the
cancelled ones as cancelled, the join link only where ticked, and calendar files
that a calendar program reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from podium.domain.publication import Publication
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.publication import publish
from tests.web.conftest import Harness, csrf_of
from tests.web.test_published_results import Stranger

pytestmark = pytest.mark.sqlite_only  # the store is tested in tests/services


@dataclass
class Made:
    series_id: int
    slug: str
    ids: dict[str, int]
    slugs: dict[str, str]
    join_codes: dict[str, str]
    token: str


async def make_series(rt: Runtime) -> Made:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    series = await catalog.create_series(rt, "Digitale Reihe", "Vier Termine im Jahr")
    made: dict[str, object] = {}

    async def event(title: str, days: int, **marks: bool) -> None:
        e = await catalog.create_event(
            rt,
            title,
            series_id=series.id,
            format="Online-Podium",
            starts_at=now + timedelta(days=days),
            **marks,
        )
        made[title] = e

    await event("Auftakt", -60, public=True)
    await event("Rückblick", -30, public=True)
    await event("Beratung", 10, public=True, join_link_public=True)
    await event("Führung", 40, public=True)
    await event("Abgesagt", 70, public=True, cancelled=True, join_link_public=True)
    await event("Intern", 20)
    events = {k: v for k, v in made.items()}
    token = (await publish(rt, events["Auftakt"].id, Publication())).token  # type: ignore[attr-defined]
    return Made(
        series.id,
        series.slug,
        {k: v.id for k, v in events.items()},  # type: ignore[attr-defined]
        {k: v.slug for k, v in events.items()},  # type: ignore[attr-defined]
        {k: v.join_code for k, v in events.items()},  # type: ignore[attr-defined]
        token,
    )


@pytest.fixture
def made(harness: Harness) -> Made:
    result = harness.run(make_series, harness.rt)
    harness.login()
    return result


@pytest.fixture
def stranger(harness: Harness) -> Stranger:
    return Stranger(harness.client)


def make_public(harness: Harness, made: Made) -> None:
    path = f"/admin/series/{made.series_id}/edit"
    data = {
        "csrf": csrf_of(harness.client.get(path).text),
        "title": "Digitale Reihe",
        "description": "Vier Termine im Jahr",
        "public": "1",
    }
    done = harness.client.post(path, data=data, follow_redirects=False)
    assert done.status_code == 303, done.text


def test_a_series_is_not_found_until_public(
    harness: Harness, made: Made, stranger: Stranger
) -> None:
    for path in (
        f"/s/{made.slug}",
        f"/s/{made.slug}.ics",
        f"/s/{made.slug}/{made.slugs['Beratung']}",
        f"/s/{made.slug}/{made.slugs['Beratung']}.ics",
    ):
        for client in (stranger, harness.client):
            assert client.get(path).status_code == 404, path
    preview = stranger.get(f"/admin/series/{made.series_id}/preview", follow_redirects=False)
    assert preview.status_code != 200


def test_the_organiser_previews_the_page_before_it_is_public(harness: Harness, made: Made) -> None:
    page = harness.client.get(f"/admin/series/{made.series_id}/preview?lang=en")
    assert page.status_code == 200
    assert "Preview: this is how the public sees this page." in page.text
    assert "The series is not public yet" in page.text
    assert "Beratung" in page.text and "Intern" not in page.text
    # the sign-up form as the public will see it, with the default consent text
    assert f'action="/s/{made.slug}/signup' in page.text and "Consent (version 1)" in page.text
    event = harness.client.get(
        f"/admin/series/{made.series_id}/preview/{made.slugs['Beratung']}?lang=en"
    )
    assert event.status_code == 200 and "<h1>Beratung</h1>" in event.text
    assert f'href="/admin/series/{made.series_id}/preview/' in page.text


def test_the_public_page_lists_upcoming_past_and_cancelled(
    harness: Harness, made: Made, stranger: Stranger
) -> None:
    make_public(harness, made)
    shown = stranger.get(f"/s/{made.slug}?lang=en")
    assert shown.status_code == 200
    html = shown.text
    assert html.count("<h1") == 1 and "<h1>Digitale Reihe</h1>" in html
    upcoming, past = html.split('id="upcoming"')[1].split('id="past"')
    assert upcoming.index("Beratung") < upcoming.index("Führung") < upcoming.index("Abgesagt")
    assert "Cancelled" in upcoming.split("Führung")[1]
    assert past.index("Rückblick") < past.index("Auftakt")
    assert f'href="/r/{made.token}?lang=en"' in past
    assert "Intern" not in html
    assert "<time datetime=" in upcoming and "Online-Podium" in upcoming
    # the join link of the ticked event only: not of the cancelled one, nor the others
    assert f"/p/{made.join_codes['Beratung']}" in html
    for title in ("Führung", "Abgesagt", "Auftakt", "Intern"):
        assert made.join_codes[title] not in html
    german = stranger.get(f"/s/{made.slug}", headers={"accept-language": "de"})
    assert "Kommende Veranstaltungen" in german.text and "Abgesagt" in german.text
    assert german.headers["content-language"] == "de"


def test_event_pages_say_how_to_take_part(harness: Harness, made: Made, stranger: Stranger) -> None:
    make_public(harness, made)
    base = f"/s/{made.slug}"
    ticked = stranger.get(f"{base}/{made.slugs['Beratung']}?lang=en").text
    assert f"http://127.0.0.1:8000/p/{made.join_codes['Beratung']}" in ticked
    later = stranger.get(f"{base}/{made.slugs['Führung']}?lang=en").text
    assert "published here before the event" in later
    assert made.join_codes["Führung"] not in later
    cancelled = stranger.get(f"{base}/{made.slugs['Abgesagt']}?lang=en").text
    assert "This event is cancelled." in cancelled
    assert made.join_codes["Abgesagt"] not in cancelled
    over = stranger.get(f"{base}/{made.slugs['Auftakt']}?lang=en").text
    assert f"/r/{made.token}" in over
    assert stranger.get(f"{base}/{made.slugs['Intern']}").status_code == 404


def test_no_cookie_either_way_and_the_page_may_be_indexed(
    harness: Harness, made: Made, stranger: Stranger
) -> None:
    make_public(harness, made)
    for client in (stranger, harness.client):
        for path in (f"/s/{made.slug}", f"/s/{made.slug}.ics"):
            shown = client.get(path)
            assert shown.status_code == 200
            assert "set-cookie" not in shown.headers
            assert shown.headers["referrer-policy"] == "same-origin"  # its forms need Origin
            assert "x-robots-tag" not in shown.headers
    assert stranger.cookies == {}
    results = stranger.get(f"/r/{made.token}")
    assert results.headers["x-robots-tag"] == "noindex"  # the secret link keeps its own rules


def test_the_event_form_marks_what_is_public(
    harness: Harness, made: Made, stranger: Stranger
) -> None:
    make_public(harness, made)
    ident = made.ids["Intern"]
    form = harness.client.get(f"/admin/events/{ident}/edit")
    assert 'name="public"' in form.text and 'name="join_link_public"' in form.text
    data = {
        "csrf": csrf_of(form.text),
        "title": "Intern",
        "series_id": str(made.series_id),
        "format": "",
        "starts_at": "",
        "language": "de",
        "description": "",
        "public": "1",
        "join_link_public": "1",
    }
    done = harness.client.post(f"/admin/events/{ident}/edit", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    html = stranger.get(f"/s/{made.slug}?lang=en").text
    assert "Intern" in html and f"/p/{made.join_codes['Intern']}" in html
    assert "Date to be announced" in html
    again = harness.client.get(f"/admin/events/{ident}/edit").text
    assert 'name="public" value="1" checked' in again


def test_calendar_files_parse_and_follow_changes(
    harness: Harness, made: Made, stranger: Stranger
) -> None:
    make_public(harness, made)
    feed = stranger.get(f"/s/{made.slug}.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["method"]) == "PUBLISH"
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Auftakt", "Rückblick", "Beratung", "Führung", "Abgesagt"}
    beratung = events["Beratung"]
    assert str(beratung["uid"]) == f"event-{made.ids['Beratung']}@127.0.0.1"
    assert int(beratung["sequence"]) == 0
    assert str(beratung["status"]) == "CONFIRMED"
    assert beratung.decoded("dtstart").tzinfo is not None
    assert beratung.decoded("dtstart").utcoffset() == timedelta(0)
    assert beratung.decoded("dtend") - beratung.decoded("dtstart") == timedelta(minutes=90)
    assert "dtstamp" in beratung
    assert str(beratung["url"]).endswith(f"/s/{made.slug}/{made.slugs['Beratung']}")
    assert str(events["Abgesagt"]["status"]) == "CANCELLED"

    async def cancel(rt: Runtime) -> None:
        event = await catalog.get_event(rt, made.ids["Beratung"])
        await catalog.update_event(
            rt,
            event.id,
            title=event.title,
            series_id=event.series_id,
            description=event.description,
            format=event.format,
            starts_at=datetime.now(UTC) + timedelta(days=11),
            language=event.language,
            cancelled=True,
        )

    harness.run(cancel, harness.rt)
    single = stranger.get(f"/s/{made.slug}/{made.slugs['Beratung']}.ics")
    assert single.status_code == 200
    (moved,) = Calendar.from_ical(single.content).walk("VEVENT")
    assert str(moved["uid"]) == str(beratung["uid"])
    assert int(moved["sequence"]) == 1  # time and cancellation in one edit: one new version
    assert str(moved["status"]) == "CANCELLED"
