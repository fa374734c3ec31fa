"""The objective from weighted terms only (what the scale path adopts by) is evaluate's."""

from __future__ import annotations

from hypothesis import given, settings

from roomalloc import Problem, evaluate
from roomalloc.verify.evaluation import weighted_objective
from strategies import Assignments, problem_with_allocation


@settings(max_examples=150, deadline=None)
@given(problem_with_allocation())
def test_weighted_objective_is_evaluates(case: tuple[Problem, Assignments]) -> None:
    problem, assignments = case
    assert weighted_objective(problem, assignments) == evaluate(problem, assignments).objective
