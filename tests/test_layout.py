"""The package's layout: no import cycle, and the shared parts at the bottom import no stage.

Two checks: the graph of module-level imports (an ``import`` at the top of a module, including the packages a
dotted name runs first) has no cycle; and each module imports on its own in a fresh interpreter, so no module works
only because another happened to be imported first. Imports inside functions are the deliberate way to reach
upward lazily (an optional extra, a model read on demand) and are not edges of the graph.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ml_intern

SRC = Path(ml_intern.__file__).parent
# the generated projects' files: standalone scripts run in the sandbox, never imported by ml-intern
STANDALONE = ("codegen/templates/",)
# the shared bottom layer: stages import these, these import no stage (only the stages' plain model modules)
BOTTOM = {"ml_intern.errors", "ml_intern.llm", "ml_intern.git", "ml_intern.jobfiles", "ml_intern.inputs", "ml_intern.runfolder", "ml_intern.track.store",
          "ml_intern.track.verdict"}
MODEL_MODULES = {"ml_intern.paper.models", "ml_intern.plan.models"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(STANDALONE):
            continue
        parts = ["ml_intern", *rel[:-3].split("/")]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def top_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of ml_intern imported when ``name`` is imported (module level, outside ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)  # `from pkg import module`

    visit(tree.body)
    edges = set()
    for target in found:
        parts = target.split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b, a.b.c
            candidate = ".".join(parts[:i])
            if candidate in known and candidate != name and not name.startswith(candidate + "."):
                edges.add(candidate)
    return edges


def direct_imports(path: Path) -> set[str]:
    """The modules a file names in its module-level imports (``from a.b import c``: ``a.b``, or ``a.b.c`` when
    that is a module)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    known = set(modules())
    return {n for n in names if n in known and not any(m.startswith(n + ".") for m in names if m in known)}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: top_level_imports(path, name, set(mods)) for name, path in mods.items()}


def test_no_import_cycle():
    g = graph()
    state: dict[str, int] = {}
    cycles = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(g[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            walk(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_shared_parts_at_the_bottom_import_no_stage():
    """The bottom layer names only other shared parts and the stages' plain model modules. (Importing
    ``ml_intern.paper.models`` runs ``paper/__init__.py`` first, as Python does; that the whole graph has no cycle
    is the test above.)"""
    mods = modules()
    allowed = BOTTOM | MODEL_MODULES | {"ml_intern"}
    for name in sorted(BOTTOM):
        named = {m for m in direct_imports(mods[name]) if m in mods}
        assert named <= allowed, f"{name} imports {sorted(named - allowed)}, above it"


def test_the_ray_backends_do_not_import_each_other():
    g = graph()
    assert "ml_intern.run.sandbox.ray" not in g["ml_intern.run.sandbox.ray_train"]
    text = (SRC / "run/sandbox/ray_train.py").read_text()
    assert "sandbox.ray import" not in text, "ray_train.py imports ray.py (even lazily): use ray_common"


ENTRY_POINTS = {"ml_intern.__main__", "ml_intern.cli_reference"}  # they run when imported: scripts, not modules


@pytest.mark.parametrize("name", sorted(set(modules()) - ENTRY_POINTS))
def test_each_module_imports_alone_in_a_fresh_interpreter(name):
    done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_sandbox_base_types_import_no_backend():
    """Backends and the attempt loop import ``Job``, ``SandboxResult`` and ``Sandbox`` from ``run/sandbox/base.py``,
    which names only the failure vocabulary and the limits: no backend, no stage."""
    mods = modules()
    named = {m for m in direct_imports(mods["ml_intern.run.sandbox.base"]) if m in mods}
    assert named <= {"ml_intern.run.failures", "ml_intern.run.sandbox.limits"}, sorted(named)
