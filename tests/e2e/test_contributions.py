"""Written contributions in real browsers: a participant sends one from a phone, the
moderator approves and highlights it in the console, and the presenter screen shows
it within a second; a second phone sees it appear and upvotes it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from podium.services import contributions, moderation
from tests.e2e.conftest import LAPTOP, PHONE, SCREEN_720, People, Site, log_in

pytestmark = pytest.mark.browser

TEXT = "Wie bleibt die persönliche Beratung erhalten, wenn mehr digital läuft?"
NOT_EMPTY = re.compile(r"\S")


def queue_button(console: Page, text: str, action: str):
    item = console.locator("#contributions li[data-id]", has_text=text)
    return item.locator(f"button[name=action][value={action}]")


def test_a_contribution_goes_from_phone_to_moderator_to_screen(
    site: Site, people: People, shot
) -> None:
    screen = people.page(SCREEN_720)
    screen.goto(site.presenter_url)
    expect(screen.locator(".join-code")).to_have_text(re.compile(r"\d"))

    author, neighbour = people.page(PHONE), people.page(PHONE)
    for phone in (author, neighbour):
        phone.goto(site.join_url)
    author.locator("#contribution-text").fill(TEXT)
    author.locator("form.contribution-form button[type=submit]").click()
    expect(author.locator("#contribution-status")).to_have_text(NOT_EMPTY)
    mine = author.locator("#contribution-list li", has_text=TEXT)
    expect(mine).to_have_class(re.compile(r"\bpending\b"))
    shot(author, "participant-contribution-sent.png")
    # Pre-moderation: nobody else sees it yet, not even the screen.
    expect(neighbour.locator("#contribution-list li", has_text=TEXT)).to_have_count(0)

    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{site.demo.event.id}")
    queue_button(console, TEXT, "approve").click()
    expect(queue_button(console, TEXT, "highlight")).to_be_visible()
    expect(neighbour.locator("#contribution-list li", has_text=TEXT)).to_be_visible()
    shot(console, "moderator-contributions.png")

    clicked = time.monotonic()
    queue_button(console, TEXT, "highlight").click()
    highlight = screen.locator("#contributions .highlight", has_text=TEXT)
    expect(highlight).to_be_visible(timeout=1000)
    assert time.monotonic() - clicked < 1.0 + 0.5  # the click's own round trip included
    expect(screen.locator("#poll")).to_be_hidden()
    shot(screen, "presenter-contribution.png")

    upvote = neighbour.locator("#contribution-list li", has_text=TEXT).locator("form.vote button")
    upvote.click()
    expect(upvote).to_have_attribute("aria-pressed", "true")
    expect(upvote.locator(".count")).to_have_text("1")
    expect(screen.locator("#contributions .highlight")).to_contain_text("1")
    # The author's phone hears the count in the next "votes" frame, without a new list.
    expect(author.locator("#contribution-list li", has_text=TEXT).locator(".count")).to_have_text(
        "1"
    )
    # The console too, in place (the queue is not sent again for an upvote).
    counted = console.locator("#contributions li.queue-item", has_text=TEXT).locator(".votes")
    expect(counted.locator("[aria-hidden=true]")).to_have_text("▲ 1")
    expect(counted.locator(".visually-hidden")).to_have_text("1 Unterstützung")

    # The panel has answered it: the screen goes back to the poll.
    queue_button(console, TEXT, "answered").click()
    expect(screen.locator("#poll")).to_be_visible()
    people.assert_no_errors()


def test_the_moderator_works_the_queue_by_keyboard(site: Site, people: People) -> None:
    """j/k move through the queue, a approves, r rejects, h highlights, space selects;
    every step as a real moderator would press it, and the screen follows."""
    from podium.services import contributions as service

    live = site.srv.run(site.srv.rt.live.get, site.demo.event.id)
    first = site.srv.run(service.submit, site.srv.rt, live, "a" * 40, "Erste Frage zur E-Akte")
    second = site.srv.run(service.submit, site.srv.rt, live, "b" * 40, "Zweite zur Beratung")
    screen = people.page(SCREEN_720)
    screen.goto(site.presenter_url)
    console = people.page(LAPTOP)
    log_in(console, site, f"/moderate/{site.demo.event.id}")
    item = console.locator(f"#contributions li.queue-item[data-id='{first.id}']")
    item.focus()
    console.keyboard.press("a")
    approved = console.locator(f"#contributions li.queue-item[data-id='{first.id}']")
    expect(approved).to_have_attribute("data-state", "approved")
    other = console.locator(f"#contributions li.queue-item[data-id='{second.id}']")
    other.focus()
    console.keyboard.press("r")
    expect(other).to_have_attribute("data-state", "rejected")
    approved.focus()
    console.keyboard.press("h")
    expect(screen.locator("#contributions .highlight")).to_contain_text("Erste Frage zur E-Akte")
    approved.focus()
    console.keyboard.press(" ")
    expect(approved.locator("input[name=ids]")).to_be_checked()
    people.assert_no_errors()


# The list module in the browser: a delta builds on what earlier frames sent; a frame
# that names a revision the page has not got is refused, and the whole list is fetched.
# The same for the moderators' queue, whose frames carry a shell with placeholders.
LIST_FRAMES = """async (code) => {
  const { listFrames } = await import("/static/js/contribution_list.js");
  const lists = listFrames(code);
  const wrap = { before: "<ol>", after: "</ol>", empty: "<li>none</li>" };
  const first = lists.assemble({ ...wrap, order: [[1, "a", 0], [2, "b", 3]],
    items: { 1: "<li>one</li>", 2: "<li>two</li>" } });
  const delta = lists.assemble({ ...wrap, order: [[3, "c", 5], [1, "a", 0]],
    items: { 3: "<li>three</li>" } });
  const short = lists.assemble({ ...wrap, order: [[2, "b", 3]], items: {} });
  const whole = await lists.whole();
  const { queueFrames } = await import("/static/js/contribution_list.js");
  const queue = queueFrames("/nowhere");
  const shell = "<ol><!--q:1:a--><!--q:2:b--></ol>";
  const queueFirst = queue.assemble({ shell, items: { "1:a": "<li>1</li>", "2:b": "<li>2</li>" } });
  const queueDelta = queue.assemble({ shell: "<ol><!--q:2:c--><!--q:1:a--></ol>",
    items: { "2:c": "<li>2 edited</li>" } });
  const queueShort = queue.assemble({ shell: "<ol><!--q:2:b--></ol>", items: {} });
  return { first, delta, short, whole, queueFirst, queueDelta, queueShort };
}"""


def test_the_device_list_builds_on_earlier_frames_and_fetches_when_short(
    site: Site, people: People
) -> None:
    phone = people.page(PHONE)
    phone.goto(site.join_url)
    got = phone.evaluate(LIST_FRAMES, site.demo.event.join_code)
    assert got["first"] == "<ol><li>one</li><li>two</li></ol>"
    assert got["delta"] == "<ol><li>three</li><li>one</li></ol>"
    assert got["short"] is None  # item 2 left the list: its HTML is forgotten
    whole = got["whole"]
    assert whole["full"] is True and whole["order"] == [] and "<li" in whole["empty"]
    assert got["queueFirst"] == "<ol><li>1</li><li>2</li></ol>"
    assert got["queueDelta"] == "<ol><li>2 edited</li><li>1</li></ol>"
    assert got["queueShort"] is None  # revision b of item 2 was replaced: ask again
    people.assert_no_errors()


def test_the_phone_lists_contributions_in_the_order_the_server_ranks(
    site: Site, people: People
) -> None:
    rt, event_id = site.srv.rt, site.demo.event.id
    live = site.srv.run(rt.live.get, event_id)
    older = site.srv.run(contributions.submit, rt, live, "o" * 40, "Zuerst gesendet: Homeoffice?")
    newer = site.srv.run(contributions.submit, rt, live, "n" * 40, "Später gesendet: Teilzeit?")
    for sent in (older, newer):
        site.srv.run(moderation.act, rt, event_id, sent.id, "approve", None)

    phone = people.page(PHONE)
    phone.goto(site.join_url)
    listed = phone.locator("#contribution-list li[data-votes]")
    expect(listed).to_have_count(2)
    ids = [str(older.id), str(newer.id)]
    assert [li.get_attribute("data-id") for li in listed.all()] == ids  # equal: older first

    sort = phone.locator(".contribution-sort")
    sort.get_by_role("button", name="Neueste").click()
    expect(listed.first).to_have_attribute("data-id", str(newer.id))
    sort.get_by_role("button", name="Top").click()
    expect(listed.first).to_have_attribute("data-id", str(older.id))

    # Someone else upvotes the newer one: the "votes" frame moves it up on this phone.
    site.srv.run(contributions.vote, rt, live, "v" * 40, newer.id, True)
    expect(listed.first).to_have_attribute("data-id", str(newer.id))
    expect(listed.first.locator(".count")).to_have_text("1")
    expect(listed.nth(1)).to_have_attribute("data-id", str(older.id))
    people.assert_no_errors()
