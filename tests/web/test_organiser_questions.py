"""The organiser's questions and moderators, through the event page's forms."""

from __future__ import annotations

import re

import pytest

from podium.services import accounts, catalog, live_control
from podium.services.participation import submit_answer
from tests.web.conftest import PASSWORD, Harness
from tests.web.organiser_helpers import Admin, admin, control, order_of

__all__ = ["admin"]  # the fixture, imported so that pytest finds it here

# The form as a browser without script sends it: every field, whatever the kind.
BLANK = {
    "options": "",
    "max_choices": "",
    "percent_base": "respondents",
    "scale_min": "1",
    "scale_max": "5",
    "min_label": "",
    "max_label": "",
    "max_words": "3",
    "max_length": "280",
    "allow_change": "1",
}


def add(admin: Admin, event_id: int, kind: str, title: str, **fields: str):
    return admin.post(
        f"/admin/events/{event_id}/questions", {**BLANK, "kind": kind, "title": title, **fields}
    )


def questions_of(h: Harness, event_id: int) -> list[str]:
    return [q.title for q in h.run(catalog.get_event, h.rt, event_id).questions]


def question_ids(h: Harness, event_id: int) -> list[int]:
    return [q.id for q in h.run(catalog.get_event, h.rt, event_id).questions]


@pytest.fixture
def event_id(admin: Admin) -> int:
    return admin.new_event("Digitales Podium")


def test_questions_of_every_kind_are_shown_in_order(admin: Admin, event_id: int) -> None:
    responses = [
        add(admin, event_id, "single", "Ja oder nein?", options="Ja\nNein\n\n"),
        add(
            admin,
            event_id,
            "multiple",
            "Ihre drei Top-Themen?",
            options="Homeoffice\nFührung\nBeratung\nZugang",
            max_choices="3",
        ),
        add(
            admin,
            event_id,
            "scale",
            "Wie zufrieden?",
            scale_min="0",
            scale_max="10",
            min_label="gar nicht",
            max_label="sehr",
        ),
        add(admin, event_id, "words", "Drei Schlagworte", max_words="3"),
        add(admin, event_id, "text", "Ihre Wortmeldung", max_length="500", allow_change=""),
    ]
    assert [r.status_code for r in responses] == [303] * 5
    assert responses[0].headers["location"].startswith(f"/admin/events/{event_id}#question-")
    page = admin.get(f"/admin/events/{event_id}").text
    titles = [
        "Ja oder nein?",
        "Ihre drei Top-Themen?",
        "Wie zufrieden?",
        "Drei Schlagworte",
        "Ihre Wortmeldung",
    ]
    assert order_of(page, *titles) == titles
    for text in (
        "Single choice",
        "Multiple choice",
        "Scale",
        "Word cloud",
        "Open text",
        "<li>Homeoffice</li>",
        "<li>Führung</li>",
        "up to 3 choices; percentages of respondents",
        "from 0 to 10 (gar nicht – sehr)",
        "up to 3 words",
        "up to 500 characters",
        "answers are final",
    ):
        assert text in page, text
    # The blank line in the options was left out, not refused.
    single = admin.h.run(catalog.get_event, admin.h.rt, event_id).questions[0]
    assert [o.label for o in single.options] == ["Ja", "Nein"]


def test_multiple_choice_without_a_limit_allows_every_option(admin: Admin, event_id: int) -> None:
    add(admin, event_id, "multiple", "Was passt?", options="A\nB\nC", percent_base="answers")
    page = admin.get(f"/admin/events/{event_id}").text
    assert "up to 3 choices; percentages of all answers" in page


def test_other_kinds_fields_do_not_matter(admin: Admin, event_id: int) -> None:
    # Without script every fieldset is sent; a scale must not fail on a word limit.
    response = add(admin, event_id, "scale", "Skala", max_words="viele", options="x")
    assert response.status_code == 303
    question = admin.h.run(catalog.get_event, admin.h.rt, event_id).questions[0]
    assert question.options == []


def test_edit_question_form_is_filled_and_saves(admin: Admin, event_id: int) -> None:
    add(admin, event_id, "multiple", "Alt", options="A\nB\nC", max_choices="2")
    (question_id,) = question_ids(admin.h, event_id)
    form = admin.get(f"/admin/questions/{question_id}/edit").text
    assert 'value="Alt"' in form
    assert '<option value="multiple" selected>' in form
    assert ">A\nB\nC</textarea>" in form
    assert 'name="max_choices" type="number" value="2"' in form
    assert re.search(r'name="allow_change" value="1"\s+checked', form)
    saved = admin.post(
        f"/admin/questions/{question_id}/edit",
        {**BLANK, "kind": "single", "title": "Neu", "options": "B\nD", "allow_change": ""},
    )
    page = admin.follow(saved).text
    assert "Neu" in page
    assert "Single choice" in page
    assert "<li>D</li>" in page
    assert "answers are final" in page
    assert "Alt" not in page


def test_move_questions_changes_the_order(admin: Admin, event_id: int) -> None:
    for title in ("Erste Frage", "Zweite Frage", "Dritte Frage"):
        add(admin, event_id, "words", title)
    first, _, third = question_ids(admin.h, event_id)
    assert admin.post(f"/admin/questions/{third}/move", {"direction": "up"}).status_code == 303
    assert admin.post(f"/admin/questions/{first}/move", {"direction": "down"}).status_code == 303
    page = admin.get(f"/admin/events/{event_id}").text
    titles = ("Erste Frage", "Zweite Frage", "Dritte Frage")
    assert order_of(page, *titles) == ["Dritte Frage", "Erste Frage", "Zweite Frage"]


