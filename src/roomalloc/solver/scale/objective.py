"""The objective of an allocation from the terms with a weight only.

:func:`roomalloc.evaluate` computes every term, weighted or not; ``fairness`` among them reads,
for each housed resident, every room their preferences match (an O(residents x rooms) pass:
most of the start's time at 50,000 residents, and a peak of gigabytes). A term of weight 0
adds nothing to the objective, so the stages that only need the objective skip it; the
result is still checked by :func:`roomalloc.check` before it is returned.

Example
-------
>>> from roomalloc import Problem, Room, Resident, TermSpec
>>> p = Problem(rooms=[Room(id="A", capacity=1, cost=10)], residents=[Resident(id="a")],
...             objective=[TermSpec(term="housed", weight=100), TermSpec(term="cost", weight=1),
...                        TermSpec(term="fairness", weight=0)])
>>> weighted_objective(p, {"a": "A"})
90.0
"""

from __future__ import annotations

from collections.abc import Mapping

from roomalloc.domain.model import Problem
from roomalloc.terms import get_term


def weighted_objective(problem: Problem, assignments: Mapping[str, str | None]) -> float:
    """``evaluate(problem, assignments).objective``, its terms of weight 0 left uncomputed
    (their contributions, zeros, change no sum)."""
    contributions: dict[str, float] = {}
    for spec in problem.objective:
        if not spec.weight:
            continue
        term = get_term(spec.term)
        sign = 1.0 if term.sense == "maximize" else -1.0
        contributions[spec.term] = (contributions.get(spec.term, 0.0)
                                    + sign * spec.weight * float(term.value(problem, assignments)))
    return float(sum(contributions.values()))
