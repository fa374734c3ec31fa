"""The IHTC-2024 room-only loader and the S1 term (room age mix), on hand-made instances."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.ihtc import DAY_ZERO, ROOM_AGE_MIX, RoomAgeMix, register, to_problem

import roomalloc
from roomalloc.terms import unregister_term
from test_bruteforce import brute_force

AGES = ["infant", "adult", "elderly"]  # indices 0, 1, 2


@pytest.fixture(autouse=True)
def s1_registered() -> Iterator[None]:
    """The S1 term is registered for each test here and for no other test."""
    register()
    yield
    unregister_term(RoomAgeMix.name)


def _patient(pid: str, gender: str, age: str, los: int, *, incompatible: tuple[str, ...] = (),
             mandatory: bool = True) -> dict[str, Any]:
    return {"id": pid, "mandatory": mandatory, "gender": gender, "age_group": age,
            "length_of_stay": los, "surgery_release_day": 0, "surgery_duration": 60,
            "surgeon_id": "s0", "incompatible_room_ids": list(incompatible),
            "workload_produced": [1] * 3 * los, "skill_level_required": [0] * 3 * los}


def _night(day: int) -> dt.date:
    return DAY_ZERO + dt.timedelta(days=day)


HAND = {
    "days": 4, "age_groups": AGES,
    "rooms": [{"id": "r0", "capacity": 2}, {"id": "r1", "capacity": 1}],
    "occupants": [{"id": "a0", "gender": "A", "age_group": "adult", "length_of_stay": 2,
                   "workload_produced": [1] * 6, "skill_level_required": [0] * 6,
                   "room_id": "r0"}],
    "patients": [_patient("p0", "A", "elderly", 3, incompatible=("r1",)),
                 _patient("p1", "B", "infant", 2),
                 _patient("p2", "A", "infant", 2, mandatory=False)],
}
HAND_SOLUTION = {"patients": [{"id": "p0", "admission_day": 1, "room": "r0"},
                              {"id": "p1", "admission_day": 3, "room": "r1"},
                              {"id": "p2", "admission_day": "none"}]}


def test_the_loader_fixes_admissions_locks_occupants_and_cuts_stays_at_the_horizon() -> None:
    problem, allocation = to_problem(HAND, HAND_SOLUTION)
    by_id = problem.residents_by_id
    assert set(by_id) == {"a0", "p0", "p1"}  # p2 is postponed in the solution: left out
    assert by_id["a0"].locked and by_id["a0"].current_room == "r0"
    assert by_id["a0"].stay == roomalloc.Interval(start=_night(0), end=_night(2))
    assert by_id["p0"].stay == roomalloc.Interval(start=_night(1), end=_night(4))
    assert by_id["p1"].stay == roomalloc.Interval(start=_night(3), end=_night(4))  # 2 nights cut
    assert by_id["p0"].excluded_rooms == ("r1",)
    assert all(r.required for r in problem.residents)
    assert problem.rules.gender_mixing == "forbid"
    assert [r.attributes["age_group"] for r in problem.residents] == [1, 2, 0]
    assert allocation == {"a0": "r0", "p0": "r0", "p1": "r1"}
    assert roomalloc.check(problem, allocation).ok


def test_s1_of_the_hand_instance_equals_the_hand_computation() -> None:
    problem, allocation = to_problem(HAND, HAND_SOLUTION)
    # r0: night 0 adult alone (0), night 1 adult + elderly (2 - 1 = 1), nights 2-3 elderly (0);
    # r1: night 3 infant alone (0). S1 = 1.
    assert ROOM_AGE_MIX.value(problem, allocation) == 1.0
    # p1 (infant) moved into r0 beside p0 (elderly) on night 3 adds 2 - 0 = 2.
    assert ROOM_AGE_MIX.value(problem, {**allocation, "p1": "r0"}) == 3.0
    assert roomalloc.evaluate(problem, allocation).objective == -1.0


def test_solving_for_s1_finds_the_brute_force_optimum() -> None:
    instance = {
        "days": 4, "age_groups": AGES, "occupants": [],
        "rooms": [{"id": "r0", "capacity": 2}, {"id": "r1", "capacity": 2}],
        "patients": [_patient("p0", "A", "infant", 2), _patient("p1", "A", "elderly", 2),
                     _patient("p2", "A", "adult", 3), _patient("p3", "A", "infant", 2)],
    }
    solution = {"patients": [{"id": "p0", "admission_day": 0, "room": "r0"},
                             {"id": "p1", "admission_day": 0, "room": "r0"},
                             {"id": "p2", "admission_day": 1, "room": "r1"},
                             {"id": "p3", "admission_day": 2, "room": "r1"}]}
    problem, given = to_problem(instance, solution)
    # r0: infant + elderly on nights 0-1 (2 each); r1: adult + infant on nights 2-3 (1 each).
    assert ROOM_AGE_MIX.value(problem, given) == 2 * 2 + 2 * 1
    best = brute_force(problem)
    result = roomalloc.solve(problem, time_limit=10, workers=1)
    assert best is not None and result.status == "optimal"
    # The infants share a room; the adult meets the elderly patient on night 1 only.
    assert result.objective == best == -1.0
    assert result.bound == best


def test_the_plugins_page_shows_the_term_as_the_benchmark_runs_it() -> None:
    page = (Path(__file__).parent.parent / "docs" / "plugins.md").read_text()
    assert inspect.getsource(RoomAgeMix) in page
