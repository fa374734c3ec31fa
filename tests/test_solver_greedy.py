"""The greedy starting allocation breaks no sharing or static rule; only required/locked may miss.

``solve`` returns it as ``feasible`` when the search finds nothing in time and the verifier
passes it, so it must be right on its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import given

from roomalloc import Preference, Problem, Resident, Room, Roommates, Rules, TermSpec, check
from roomalloc.solver.greedy import greedy_allocation
from strategies import problems


@given(problems(max_rooms=4, max_residents=7))
def test_greedy_keeps_every_rule_but_perhaps_required_and_locked(problem: Problem) -> None:
    allocation = greedy_allocation(problem)
    assert set(allocation) == {r.id for r in problem.residents}
    rules = {v.rule for v in check(problem, allocation).violations}
    assert rules <= {"required", "locked"}



def _housed(allocation: dict[str, str | None]) -> set[str]:
    return {r for r, room in allocation.items() if room is not None}


def test_a_private_resident_takes_the_smallest_room_not_the_preferred_one() -> None:
    # In the double, the private resident would leave a bed nobody may use.
    p = Problem(
        rooms=[Room(id="single", capacity=1), Room(id="double", capacity=2)],
        residents=[
            Resident(id="p", priority=3, private=True,
                     preferences=[Preference(room="double", weight=5)]),
            Resident(id="a", priority=2),
            Resident(id="b", priority=1),
        ],
    )
    allocation = greedy_allocation(p)
    assert allocation == {"p": "single", "a": "double", "b": "double"}


def test_a_resident_moves_to_a_dear_free_bed_so_that_a_poorer_one_is_housed() -> None:
    p = Problem(
        rooms=[Room(id="dear", capacity=1, cost=900), Room(id="cheap", capacity=1, cost=300)],
        residents=[
            Resident(id="rich", priority=2, preferences=[Preference(room="cheap", weight=1)]),
            Resident(id="poor", priority=1, budget=400),
        ],
    )
    allocation = greedy_allocation(p)
    assert allocation == {"rich": "dear", "poor": "cheap"}
    assert check(p, allocation).ok


def test_a_room_is_emptied_for_the_other_gender_when_its_residents_fit_elsewhere() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2)],
        residents=[
            Resident(id="m1", gender="m", priority=3, preferences=[Preference(room="A", weight=1)]),
            Resident(id="m2", gender="m", priority=2, preferences=[Preference(room="B", weight=1)]),
            Resident(id="f1", gender="f", priority=1),
            Resident(id="f2", gender="f", priority=1),
        ],
        rules=Rules(gender_mixing="forbid"),
    )
    allocation = greedy_allocation(p)
    assert _housed(allocation) == {"m1", "m2", "f1", "f2"}
    assert allocation["m1"] == allocation["m2"]
    assert check(p, allocation).ok


def test_a_wished_for_roommate_joins_before_someone_who_merely_likes_the_room() -> None:
    # Roommates weigh 2 per met wish, the room preference 1: "b" joining "a" is worth more.
    p = Problem(
        rooms=[Room(id="X", capacity=2), Room(id="Y", capacity=2)],
        residents=[
            Resident(id="a", priority=3, preferences=[Preference(room="X", weight=1)],
                     roommates=Roommates(want=("b",))),
            Resident(id="c", priority=2, preferences=[Preference(room="X", weight=1)]),
            Resident(id="b", priority=1),
        ],
        objective=[TermSpec(term="housed", weight=1000), TermSpec(term="preferences", weight=1),
                   TermSpec(term="roommates", weight=2)],
    )
    allocation = greedy_allocation(p)
    assert allocation == {"a": "X", "b": "X", "c": "Y"}


def test_the_greedy_allocation_does_not_depend_on_string_hashing() -> None:
    # Python salts string hashes per process; iterating a set of ids would differ between runs.
    code = ("import json; from roomalloc.synthetic import cohort; "
            "from roomalloc.solver.greedy import greedy_allocation; "
            "print(json.dumps(greedy_allocation(cohort(residents=200, seed=4))))")
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": salt}).stdout
        for salt in ("1", "2")
    ]
    assert runs[0] == runs[1] and json.loads(runs[0])


def test_a_wished_for_roommate_never_takes_a_required_resident_s_bed() -> None:
    # "req1" wants "p"; letting "p" join at once would fill the only room before "req2".
    p = Problem(
        rooms=[Room(id="A", capacity=2)],
        residents=[
            Resident(id="req1", required=True, priority=3, roommates=Roommates(want=("p",))),
            Resident(id="p", priority=1),
            Resident(id="req2", required=True, priority=2),
        ],
        objective=[TermSpec(term="housed", weight=1000), TermSpec(term="roommates", weight=2)],
    )
    allocation = greedy_allocation(p)
    assert allocation == {"req1": "A", "p": None, "req2": "A"}
    assert check(p, allocation).ok
