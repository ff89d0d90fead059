"""scripts/audit_dependencies.py: a known vulnerability fails, a clean audit passes,
and no advisory data at all is said to be NOT CHECKED (exit 0), never a pass."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "audit_dependencies.py"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(monkeypatch: pytest.MonkeyPatch, reports: dict[str, Any]) -> int:
    module = script()
    monkeypatch.setattr(module, "audit", lambda lock, service: reports.get(service))
    monkeypatch.setattr(module.importlib.util, "find_spec", lambda name: object())
    return int(module.main(["audit", "requirements.lock"]))


SKIPPED = {"dependencies": [{"name": "jinja2", "skip_reason": "Dependency not found on PyPI"}]}


def test_a_known_vulnerability_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = {"dependencies": [{"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "X-1"}]}]}
    assert run(monkeypatch, {"pypi": report}) == 1
    assert "jinja2 3.1.2: X-1" in capsys.readouterr().err


def test_a_clean_audit_passes_and_osv_stands_in_for_pypi(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = {"dependencies": [{"name": "jinja2", "version": "3.1.6", "vulns": []}]}
    assert run(monkeypatch, {"pypi": SKIPPED, "osv": clean}) == 0
    assert "pip-audit (osv): 1 packages checked, 0 known vulnerabilities" in capsys.readouterr().err


def test_no_advisory_data_is_not_checked_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, {"pypi": SKIPPED, "osv": None}) == 0
    assert "NOT CHECKED" in capsys.readouterr().err
