"""reallocate: keeps residents in place, says why the others move, beats a fresh solve on moves."""

from __future__ import annotations

from typing import Any

from roomalloc import Preference, Problem, Resident, Room, Roommates, check, cohort, solve
from roomalloc.analysis.reallocate import from_scratch, reallocate
from roomalloc.analysis.scenarios import arrive, close, depart, remove_residents


def _moved(before: dict[str, str | None], after: dict[str, str | None]) -> int:
    return sum(1 for r, k in before.items() if k is not None and r in after and after[r] != k)


def test_fewer_moves_than_from_scratch_on_a_seeded_cohort() -> None:
    full = cohort(80, seed=4, preset="reallocation")
    newcomers = [r for r in full.residents if not r.locked and r.group is None][-4:]
    base = remove_residents(*(r.id for r in newcomers)).apply(full)
    options: dict[str, Any] = {"time_limit": 20, "workers": 1, "seed": 1}
    previous = solve(base, **options)
    assert check(base, previous).ok
    locked_rooms = {r.current_room for r in base.residents if r.locked}
    shut = [k.id for k in base.rooms if k.id not in locked_rooms][:8]
    leavers = [r.id for r in base.residents[:4] if not r.locked]
    arrivals = [r.model_dump(mode="json") | {"current_room": None, "roommates": {}}
                for r in newcomers]
    changes = close(rooms=shut) | depart(*leavers) | arrive(*arrivals)

    again = reallocate(base, previous, changes, **options)
    assert check(again.problem, again.result).ok
    edited = changes.apply(base)
    scratch = from_scratch(edited)
    fresh = solve(scratch, **options)
    assert check(scratch, fresh).ok

    kept = {r: k for r, k in previous.assignments.items() if r in edited.residents_by_id}
    assert len(again.moves) == _moved(kept, dict(again.result.assignments))
    assert len(again.moves) < _moved(kept, dict(fresh.assignments))
    assert again.stayed + len(again.moves) == sum(k is not None for k in kept.values())
    # every resident of a closed room moved, and says so
    for m in again.moves:
        if m.from_room in shut:
            assert m.reason == f"room {m.from_room} is closed during their stay"
    assert {m.from_room for m in again.moves} >= {kept[r] for r in kept if kept[r] in shut}


def test_reasons_for_each_kind_of_move() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, features=("accessible",)), Room(id="B", capacity=1),
               Room(id="C", capacity=1), Room(id="D", capacity=1), Room(id="E", capacity=2)],
        residents=[
            Resident(id="r1"),
            Resident(id="r2", preferences=[Preference(room="D", weight=10)]),
            Resident(id="r3", roommates=Roommates(want=("r4",))),
            Resident(id="r4", roommates=Roommates(want=("r3",))),
            Resident(id="r5", preferences=[Preference(room="C", weight=1)]),
        ],
    )
    before = {"r1": "A", "r2": "B", "r3": "C", "r4": "E", "r5": None}
    needy = {"id": "n1", "required": True, "needs": ["accessible"]}
    r = reallocate(problem, before, arrive(needy), move_weight=3, time_limit=10, workers=1)
    assert check(r.problem, r.result).ok
    reasons = {m.resident: (m.from_room, m.to_room, m.reason) for m in r.moves}
    assert reasons["r1"][2] == "made room for required arrival n1"
    assert reasons["r2"] == ("B", "D", "a better room: wishes worth 10 more than in B, more than "
                                       "a move costs (3)")
    assert reasons["r3"] == ("C", "E", "joins wanted roommate r4")
    assert "r4" not in reasons and r.result.assignments["n1"] == "A"
    assert r.problem.resident("r4").current_room == "E"
    assert {s.term: s.weight for s in r.problem.objective}["moves"] == 3


def test_nothing_changed_nobody_moves() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
                      residents=[Resident(id="r1", preferences=[Preference(room="B",
                                                                           weight=1)]),
                                 Resident(id="r2")])
    r = reallocate(problem, {"r1": "A", "r2": "B"}, time_limit=10, workers=1)
    assert r.moves == () and r.stayed == 2  # the wish for B (1) is worth less than a move (5)
    assert "2 stayed, 0 moved" in str(r)


def test_warm_start_keeps_every_rule_in_a_full_house() -> None:
    from roomalloc.analysis.reallocate import _warm_start, _with_current_rooms

    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=2), Room(id="C", capacity=1)],
        residents=[Resident(id="r1"), Resident(id="r2"), Resident(id="r3"), Resident(id="r4"),
                   Resident(id="g1", group="g", required=True),
                   Resident(id="g2", group="g")],
    )
    before = {"r1": "A", "r2": "B", "r3": "B", "r4": "C", "g1": None, "g2": None}
    solved = _with_current_rooms(problem, before, None)
    start = _warm_start(solved, before)
    assert check(solved, start).ok
    # the group takes the two-bed room; its two stayers make way, the others stay
    assert start["g1"] == start["g2"] == "B"
    assert (start["r1"], start["r4"]) == ("A", "C")
