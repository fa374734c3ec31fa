"""What drives the objective: each term's raw value, weight, contribution and share; bound, gap.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Result
>>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
>>> b = breakdown(p, Result(status="optimal", assignments={"r1": "A"}, bound=1000.0))
>>> [(t.term, t.contribution, t.share) for t in b.terms]
[('housed', 1000.0, 1.0), ('preferences', 0.0, 0.0), ('roommates', 0.0, 0.0)]
>>> b.gap
0.0
"""

from __future__ import annotations

from roomalloc.domain.model import Problem, Result
from roomalloc.terms import get_term

from .objective import ObjectiveMeter
from .types import Breakdown, TermShare


def breakdown(problem: Problem, result: Result, meter: ObjectiveMeter | None = None) -> Breakdown:
    """The term breakdown of ``result``, recomputed from its allocation (never copied).

    ``meter`` may pass an :class:`ObjectiveMeter` of the same allocation already built.
    """
    if meter is None:
        meter = ObjectiveMeter(problem, result.assignments)
    weights: dict[str, float] = {}
    for spec in problem.objective:
        weights[spec.term] = weights.get(spec.term, 0.0) + spec.weight
    contributions = meter.contributions()
    objective = float(sum(contributions.values()))
    magnitude = sum(abs(c) for c in contributions.values())
    terms = tuple(
        TermShare(
            term=name,
            sense=get_term(name).sense,
            weight=weight,
            value=meter.values[name],
            contribution=contributions[name],
            share=abs(contributions[name]) / magnitude if magnitude > 0 else 0.0,
        )
        for name, weight in weights.items()
    )
    gap = rel = None
    if result.bound is not None:
        gap = max(0.0, result.bound - objective)
        rel = gap / max(1.0, abs(result.bound))
    return Breakdown(
        status=result.status,
        objective=objective,
        terms=terms,
        bound=result.bound,
        gap=gap,
        relative_gap=rel,
    )
