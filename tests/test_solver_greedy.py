"""The greedy starting allocation breaks no sharing or static rule; only required/locked may miss.

``solve`` returns it as ``feasible`` when the search finds nothing in time and the verifier
passes it, so it must be right on its own.
"""

from __future__ import annotations

from hypothesis import given

from roomalloc import Problem, check
from roomalloc.solver.greedy import greedy_allocation
from strategies import problems


@given(problems(max_rooms=4, max_residents=7))
def test_greedy_keeps_every_rule_but_perhaps_required_and_locked(problem: Problem) -> None:
    allocation = greedy_allocation(problem)
    assert set(allocation) == {r.id for r in problem.residents}
    rules = {v.rule for v in check(problem, allocation).violations}
    assert rules <= {"required", "locked"}

