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

from roomalloc import plots, scenarios
from roomalloc.analysis.compare import Comparison, compare
from roomalloc.analysis.reallocate import Reallocation, reallocate
from roomalloc.analysis.scenarios import Scenario, load_scenarios
from roomalloc.analysis.sweep import sweep
from roomalloc.errors import ModelTooLargeError, PluginError, ProblemError, RoomallocError
from roomalloc.evaluation import Evaluation, evaluate
from roomalloc.explain import Diagnosis, Explanation, diagnose, explain, price
from roomalloc.io import load_problem, load_result, save_problem, save_result
from roomalloc.model import (
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
from roomalloc.rules import Rule
from roomalloc.solver import solve
from roomalloc.synthetic import cohort
from roomalloc.tables import read_tables
from roomalloc.terms import Term, register_term
from roomalloc.verifier import CheckReport, check
from roomalloc.violations import Violation

# `roomalloc.explain` is the function: the package binds it after the submodule of the same name
# has loaded (`from roomalloc.explain import ...` still reaches the module).

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
