"""The objective of an allocation and the change a what-if makes, term by term.

Values come from the terms' own ``value`` functions (the same ones :func:`roomalloc.evaluate`
uses); ``best(r)`` for fairness is computed once per problem and reused across what-ifs.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, building="N")],
...             residents=[Resident(id="r1", preferences=(Preference(building="N", weight=3),))])
>>> obj = ObjectiveMeter(p)
>>> base = obj.contributions({"r1": "A"})
>>> delta = obj.change(base, {"r1": "B"})
>>> delta
{'housed': 0.0, 'preferences': 3.0, 'roommates': 0.0}
>>> main_loss(delta) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from roomalloc.evaluation import best_scores, fairness_value
from roomalloc.model import Problem
from roomalloc.terms import get_term

from .words import number

Assignments = Mapping[str, "str | None"]


class ObjectiveMeter:
    """Weighted term contributions of allocations of one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem

    @cached_property
    def best(self) -> dict[str, float]:
        """``best(r)`` of every resident (for fairness), computed once."""
        return best_scores(self.problem)

    def values(self, assignments: Assignments) -> dict[str, float]:
        """Raw value of every objective term."""
        out: dict[str, float] = {}
        for spec in self.problem.objective:
            if spec.term in out:
                continue
            if spec.term == "fairness":
                out[spec.term] = fairness_value(self.problem, assignments, self.best)
            else:
                out[spec.term] = float(get_term(spec.term).value(self.problem, assignments))
        return out

    def contributions(self, assignments: Assignments) -> dict[str, float]:
        """Signed weighted contribution of every objective term (they sum to the objective)."""
        values = self.values(assignments)
        out: dict[str, float] = {}
        for spec in self.problem.objective:
            sign = 1.0 if get_term(spec.term).sense == "maximize" else -1.0
            out[spec.term] = out.get(spec.term, 0.0) + sign * spec.weight * values[spec.term]
        return out

    def change(self, base: Mapping[str, float], assignments: Assignments) -> dict[str, float]:
        """Per-term change of the weighted contributions from ``base`` to ``assignments``."""
        after = self.contributions(assignments)
        return {t: after[t] - base.get(t, 0.0) for t in after}


def main_loss(changes: Mapping[str, float]) -> str | None:
    """The term with the largest weighted loss, or None when no term loses."""
    losing = [(v, t) for t, v in changes.items() if v < -1e-9]
    if not losing:
        return None
    return min(losing)[1]


def change_words(changes: Mapping[str, float]) -> str:
    """``roommates -4, preferences +2`` for the terms that change, biggest first."""
    moved = sorted(
        ((t, v) for t, v in changes.items() if abs(v) > 1e-9), key=lambda tv: -abs(tv[1])
    )
    if not moved:
        return "no term changes"
    return ", ".join(f"{t} {'+' if v > 0 else '-'}{number(abs(v))}" for t, v in moved)
