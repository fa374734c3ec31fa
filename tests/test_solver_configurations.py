"""Room configurations: the bound holds and the fixing keeps every better allocation.

Both are checked against every valid allocation of tiny problems, found by enumeration and
the independent verifier (never the solver's model); then ``solve`` with the configurations'
search against the brute-force optimum.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import assume, given, settings

import roomalloc
from roomalloc import Preference, Problem, Resident, Room, Roommates, Rule
from roomalloc.solver import build_model, search
from roomalloc.solver.configurations import RoomConfigurations
from roomalloc.synthetic import cohort
from strategies import tiny_problems
from test_bruteforce import MAX_ALLOCATIONS, agree


def _valid_allocations(problem: Problem) -> list[dict[str, str | None]]:
    choices: list[str | None] = [None, *(k.id for k in problem.rooms)]
    ids = [r.id for r in problem.residents]
    found = []
    for rooms in itertools.product(choices, repeat=len(ids)):
        assignments = dict(zip(ids, rooms, strict=True))
        if roomalloc.check(problem, assignments).ok:
            found.append(assignments)
    return found


#: Terms that are sums over placements and pairs, so that the configurations always apply.
PLACEMENT_TERMS = [
    roomalloc.TermSpec(term="housed", weight=10),
    roomalloc.TermSpec(term="preferences", weight=1),
    roomalloc.TermSpec(term="roommates", weight=3),
    roomalloc.TermSpec(term="cost", weight=0.5),
    roomalloc.TermSpec(term="moves", weight=2),
]


@settings(max_examples=60)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, stays=False))
def test_bound_and_fixing_hold_on_drawn_objectives(problem: Problem) -> None:
    _bound_and_fixing_keep_every_better_allocation(problem)


@settings(max_examples=60)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, stays=False, objective=PLACEMENT_TERMS))
def test_bound_and_fixing_hold_on_placement_terms(problem: Problem) -> None:
    _bound_and_fixing_keep_every_better_allocation(problem)


def _bound_and_fixing_keep_every_better_allocation(problem: Problem) -> None:
    built = build_model(problem)
    configs = RoomConfigurations.of(built)
    assume(configs is not None and built.tolerance == 0)
    assert configs is not None and built.objective is not None
    valid = _valid_allocations(problem)
    assume(valid)
    scaled = built.objective
    values = [configs.value(a) for a in valid]
    for a, v in zip(valid, values, strict=True):
        # The configurations' value is the model's objective, which is the verifier's.
        assert scaled.to_objective(v) == pytest.approx(roomalloc.evaluate(problem, a).objective)
    worst = valid[values.index(min(values))]
    incumbent = min(values)
    c = built.candidates
    for start in (None, worst):
        prices = configs.prices(None, start=start)
        assert prices.converged
        assert prices.bound >= max(values) - 1e-6
        allowed, must = configs.fixing(prices, incumbent)
        for a, v in zip(valid, values, strict=True):
            if v < incumbent + 1:
                continue
            for r, k in a.items():
                if k is not None:
                    assert allowed[c.resident_index[r], c.room_index[k]], (r, k, a)
            assert all(a[r] is not None for r in must), (must, a)


def _always_restrict(patch: pytest.MonkeyPatch) -> None:
    """Search the restricted model however far the start is from the bound, however big."""
    patch.setattr(search, "_RESTRICT_UP_TO", 1.0)
    patch.setattr(search, "_CLOSE_ENOUGH", math.inf)


@settings(max_examples=60)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, stays=False, objective=PLACEMENT_TERMS))
def test_the_restricted_search_finds_the_brute_force_optimum(problem: Problem) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _always_restrict(patch)
        result = agree(problem, configurations=True)
    if result.status != "infeasible":
        assert roomalloc.check(problem, result).ok


def _campus() -> Problem:
    return cohort(residents=120, seed=4)


def test_a_campus_cohort_is_proven_through_the_restricted_search(
    searches: list[tuple[Any, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = _campus()
    full = roomalloc.solve(problem, workers=1, seed=0, time_limit=60, configurations=False)
    assert full.status == "optimal"
    searches.clear()
    _always_restrict(monkeypatch)
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=60, configurations=True)
    assert result.status == "optimal"
    assert result.objective == full.objective
    assert roomalloc.check(problem, result).ok
    placements = build_model(problem).stats["placement_variables"]
    (_, restricted), = searches[-1:]
    # The last search ran on fewer placements than the problem has.
    assert sum(v.name.startswith("x[") for v in restricted.proto.variables) < placements


def test_a_start_already_optimal_is_returned_without_a_search(
    searches: list[tuple[Any, Any]],
) -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2, building="N"), Room(id="B", capacity=1)],
        residents=[
            Resident(id="a", preferences=[Preference(building="N", weight=2)],
                     roommates=Roommates(want=["b"])),
            Resident(id="b", roommates=Roommates(want=["a"])),
            Resident(id="c"),
        ],
    )
    hint = {"a": "A", "b": "A", "c": "B"}
    result = roomalloc.solve(problem, workers=1, hint=hint, configurations=True)
    assert result.status == "optimal"
    assert result.assignments == hint
    assert result.bound == result.objective
    assert searches == []


def test_ctrl_c_while_pricing_returns_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = _campus()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(RoomConfigurations, "prices", interrupted)
    hint = roomalloc.solver.greedy.greedy_allocation(problem)
    result = roomalloc.solve(problem, workers=1, hint=hint, configurations=True)
    assert result.status == "feasible"
    assert result.assignments == hint
    assert roomalloc.check(problem, result).ok


class _NoOneInA(Rule):
    name = "no_one_in_a"

    def add_to_model(self, ctx: Any) -> None:
        for x in ctx.occupants["A"].values():
            ctx.model.add(x == 0)

    def check(self, problem: Problem, assignments: Any) -> list[roomalloc.Violation]:
        return []


def test_configurations_do_not_apply_to_stays_or_custom_rules() -> None:
    problem = _campus()
    assert RoomConfigurations.of(build_model(problem)) is not None
    assert RoomConfigurations.of(build_model(problem), rules=[_NoOneInA()]) is None
    stays = cohort(residents=40, seed=1, preset="hostel")
    assert RoomConfigurations.of(build_model(stays)) is None
