"""What-if edits: each changes what it says, composes, and names what it cannot find."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from roomalloc import Preference, Problem, ProblemError, Resident, Room, Roommates, check, solve
from roomalloc.analysis.scenarios import (
    FOREVER,
    Scenario,
    add_residents,
    add_rooms,
    arrive,
    capacity,
    close,
    depart,
    load_scenarios,
    remove_residents,
    remove_rooms,
    rules,
    scenarios_from_data,
    terms,
    weight,
)
from roomalloc.domain.model import Interval


@pytest.fixture
def problem() -> Problem:
    return Problem(
        rooms=[Room(id="C-1", building="C", capacity=2), Room(id="C-2", building="C", capacity=1),
               Room(id="D-1", building="D", capacity=2)],
        residents=[
            Resident(id="a", gender="f", preferences=[Preference(building="C", weight=5)],
                     roommates=Roommates(want=("b",)), excluded_rooms=("C-2",)),
            Resident(id="b", gender="f", stay=Interval(start="2026-09-01", end="2027-01-31"),
                     roommates=Roommates(want=("a",))),
            Resident(id="c", gender="m", preferences=[Preference(room="C-2", weight=1)],
                     current_room="C-2"),
        ],
    )


def test_baseline_is_the_problem_itself(problem: Problem) -> None:
    assert Scenario().name == "baseline"
    assert Scenario().apply(problem) == problem


def test_close_building_for_good_keeps_everyone_out(problem: Problem) -> None:
    edited = close("C").apply(problem)
    for room in edited.rooms:
        expected = (Interval(start=FOREVER[0], end=FOREVER[1]),) if room.building == "C" else ()
        assert room.unavailable == expected
    result = solve(edited, time_limit=10, workers=1)
    assert check(edited, result).ok
    assert all(k in (None, "D-1") for k in result.assignments.values())
    assert problem.rooms[0].unavailable == ()  # the original is untouched


def test_close_rooms_over_a_period(problem: Problem) -> None:
    edited = close(rooms=["C-1"], start=dt.date(2026, 10, 1), end="2026-11-01").apply(problem)
    assert edited.room("C-1").unavailable == (Interval(start="2026-10-01", end="2026-11-01"),)
    assert edited.room("C-2").unavailable == ()


def test_close_errors_name_the_missing_thing(problem: Problem) -> None:
    with pytest.raises(ProblemError) as err:
        (close("Z") | close(rooms=["C-1", "nope"]) | close("C", start="2027-01-01",
                                                          end="2026-01-01")).apply(problem)
    assert [str(i) for i in err.value.issues] == [
        "edits[0].building: no building 'Z'",
        "edits[1].rooms[1]: no room 'nope'",
        "edits[2].end: 2026-01-01 is not after start 2027-01-01",
    ]


def test_add_and_remove_rooms(problem: Problem) -> None:
    bigger = add_rooms(Room(id="N-1", building="N", capacity=4)).apply(problem)
    assert bigger.room("N-1").capacity == 4 and len(bigger.rooms) == 4
    smaller = remove_rooms("C-2").apply(problem)
    assert "C-2" not in smaller.rooms_by_id
    # every reference to the removed room goes with it
    assert smaller.resident("a").excluded_rooms == ()
    assert smaller.resident("c").preferences == () and smaller.resident("c").current_room is None
    with pytest.raises(ProblemError, match=r"edits\[0\].rooms\[0\].id: room 'C-1' exists"):
        add_rooms({"id": "C-1", "capacity": 1}).apply(problem)
    with pytest.raises(ProblemError, match=r"edits\[0\].rooms\[0\]: no room 'Z-9'"):
        remove_rooms("Z-9").apply(problem)


def test_remove_room_of_a_locked_resident_is_an_error(problem: Problem) -> None:
    locked = Problem.model_validate(
        problem.model_dump(mode="json")
        | {"residents": [r.model_dump(mode="json") | ({"locked": True} if r.id == "c" else {})
                         for r in problem.residents]})
    with pytest.raises(ProblemError, match="'c' is locked in room 'C-2'"):
        remove_rooms("C-2").apply(locked)


def test_capacity(problem: Problem) -> None:
    edited = capacity({"C-1": 1, "D-1": 3}).apply(problem)
    assert (edited.room("C-1").capacity, edited.room("D-1").capacity) == (1, 3)
    with pytest.raises(ProblemError) as err:
        capacity({"C-1": 0, "X": 2}).apply(problem)
    assert [i.path for i in err.value.issues] == ["edits[0].rooms.C-1", "edits[0].rooms.X"]


def test_add_remove_residents_and_their_references(problem: Problem) -> None:
    edited = add_residents(Resident(id="n"), {"id": "m", "required": True}).apply(problem)
    assert [r.id for r in edited.residents] == ["a", "b", "c", "n", "m"]
    assert edited.resident("m").required
    fewer = remove_residents("b").apply(problem)
    assert "b" not in fewer.residents_by_id
    assert fewer.resident("a").roommates.want == ()  # the wish naming b goes with b
    with pytest.raises(ProblemError, match=r"edits\[0\].residents\[0\]: no resident 'zz'"):
        remove_residents("zz").apply(problem)


def test_arrive_on_a_date(problem: Problem) -> None:
    edited = arrive({"id": "n"}, on="2026-10-01").apply(problem)
    assert edited.resident("n").stay == Interval(start="2026-10-01", end=FOREVER[1])
    late = {"id": "m", "stay": {"start": "2026-09-01", "end": "2026-09-10"}}
    with pytest.raises(ProblemError, match="would arrive on 2026-10-01, after their stay ends"):
        arrive(late, on="2026-10-01").apply(problem)


def test_depart_shortens_or_removes(problem: Problem) -> None:
    edited = depart("b", "a", on="2026-12-01").apply(problem)
    assert edited.resident("b").stay == Interval(start="2026-09-01", end="2026-12-01")
    assert edited.resident("a").stay == Interval(start=FOREVER[0], end="2026-12-01")
    gone = depart("b", on="2026-08-01").apply(problem)  # before their stay starts
    assert "b" not in gone.residents_by_id
    assert "c" not in depart("c").apply(problem).residents_by_id
    unchanged = depart("b", on="2027-06-01").apply(problem)  # after their stay ends: a no-op
    assert unchanged == problem


def test_weight_multiplies_and_changes_the_optimum(problem: Problem) -> None:
    edited = weight(roommates=2, preferences=0.5).apply(problem)
    assert {s.term: s.weight for s in edited.objective} == {
        "housed": 1000, "preferences": 0.5, "roommates": 4}
    assert weight(roommates=1).apply(problem) == problem  # x1 is a no-op
    with pytest.raises(ProblemError, match="no term 'cost' in the objective"):
        weight(cost=2).apply(problem)
    # roommate wishes worth 4 beat a's wish for building C (C-1 holds both, so craft a case
    # where they conflict: only D-1 holds two once C-1 loses a bed)
    squeezed = capacity({"C-1": 1})
    base = solve(squeezed.apply(problem), time_limit=10, workers=1, seed=1)
    assert base.assignments["a"] == "C-1"
    heavy = (squeezed | weight(roommates=2)).apply(problem)
    together = solve(heavy, time_limit=10, workers=1, seed=1)
    assert together.assignments["a"] == together.assignments["b"] == "D-1"


def test_terms_set_and_add(problem: Problem) -> None:
    edited = terms(moves=5, preferences=2).apply(problem)
    assert {s.term: s.weight for s in edited.objective} == {
        "housed": 1000, "preferences": 2, "roommates": 2, "moves": 5}
    data = problem.model_dump(mode="json")
    data["residents"][2]["current_room"] = "D-1"  # c lives in D-1 and prefers C-2 (1 point)
    lives = Problem.model_validate(data)
    assert solve(lives, time_limit=10, workers=1).assignments["c"] == "C-2"
    stays = solve(terms(moves=5).apply(lives), time_limit=10, workers=1)
    assert stays.assignments["c"] == "D-1"  # a move now costs 5
    with pytest.raises(ProblemError, match="unknown term 'joy'"):
        terms(joy=1).apply(problem)


def test_rules(problem: Problem) -> None:
    assert rules(gender_mixing="allow").apply(problem).rules.gender_mixing == "allow"
    with pytest.raises(ProblemError, match="unknown rule 'curfew'"):
        rules(curfew=True).apply(problem)
    with pytest.raises(ProblemError, match=r"edited problem: rules.gender_mixing"):
        rules(gender_mixing="sometimes").apply(problem)


def test_composition_names_and_json_round_trip(problem: Problem) -> None:
    s = close("C") | weight(roommates=2)
    assert s.name == "close building C; roommates x2"
    assert s.named("renovation").name == "renovation"
    again = Scenario.from_dict(json.loads(s.to_json()))
    assert again.edits == s.edits and again.apply(problem) == s.apply(problem)


def test_loader_places_every_mistake(problem: Problem, tmp_path: Path) -> None:
    data = [
        {"name": "ok", "edits": [{"edit": "close", "building": "C"}]},
        {"edits": [{"edit": "shut", "building": "C"}]},
        {"name": 3, "edits": [{"edit": "close", "bulding": "C"}], "extra": 1},
        {"edits": [{"edit": "close", "building": "Z"}]},
        "nonsense",
    ]
    path = tmp_path / "SCENARIOS.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ProblemError) as err:
        load_scenarios(str(path), problem)
    assert [str(i) for i in err.value.issues] == [
        "scenarios[1].edits[0].edit: unknown edit 'shut' (known: add_residents, add_rooms, "
        "arrive, capacity, close, depart, remove_residents, remove_rooms, rules, terms, weight)",
        "scenarios[2].extra: unknown field (expected name, edits)",
        "scenarios[2].name: must be a string",
        "scenarios[2].edits[0].bulding: unknown field (expected building, rooms, start, end)",
        "scenarios[3].edits[0].building: no building 'Z'",
        'scenarios[4]: expected {"name": ..., "edits": [...]}',
    ]
    notes = [{"_why": "board asked", "edits": [{"edit": "weight", "roommates": 2, "_by": "li"}]}]
    assert scenarios_from_data(notes, problem)[0].edits[0].params == {"roommates": 2}
    # without the problem only the shape is checked: building Z passes
    assert [s.name for s in scenarios_from_data(data[3:4])] == ["close building Z"]
    path.write_text("[")
    with pytest.raises(ProblemError, match="not JSON"):
        load_scenarios(str(path))
