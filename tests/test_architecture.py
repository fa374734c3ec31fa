"""The verifier never imports the solver: checked on the source, so a refactor cannot slip."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "roomalloc"
SOLVER_SIDE = ("roomalloc.solver", "ortools")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth of its code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_verifier_and_evaluation_import_nothing_of_the_solver() -> None:
    solver_free = [*(SRC / "domain").glob("*.py"), *(SRC / "verify").glob("*.py"),
                   SRC / "rules" / "base.py", SRC / "rules" / "requirements.py",
                   SRC / "terms" / "base.py"]
    for path in solver_free:
        name = path.relative_to(SRC).as_posix()
        bad = {m for m in imported_modules(path) if m.startswith(SOLVER_SIDE)}
        assert not bad, f"{name} imports {sorted(bad)}"


def test_builtin_terms_load_cp_sat_only_when_building() -> None:
    tree = ast.parse((SRC / "terms" / "builtin.py").read_text(encoding="utf-8"))
    top_level = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in top_level if m and m.startswith(SOLVER_SIDE)}


# -- the packages' layers ------------------------------------------------------------------------

#: What each package may never import when it loads: data flows one way (docs/architecture.md),
#: from what the user says (domain) through solving to verifying, explaining and analysing.
NEVER_AT_LOAD = {
    "domain": ("rules", "terms", "verify", "solver", "explanation", "analysis", "commands",
               "tables", "synthetic", "plots", "display"),
    "rules": ("solver", "explanation", "analysis", "commands", "tables"),
    "terms": ("solver", "explanation", "analysis", "commands", "tables"),
    "verify": ("solver", "explanation", "analysis", "commands", "tables"),
    "solver": ("explanation", "analysis", "commands", "tables", "plots", "display"),
    "explanation": ("solver", "analysis", "commands", "tables", "plots"),
    "synthetic": ("solver", "explanation", "analysis", "commands"),
}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_each_package_imports_only_the_layers_before_it_at_load_time() -> None:
    from test_imports import import_graph

    graph = import_graph(SRC)
    broken = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if _package(target) in NEVER_AT_LOAD.get(_package(module), ())
    )
    assert "roomalloc.verify.verifier" in graph  # the walk sees the tree
    assert broken == []
