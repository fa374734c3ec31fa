"""Property tests: every allocation the solver returns is valid and honestly scored."""

from __future__ import annotations

from hypothesis import given, settings

import roomalloc
from roomalloc import Problem
from roomalloc.solver import build_model
from strategies import problems


def _solve(problem: Problem) -> roomalloc.Result:
    return roomalloc.solve(problem, workers=1, seed=0, time_limit=10, diagnose=False)


@settings(max_examples=80)
@given(problems(max_rooms=4, max_residents=7))
def test_every_returned_allocation_passes_the_independent_check(problem: Problem) -> None:
    result = _solve(problem)
    assert result.status in ("optimal", "infeasible")
    if result.status == "infeasible":
        assert result.assignments == {}
        return
    assert set(result.assignments) == {r.id for r in problem.residents}
    report = roomalloc.check(problem, result)
    assert report.ok, [str(v) for v in report.violations]
    ev = roomalloc.evaluate(problem, result.assignments)
    assert result.objective == ev.objective
    assert result.terms == ev.terms
    assert result.bound is not None and result.bound >= result.objective - 1e-9


@settings(max_examples=40)
@given(problems(max_rooms=3, max_residents=6))
def test_solver_objective_matches_evaluate_within_the_scaling_tolerance(problem: Problem) -> None:
    from ortools.sat.python import cp_model

    built = build_model(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(built.model)
    if status != cp_model.OPTIMAL:
        assert status == cp_model.INFEASIBLE
        return
    assignments = built.assignments(solver.boolean_value)
    ev = roomalloc.evaluate(problem, assignments)
    own = 0.0 if built.objective is None else built.objective.to_objective(solver.objective_value)
    if built.objective is None:
        own = ev.objective
    assert abs(own - ev.objective) <= built.tolerance + 1e-6