def test_delete_question_after_confirmation(admin: Admin, event_id: int) -> None:
    add(admin, event_id, "words", "Weg")
    add(admin, event_id, "words", "Bleibt")
    question_id = question_ids(admin.h, event_id)[0]
    confirm = admin.get(f"/admin/questions/{question_id}/delete")
    assert "Delete the question “Weg”?" in confirm.text
    assert questions_of(admin.h, event_id) == ["Weg", "Bleibt"]
    page = admin.follow(admin.post(f"/admin/questions/{question_id}/delete")).text
    assert questions_of(admin.h, event_id) == ["Bleibt"]
    assert "Weg" not in page


@pytest.mark.parametrize(
    ("kind", "fields", "message", "field"),
    [
        ("single", {"title": "", "options": "A\nB"}, "Please enter a title.", "title"),
        ("single", {"options": "Nur eine"}, "needs at least 2 options", "options"),
        ("multiple", {"options": "A\nB", "max_choices": "5"}, "between 1 and 2", "max_choices"),
        ("multiple", {"options": "A\nB", "max_choices": "zwei"}, "max_choices", "max_choices"),
        ("scale", {"scale_min": "5", "scale_max": "1"}, "lower end below", "scale_min"),
        ("words", {"max_words": "50"}, "1 to 10 words", "max_words"),
        ("text", {"max_length": "0"}, "between 1 and 2000", "max_length"),
        ("quiz", {}, "Unknown question type.", "kind"),
    ],
)
def test_bad_question_is_shown_at_the_form_and_nothing_stored(
    admin: Admin, event_id: int, kind: str, fields: dict[str, str], message: str, field: str
) -> None:
    data = {"title": "Getippte Frage", **fields}
    response = add(admin, event_id, kind, **data)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert message in response.text
    assert 'role="alert" id="new-question-error"' in response.text
    assert 'aria-invalid="true"' in control(response.text, f"new-question-{field}")
    if data["title"]:
        assert f'value="{data["title"]}"' in response.text
    assert questions_of(admin.h, event_id) == []


def test_an_answered_question_keeps_its_kind(admin: Admin, event_id: int) -> None:
    add(admin, event_id, "single", "Ja oder nein?", options="Ja\nNein")
    question = admin.h.run(catalog.get_event, admin.h.rt, event_id).questions[0]
    rt = admin.h.rt

    async def vote() -> None:
        await live_control.go_live(rt, event_id, question.id)
        live = await rt.live.get(event_id)
        assert live is not None
        await submit_answer(rt, live, "t" * 40, question.id, [question.options[0].id], "a-000001")

    admin.h.run(vote)
    response = admin.post(
        f"/admin/questions/{question.id}/edit", {**BLANK, "kind": "words", "title": "Worte"}
    )
    assert response.status_code == 409
    assert "already has answers" in response.text
    assert questions_of(admin.h, event_id) == ["Ja oder nein?"]


def test_assign_and_remove_a_moderator(admin: Admin, event_id: int) -> None:
    admin.h.run(
        accounts.create_user, admin.h.rt, "mod@example.org", PASSWORD, "Mo Derator", "moderator"
    )
    assigned = admin.post(f"/admin/events/{event_id}/moderators", {"email": " MOD@example.org "})
    page = admin.follow(assigned).text
    assert '<th scope="row">mod@example.org</th>' in page
    assert "Mo Derator" in page
    moderators = admin.h.run(accounts.list_moderators, admin.h.rt, event_id)
    assert [m.email for m in moderators] == ["mod@example.org"]

    removed = admin.post(
        f"/admin/events/{event_id}/moderators/remove", {"email": "mod@example.org"}
    )
    page = admin.follow(removed).text
    assert "No moderators assigned." in page
    assert admin.h.run(accounts.list_moderators, admin.h.rt, event_id) == []


def test_assigning_an_unknown_account_says_so(admin: Admin, event_id: int) -> None:
    response = admin.post(f"/admin/events/{event_id}/moderators", {"email": "nobody@example.org"})
    assert response.status_code == 404
    assert "There is no account with this e-mail address." in response.text
    assert 'value="nobody@example.org"' in response.text
    email = control(response.text, "moderator-email")
    assert 'value="nobody@example.org" aria-invalid="true"' in email
    assert admin.post("/admin/events/999/moderators", {"email": "x@example.org"}).status_code == 404


def test_the_comparison_key_is_set_in_the_form_and_shown(admin: Admin, event_id: int) -> None:
    form = admin.get(f"/admin/events/{event_id}").text
    assert "Comparison key" in form and 'name="match_key"' in form
    add(
        admin,
        event_id,
        "single",
        "Kontaktweg?",
        options="Telefon\nVideo",
        match_key=" Kontakt-2021 ",
    )
    (question_id,) = question_ids(admin.h, event_id)
    page = admin.get(f"/admin/events/{event_id}").text
    assert "<code>kontakt-2021</code>" in page
    edit = admin.get(f"/admin/questions/{question_id}/edit").text
    assert 'name="match_key" type="text" value="kontakt-2021"' in edit
    refused = add(admin, event_id, "single", "Zweite?", options="a\nb", match_key="nicht gültig")
    assert refused.status_code == 422
    assert "The comparison key may contain only" in refused.text
    assert 'aria-invalid="true"' in control(refused.text, "new-question-match_key")
