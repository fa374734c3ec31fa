"""roomalloc: allocate rooms to people with OR-Tools CP-SAT, verify every hard rule, explain why.

The public API speaks housing: :class:`Problem`, :class:`Room`, :class:`Resident` and friends
describe what the user says (``shared/spec/problem-format.md``, format ``roomalloc/1``);
:func:`solve` finds the best allocation, :func:`check` verifies one independently,
:func:`evaluate` scores one, :func:`explain` and :func:`diagnose` say why.

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

from roomalloc.errors import ModelTooLargeError, PluginError, ProblemError, RoomallocError
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
from roomalloc.violations import Violation

__version__ = "0.1.0"

# Heavier parts (CP-SAT, numpy) load on first use, so `roomalloc validate` stays quick.
_LAZY: dict[str, str] = {
    "load_problem": "roomalloc.io",
    "save_problem": "roomalloc.io",
    "load_result": "roomalloc.io",
    "save_result": "roomalloc.io",
    "evaluate": "roomalloc.evaluation",
    "Evaluation": "roomalloc.evaluation",
    "check": "roomalloc.verifier",
    "CheckReport": "roomalloc.verifier",
    "Term": "roomalloc.terms",
    "register_term": "roomalloc.terms",
    "Rule": "roomalloc.rules",
    "solve": "roomalloc.solver",
    "cohort": "roomalloc.synthetic",
}

if TYPE_CHECKING:
    from roomalloc.evaluation import Evaluation, evaluate
    from roomalloc.io import load_problem, load_result, save_problem, save_result
    from roomalloc.rules import Rule
    from roomalloc.solver import solve
    from roomalloc.synthetic import cohort
    from roomalloc.terms import Term, register_term
    from roomalloc.verifier import CheckReport, check


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'roomalloc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "FORMAT",
    "CheckReport",
    "Evaluation",
    "Interval",
    "ModelTooLargeError",
    "PluginError",
    "Preference",
    "Problem",
    "ProblemError",
    "Resident",
    "Result",
    "Room",
    "RoomallocError",
    "Roommates",
    "Rule",
    "Rules",
    "Term",
    "TermSpec",
    "Violation",
    "check",
    "cohort",
    "evaluate",
    "load_problem",
    "load_result",
    "register_term",
    "save_problem",
    "save_result",
    "solve",
]
