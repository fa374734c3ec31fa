"""The verifier never imports the solver: checked on the source, so a refactor cannot slip."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "roomalloc"
SOLVER_SIDE = ("roomalloc.solver", "roomalloc.candidates", "roomalloc.segments", "ortools")


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
    for name in ("verifier.py", "evaluation.py", "violations.py", "rules/base.py", "terms/base.py"):
        bad = {m for m in imported_modules(SRC / name) if m.startswith(SOLVER_SIDE)}
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
