"""On tiny problems, enumerating every allocation finds the same optimum as the solver.

Feasibility of each enumerated allocation is decided by the independent verifier
(:func:`roomalloc.check`), its value by :func:`roomalloc.evaluate`; neither uses the solver.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings

import roomalloc
from roomalloc import Problem
from roomalloc.solver import build_model
from strategies import tiny_problems

#: Keeps each enumeration to a few hundred allocations so the whole file runs in seconds.
MAX_ALLOCATIONS = 1_300


def brute_force(problem: Problem) -> float | None:
    """The best objective over every valid allocation, or None when none is valid."""
    choices: list[str | None] = [None, *(k.id for k in problem.rooms)]
    ids = [r.id for r in problem.residents]
    best: float | None = None
    for rooms in itertools.product(choices, repeat=len(ids)):
        assignments = dict(zip(ids, rooms, strict=True))
        report = roomalloc.check(problem, assignments)
        if report.ok:
            value = roomalloc.evaluate(problem, assignments).objective
            best = value if best is None else max(best, value)
    return best


def agree(problem: Problem, **options: Any) -> roomalloc.Result:
    """Assert that ``solve`` (with ``options``) finds the brute-force optimum; its result."""
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=10, diagnose=False,
                             **options)
    best = brute_force(problem)
    if best is None:
        assert result.status == "infeasible"
        return result
    assert result.status == "optimal"
    assert result.objective is not None
    # Only fairness ratios are rounded (to 1e-4); all other weights in these problems are exact.
    slack = 2 * build_model(problem).tolerance + 1e-9
    assert abs(result.objective - best) <= slack, (result.objective, best)
    return result


@settings(max_examples=60)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS))
def test_solver_finds_the_brute_force_optimum(problem: Problem) -> None:
    agree(problem)


@settings(max_examples=40)
@given(
    tiny_problems(
        max_allocations=MAX_ALLOCATIONS,
        min_residents=3,
        required=False,
        locked=False,
        objective=[
            roomalloc.TermSpec(term="housed", weight=10),
            roomalloc.TermSpec(term="roommates", weight=3),
            roomalloc.TermSpec(term="rooms_used", weight=1),
            roomalloc.TermSpec(term="fairness", weight=5),
        ],
    )
)
def test_roommates_rooms_used_and_fairness_agree_with_brute_force(problem: Problem) -> None:
    agree(problem)
