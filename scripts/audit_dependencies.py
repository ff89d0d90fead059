"""Check requirements.lock against the published advisories with pip-audit: PyPI's
advisory data first, OSV's when PyPI's cannot be read.

Exit 1 when a locked package has a known vulnerability. When neither source can be
reached (a machine without the internet, or a mirror that serves no advisory data:
pip-audit then reports every package as "not found on PyPI" and exits 0, which is
no check at all), it says loudly that nothing was checked and exits 0: a missing
network must not fail the tests, and must not pass for a clean audit either.

    python scripts/audit_dependencies.py [requirements.lock]
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT = 300  # seconds for one source; a hanging network is "not reachable"


def audit(lock: Path, service: str) -> dict[str, object] | None:
    """pip-audit's JSON report, or None when it could not run to the end."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        command = [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(lock),
            "--require-hashes",
            "--no-deps",
            "--disable-pip",
            "--progress-spinner=off",
            "--vulnerability-service",
            service,
            "--format",
            "json",
            "--output",
            str(out),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return None
        try:
            report: dict[str, object] = json.loads(out.read_text())
        except (OSError, ValueError):
            return None
        return report


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    if importlib.util.find_spec("pip_audit") is None:
        print("pip-audit is not installed: make install installs it.", file=sys.stderr)
        return 1
    for service in ("pypi", "osv"):
        report = audit(lock, service)
        if report is None:
            continue
        packages = [d for d in report.get("dependencies", []) if isinstance(d, dict)]  # type: ignore[union-attr]
        checked = [d for d in packages if "skip_reason" not in d]
        if not checked:
            continue  # nothing could be looked up: try the other source
        found = [(d["name"], d["version"], v["id"]) for d in checked for v in d.get("vulns", [])]
        for name, version, advisory in found:
            print(f"pip-audit: {name} {version}: {advisory}", file=sys.stderr)
        skipped = len(packages) - len(checked)
        print(
            f"pip-audit ({service}): {len(checked)} packages checked, {len(found)} known "
            f"vulnerabilities" + (f", {skipped} not found" if skipped else ""),
            file=sys.stderr,
        )
        return 1 if found else 0
    print(
        "pip-audit: NOT CHECKED - no advisory data could be read (PyPI's JSON API and OSV "
        "unreachable from this machine); requirements.lock was not audited.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
