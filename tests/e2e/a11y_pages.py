"""The pages the accessibility tests walk (axe-core, reflow at 320 px, the Tab walk):
every organiser page, the moderators' pages, the participant's and presenter's views,
the public series and legal pages and the error pages, with the data that fills them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from podium.services import account_admin, accounts, contributions, live_control, moderation
from podium.services.participation import submit_answer
from podium.services.results import live_event
from tests.e2e.conftest import Site
from tests.services.subscription_helpers import Signable
from tests.web.test_organiser_subscribers import populate

WORDS = (["Homeoffice", "Teilzeit", "Beratung"], ["homeoffice", "Zugang"], ["Führung"])


@dataclass(frozen=True)
class Filled:
    """What the catalogue needs from the prepared data."""

    series: Signable
    pending: str  # a contribution waiting in the moderators' queue
    approved: str  # one the audience sees
    password_link: str = ""  # an invitation's page, where the invitee sets a password


async def fill(site: Site) -> Filled:
    """Answers to every question (so results, word cloud and tables have rows), a
    subscribed series, and contributions both waiting and approved."""
    rt, demo = site.srv.rt, site.demo
    series = await populate(rt)
    event_id = demo.event.id
    await live_control.go_live(rt, event_id, demo.words)
    live = await live_event(rt, event_id)
    for n, words in enumerate(WORDS):
        await submit_answer(rt, live, f"w{n:039d}", demo.words, words, str(uuid.uuid4()))
    await live_control.go_live(rt, event_id, demo.single)
    live = await live_event(rt, event_id)
    yes, no = demo.option_ids[demo.single]
    for n, choice in enumerate([yes, yes, no]):
        await submit_answer(rt, live, f"s{n:039d}", demo.single, [choice], str(uuid.uuid4()))
    await live_control.set_current(rt, event_id, None)  # the welcome screen
    pending, approved = "Wie geht es mit der E-Akte weiter?", "Gibt es mehr Homeoffice?"
    await contributions.submit(rt, live, "p" * 40, pending)
    shown = await contributions.submit(rt, live, "q" * 40, approved)
    await moderation.act(rt, event_id, shown.id, "approve", None)
    admin = await accounts.create_user(
        rt, f"admin-{uuid.uuid4().hex[:8]}@example.org", "a11y password 1", "", "administrator"
    )
    token = await account_admin.invite(
        rt, admin, f"{uuid.uuid4().hex[:8]}@example.org", "moderator", ""
    )
    return Filled(series, pending, approved, f"/account/password/{token}")


def organiser_pages(site: Site, filled: Filled) -> dict[str, str]:
    """Name -> path of every page an organiser (who may also moderate) sees."""
    event, demo, series = site.demo.event.id, site.demo, filled.series.series_id
    return {
        "dashboard": "/admin",
        "event": f"/admin/events/{event}",
        "event form (new)": "/admin/events/new",
        "event form (edit)": f"/admin/events/{event}/edit",
        "question form": f"/admin/questions/{demo.top3}/edit",
        "question form (words)": f"/admin/questions/{demo.words}/edit",
        "series form (new)": "/admin/series/new",
        "series form (edit)": f"/admin/series/{series}/edit",
        "import": "/admin/import",
        "results": f"/admin/events/{event}/results",
        "series results": f"/admin/series/{series}/results",
        "subscribers": f"/admin/series/{series}/subscribers",
        "invitations": f"/admin/events/{filled.series.first}/invitations",
        "clear data": f"/admin/events/{event}/clear",
        "delete event": f"/admin/events/{event}/delete",
        "series preview": f"/admin/series/{series}/preview",
        "moderators' index": "/moderate",
        "moderator console": f"/moderate/{event}",
        "moderators' word page": f"/moderate/{event}/words/{demo.words}",
    }


def public_pages(site: Site, filled: Filled) -> dict[str, str]:
    """Name -> path of every page a visitor or participant sees without an account."""
    return {
        "start": "/",
        "login": "/login",
        "set a password (invitation link)": filled.password_link,
        "participant": f"/p/{site.demo.event.join_code}",
        "presenter": f"/present/{site.demo.event.presenter_token}",
        "series page": f"/s/{filled.series.slug}",
        "imprint": "/legal/imprint",
        "privacy": "/legal/privacy",
        "accessibility": "/legal/accessibility",
        "404": "/no/such/page",
        "unknown join code": "/p/99999999",
        "422": "/admin/events/not-a-number",
    }


def all_pages(site: Site, filled: Filled) -> dict[str, str]:
    return {**organiser_pages(site, filled), **public_pages(site, filled)}
