"""The scan's rows are the dense static-rule and value matrices, columns in its order."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from roomalloc import Problem
from roomalloc.solver.candidates import allowed_matrix
from roomalloc.solver.scale import scan as scan_module
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import room_classes
from roomalloc.solver.scale.scan import RoomScan, rule_codes
from roomalloc.synthetic import cohort
from strategies import problems
from test_scale_candidates import dense_values


@settings(max_examples=80, deadline=None)
@given(problems(max_rooms=12, max_residents=8))
def test_rows_are_the_dense_rows_in_column_order(problem: Problem) -> None:
    allowed, value = dense_values(problem)
    arrays = ProblemArrays.of(problem)
    classes = room_classes(problem, exact=True, max_classes=100).of_room
    scan = RoomScan(arrays, classes)
    people = np.arange(len(problem.residents))[::-1]
    got_allowed, got_value = scan.rows(people)
    assert (got_allowed == allowed[people][:, scan.order]).all()
    assert (got_value == value[people][:, scan.order]).all()  # the same sums, exactly
    assert (scan.order[scan.column] == np.arange(len(problem.rooms))).all()
    # Each kind of room (capacity, gender designation) and each class is one slice.
    kinds = list(zip(arrays.capacity[scan.order].tolist(),
                     arrays.room_gender[scan.order].tolist(), classes[scan.order].tolist(),
                     strict=True))
    assert kinds == sorted(kinds)
    capacity = np.array([k.capacity for k in problem.rooms])
    assert (scan.beds(people) == allowed[people] @ capacity).all()


@settings(max_examples=40, deadline=None)
@given(problems(max_rooms=8, max_residents=8))
def test_rows_made_per_block_when_too_many_to_keep(problem: Problem) -> None:
    allowed, _ = dense_values(problem)
    kept = scan_module.RULE_ROW_CELLS
    scan_module.RULE_ROW_CELLS = 0
    try:
        scan = RoomScan(ProblemArrays.of(problem))
    finally:
        scan_module.RULE_ROW_CELLS = kept
    people = np.arange(len(problem.residents))
    assert (scan.allowed(people) == allowed[:, scan.order]).all()


def test_residents_of_one_code_have_one_static_row() -> None:
    problem = cohort(residents=600, seed=4, preset="staff_housing")
    codes, first = rule_codes(problem)
    assert first.size < len(problem.residents)
    allowed = allowed_matrix(problem)
    assert (allowed == allowed[first[codes]]).all()
    assert (codes[first] == np.arange(first.size)).all()
