"""What loads when: `import roomalloc` is lazy, checking never loads the solver, no import cycles.

The load tests run in a fresh interpreter each (this process has long since imported
everything), and report what `sys.modules` holds afterwards.
"""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import roomalloc

SRC = Path(roomalloc.__file__).resolve().parent
HEAVY = ("ortools", "pandas", "matplotlib")

TINY = (
    "import roomalloc\n"
    "p = roomalloc.Problem(rooms=[roomalloc.Room(id='A', capacity=1),\n"
    "                             roomalloc.Room(id='B', capacity=2, features=('quiet',))],\n"
    "                      residents=[roomalloc.Resident(id='r1', needs=('quiet',)),\n"
    "                                 roomalloc.Resident(id='r2')])\n"
)


def run_fresh(code: str, blocked: tuple[str, ...] = ()) -> dict[str, object]:
    """Run `code` in a new interpreter; its `out` dict plus which heavy modules got loaded."""
    block = "".join(f"sys.modules[{m!r}] = None\n" for m in blocked)
    script = (
        f"import json, sys\n{block}out = {{}}\n{code}\n"
        f"out['loaded'] = sorted(m for m in {HEAVY!r} if sys.modules.get(m) is not None)\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_import_roomalloc_loads_none_of_the_public_names_modules() -> None:
    out = run_fresh("import roomalloc\n"
                    "out['loaded_own'] = [m for m in sys.modules if m.startswith('roomalloc.')]")
    assert out["loaded"] == []
    assert out["loaded_own"] == []


def test_check_evaluate_and_explain_never_load_the_solver_nor_pandas() -> None:
    out = run_fresh(TINY + (
        "out['ok'] = roomalloc.check(p, {'r1': 'B', 'r2': 'A'}).ok\n"
        "out['broken'] = [v.rule for v in roomalloc.check(p, {'r1': 'A', 'r2': 'A'}).violations]\n"
        "out['objective'] = roomalloc.evaluate(p, {'r1': 'B', 'r2': 'A'}).objective\n"
        "r = roomalloc.Result(status='feasible', assignments={'r1': 'B', 'r2': None})\n"
        "out['explained'] = roomalloc.explain(p, r).residents['r2'].room\n"
    ))
    assert out == {"ok": True, "broken": ["capacity", "needs"], "objective": 2000,
                   "explained": None, "loaded": []}


def test_loading_a_problem_never_loads_the_solver_nor_pandas(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    out = run_fresh(TINY + (
        f"roomalloc.save_problem(p, {str(path)!r})\n"
        f"out['residents'] = len(roomalloc.load_problem({str(path)!r}).residents)\n"
    ))
    assert out == {"residents": 2, "loaded": []}


def test_validate_on_the_command_line_never_loads_the_solver_nor_pandas(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "roomalloc/1", "rooms": [{"id": "A", "capacity": 0}],
                               "residents": [{"id": "r1", "preferences": [{"room": "Z"}]}]}),
                   encoding="utf-8")
    out = run_fresh(TINY + (
        f"roomalloc.save_problem(p, {str(good)!r})\n"
        "from roomalloc.cli import main\n"
        f"out['good'] = main(['validate', {str(good)!r}])\n"
        f"out['bad'] = main(['validate', {str(bad)!r}])\n"
    ))
    assert out == {"good": 0, "bad": 1, "loaded": []}


def test_the_core_works_without_pandas_and_matplotlib_installed() -> None:
    """Building, validating, checking, scoring and explaining need neither pandas nor matplotlib.

    Solving is not among them: OR-Tools' CP-SAT itself requires and imports pandas, so
    `roomalloc.solve` without pandas is not possible (it fails importing OR-Tools).
    """
    out = run_fresh(TINY + (
        "report = roomalloc.check(p, {'r1': 'B', 'r2': 'B'})\n"
        "out['ok'] = report.ok\n"
        "out['repr'] = repr(report)\n"
        "out['objective'] = roomalloc.evaluate(p, {'r1': 'B', 'r2': None}).objective\n"
        "r = roomalloc.Result(status='feasible', assignments={'r1': 'B', 'r2': 'B'})\n"
        "out['text'] = roomalloc.explain(p, r).to_text('r1').splitlines()[0]\n"
        f"out['before_solve'] = sorted(m for m in {HEAVY!r} if sys.modules.get(m) is not None)\n"
        "try:\n"
        "    roomalloc.solve(p, time_limit=5)\n"
        "except ImportError as err:\n"
        "    out['solve'] = type(err).__name__\n"
    ), blocked=("pandas", "matplotlib"))
    assert out["ok"] is True and out["objective"] == 1000 and out["before_solve"] == []
    assert out["repr"] == "CheckReport(ok=True, objective=2000)"
    assert out["text"] == "r1: room B"
    assert out["solve"] in ("ImportError", "ModuleNotFoundError")


