"""The scalable path's first allocation keeps every hard rule it claims to keep."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

import roomalloc
from roomalloc import Problem
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import group_candidates, sparse_candidates
from roomalloc.solver.scale.start import greedy_start
from roomalloc.synthetic import PRESETS, cohort
from strategies import problems


def start_of(problem: Problem) -> tuple[dict[str, str | None], list[str]]:
    arrays = ProblemArrays.of(problem)
    out = greedy_start(arrays, sparse_candidates(arrays), group_candidates(arrays))
    return out.occupancy.assignments(), [problem.residents[i].id for i in out.missing_required]


@settings(max_examples=150, deadline=None)
@given(problems(max_rooms=6, max_residents=10))
def test_the_start_breaks_nothing_but_whom_it_names(problem: Problem) -> None:
    assignments, missing = start_of(problem)
    assert set(assignments) == {r.id for r in problem.residents}
    report = roomalloc.check(problem, assignments)
    if not missing:
        assert report.ok, report.to_text()
        return
    # Only the residents it names (required or locked ones left out, or their groups).
    named = set(missing)
    for rule, violations in report.by_rule().items():
        assert rule in {"required", "locked", "group"}, report.to_text()
        for v in violations:
            assert named & set(v.residents), report.to_text()


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_starts_valid(preset: str) -> None:
    problem = cohort(residents=400, seed=11, preset=preset)
    assignments, missing = start_of(problem)
    assert missing == []
    assert roomalloc.check(problem, assignments).ok
    housed = sum(k is not None for k in assignments.values())
    assert housed >= 0.85 * min(len(problem.residents), sum(k.capacity for k in problem.rooms))


@settings(max_examples=100, deadline=None)
@given(problems(max_rooms=6, max_residents=10, stays=False))  # with stays every room is open
def test_a_room_closed_to_a_resident_never_fits_them(problem: Problem) -> None:
    arrays = ProblemArrays.of(problem)
    occ = greedy_start(arrays, sparse_candidates(arrays), group_candidates(arrays)).occupancy
    # Take a few out, so that rooms have space and residents are unhoused.
    occ.remove(range(0, arrays.residents, 3))
    people = np.flatnonzero(occ.room_of < 0)
    rooms = np.arange(arrays.rooms)
    open_to = occ.open_to(rooms, people)
    for p, i in enumerate(people.tolist()):
        for k in rooms.tolist():
            if occ.fits(k, [i]):
                assert open_to[p, k]
