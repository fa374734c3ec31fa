"""The assignment relaxation's bound is never below the optimum; pure assignment is exact."""

from __future__ import annotations

from hypothesis import assume, given, settings

import roomalloc
from roomalloc import Problem, Resident, Room, TermSpec
from roomalloc.solver.scale import accepts, solve_at_scale
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.bound import is_pure_assignment, relaxation
from roomalloc.solver.scale.candidates import sparse_candidates
from roomalloc.synthetic import cohort
from strategies import tiny_problems
from test_bruteforce import brute_force

MAX_ALLOCATIONS = 1_300

#: Every splittable term, with weights that make each one matter.
OBJECTIVE = (TermSpec(term="housed", weight=10), TermSpec(term="preferences", weight=1),
             TermSpec(term="roommates", weight=3), TermSpec(term="cost", weight=0.01),
             TermSpec(term="rooms_used", weight=1), TermSpec(term="moves", weight=2))


@settings(max_examples=120, deadline=None)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS))
def test_bound_is_never_below_the_brute_force_optimum(problem: Problem) -> None:
    assume(accepts(problem))
    best = brute_force(problem)
    assume(best is not None)
    for exact in (False, True):
        arrays = ProblemArrays.of(problem)
        relaxed = relaxation(arrays, sparse_candidates(arrays, exact_classes=exact))
        assert relaxed is not None
        assert relaxed.bound >= best - 1e-9, (relaxed.bound, best)


@settings(max_examples=80, deadline=None)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, objective=OBJECTIVE))
def test_bound_holds_with_every_splittable_term(problem: Problem) -> None:
    best = brute_force(problem)
    assume(best is not None)
    arrays = ProblemArrays.of(problem)
    relaxed = relaxation(arrays, sparse_candidates(arrays))
    assert relaxed is not None and relaxed.bound >= best - 1e-9


@settings(max_examples=80, deadline=None)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, stays=False, groups=False,
                     private=False, avoid=False, roommates=False, gender=False))
def test_pure_assignment_is_solved_to_the_brute_force_optimum(problem: Problem) -> None:
    assume(accepts(problem))
    result = solve_at_scale(problem, time_limit=5, workers=1)
    best = brute_force(problem)
    if result.status == "optimal":
        assert best is not None and abs(result.objective - best) <= 1e-6
    if is_pure_assignment(ProblemArrays.of(problem)) and best is not None:
        assert result.status == "optimal"
        assert roomalloc.check(problem, result.assignments).ok


def test_pure_assignment_cohort_is_proven_optimal_and_matches_cp_sat() -> None:
    base = cohort(residents=120, seed=5, preset="staff_housing")
    problem = base.model_copy(update={
        "residents": tuple(r.model_copy(update={
            "stay": None, "group": None, "private": False, "required": False, "locked": False,
            "roommates": roomalloc.Roommates()}) for r in base.residents),
    })
    assert is_pure_assignment(ProblemArrays.of(problem))
    fast = solve_at_scale(problem, time_limit=30, workers=1)
    exact = roomalloc.solve(problem, time_limit=60, workers=1)
    assert fast.status == "optimal" and exact.status == "optimal"
    assert abs(fast.objective - exact.objective) <= 1e-6
    assert roomalloc.check(problem, fast.assignments).ok


def test_locked_residents_keep_their_room_in_the_exact_path() -> None:
    # Found by hypothesis: min-cost flow put a free resident in the double room that two
    # locked residents must share, and the path returned `unknown`.
    problem = Problem(
        rooms=[Room(id="A-0", capacity=2)],
        residents=[Resident(id="r0"),
                   Resident(id="r2", required=True, current_room="A-0", locked=True),
                   Resident(id="r4", current_room="A-0", locked=True)],
    )
    result = solve_at_scale(problem, time_limit=5, workers=1)
    assert result.status == "optimal"
    assert result.assignments == {"r0": None, "r2": "A-0", "r4": "A-0"}
    assert roomalloc.check(problem, result.assignments).ok