def test_checking_needs_no_ortools_at_all() -> None:
    out = run_fresh(TINY + (
        "out['ok'] = roomalloc.check(p, {'r1': 'B', 'r2': 'A'}).ok\n"
        "out['objective'] = roomalloc.evaluate(p, {'r1': 'B', 'r2': 'A'}).objective\n"
    ), blocked=("ortools",))
    assert out == {"ok": True, "objective": 2000, "loaded": []}


def test_a_bare_import_still_reaches_every_submodule() -> None:
    out = run_fresh("import roomalloc\n"
                    "out['context'] = roomalloc.solver.BuildContext.__name__\n"
                    "out['scenarios'] = roomalloc.scenarios.__name__\n"
                    "out['verifier'] = roomalloc.verify.verifier.check is roomalloc.check")
    assert out == {"context": "BuildContext", "scenarios": "roomalloc.scenarios",
                   "verifier": True, "loaded": ["ortools", "pandas"]}


def test_the_public_names_are_unchanged_and_explain_stays_the_function() -> None:
    assert set(roomalloc.__all__) <= set(dir(roomalloc))
    assert all(getattr(roomalloc, name) is not None for name in roomalloc.__all__)
    from roomalloc import solve  # a from-import reaches a lazy name
    assert solve is roomalloc.solve
    out = run_fresh("import inspect, roomalloc\n"
                    "from roomalloc.explanation import diagnose  # loads the submodule first\n"
                    "out['function'] = inspect.isfunction(roomalloc.explain)\n"
                    "out['diagnose'] = diagnose is roomalloc.diagnose")
    assert out["function"] is True and out["diagnose"] is True
    assert inspect.isfunction(roomalloc.explain)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        roomalloc.nothing_here  # type: ignore[attr-defined]  # noqa: B018


# -- no import cycles ---------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _load_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module loads: not in functions, not under `if TYPE_CHECKING:`."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _load_time_imports(node.body)
            yield from _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody,
                          *(handler.body for handler in node.handlers)):
                yield from _load_time_imports(block)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package under `root` -> the package's modules it imports at load time.

    Importing `a.b.c` also runs the `__init__` of `a.b` (and of `a`), so those count too,
    unless the importer lives inside that package (it has then been loaded already).
    """
    paths = {module_name(root, path): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _load_time_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in paths else base)
        edges: set[str] = set()
        for target in targets:
            parts = target.split(".")
            for depth in range(1, len(parts) + 1):
                ancestor = ".".join(parts[:depth])
                if depth == len(parts) or not (name == ancestor
                                               or name.startswith(ancestor + ".")):
                    edges.add(ancestor)
        graph[name] = {m for m in edges if m in paths and m != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_of_roomalloc_imports_itself_back_at_load_time() -> None:
    graph = import_graph(SRC)
    # the walk sees the tree
    assert "roomalloc.domain.model" in graph and graph["roomalloc"] == set()
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_names_a_cycle_through_a_package_init(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from pkg.sub.deep import thing\n")
    (pkg / "sub" / "deep.py").write_text("from pkg.other import helper\nthing = 1\n")
    (pkg / "other.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg.late import x\n"
        "def helper():\n    from pkg.late import x\n"
        "from . import sub\n")
    (pkg / "late.py").write_text("from pkg.other import helper\nx = 1\n")
    graph = import_graph(pkg)
    assert graph["pkg.other"] == {"pkg.sub"}  # neither TYPE_CHECKING nor in-function imports
    assert find_cycle(graph) == ["pkg.other", "pkg.sub", "pkg.sub.deep", "pkg.other"]
    (pkg / "other.py").write_text("def helper():\n    from . import sub\n")
    assert find_cycle(import_graph(pkg)) is None
