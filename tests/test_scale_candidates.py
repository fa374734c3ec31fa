"""Sparse candidates: a subset of what the static rules allow, the best room and every kind kept."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from roomalloc import Problem
from roomalloc.solver.candidates import candidate_matrix
from roomalloc.solver.scale.arrays import ProblemArrays, Weights
from roomalloc.solver.scale.candidates import (
    PER_KIND,
    TOP_ROOMS,
    group_candidates,
    sparse_candidates,
)
from roomalloc.synthetic import cohort
from strategies import problems


def dense_values(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """The dense allowed matrix and each pair's value (preferences, cost, moves)."""
    dense = candidate_matrix(problem)
    w = Weights.of(problem)
    cost = np.array([k.cost for k in problem.rooms])
    value = w.preferences * dense.scores - w.cost * cost[None, :]
    rooms = {k.id: j for j, k in enumerate(problem.rooms)}
    for i, r in enumerate(problem.residents):
        if r.current_room in rooms:
            value[i, rooms[r.current_room]] += w.moves
    return dense.allowed, value


@settings(max_examples=80, deadline=None)
@given(problems(max_rooms=30, max_residents=8))
def test_candidates_are_allowed_with_their_values_and_keep_the_best(problem: Problem) -> None:
    allowed, value = dense_values(problem)
    c = sparse_candidates(ProblemArrays.of(problem), top=3)
    kinds = [(k.capacity, k.gender) for k in problem.rooms]
    for i in range(len(problem.residents)):
        rooms = c.rooms_of(i)
        assert allowed[i, rooms].all()
        assert len(set(rooms.tolist())) == rooms.size
        np.testing.assert_allclose(c.values_of(i), value[i, rooms])
        ok = np.flatnonzero(allowed[i])
        if ok.size == 0:
            assert rooms.size == 0
            continue
        assert c.values_of(i)[0] == value[i, ok].max()  # the best value is kept, first
        for kind in {kinds[j] for j in ok}:  # every kind of room still allowed is offered
            assert any(kinds[j] == kind for j in rooms.tolist())


@settings(max_examples=60, deadline=None)
@given(problems(max_rooms=12, max_residents=6))
def test_class_arcs_hold_the_best_allowed_value_of_each_class(problem: Problem) -> None:
    allowed, value = dense_values(problem)
    c = sparse_candidates(ProblemArrays.of(problem))
    of_room = c.classes.of_room
    for i in range(len(problem.residents)):
        arcs = c.arc_class[c.arc_ptr[i]:c.arc_ptr[i + 1]].tolist()
        values = c.arc_value[c.arc_ptr[i]:c.arc_ptr[i + 1]]
        expected = {int(of_room[j]) for j in np.flatnonzero(allowed[i])}
        assert set(arcs) == expected
        for cls, v in zip(arcs, values.tolist(), strict=True):
            members = (of_room == cls) & allowed[i]
            assert v == value[i, members].max()


def test_a_locked_resident_is_offered_only_their_room() -> None:
    problem = cohort(residents=300, seed=3, preset="reallocation")
    c = sparse_candidates(ProblemArrays.of(problem))
    rooms = {k.id: j for j, k in enumerate(problem.rooms)}
    locked = [i for i, r in enumerate(problem.residents) if r.locked]
    assert locked
    for i in locked:
        assert c.rooms_of(i).tolist() == [rooms[problem.residents[i].current_room]]


def test_candidates_grow_with_residents_not_rooms() -> None:
    problem = cohort(residents=1500, seed=1)
    arrays = ProblemArrays.of(problem)
    c = sparse_candidates(arrays)
    kinds = len({(k.capacity, k.gender) for k in problem.rooms})
    per_resident = np.diff(c.indptr)
    assert per_resident.max() <= TOP_ROOMS + PER_KIND * kinds + 1
    assert c.pair_count < 0.1 * len(problem.residents) * len(problem.rooms)


def test_group_rooms_are_allowed_for_every_member() -> None:
    problem = cohort(residents=400, seed=2, preset="staff_housing")
    arrays = ProblemArrays.of(problem)
    allowed, _ = dense_values(problem)
    groups = group_candidates(arrays)
    assert groups.rooms
    for g, members in arrays.groups.items():
        rooms = groups.rooms[g]
        assert allowed[np.ix_(members, rooms)].all()
        common = np.flatnonzero(allowed[members].all(axis=0))
        assert (rooms.size > 0) == (common.size > 0)
