"""Questions: add, edit, reorder, delete; answered questions keep their shape."""

from __future__ import annotations

import pytest

from podium.domain.errors import NotAllowed, NotFound, RuleViolation
from podium.live.messages import Structure
from podium.runtime import Runtime
from podium.services import catalog
from podium.services.catalog import QuestionInput
from podium.store.tables import Event
from tests.services.catalog_helpers import TOPICS, answer, published, snapshot, top3


async def test_add_question_appends_with_options_and_complete_settings(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    messages = published(runtime)
    first = await catalog.add_question(runtime, event.id, top3())
    second = await catalog.add_question(
        runtime, event.id, QuestionInput("words", "Drei Stichworte", [], {"max_words": "3"})
    )
    assert [o.label for o in first.options] == TOPICS
    assert first.settings == {"max_choices": 3, "percent_base": "respondents"}
    assert second.settings == {"max_words": 3}
    assert (first.position, second.position) == (0, 1)
    stored = await catalog.get_event(runtime, event.id)
    assert [q.title for q in stored.questions] == ["Ihre drei Top-Themen?", "Drei Stichworte"]
    assert messages == [Structure(event.id)] * 2


async def test_options_are_dropped_for_kinds_without_options(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(
        runtime,
        event.id,
        QuestionInput("scale", "Wie zufrieden?", ["", "x"], {"scale_min": 1, "scale_max": 5}),
    )
    assert question.options == []
    assert question.settings["scale_max"] == 5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (QuestionInput("poll", "T", ["a", "b"], {}), "unknown_kind"),
        (QuestionInput("single", " ", ["a", "b"], {}), "empty_title"),
        (QuestionInput("single", "T", ["a"], {}), "too_few_options"),
        (QuestionInput("single", "T", ["a", "  "], {}), "empty_option"),
        (QuestionInput("single", "T", [f"o{i}" for i in range(31)], {}), "too_many_options"),
        (QuestionInput("multiple", "T", ["a", "b"], {"max_choices": 3}), "bad_max_choices"),
        (QuestionInput("multiple", "T", ["a", "b"], {"max_choices": "drei"}), "bad_setting"),
        (QuestionInput("multiple", "T", ["a", "b"], {"percent_base": "x"}), "bad_setting"),
        (QuestionInput("single", "T", ["a", "b"], {"max_choice": 2}), "unknown_setting"),
        (QuestionInput("scale", "T", [], {"scale_min": 5, "scale_max": 1}), "bad_scale"),
        (QuestionInput("words", "T", [], {"max_words": 11}), "bad_max_words"),
        (QuestionInput("text", "T", [], {"max_length": 0}), "bad_max_length"),
        (QuestionInput("single", "T\x00", ["a", "b"], {}), "control_characters"),
        (QuestionInput("single", "T", ["a", "b\x00"], {}), "control_characters"),
        (QuestionInput("scale", "T", [], {"min_label": "gar\x00nicht"}), "control_characters"),
    ],
)
async def test_bad_question_input_is_refused_and_nothing_changes(
    runtime: Runtime, data: QuestionInput, code: str
) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await catalog.add_question(runtime, event.id, data)
    assert caught.value.code == code
    with pytest.raises(RuleViolation) as caught:
        await catalog.update_question(runtime, question.id, data)
    assert caught.value.code == code
    assert await snapshot(runtime) == before


async def test_question_for_an_unknown_event_or_id_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFound) as caught:
        await catalog.add_question(runtime, 99, top3())
    assert caught.value.code == "unknown_event"
    for action in (
        catalog.get_question(runtime, 99),
        catalog.update_question(runtime, 99, top3()),
        catalog.delete_question(runtime, 99),
        catalog.move_question(runtime, 99, 1),
    ):
        with pytest.raises(NotFound) as caught:
            await action
        assert caught.value.code == "unknown_question"


