"""roomalloc: allocate rooms to people with OR-Tools CP-SAT, verify every hard rule, explain why.

The public API speaks housing: :class:`Problem`, :class:`Room`, :class:`Resident` and friends
describe what the user says (format ``roomalloc/1``, ``docs/format.md``);
:func:`solve` finds the best allocation, :func:`check` verifies one independently,
:func:`evaluate` scores one, :func:`explain` and :func:`diagnose` say why, and
:func:`cohort` makes realistic synthetic problems; :func:`read_tables` reads a problem from
a rooms and a residents spreadsheet (CSV, Excel or DataFrames). What-if analysis
(``docs/whatif.md``): :class:`Scenario` and the edits of :mod:`roomalloc.scenarios`,
:func:`compare`, :func:`reallocate` and :func:`sweep`.

Example
-------
>>> import roomalloc
>>> p = roomalloc.Problem(rooms=[roomalloc.Room(id="A-1", capacity=1)],
...                       residents=[roomalloc.Resident(id="r1")])
>>> roomalloc.check(p, {"r1": "A-1"}).ok
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time each name loads on first use
    from roomalloc import plots, scenarios
    from roomalloc.analysis.compare import Comparison, compare
    from roomalloc.analysis.reallocate import Reallocation, reallocate
    from roomalloc.analysis.scenarios import Scenario, load_scenarios
    from roomalloc.analysis.sweep import sweep
    from roomalloc.domain.errors import (
        ModelTooLargeError,
        PluginError,
        ProblemError,
        RoomallocError,
    )
    from roomalloc.domain.io import load_problem, load_result, save_problem, save_result
    from roomalloc.domain.model import (
        FORMAT,
        Interval,
        Preference,
        Problem,
        Resident,
        Result,
        Room,
        Roommates,
        Rules,
        TermSpec,
    )
    from roomalloc.explanation import Diagnosis, Explanation, diagnose, explain, price
    from roomalloc.rules import Rule
    from roomalloc.solver import solve
    from roomalloc.synthetic import cohort
    from roomalloc.tables import read_tables
    from roomalloc.terms import Term, register_term
    from roomalloc.verify.evaluation import Evaluation, evaluate
    from roomalloc.verify.verifier import CheckReport, check
    from roomalloc.verify.violations import Violation

# Where each public name lives. `import roomalloc` loads none of them (PEP 562): checking,
# scoring and validating never pay for CP-SAT (and the pandas it pulls in) or matplotlib.
_HOMES: dict[str, tuple[str, ...]] = {
    "roomalloc.analysis.compare": ("Comparison", "compare"),
    "roomalloc.analysis.reallocate": ("Reallocation", "reallocate"),
    "roomalloc.analysis.scenarios": ("Scenario", "load_scenarios"),
    "roomalloc.analysis.sweep": ("sweep",),
    "roomalloc.domain.errors": ("ModelTooLargeError", "PluginError", "ProblemError",
                                "RoomallocError"),
    "roomalloc.verify.evaluation": ("Evaluation", "evaluate"),
    # The explanation's own modules: each public name loads only the module it lives in.
    "roomalloc.explanation.diagnose": ("Diagnosis", "diagnose"),
    "roomalloc.explanation.price": ("price",),
    "roomalloc.explanation.report": ("Explanation", "explain"),
    "roomalloc.domain.io": ("load_problem", "load_result", "save_problem", "save_result"),
    "roomalloc.domain.model": ("FORMAT", "Interval", "Preference", "Problem", "Resident", "Result",
                        "Room", "Roommates", "Rules", "TermSpec"),
    "roomalloc.rules": ("Rule",),
    "roomalloc.solver": ("solve",),
    "roomalloc.synthetic": ("cohort",),
    "roomalloc.tables": ("read_tables",),
    "roomalloc.terms": ("Term", "register_term"),
    "roomalloc.verify.verifier": ("CheckReport", "check"),
    "roomalloc.verify.violations": ("Violation",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

if not TYPE_CHECKING:  # hidden from type checkers, so a misspelt name stays an error there

    def __getattr__(name: str) -> Any:
        if name in _HOME_OF:
            value = getattr(importlib.import_module(_HOME_OF[name]), name)
            globals()[name] = value  # later look-ups are plain attribute reads
            return value
        # A submodule (`plots`, `scenarios`, or any other: `roomalloc.solver.BuildContext`
        # after a bare `import roomalloc` worked when the package loaded everything).
        if not name.startswith("__"):  # tools probe dunders (`__wrapped__`): no such module
            try:
                return importlib.import_module(f"roomalloc.{name}")
            except ModuleNotFoundError as err:
                if err.name != f"roomalloc.{name}":
                    raise
        raise AttributeError(f"module 'roomalloc' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names too, though they load only on first use."""
    return sorted(set(globals()) | set(__all__))


__version__ = "0.1.0"

__all__ = [
    "FORMAT",
    "CheckReport",
    "Comparison",
    "Diagnosis",
    "Evaluation",
    "Explanation",
    "Interval",
    "ModelTooLargeError",
    "PluginError",
    "Preference",
    "Problem",
    "ProblemError",
    "Reallocation",
    "Resident",
    "Result",
    "Room",
    "RoomallocError",
    "Roommates",
    "Rule",
    "Rules",
    "Scenario",
    "Term",
    "TermSpec",
    "Violation",
    "check",
    "cohort",
    "compare",
    "diagnose",
    "evaluate",
    "explain",
    "load_problem",
    "load_result",
    "load_scenarios",
    "plots",
    "price",
    "read_tables",
    "reallocate",
    "register_term",
    "save_problem",
    "save_result",
    "scenarios",
    "solve",
    "sweep",
]
