"""Custom terms and rules written outside the library, with the public plug-in API only.

The two plug-ins below are the ones shown in docs/plugins.md:

* ``AtMostTwoFirstYearsPerFloor``: a hard rule on residents' and rooms' ``attributes``;
* ``AgeSpread``: a term that penalises the widest spread of age groups sharing a room on any
  night, built on the rooms' stay segments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import roomalloc
from roomalloc import Interval, Preference, Problem, Resident, Room, TermSpec, Violation
from roomalloc.rules import Rule
from roomalloc.solver import BuildContext, Linear, Requirement, build_model
from roomalloc.terms import Term, register_term, unregister_term
from test_bruteforce import brute_force

# --- the plug-ins, as a user would write them ------------------------------------------------


class AtMostTwoFirstYearsPerFloor(Rule):
    """At most two first-year residents (attribute ``year == 1``) on each floor of a building."""

    name = "first_years_per_floor"

    def _floor(self, room: Room) -> tuple[str, int]:
        return (room.building, room.floor)

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
        rooms = {k.id: k for k in problem.rooms}
        on_floor: dict[tuple[str, int], list[str]] = defaultdict(list)
        for r in problem.residents:
            room_id = assignments.get(r.id)
            if room_id is not None and r.attributes.get("year") == 1:
                on_floor[self._floor(rooms[room_id])].append(r.id)
        return [
            Violation(self.name, f"{len(ids)} first-years on floor {f} of building {b}: "
                      f"{', '.join(ids)}", residents=tuple(ids))
            for (b, f), ids in sorted(on_floor.items()) if len(ids) > 2
        ]

    def add_to_model(self, ctx: BuildContext) -> None:
        placed: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for r in ctx.problem.residents:
            if r.attributes.get("year") != 1:
                continue
            for room_id, x in ctx.placements[r.id].items():
                placed[self._floor(ctx.room(room_id))].append(x)
        for xs in placed.values():
            if len(xs) > 2:
                ctx.enforce(ctx.model.add(sum(xs) <= 2))


class AgeSpread(Term):
    """The largest gap between age groups sharing a room on one night (minimise)."""

    name = "age_spread"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Mapping[str, str | None]) -> float:
        worst = 0
        by_room: dict[str, list[Resident]] = defaultdict(list)
        for r in problem.residents:
            if assignments.get(r.id) is not None:
                by_room[assignments[r.id]].append(r)
        for people in by_room.values():
            for night in _first_nights(people):
                ages = [int(r.attributes["age_group"]) for r in people if _present(r, night)]
                worst = max(worst, max(ages) - min(ages))
        return float(worst)

    def add_to_model(self, ctx: BuildContext) -> Linear:
        ages = {r.id: int(r.attributes["age_group"]) for r in ctx.problem.residents}
        top = max(ages.values(), default=0)
        worst = ctx.new_int(0, top, "age_spread")
        for room in ctx.problem.rooms:
            x = ctx.occupants[room.id]
            for seg in ctx.segments(room.id, binding=True):
                if len(seg.residents) < 2:
                    continue
                hi = ctx.new_int(0, top)
                lo = ctx.new_int(0, top)
                for r in seg.residents:
                    ctx.model.add(hi >= ages[r]).only_enforce_if(x[r])
                    ctx.model.add(lo <= ages[r]).only_enforce_if(x[r])
                ctx.model.add(worst >= hi - lo)
        return ctx.linear([(worst, 1.0)])


def _present(r: Resident, night: int | None) -> bool:
    return night is None or r.stay is None or r.stay.start.toordinal() <= night < (
        r.stay.end.toordinal())


def _first_nights(people: list[Resident]) -> Iterator[int | None]:
    starts = {r.stay.start.toordinal() for r in people if r.stay is not None}
    yield from (sorted(starts) if starts else [None])


@pytest.fixture(autouse=True)
def _age_spread_registered() -> Iterator[None]:
    register_term(AgeSpread(), replace=True)
    yield
    unregister_term("age_spread")


# --- the custom rule --------------------------------------------------------------------------


def _floors_problem() -> Problem:
    rooms = [Room(id=f"{floor}-{i}", capacity=2, floor=floor) for floor in (1, 2) for i in (1, 2)]
    likes_floor_1 = (Preference(floor=(1, 1), weight=5),)
    residents = [Resident(id=f"fy{i}", attributes={"year": 1}, preferences=likes_floor_1)
                 for i in range(4)]
    return Problem(rooms=rooms, residents=residents)


def test_a_custom_rule_binds_the_solver_and_the_checker() -> None:
    p = _floors_problem()
    rule = AtMostTwoFirstYearsPerFloor()
    free = roomalloc.solve(p, workers=1)
    assert len(list(rule.check(p, free.assignments))) == 1  # all four on floor 1 without it
    result = roomalloc.solve(p, workers=1, rules=[rule])
    assert result.status == "optimal"
    assert result.objective == free.objective - 10  # two of them lose their floor wish
    assert roomalloc.check(p, result, rules=[rule]).ok
    report = roomalloc.check(p, free, rules=[rule])
    assert [v.rule for v in report.violations] == ["first_years_per_floor"]


def test_custom_violations_are_reported_beside_the_built_in_ones() -> None:
    p = _floors_problem()
    everyone_in_one_room = {r.id: "1-1" for r in p.residents}
    report = roomalloc.check(p, everyone_in_one_room, rules=[AtMostTwoFirstYearsPerFloor()])
    assert {v.rule for v in report.violations} == {"capacity", "first_years_per_floor"}


def test_a_custom_rule_is_one_guarded_requirement() -> None:
    built = build_model(_floors_problem(), rules=[AtMostTwoFirstYearsPerFloor()],
                        objective=False, guarded=True)
    assert Requirement("rule", ("first_years_per_floor",)) in built.guards


def test_rules_need_distinct_names() -> None:
    rule = AtMostTwoFirstYearsPerFloor()
    with pytest.raises(roomalloc.PluginError, match="first_years_per_floor"):
        roomalloc.solve(_floors_problem(), rules=[rule, rule])


# --- the custom term --------------------------------------------------------------------------


def _night(n: int) -> dt.date:
    return dt.date(2026, 9, 1) + dt.timedelta(days=n)


@st.composite
def _age_problems(draw: st.DrawFn) -> Problem:
    n_rooms = draw(st.integers(1, 2))
    rooms = [Room(id=f"k{i}", capacity=draw(st.integers(1, 3))) for i in range(n_rooms)]
    residents = []
    for i in range(draw(st.integers(2, 5))):
        first = draw(st.integers(0, 4))
        stay = (Interval(start=_night(first), end=_night(first + draw(st.integers(1, 4))))
                if draw(st.booleans()) else None)
        residents.append(Resident(id=f"r{i}", stay=stay,
                                  attributes={"age_group": draw(st.integers(0, 3))}))
    spread_weight = draw(st.sampled_from([1, 4, 25]))
    return Problem(rooms=rooms, residents=residents,
                   objective=[TermSpec(term="housed", weight=10),
                              TermSpec(term="age_spread", weight=spread_weight)])


@settings(max_examples=40)
@given(_age_problems())
def test_a_custom_term_on_segments_reaches_the_brute_force_optimum(problem: Problem) -> None:
    result = roomalloc.solve(problem, workers=1, diagnose=False)
    assert result.status == "optimal"
    assert result.terms["age_spread"] == AgeSpread().value(problem, result.assignments)
    assert result.objective == brute_force(problem)


def test_a_custom_term_is_named_in_a_json_objective() -> None:
    text = """{"rooms": [{"id": "A", "capacity": 2}],
               "residents": [{"id": "kid", "attributes": {"age_group": 0}},
                             {"id": "elder", "attributes": {"age_group": 3}}],
               "objective": [{"term": "housed", "weight": 10},
                             {"term": "age_spread", "weight": 4}]}"""
    p = Problem.model_validate_json(text)
    result = roomalloc.solve(p, workers=1)
    # Both housed: 20 - 4 * 3 = 8; one housed: 10. The elder and the kid do not share.
    assert result.objective == 10.0
    assert sum(k is not None for k in result.assignments.values()) == 1
    assert result.terms["age_spread"] == 0.0
