"""Every error code the code can answer with has its message, in German and English.

The codes are found in the source, not listed here: the first argument of every
RuleViolation (and subclass) that is constructed, every code worded with
`message("...")`, every `{"error": "..."}` body and web/errors.HTTP_CODES. A new
code without its messages fails this test.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from podium import i18n
from podium.web.errors import HTTP_CODES
from podium.web.messages import MESSAGES, message
from tests.web.test_i18n import german_catalog

SOURCE = Path(__file__).resolve().parents[2] / "src" / "podium"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _trees() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _violation_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """RuleViolation and every class that derives from it, wherever it is defined."""
    classes = {"RuleViolation"}
    definitions = [
        node for _path, tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]
    grown = True
    while grown:
        found = {c.name for c in definitions if any(_name(b) in classes for b in c.bases)}
        grown = not found <= classes
        classes |= found
    return classes


def raised_codes() -> tuple[set[str], list[str]]:
    """(every code found, the places that build an error from a code that is not a
    literal, which this test could not check)."""
    trees = list(_trees())
    violations = _violation_classes(trees)
    codes: set[str] = set(HTTP_CODES.values())
    unreadable: list[str] = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                if name not in violations and name != "message":
                    continue
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
                elif name in violations:
                    unreadable.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "error"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        codes.add(value.value)
    return codes, unreadable


CODES, UNREADABLE = raised_codes()


def test_the_codes_are_found_in_the_source() -> None:
    # one of each kind: the domain, a service, a web subclass, the web layer's own
    assert {"voting_closed", "unknown_event", "csrf", "cross_origin", "server_error"} <= CODES
    assert {"login_required", "not_found", "method_not_allowed"} <= CODES
    assert len(CODES) > 80
    assert not UNREADABLE, "errors built from a code that is not a literal: " + ", ".join(
        UNREADABLE
    )


def _worded(code: str, lang: str) -> str:
    template = MESSAGES[code]
    params = {name: "3" for name in PLACEHOLDER.findall(template)}
    context = i18n.current_lang.set(lang)
    try:
        return message(code, params)
    finally:
        i18n.current_lang.reset(context)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_german_and_an_english_message(code: str) -> None:
    assert code in MESSAGES, f"{code} has no message in web/messages.py"
    english, german = _worded(code, "en"), _worded(code, "de")
    for text in (english, german):
        assert text.strip() and text != code
    entry = german_catalog().get(MESSAGES[code])
    assert entry is not None and entry.string and not entry.fuzzy, f"{code}: no German text"
    assert german != english, f"{code}: the German message is the English one"
