"""Moderators merge, hide and undo words of a live cloud; the tally everyone reads
follows at once, and every change stays in the audit trail."""

from __future__ import annotations

import uuid

import pytest

from podium.domain.errors import RuleViolation
from podium.domain.tally import WordsResult
from podium.runtime import Runtime
from podium.services import word_edits
from podium.services.accounts import create_user
from podium.services.catalog_events import create_event
from podium.services.catalog_questions import QuestionInput, add_question
from podium.services.participation import participant_id
from podium.store.writer import AnswerWrite


async def cloud(rt: Runtime) -> tuple[int, int, int]:
    event = await create_event(rt, "Wortwolke")
    question = await add_question(rt, event.id, QuestionInput("words", "Drei Schlagworte", [], {}))
    user = await create_user(rt, "mod@example.org", "correct horse battery", "Mod")
    answers = [["Homeoffice", "Telearbeit"], ["Home-Office"], ["Telearbeit"], ["Blödsinn"]]
    for n, words in enumerate(answers):
        pid = await participant_id(rt, event.id, f"token-{n:040d}")
        await rt.writer.submit(
            AnswerWrite(str(uuid.uuid4()), question.id, pid, words, True), event.id
        )
    return event.id, question.id, user.id


async def words(rt: Runtime, event_id: int, question_id: int) -> dict[str, int]:
    live = await rt.live.get(event_id)
    assert live is not None
    result = live.tallies[question_id].result()
    assert isinstance(result, WordsResult)
    return {w.word: w.count for w in result.words}


def key_of(word: str) -> str:
    from podium.domain.word_forms import word_key

    return word_key(word, "de")


async def test_merge_hide_and_undo_apply_to_the_live_cloud(runtime: Runtime) -> None:
    event_id, question_id, user_id = await cloud(runtime)
    # "Home-Office" and "Homeoffice" are one word already: shown as the first spelling
    assert await words(runtime, event_id, question_id) == {
        "Homeoffice": 2,
        "Telearbeit": 2,
        "Blödsinn": 1,
    }
    await word_edits.merge(
        runtime, event_id, question_id, key_of("Telearbeit"), key_of("Homeoffice"), user_id
    )
    merged = await words(runtime, event_id, question_id)
    # the first answer named both words: its author counts once, as for spelling variants
    assert merged["Homeoffice"] == 3 and "Telearbeit" not in merged
    await word_edits.hide(runtime, event_id, question_id, key_of("Blödsinn"), user_id)
    assert "Blödsinn" not in await words(runtime, event_id, question_id)
    trail = await word_edits.history(runtime, question_id)
    assert [(r.action.value, r.word, r.by) for r in trail] == [
        ("hide", "Blödsinn", "mod@example.org"),
        ("merge", "Telearbeit", "mod@example.org"),
    ]
    await word_edits.undo(runtime, event_id, question_id, trail[1].id, user_id)  # the split
    split = await words(runtime, event_id, question_id)
    assert split["Telearbeit"] == 2 and split["Homeoffice"] == 2
    trail = await word_edits.history(runtime, question_id)
    assert trail[1].undone_at is not None and trail[1].undone_by == "mod@example.org"
    with pytest.raises(RuleViolation) as caught:
        await word_edits.undo(runtime, event_id, question_id, trail[1].id, user_id)
    assert caught.value.code == "edit_already_undone"


async def test_edits_that_make_no_sense_are_refused(runtime: Runtime) -> None:
    event_id, question_id, user_id = await cloud(runtime)
    home, tele = key_of("Homeoffice"), key_of("Telearbeit")
    for call, code in [
        (word_edits.merge(runtime, event_id, question_id, home, home, user_id), "merge_same_word"),
        (word_edits.hide(runtime, event_id, question_id, "nichtda", user_id), "unknown_word"),
    ]:
        with pytest.raises(RuleViolation) as caught:
            await call
        assert caught.value.code == code
    await word_edits.merge(runtime, event_id, question_id, tele, home, user_id)
    with pytest.raises(RuleViolation) as caught:  # merged away: no longer shown
        await word_edits.hide(runtime, event_id, question_id, tele, user_id)
    assert caught.value.code == "unknown_word"
