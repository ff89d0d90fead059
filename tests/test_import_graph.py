"""The import graph of src/podium: no circle, and imports go downward only.

Every import counts, also those inside functions and `if TYPE_CHECKING:` blocks: a
lazy or type-only import hides a circle from Python, not from the reader who has to
change the code. The layers (docs/ARCHITECTURE.md), lowest first:

  shared    podium, podium.aio, podium.settings, podium.i18n (import nothing of podium)
  domain    pure rules, no I/O
  store, live   persistence; the hub and streams. Of the shared modules only podium.aio:
                settings reach them as plain parameters, from the composition root.
  services  use cases; the running podium only as services.context.Context
  runtime   podium.runtime, the composition root
  web, reports, mail
  app       podium.app, which wires web onto the runtime, and podium.housekeeping,
            the server's periodic chores it starts
  demo, bench, cli   tools around the app, in that order

A module may import its own layer and any layer below it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

SHARED = {"podium", "podium.aio", "podium.settings", "podium.i18n"}
# Layer rank of each top-level part of podium; equal ranks may import each other.
RANKS = {
    "shared": 0,
    "domain": 1,
    "store": 2,
    "live": 2,
    "services": 3,
    "runtime": 4,
    "web": 5,
    "reports": 5,
    "mail": 5,
    "app": 6,
    "housekeeping": 6,
    "demo": 7,
    "bench": 8,
    "cli": 9,
}
# Exceptions to "any layer below", decided on purpose.
FORBIDDEN = {
    # store and live get their configuration as parameters, never read settings or text.
    ("store", "podium.settings"),
    ("store", "podium.i18n"),
    ("live", "podium.settings"),
    ("live", "podium.i18n"),
    # domain is pure: not even the shared helpers.
    ("domain", "podium.aio"),
    ("domain", "podium.settings"),
    ("domain", "podium.i18n"),
    ("domain", "podium"),
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # file:line

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.where})"


def modules(src: Path = SRC) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((src / "podium").rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _known(name: str, known: Mapping[str, Path]) -> str | None:
    """The module that `name` names or lies in (a class or function of it)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(module: str, path: Path, known: Mapping[str, Path], src: Path) -> Iterator[Edge]:
    """Every podium import of one module (`path`, relative to `src`), wherever in the
    module it is written."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse((src / path).read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            # `from podium.web import errors` imports the module podium.web.errors.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for name in targets:
            if name != "podium" and not name.startswith("podium."):
                continue
            target = _known(name, known)
            if target is not None and target != module:
                yield Edge(module, target, f"{path}:{node.lineno}")


def graph(src: Path = SRC) -> dict[str, list[Edge]]:
    known = modules(src)
    return {
        module: list(imports(module, path.relative_to(src), known, src))
        for module, path in known.items()
    }


def cycle(edges: Mapping[str, list[Edge]]) -> list[Edge] | None:
    """One import circle, as its edges, or None."""
    done: set[str] = set()
    stack: list[Edge] = []
    on_stack: dict[str, int] = {}  # module -> its position on the path

    def visit(module: str) -> list[Edge] | None:
        on_stack[module] = len(stack)
        for edge in edges.get(module, []):
            if edge.target in on_stack:
                return [*stack[on_stack[edge.target] :], edge]
            if edge.target not in done:
                stack.append(edge)
                found = visit(edge.target)
                if found is not None:
                    return found
                stack.pop()
        del on_stack[module]
        done.add(module)
        return None

    for module in sorted(edges):
        if module not in done:
            found = visit(module)
            if found is not None:
                return found
    return None


def layer(module: str) -> str:
    if module in SHARED:
        return "shared"
    return module.split(".")[1]


def breaks_layers(edge: Edge) -> bool:
    source, target = layer(edge.source), layer(edge.target)
    if (source, edge.target) in FORBIDDEN:
        return True
    if source == "domain":
        return target != "domain"
    return RANKS[target] > RANKS[source]


def test_every_module_has_a_layer() -> None:
    unknown = sorted(m for m in modules() if layer(m) not in RANKS)
    assert not unknown, f"add these to RANKS in {Path(__file__).name}: {unknown}"


def test_the_graph_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    package = tmp_path / "podium"
    (package / "a").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a" / "__init__.py").write_text("")
    (package / "a" / "one.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from podium.a.two import X\n"
    )
    (package / "a" / "two.py").write_text("def f():\n    from . import three\n")
    (package / "a" / "three.py").write_text("import podium.a.one\n")
    found = cycle(graph(tmp_path))
    assert found is not None
    assert [(e.source, e.target) for e in found] == [
        ("podium.a.one", "podium.a.two"),
        ("podium.a.two", "podium.a.three"),
        ("podium.a.three", "podium.a.one"),
    ]


def test_the_graph_is_that_of_the_sources() -> None:
    edges = {(e.source, e.target) for found in graph().values() for e in found}
    # One import at the top, one in a function (redis-py only where Redis is used).
    assert ("podium.runtime", "podium.services.live_cache") in edges
    assert ("podium.runtime", "podium.live.redis_hub") in edges


def test_no_import_circle() -> None:
    found = cycle(graph())
    assert found is None, "import circle:\n  " + "\n  ".join(str(e) for e in found or [])


def test_imports_go_downward_only() -> None:
    wrong = [str(e) for found in graph().values() for e in found if breaks_layers(e)]
    assert not wrong, "imports against the layers:\n  " + "\n  ".join(wrong)


def test_the_composition_root_is_outside_services() -> None:
    known = modules()
    assert "podium.runtime" in known and "podium.services.runtime" not in known


def test_an_upward_import_is_caught() -> None:
    def edge(source: str, target: str) -> Edge:
        return Edge(source, target, "x.py:1")

    assert breaks_layers(edge("podium.services.results", "podium.web.frames"))
    assert breaks_layers(edge("podium.services.results", "podium.runtime"))
    assert breaks_layers(edge("podium.live.hub", "podium.settings"))
    assert breaks_layers(edge("podium.domain.tally", "podium.aio"))
    assert breaks_layers(edge("podium.web.frames", "podium.cli.server"))
    assert not breaks_layers(edge("podium.web.frames", "podium.runtime"))
    assert not breaks_layers(edge("podium.live.hub", "podium.store.stats"))
