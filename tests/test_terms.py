"""Each built-in term, one function each: what it rewards or penalises and what it leaves alone.

Every case goes through the term's own hooks: its ``value`` (the contract's definition), its
``local_change`` (held to ``value(after) - value(before)`` by :func:`change`) and, for the two
terms that steer the greedy first allocation, its ``placement_value``. Then custom terms: with
no hooks the callers fall back (full recomputation, no steering), with hooks they are used, and
``evaluate`` reports a custom term only when the problem's objective names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from roomalloc import (
    Interval,
    Preference,
    Problem,
    Resident,
    Room,
    Roommates,
    TermSpec,
    evaluate,
)
from roomalloc.explanation.objective import ObjectiveMeter
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.terms import (
    PlacementValue,
    Term,
    get_term,
    register_term,
    registered_terms,
    unregister_term,
)

Assignments = Mapping[str, "str | None"]


def value(term: str, problem: Problem, assignments: Assignments) -> float:
    return get_term(term).value(problem, assignments)


def change(term: str, problem: Problem, before: Assignments, moves: Assignments) -> float:
    """The term's local change for ``moves``, checked against a full recomputation."""
    local = get_term(term).local_change(problem, before)
    assert local is not None, f"{term} has no local change"
    got = local(moves)
    full = value(term, problem, {**before, **moves}) - value(term, problem, before)
    assert got == pytest.approx(full, abs=1e-12)
    return got


def no_steer(term: str, problem: Problem) -> bool:
    scores = np.zeros((len(problem.residents), len(problem.rooms)))
    return get_term(term).placement_value(problem, scores) is None


TWO_ROOMS = (Room(id="A", capacity=2, building="N", cost=30), Room(id="B", capacity=1))


def test_housed_rewards_the_priority_of_whoever_is_housed() -> None:
    p = Problem(rooms=TWO_ROOMS, residents=[Resident(id="r1", priority=2),
                                            Resident(id="r2")])
    assert value("housed", p, {"r1": "A", "r2": None}) == 2.0
    assert value("housed", p, {"r1": None, "r2": None}) == 0.0
    assert change("housed", p, {"r1": None, "r2": None}, {"r1": "A", "r2": "B"}) == 3.0
    assert change("housed", p, {"r1": "A", "r2": None}, {"r1": "B"}) == 0.0  # still housed
    assert no_steer("housed", p)  # the same in every room


def test_preferences_reward_the_score_of_the_room() -> None:
    p = Problem(rooms=TWO_ROOMS,
                residents=[Resident(id="r1", preferences=[Preference(building="N", weight=3)])])
    assert value("preferences", p, {"r1": "A"}) == 3.0
    assert value("preferences", p, {"r1": "B"}) == 0.0
    assert change("preferences", p, {"r1": "B"}, {"r1": "A"}) == 3.0
    assert change("preferences", p, {"r1": "B"}, {"r1": None}) == 0.0
    scores = np.array([[3.0, 0.0]])
    placement = get_term("preferences").placement_value(p, scores)
    assert placement is not None and placement.rooms is scores and not placement.partners


def test_roommates_reward_wishes_met_while_stays_overlap() -> None:
    def stay(first: int, last: int) -> Interval:
        return Interval(start=dt.date(2026, 9, first), end=dt.date(2026, 9, last))

    p = Problem(rooms=TWO_ROOMS, residents=[
        Resident(id="r1", roommates=Roommates(want=("r2",))), Resident(id="r2"),
        Resident(id="r3", stay=stay(1, 5), roommates=Roommates(want=("r4",))),
        Resident(id="r4", stay=stay(5, 9)),
    ])
    assert value("roommates", p, {"r1": "A", "r2": "A"}) == 1.0
    assert value("roommates", p, {"r1": "A", "r2": "B"}) == 0.0
    assert value("roommates", p, {"r3": "A", "r4": "A"}) == 0.0  # never there on one night
    assert change("roommates", p, {"r1": "A", "r2": "B"}, {"r2": "A"}) == 1.0
    assert change("roommates", p, {"r3": "A", "r4": "B"}, {"r4": "A"}) == 0.0
    placement = get_term("roommates").placement_value(p, np.zeros((4, 2)))
    assert placement is not None and placement.rooms is None
    assert placement.partners == {0: {1: 1.0}, 1: {0: 1.0}, 2: {3: 1.0}, 3: {2: 1.0}}
    lonely = Problem(rooms=TWO_ROOMS, residents=[Resident(id="r1")])
    assert get_term("roommates").placement_value(lonely, np.zeros((1, 2))) == PlacementValue()


def test_cost_penalises_the_bed_cost_of_each_housed_resident() -> None:
    p = Problem(rooms=TWO_ROOMS, residents=[Resident(id="r1"), Resident(id="r2")])
    assert value("cost", p, {"r1": "A", "r2": "A"}) == 60.0
    assert value("cost", p, {"r1": "B", "r2": None}) == 0.0
    assert change("cost", p, {"r1": "B", "r2": None}, {"r1": "A", "r2": "B"}) == 30.0
    assert change("cost", p, {"r1": "B", "r2": None}, {"r1": None}) == 0.0
    assert no_steer("cost", p)


