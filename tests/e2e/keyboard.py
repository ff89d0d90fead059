"""Keyboard helpers for the browser tests: a full Tab walk of a page, and a visible-focus
check on whatever has the focus."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

# Where the focus is, as a stable key, and whether it shows: an outline or a box-shadow.
FOCUSED = """() => { const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || s.boxShadow !== 'none';
  const path = []; for (let e = el; e && e !== document.body; e = e.parentElement)
    path.unshift(e.tagName + ':' + [...e.parentElement.children].indexOf(e));
  return {key: path.join('/'), shown, name: el.tagName + (el.id ? '#' + el.id : '')
    + (el.name ? '[' + el.name + ']' : '') + ' ' + (el.textContent || '').trim().slice(0, 30)}; }"""


def tab_walk(page: Page, limit: int = 400) -> list[dict[str, str | bool]]:
    """Tab from the top of the page until the focus comes back to where it started.
    One stop per element: a date field's inner parts (day, month, year …) are Tab
    stops of their own in Chromium but one element to the page. Fails on a trap."""
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    stops: list[dict[str, str | bool]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None:
            continue
        if stops and now["key"] == stops[-1]["key"]:
            continue  # the next inner part of the same field
        if stops and now["key"] == stops[0]["key"]:
            return stops
        assert all(now["key"] != s["key"] for s in stops), f"focus trap: back at {now['name']}"
        stops.append(now)
    raise AssertionError(f"no way out after {limit} Tab presses: {stops[-3:]}")


def tab_to(page: Page, target: Locator, limit: int = 80, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the target has the focus; it must show it."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if target.evaluate("el => el === document.activeElement"):
            now = page.evaluate(FOCUSED)
            assert now and now["shown"], f"no visible focus on {now}"
            return
    raise AssertionError(f"Tab never reached {target}")
