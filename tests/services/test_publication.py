"""Publishing results: a new secret each time, the old one dead at once, options
stored as chosen, questions of another event refused; and a second process (a
runtime on the same database whose hub never hears the first) sees an unpublished
link closed at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from podium.domain.errors import InvalidAnswer, NotFound
from podium.domain.publication import Publication
from podium.live.hub import MemoryHub
from podium.runtime import Runtime
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.publication import publication, publish, published_event, unpublish
from podium.settings import Settings


@pytest.fixture
async def rt(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings)
    await runtime.start()
    yield runtime
    await runtime.stop()


async def event_with_questions(rt: Runtime) -> tuple[int, list[int]]:
    event = await create_event(rt, "Bürgerdialog")
    ids = []
    for title in ("Erste?", "Zweite?"):
        q = await add_question(rt, event.id, QuestionInput("single", title, ["Ja", "Nein"]))
        ids.append(q.id)
    return event.id, ids


async def refused(rt: Runtime, token: str) -> None:
    with pytest.raises(NotFound) as gone:
        await published_event(rt, token)
    assert gone.value.code == "unknown_results_link"


async def test_published_results_open_with_their_options(rt: Runtime) -> None:
    event_id, (first, _) = await event_with_questions(rt)
    assert await publication(rt, event_id) is None
    wanted = Publication(questions=(first,), include_texts=False, include_contributions=True)
    made = await publish(rt, event_id, wanted)
    found = await published_event(rt, made.token)
    assert found.event_id == event_id
    assert found.publication == wanted
    assert await publication(rt, event_id) == made


async def test_publishing_again_makes_a_new_link_and_the_old_one_is_dead(rt: Runtime) -> None:
    event_id, _ = await event_with_questions(rt)
    old = await publish(rt, event_id, Publication())
    new = await publish(rt, event_id, Publication(include_texts=False))
    assert new.token != old.token
    await refused(rt, old.token)
    assert (await published_event(rt, new.token)).publication.include_texts is False


async def test_unpublishing_closes_the_link(rt: Runtime) -> None:
    event_id, _ = await event_with_questions(rt)
    made = await publish(rt, event_id, Publication())
    await unpublish(rt, event_id)
    await refused(rt, made.token)
    assert await publication(rt, event_id) is None
    await refused(rt, "x" * 43)  # well formed, never made
    await refused(rt, "no token")


async def test_a_question_of_another_event_is_refused_and_nothing_published(
    rt: Runtime,
) -> None:
    event_id, _ = await event_with_questions(rt)
    _, (other, _) = await event_with_questions(rt)
    with pytest.raises(InvalidAnswer) as bad:
        await publish(rt, event_id, Publication(questions=(other,)))
    assert bad.value.code == "unknown_report_question"
    assert await publication(rt, event_id) is None


async def test_an_unknown_event_is_not_published(rt: Runtime) -> None:
    with pytest.raises(NotFound):
        await publish(rt, 999_999, Publication())
    with pytest.raises(NotFound):
        await unpublish(rt, 999_999)


async def test_unpublished_on_one_process_is_closed_on_another_at_once(
    settings: Settings,
) -> None:
    a, b = Runtime(settings), Runtime(settings, hub=MemoryHub())
    await a.start()
    await b.start()
    try:
        event_id, _ = await event_with_questions(a)
        made = await publish(a, event_id, Publication())
        assert (await published_event(b, made.token)).event_id == event_id
        await unpublish(a, event_id)
        await refused(b, made.token)
    finally:
        await b.stop()
        await a.stop()
