"""Neighbourhoods: the sub-problem's objective change is the global one; steps keep the rules."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import roomalloc
from roomalloc import Problem, TermSpec
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import group_candidates, sparse_candidates
from roomalloc.solver.scale.improve import NeighbourhoodSearch
from roomalloc.solver.scale.neighbourhood import KINDS, Neighbourhoods
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.start import greedy_start
from roomalloc.solver.scale.subproblem import sub_problem
from roomalloc.synthetic import cohort
from strategies import allocations, problems

SPLITTABLE = (TermSpec(term="housed", weight=10), TermSpec(term="preferences", weight=1),
              TermSpec(term="roommates", weight=3), TermSpec(term="cost", weight=0.5),
              TermSpec(term="rooms_used", weight=2), TermSpec(term="moves", weight=4))


@st.composite
def reallocated(draw: st.DrawFn) -> tuple[Problem, dict[str, str | None], dict[str, str | None],
                                          list[int], list[int]]:
    """A problem, an allocation, freed rooms with their residents (and some unhoused), and a
    second allocation that moves only the freed residents, among the freed rooms."""
    problem = draw(problems(max_rooms=5, max_residents=8, objective=SPLITTABLE))
    before = draw(allocations(problem))
    index = {k.id: j for j, k in enumerate(problem.rooms)}
    rooms = sorted(draw(st.sets(st.sampled_from(range(len(problem.rooms))), min_size=1)))
    freed = [i for i, r in enumerate(problem.residents)
             if before[r.id] is not None and index[before[r.id]] in rooms]
    freed += [i for i, r in enumerate(problem.residents)
              if before[r.id] is None and draw(st.booleans())]
    after = dict(before)
    choices = [None, *(problem.rooms[k].id for k in rooms)]
    for i in freed:
        after[problem.residents[i].id] = draw(st.sampled_from(choices))
    return problem, before, after, rooms, sorted(freed)


@settings(max_examples=200, deadline=None)
@given(reallocated())
def test_the_sub_problem_moves_the_objective_as_the_whole_problem(case: tuple) -> None:
    problem, before, after, rooms, freed = case
    sub = sub_problem(problem, rooms, freed)
    ids = [problem.residents[i].id for i in freed]
    local_before = {r: before[r] for r in ids}
    local_after = {r: after[r] for r in ids}
    whole = (roomalloc.evaluate(problem, after).objective
             - roomalloc.evaluate(problem, before).objective)
    part = (roomalloc.evaluate(sub, local_after).objective
            - roomalloc.evaluate(sub, local_before).objective)
    assert abs(whole - part) <= 1e-9 * max(1.0, abs(whole))


def test_steps_keep_every_rule_and_the_gain_is_exact() -> None:
    problem = cohort(residents=300, seed=4, preset="staff_housing")
    arrays = ProblemArrays.of(problem)
    cands = sparse_candidates(arrays)
    occ = greedy_start(arrays, cands, group_candidates(arrays)).occupancy
    first = roomalloc.evaluate(problem, occ.assignments()).objective
    search = NeighbourhoodSearch(arrays, cands, seed=1, workers=1)
    rng = np.random.default_rng(0)
    for n in range(24):
        freed = search.hoods.pick(KINDS[n % len(KINDS)], occ, rng)
        if freed is not None:
            search.step(occ, freed, time_limit=2.0)
    assert search.kept > 0
    assignments = occ.assignments()
    assert roomalloc.check(problem, assignments).ok
    now = roomalloc.evaluate(problem, assignments).objective
    assert abs(now - first - search.gain) <= 1e-6 * abs(now)
    assert now > first


def test_a_freed_neighbourhood_takes_whole_rooms_and_whole_groups() -> None:
    problem = cohort(residents=300, seed=6, preset="staff_housing")
    arrays = ProblemArrays.of(problem)
    cands = sparse_candidates(arrays)
    occ = greedy_start(arrays, cands, group_candidates(arrays)).occupancy
    hoods = Neighbourhoods(arrays, cands)
    rng = np.random.default_rng(3)
    for kind in KINDS * 5:
        freed = hoods.pick(kind, occ, rng)
        if freed is None:
            continue
        inside = set(freed.residents)
        for k in freed.rooms:
            assert set(occ.occupants[k]) <= inside
        for i in freed.residents:
            assert occ.room_of[i] < 0 or occ.room_of[i] in freed.rooms
            if arrays.group[i] >= 0:
                assert set(arrays.groups[int(arrays.group[i])]) <= inside


def test_an_occupancy_round_trips_through_ids() -> None:
    problem = cohort(residents=50, seed=1)
    arrays = ProblemArrays.of(problem)
    occ = greedy_start(arrays, sparse_candidates(arrays), group_candidates(arrays)).occupancy
    again = Occupancy.from_assignments(arrays, occ.assignments())
    assert again.assignments() == occ.assignments()


def test_a_stays_window_frees_only_overlapping_residents_and_steps_keep_the_rules() -> None:
    problem = cohort(residents=300, seed=5, preset="hostel")
    arrays = ProblemArrays.of(problem)
    cands = sparse_candidates(arrays)
    occ = greedy_start(arrays, cands, group_candidates(arrays)).occupancy
    first = roomalloc.evaluate(problem, occ.assignments()).objective
    search = NeighbourhoodSearch(arrays, cands, seed=2, workers=1)
    assert "stays" in search.hoods.kinds
    plain = ProblemArrays.of(cohort(residents=50, seed=1))
    assert "stays" not in Neighbourhoods(plain, sparse_candidates(plain)).kinds
    rng = np.random.default_rng(1)
    picked = 0
    for _ in range(30):
        freed = search.hoods.pick("stays", occ, rng)
        if freed is None:
            continue
        picked += 1
        fixed = set(freed.fixed)
        moving = [i for i in freed.residents if i not in fixed]
        assert all(occ.room_of[i] in freed.rooms for i in fixed)
        assert all(occ.room_of[i] < 0 or occ.room_of[i] in freed.rooms for i in moving)
        # Residents of the freed rooms not freed keep their place (some always exist here).
        assert any(set(occ.occupants[k]) - set(moving) for k in freed.rooms)
        search.step(occ, freed, time_limit=1.0)
    assert picked > 0 and search.kept > 0
    assignments = occ.assignments()
    assert roomalloc.check(problem, assignments).ok
    now = roomalloc.evaluate(problem, assignments).objective
    assert abs(now - first - search.gain) <= 1e-6 * abs(now)


def test_the_stays_window_frees_exactly_the_stays_meeting_its_nights() -> None:
    from roomalloc.solver.scale.neighbourhood import WINDOW_NIGHTS
    problem = cohort(residents=300, seed=5, preset="hostel")
    arrays = ProblemArrays.of(problem)
    cands = sparse_candidates(arrays)
    occ = greedy_start(arrays, cands, group_candidates(arrays)).occupancy
    hoods = Neighbourhoods(arrays, cands)
    night = int(np.median(arrays.starts))
    freed = hoods.window(occ, np.random.default_rng(0), first=night)
    assert freed is not None
    fixed = set(freed.fixed)
    meets = {i for i in range(arrays.residents)
             if arrays.starts[i] < night + WINDOW_NIGHTS and night < arrays.ends[i]}
    moving = set(freed.residents) - fixed
    assert moving <= meets
    assert not fixed & meets
    for k in freed.rooms:  # every overlapping resident of a chosen room is freed
        assert {i for i in occ.occupants[k] if i in meets} <= moving
