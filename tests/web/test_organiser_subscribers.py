"""The organiser's view of a series' subscribers: counts and table, the confirmed
ones and the consent log as CSV (exact content), the consent text editor that adds
versions, and deleting a subscriber with their log after a confirmation step."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from podium.runtime import Runtime
from podium.services import consent_texts
from podium.services.subscriber_admin import audience, consent_log
from podium.services.subscription_ends import unsubscribe
from podium.services.subscriptions import confirm, sign_up
from podium.store.audience_tables import Subscriber
from tests.services.subscription_helpers import Signable, compose, mails, signable_series, token_of
from tests.web.conftest import Harness, csrf_of

pytestmark = pytest.mark.sqlite_only  # the store is tested in tests/services

BERLIN = ZoneInfo("Europe/Berlin")
EN = {"accept-language": "en"}


async def populate(rt: Runtime, bob: str = "=bob@example.org") -> Signable:
    """Anna confirmed, Bob (whose address a spreadsheet would read as a formula, unless
    `bob` says otherwise) confirmed and unsubscribed, Carla never confirmed."""
    s = await signable_series(rt)
    version = (await consent_texts.current_consent(rt, s.series_id)).version
    for email, lang, whole in (("anna@example.org", "de", True), (bob, "en", False)):
        await sign_up(
            rt,
            s.slug,
            email=email,
            lang=lang,
            whole_series=whole,
            event_ids=[] if whole else [s.first],
            consent_version=version,
            consent_given=True,
            ip="203.0.113.9",
            compose=compose,
            now=s.now,
        )
    await sign_up(
        rt,
        s.slug,
        email="carla@example.org",
        lang="de",
        whole_series=True,
        event_ids=[],
        consent_version=version,
        consent_given=True,
        ip=None,
        compose=compose,
        now=s.now,
    )
    anna_mail, bob_mail, _ = await mails(rt)
    await confirm(rt, s.slug, token_of(anna_mail), now=s.now + timedelta(hours=1))
    await confirm(rt, s.slug, token_of(bob_mail), now=s.now + timedelta(hours=2))
    async with rt.sessions() as session:
        key = await session.scalar(
            select(Subscriber.unsubscribe_key).where(Subscriber.email == bob)
        )
    assert key is not None
    await unsubscribe(rt, s.slug, key, now=s.now + timedelta(hours=3))
    return s


@pytest.fixture
def series(harness: Harness) -> Signable:
    made = harness.run(populate, harness.rt)
    harness.login()
    return made


def berlin(s: Signable, hours: int) -> str:
    return (s.now + timedelta(hours=hours)).astimezone(BERLIN).isoformat()


def test_the_page_counts_and_lists_the_subscribers(harness: Harness, series: Signable) -> None:
    edit = harness.client.get(f"/admin/series/{series.series_id}/edit", headers=EN).text
    assert f'href="/admin/series/{series.series_id}/subscribers"' in edit
    page = harness.client.get(f"/admin/series/{series.series_id}/subscribers", headers=EN)
    assert page.status_code == 200
    html = page.text
    assert "Not yet confirmed: <strong>1</strong>" in html
    assert "Confirmed: <strong>1</strong>" in html and "Unsubscribed: <strong>1</strong>" in html
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert [r.split('<th scope="row">')[1].split("<")[0] for r in rows] == [
        "=bob@example.org",
        "anna@example.org",
        "carla@example.org",
    ]
    assert "<td>Beratung</td>" in rows[0] and "<td>Whole series</td>" in rows[1]
    assert "<td>English</td>" in rows[0]


def test_the_confirmed_subscribers_as_csv(harness: Harness, series: Signable) -> None:
    got = harness.client.get(f"/admin/series/{series.series_id}/subscribers.csv", headers=EN)
    assert got.status_code == 200 and got.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        got.headers["content-disposition"]
        == 'attachment; filename="digitale-reihe-subscribers.csv"'
    )
    assert got.headers["cache-control"] == "private, no-store"
    assert got.content.decode("utf-8") == (
        "\ufeffE-mail address,Language,Invited to,Confirmed at\r\n"
        f"anna@example.org,de,Whole series,{berlin(series, 1)}\r\n"
    )


def test_the_consent_log_for_the_data_protection_officer(
    harness: Harness, series: Signable
) -> None:
    entries = harness.run(consent_log, harness.rt, series.series_id)
    ids = [(e.id, e.subscriber_id) for e in entries]
    got = harness.client.get(f"/admin/series/{series.series_id}/consent-log.csv")  # German
    assert got.status_code == 200
    expected = [
        "Eintrag;Abonnement;E-Mail-Adresse;Aktion;Zeitpunkt;Fassung des Einwilligungstextes;"
        "Veranstaltungsreihe;Eingeladen zu;Sprache;IP-Adresse",
        f"{ids[0][0]};{ids[0][1]};anna@example.org;angefragt;{berlin(series, 0)};1;"
        "Digitale Reihe;Ganze Reihe;de;",
        f"{ids[1][0]};{ids[1][1]};'=bob@example.org;angefragt;{berlin(series, 0)};1;"
        "Digitale Reihe;Beratung;en;",
        f"{ids[2][0]};{ids[2][1]};carla@example.org;angefragt;{berlin(series, 0)};1;"
        "Digitale Reihe;Ganze Reihe;de;",
        f"{ids[3][0]};{ids[3][1]};anna@example.org;bestätigt;{berlin(series, 1)};1;"
        "Digitale Reihe;Ganze Reihe;de;",
        f"{ids[4][0]};{ids[4][1]};'=bob@example.org;bestätigt;{berlin(series, 2)};1;"
        "Digitale Reihe;Beratung;en;",
        f"{ids[5][0]};{ids[5][1]};'=bob@example.org;widerrufen;{berlin(series, 3)};1;"
        "Digitale Reihe;Beratung;en;",
    ]
    assert got.content.decode("utf-8") == "\ufeff" + "\r\n".join(expected) + "\r\n"
    texts = harness.client.get(f"/admin/series/{series.series_id}/consent-texts.csv", headers=EN)
    version = harness.run(consent_texts.consent_versions, harness.rt, series.series_id)[0]
    created = version.created_at.astimezone(BERLIN).replace(microsecond=0).isoformat()
    lines = texts.content.decode("utf-8").split("\r\n")
    assert lines[0] == "\ufeffVersion,Saved at,Text (German),Text (English)"
    assert lines[1] == f'1,{created},"{version.text_de}","{version.text_en}"'
    assert lines[2:] == [""]


def test_the_consent_text_editor_adds_versions(harness: Harness, series: Signable) -> None:
    path = f"/admin/series/{series.series_id}/subscribers"
    page = harness.client.get(path, headers=EN).text
    assert "Version 1, saved" in page and "(current)" in page
    token = csrf_of(page)
    saved = harness.client.post(
        f"/admin/series/{series.series_id}/consent",
        data={"csrf": token, "text_de": "Neuer Text", "text_en": "New text"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    again = harness.client.get(path, headers=EN).text
    assert "Version 2, saved" in again and ">Neuer Text</textarea>" in again
    empty = harness.client.post(
        f"/admin/series/{series.series_id}/consent",
        headers=EN,
        data={"csrf": token, "text_de": " ", "text_en": "Only English"},
    )
    assert empty.status_code == 422 and "Please enter the German consent text." in empty.text
    assert ">Only English</textarea>" in empty.text  # kept as typed
    forged = harness.client.post(
        f"/admin/series/{series.series_id}/consent", data={"text_de": "x", "text_en": ""}
    )
    assert forged.status_code == 403
    versions = harness.run(consent_texts.consent_versions, harness.rt, series.series_id)
    assert [v.version for v in versions] == [2, 1]
    public = harness.client.get(f"/s/{series.slug}?lang=en").text
    assert "New text" in public and 'name="consent_version" value="2"' in public


def test_deleting_a_subscriber_takes_their_log(harness: Harness, series: Signable) -> None:
    subscribers = harness.run(audience, harness.rt, series.series_id).subscribers
    anna = next(s for s in subscribers if s.email == "anna@example.org")
    path = f"/admin/series/{series.series_id}/subscribers/{anna.id}/delete"
    asked = harness.client.get(path, headers=EN)
    assert asked.status_code == 200 and "Delete the subscriber anna@example.org?" in asked.text
    assert harness.client.post(path, data={}).status_code == 403  # no CSRF token
    done = harness.client.post(path, data={"csrf": csrf_of(asked.text)}, follow_redirects=False)
    assert done.status_code == 303
    left = harness.run(consent_log, harness.rt, series.series_id)
    assert "anna@example.org" not in {e.email for e in left} and len(left) == 4
    assert harness.client.get(path).status_code == 404


def test_only_organisers_see_subscribers(harness: Harness, series: Signable) -> None:
    harness.client.cookies.clear()
    for path in ("subscribers", "subscribers.csv", "consent-log.csv", "consent-texts.csv"):
        got = harness.client.get(f"/admin/series/{series.series_id}/{path}", follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"].startswith("/login")
