"""An event with a participant access code in a real browser: the phone shows the
form, the code from the screen lets it in, and its answer arrives (script path)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from podium.services import live_control
from podium.services.access_codes import set_access_code
from tests.e2e.conftest import PHONE, SCREEN_720, People, Site

pytestmark = pytest.mark.browser


def test_a_phone_types_the_code_from_the_screen_and_votes(site: Site, people: People) -> None:
    demo = site.demo
    site.srv.run(set_access_code, site.srv.rt, demo.event.id, "Blau 42")
    site.srv.run(live_control.go_live, site.srv.rt, demo.event.id, demo.scale)
    screen = people.page(SCREEN_720)
    screen.goto(site.presenter_url)
    shown = screen.locator(".join-info .access-code")
    expect(shown).to_have_text("Blau 42")

    phone = people.page(PHONE)
    phone.goto(site.join_url)
    expect(phone.get_by_role("heading", name="Kennwort")).to_be_visible()
    field = phone.get_by_label("Kennwort")
    field.fill("blau 41")
    field.press("Enter")
    expect(phone.locator("#access-code-error")).to_have_text(
        "Dieses Kennwort stimmt nicht. Bitte prüfen Sie es und versuchen Sie es noch einmal."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    phone.get_by_label("Kennwort").fill(shown.inner_text().lower())
    phone.get_by_role("button", name="Teilnehmen").click()
    expect(phone.locator("#panel .question-title")).to_have_text("Wie zufrieden?")
    phone.locator("form.answer-form button.step[value='4']").click()
    expect(phone.locator("#status:not(.info)")).to_have_text("Antwort erhalten. Vielen Dank!")
    expect(phone.locator("form.answer-form button.step[value='4']")).to_have_attribute(
        "aria-pressed", "true"
    )
