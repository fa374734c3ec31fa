"""Room configurations: the bound holds and the fixing keeps every better allocation.

Both are checked against every valid allocation of tiny problems, found by enumeration and
the independent verifier (never the solver's model); then ``solve`` with the configurations'
search against the brute-force optimum.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import pytest
from hypothesis import assume, given, settings
from ortools.sat.python import cp_model

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


def _configurations_of(problem: Problem) -> tuple[Any, RoomConfigurations,
                                                  list[dict[str, str | None]]]:
    """The built model, its configurations and every valid allocation (examples without
    them, or with an objective scaled with rounding, are skipped)."""
    built = build_model(problem)
    configs = RoomConfigurations.of(built)
    assume(configs is not None and built.tolerance == 0)
    assert configs is not None
    valid = _valid_allocations(problem)
    assume(valid)
    return built, configs, valid


def _bound_and_fixing_keep_every_better_allocation(problem: Problem) -> None:
    built, configs, valid = _configurations_of(problem)
    assert built.objective is not None
    scaled = built.objective
    values = [configs.value(a) for a in valid]
    for a, v in zip(valid, values, strict=True):
        # The configurations' value is the model's objective, which is the verifier's.
        assert scaled.to_objective(v) == pytest.approx(roomalloc.evaluate(problem, a).objective)
    worst = valid[values.index(min(values))]
    incumbent = min(values)
    c = built.candidates
    for start in (None, worst):
        prices = configs.multipliers(None, start=start)
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


@settings(max_examples=60)
@given(tiny_problems(max_allocations=MAX_ALLOCATIONS, stays=False, objective=PLACEMENT_TERMS))
def test_the_packing_of_every_configuration_is_the_brute_force_optimum(problem: Problem) -> None:
    # Given the configurations of every valid allocation, the packing's optimum is the
    # problem's: each of its allocations is valid (the verifier says so) and worth what the
    # verifier's evaluate says, and each valid allocation is one of its choices.
    built, configs, valid = _configurations_of(problem)
    assert built.objective is not None
    columns = {(j, tuple(sorted(ms))) for a in valid for j, ms in configs._by_room(a).items()}
    prices = dataclasses.replace(configs.multipliers(None), columns=tuple(sorted(columns)))
    start = valid[0]
    packing = configs.packing(prices, start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(packing.model) == cp_model.OPTIMAL
    found = packing.assignments(solver.boolean_value)
    assert set(found) == {r.id for r in problem.residents}
    assert roomalloc.check(problem, found).ok
    best = max(roomalloc.evaluate(problem, a).objective for a in valid)
    assert roomalloc.evaluate(problem, found).objective == pytest.approx(best)
    assert built.objective.to_objective(solver.objective_value) == pytest.approx(best)


def test_the_packing_improves_on_the_start_and_solve_keeps_it(
    searches: list[tuple[Any, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = _campus()
    built = build_model(problem)
    configs = RoomConfigurations.of(built)
    assert configs is not None
    start = roomalloc.solver.greedy.greedy_allocation(problem)
    packing = configs.packing(configs.multipliers(None, start=start), start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the LP of a set packing is nearly integral
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(packing.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    packed = packing.assignments(solver.boolean_value)
    assert roomalloc.check(problem, packed).ok
    assert configs.value(packed) > configs.value(start)
    # solve searches the packing (the first search: no shortlist on this size) and goes on
    # from its allocation, never below it.
    reports: list[tuple[float, float, float | None]] = []
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=60, hint=start,
                             configurations=True, progress=lambda *r: reports.append(r))
    (_, first), *_ = searches
    assert len(first.proto.variables) == len(packing.chosen)
    assert roomalloc.check(problem, result).ok
    assert result.objective >= roomalloc.evaluate(problem, packed).objective - 1e-9
    # Every report, the packing's included, carries a bound of the problem (the
    # configurations' bound there; the packing's own bound covers only its columns).
    assert reports
    assert all(b is not None and b >= max(o, result.objective) - 1e-9 for _, o, b in reports)


def test_ctrl_c_while_packing_returns_the_best_allocation_so_far(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _campus()
    real_run = search._run_interruptibly

    def interrupted_after_a_while(solver: Any, model: Any, watcher: Any) -> int:
        solver.parameters.max_time_in_seconds = 5.0
        code = real_run(solver, model, watcher)
        watcher.interrupted = True  # as the Ctrl-C handler does
        return code

    monkeypatch.setattr(search, "_run_interruptibly", interrupted_after_a_while)
    hint = roomalloc.solver.greedy.greedy_allocation(problem)
    result = roomalloc.solve(problem, workers=1, hint=hint, configurations=True)
    assert result.status == "feasible"
    assert roomalloc.check(problem, result).ok
    assert set(result.assignments) == {r.id for r in problem.residents}
    assert result.objective > roomalloc.evaluate(problem, hint).objective
    assert result.bound is not None and result.bound >= result.objective


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

    monkeypatch.setattr(RoomConfigurations, "multipliers", interrupted)
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
