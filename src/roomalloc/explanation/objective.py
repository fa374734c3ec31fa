"""The objective of an allocation and the change a what-if makes, term by term.

A what-if here moves one or two residents, so :meth:`ObjectiveMeter.change` asks each term for
its change with :meth:`Term.local_change <roomalloc.terms.Term.local_change>`, computed from
the movers and their rooms alone (the built-ins all have one); a term without one ("not local")
is recomputed in full with its own ``value``. ``tests/test_explain_objective.py`` holds the
local changes to the full recomputation.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, building="N")],
...             residents=[Resident(id="r1", preferences=(Preference(building="N", weight=3),))])
>>> obj = ObjectiveMeter(p, {"r1": "A"})
>>> obj.change({"r1": "B"})
{'housed': 0.0, 'preferences': 3.0, 'roommates': 0.0}
>>> main_loss(obj.change({"r1": None}))
'housed'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from roomalloc.domain.model import Problem
from roomalloc.terms import LocalChange, get_term

Assignments = Mapping[str, "str | None"]


class ObjectiveMeter:
    """Weighted term contributions of one allocation, and their change under small moves."""

    def __init__(self, problem: Problem, assignments: Assignments) -> None:
        self.problem = problem
        self.assignments = dict(assignments)
        self.weights: dict[str, float] = {}
        for spec in problem.objective:
            sign = 1.0 if get_term(spec.term).sense == "maximize" else -1.0
            self.weights[spec.term] = self.weights.get(spec.term, 0.0) + sign * spec.weight
        # Who wants whom (both directions), for the what-ifs' words about roommates.
        self.wanted_by: dict[str, set[str]] = defaultdict(set)
        for r in problem.residents:
            for s in r.roommates.want:
                self.wanted_by[s].add(r.id)
        self._local: dict[str, LocalChange | None] = {
            t: get_term(t).local_change(problem, self.assignments) for t in self.weights
        }
        self.values = self._full_values(self.assignments, self.weights)

    def _full_values(self, assignments: Assignments, terms: Iterable[str]) -> dict[str, float]:
        return {t: float(get_term(t).value(self.problem, assignments)) for t in terms}

    def contributions(self) -> dict[str, float]:
        """Signed weighted contribution of every objective term (they sum to the objective)."""
        return {t: w * self.values[t] for t, w in self.weights.items()}

    def change(self, moves: Mapping[str, str | None]) -> dict[str, float]:
        """Per-term weighted change when the residents in ``moves`` go to the rooms given."""
        changed = {rid: room for rid, room in moves.items() if self.assignments.get(rid) != room}
        raw: dict[str, float] = {}
        full = [t for t, local in self._local.items() if local is None]
        if changed:
            for t, local in self._local.items():
                if local is not None:
                    raw[t] = local(changed)
        if full and changed:
            after = dict(self.assignments)
            after.update(changed)
            for t, value in self._full_values(after, full).items():
                raw[t] = value - self.values[t]
        return {t: w * raw.get(t, 0.0) for t, w in self.weights.items()}


def main_loss(changes: Mapping[str, float]) -> str | None:
    """The term with the largest weighted loss, or None when no term loses."""
    losing = [(v, t) for t, v in changes.items() if v < -1e-9]
    if not losing:
        return None
    return min(losing)[1]