async def test_update_question_relabels_in_place_adds_and_removes(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    ids = [o.id for o in question.options]

    relabelled = await catalog.update_question(
        runtime,
        question.id,
        QuestionInput("multiple", "Neu", ["Homeoffice", "Führung", "Digitalisierung", "Mehr"], {}),
    )
    assert [o.label for o in relabelled.options] == [
        "Homeoffice",
        "Führung",
        "Digitalisierung",
        "Mehr",
    ]
    assert [o.id for o in relabelled.options[:3]] == ids
    assert relabelled.title == "Neu"
    assert relabelled.settings["max_choices"] == 1  # not given: the default again

    shorter = await catalog.update_question(
        runtime, question.id, QuestionInput("single", "Neu", ["Homeoffice", "Mehr"], {})
    )
    assert [(o.id, o.label) for o in shorter.options] == [
        (ids[0], "Homeoffice"),
        (relabelled.options[3].id, "Mehr"),
    ]
    assert [o.position for o in shorter.options] == [0, 1]
    assert shorter.kind == "single"
    assert len((await snapshot(runtime))["options"]) == 2


async def test_reordering_options_keeps_each_label_with_its_votes(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    by_label = {o.label: o.id for o in question.options}
    await answer(runtime, question.id, [by_label["Homeoffice"]])
    reordered = await catalog.update_question(
        runtime, question.id, QuestionInput("multiple", "T", list(reversed(TOPICS)), {})
    )
    assert [(o.label, o.id) for o in reordered.options] == [
        (label, by_label[label]) for label in reversed(TOPICS)
    ]


async def test_an_answered_question_keeps_its_kind_options_and_scale(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    question = await catalog.add_question(runtime, event.id, top3())
    scale = await catalog.add_question(
        runtime, event.id, QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 5})
    )
    await answer(runtime, question.id, [question.options[1].id], n=1)
    await answer(runtime, scale.id, 4, n=2)
    before = await snapshot(runtime)
    refused = [
        (question.id, QuestionInput("single", "T", list(TOPICS), {})),
        (question.id, QuestionInput("multiple", "T", TOPICS[:2], {"max_choices": 2})),
        (scale.id, QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 3})),
    ]
    for question_id, data in refused:
        with pytest.raises(NotAllowed) as caught:
            await catalog.update_question(runtime, question_id, data)
        assert caught.value.code == "question_has_answers"
    assert await snapshot(runtime) == before

    relabelled = await catalog.update_question(
        runtime,
        question.id,
        QuestionInput("multiple", "Neu", ["Home-Office", *TOPICS[1:], "Neu"], {"max_choices": 2}),
    )
    assert [o.id for o in relabelled.options[:3]] == [o.id for o in question.options]
    assert relabelled.options[0].label == "Home-Office"
    labels = await catalog.update_question(
        runtime,
        scale.id,
        QuestionInput("scale", "Wie?", [], {"scale_min": 1, "scale_max": 5, "max_label": "sehr"}),
    )
    assert labels.settings["max_label"] == "sehr"


async def test_delete_question_clears_the_current_question_and_renumbers(
    runtime: Runtime,
) -> None:
    event = await catalog.create_event(runtime, "Podium")
    a, b, c = [await catalog.add_question(runtime, event.id, top3(t)) for t in "ABC"]
    await answer(runtime, b.id, [b.options[0].id])
    async with runtime.sessions() as session, session.begin():
        stored = await session.get(Event, event.id)
        assert stored is not None
        stored.current_question_id = b.id
    await catalog.delete_question(runtime, b.id)
    after = await catalog.get_event(runtime, event.id)
    assert after.current_question_id is None
    assert [(q.title, q.position) for q in after.questions] == [("A", 0), ("C", 1)]
    assert (await snapshot(runtime))["answers"] == []
    del a, c


async def test_move_question_within_its_event(runtime: Runtime) -> None:
    event = await catalog.create_event(runtime, "Podium")
    other = await catalog.create_event(runtime, "Anderes")
    await catalog.add_question(runtime, other.id, top3("X"))
    a, b, c = [await catalog.add_question(runtime, event.id, top3(t)) for t in "ABC"]
    messages = published(runtime)
    await catalog.move_question(runtime, a.id, +1)
    await catalog.move_question(runtime, c.id, -10)
    after = await catalog.get_event(runtime, event.id)
    assert [(q.title, q.position) for q in after.questions] == [("C", 0), ("B", 1), ("A", 2)]
    assert messages == [Structure(event.id)] * 2
    del b