def test_rooms_used_penalises_every_room_with_someone_in_it() -> None:
    p = Problem(rooms=TWO_ROOMS, residents=[Resident(id="r1"), Resident(id="r2")])
    assert value("rooms_used", p, {"r1": "A", "r2": "B"}) == 2.0
    assert value("rooms_used", p, {"r1": None, "r2": None}) == 0.0
    assert change("rooms_used", p, {"r1": "A", "r2": "B"}, {"r2": "A"}) == -1.0
    assert change("rooms_used", p, {"r1": "A", "r2": "A"}, {"r2": None}) == 0.0  # r1 stays
    assert no_steer("rooms_used", p)


def test_moves_penalise_leaving_the_current_room() -> None:
    p = Problem(rooms=TWO_ROOMS, residents=[Resident(id="r1", current_room="A"),
                                            Resident(id="r2")])
    assert value("moves", p, {"r1": "B", "r2": "A"}) == 1.0
    assert value("moves", p, {"r1": None, "r2": "A"}) == 1.0  # unhoused counts
    assert value("moves", p, {"r1": "A", "r2": "B"}) == 0.0  # r2 has no current room
    assert change("moves", p, {"r1": "B", "r2": None}, {"r1": "A", "r2": "B"}) == -1.0
    assert change("moves", p, {"r1": "B", "r2": None}, {"r1": None}) == 0.0
    assert no_steer("moves", p)


def test_fairness_rewards_the_worst_share_of_a_best_room() -> None:
    p = Problem(rooms=TWO_ROOMS, residents=[
        Resident(id="r1", preferences=[Preference(building="N", weight=4)]),
        Resident(id="r2"),  # no wish: best is 0, so fairness ignores them
    ])
    assert value("fairness", p, {"r1": "A", "r2": "B"}) == 1.0
    assert value("fairness", p, {"r1": "B", "r2": "A"}) == 0.0
    assert value("fairness", p, {"r1": None, "r2": "A"}) == 1.0  # no housed resident counts
    assert change("fairness", p, {"r1": "B", "r2": None}, {"r1": "A"}) == 1.0
    assert change("fairness", p, {"r1": "A", "r2": None}, {"r2": "B"}) == 0.0
    assert no_steer("fairness", p)


# --- custom terms -------------------------------------------------------------------------


class QuietResidents(Term):
    """Residents housed in a quiet room (maximise), with none of the optional hooks."""

    name = "quiet_residents"
    sense = "maximize"
    calls = 0

    def value(self, problem: Problem, assignments: Assignments) -> float:
        QuietResidents.calls += 1
        rooms = problem.rooms_by_id
        return float(sum(1 for k in assignments.values()
                         if k in rooms and "quiet" in rooms[k].features))

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class LocalQuiet(QuietResidents):
    """The same, with both hooks."""

    name = "local_quiet"

    def local_change(self, problem: Problem, assignments: Assignments) -> Any:
        quiet = {k.id for k in problem.rooms if "quiet" in k.features}

        def delta(moves: Assignments) -> float:
            return float(sum((moves[r] in quiet) - (assignments.get(r) in quiet) for r in moves))

        return delta

    def placement_value(self, problem: Problem, scores: Any) -> PlacementValue:
        quiet = np.array([float("quiet" in k.features) for k in problem.rooms])
        return PlacementValue(rooms=np.tile(quiet, (len(problem.residents), 1)))


QUIET_ROOMS = (Room(id="A", capacity=1), Room(id="Q", capacity=1, features=("quiet",)))


@pytest.fixture
def custom() -> Any:
    terms = (register_term(QuietResidents()), register_term(LocalQuiet()))
    yield terms
    for term in terms:
        unregister_term(term.name)


def test_the_default_hooks_are_the_conservative_answer(custom: Any) -> None:
    term = get_term("quiet_residents")
    p = Problem(rooms=QUIET_ROOMS, residents=[Resident(id="r1")],
                objective=[TermSpec(term="quiet_residents", weight=1)])
    assert term.local_change(p, {"r1": None}) is None
    assert term.placement_value(p, np.zeros((1, 2))) is None
    assert not term.reported and all(t.reported for t in registered_terms()[:7])
    # Not local: the meter recomputes the value; not steering: greedy ranks by scores alone.
    assert ObjectiveMeter(p, {"r1": "A"}).change({"r1": "Q"}) == {"quiet_residents": 1.0}
    assert greedy_allocation(p) == {"r1": "A"}


def test_a_custom_terms_hooks_are_used(custom: Any) -> None:
    p = Problem(rooms=QUIET_ROOMS, residents=[Resident(id="r1")],
                objective=[TermSpec(term="local_quiet", weight=1)])
    meter = ObjectiveMeter(p, {"r1": "A"})
    calls = QuietResidents.calls
    assert meter.change({"r1": "Q"}) == {"local_quiet": 1.0}
    assert QuietResidents.calls == calls  # the local change, no full recomputation
    assert greedy_allocation(p) == {"r1": "Q"}


def test_evaluate_reports_a_custom_term_only_when_the_objective_names_it(custom: Any) -> None:
    p = Problem(rooms=QUIET_ROOMS, residents=[Resident(id="r1")])
    builtins = ["housed", "preferences", "roommates", "cost", "rooms_used", "moves", "fairness"]
    assert list(evaluate(p, {"r1": "Q"}).terms) == builtins
    named = p.model_copy(update={"objective": (TermSpec(term="local_quiet", weight=2),
                                               TermSpec(term="housed", weight=1),
                                               TermSpec(term="quiet_residents", weight=1))})
    ev = evaluate(named, {"r1": "Q"})
    assert list(ev.terms) == [*builtins, "local_quiet", "quiet_residents"]  # objective order
    assert ev.terms["local_quiet"] == 1.0 and ev.objective == 4.0
