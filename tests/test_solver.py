"""The solve() options: seed, hint, progress, Ctrl-C, time limit, guards, errors, diagnosis."""

from __future__ import annotations

import os
import signal

import pytest
from ortools.sat.python import cp_model

import roomalloc
from roomalloc import Preference, Problem, Resident, Room, Roommates, TermSpec
from roomalloc.solver import Requirement, build_model
from roomalloc.synthetic import cohort


def _ties() -> Problem:
    """Many equally good allocations, so only the seed decides which one is returned."""
    rooms = [Room(id=f"R{i}", capacity=2, building="B") for i in range(6)]
    residents = [Resident(id=f"r{i}", preferences=(Preference(building="B", weight=1),))
                 for i in range(8)]
    return Problem(rooms=rooms, residents=residents)


def test_the_same_seed_with_one_worker_gives_the_same_allocation() -> None:
    p = _ties()
    first = roomalloc.solve(p, workers=1, seed=7)
    again = roomalloc.solve(p, workers=1, seed=7)
    assert first.status == "optimal"
    assert first.assignments == again.assignments


def test_every_resident_is_in_the_result_even_without_any_allowed_room() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1)],
                residents=[Resident(id="a"), Resident(id="b", needs=("ensuite",))])
    result = roomalloc.solve(p, workers=1)
    assert result.assignments == {"a": "A", "b": None}
    assert result.terms["housed"] == 1.0


def test_a_hint_reaches_cp_sat() -> None:
    p = _ties()
    hint = {f"r{i}": f"R{i // 2}" for i in range(8)}
    fixed = roomalloc.solve(p, workers=1, hint=hint,
                            parameters={"fix_variables_to_their_hinted_value": True})
    assert fixed.assignments == hint
    previous = roomalloc.solve(p, workers=1, seed=1)
    again = roomalloc.solve(p, workers=1, hint=previous,
                            parameters={"fix_variables_to_their_hinted_value": True})
    assert again.assignments == previous.assignments


def test_progress_reports_each_improving_solution_with_a_bound() -> None:
    calls: list[tuple[float, float, float | None]] = []
    p = cohort(residents=40, seed=3)
    result = roomalloc.solve(p, workers=1, seed=0, time_limit=20,
                             progress=lambda t, obj, bound: calls.append((t, obj, bound)))
    assert calls, "no solution reported"
    objectives = [obj for _, obj, _ in calls]
    assert objectives == sorted(objectives)
    assert all(t >= 0 and bound is not None and bound >= obj - 1e-6 for t, obj, bound in calls)
    assert result.status == "optimal"
    assert calls[-1][1] == pytest.approx(result.objective)


def test_ctrl_c_stops_the_search_and_returns_the_best_allocation_so_far() -> None:
    p = cohort(residents=150, seed=1)

    def interrupt(elapsed: float, objective: float, bound: float | None) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    result = roomalloc.solve(p, workers=1, seed=0, time_limit=300, progress=interrupt)
    assert result.status == "feasible"
    assert result.solve_seconds < 300
    assert set(result.assignments) == {r.id for r in p.residents}
    assert roomalloc.check(p, result).ok


def test_nothing_found_in_time_is_unknown_with_no_assignments() -> None:
    p = cohort(residents=60, seed=2)
    # A starting allocation that breaks a rule (required residents unhoused) is no fallback.
    bad_start = {r.id: None for r in p.residents}
    assert any(r.required for r in p.residents)
    result = roomalloc.solve(p, time_limit=1e-3, workers=1, hint=bad_start)
    assert result.status == "unknown"
    assert result.assignments == {}


def test_a_valid_start_is_returned_as_feasible_when_the_search_finds_nothing() -> None:
    p = cohort(residents=60, seed=2)
    result = roomalloc.solve(p, time_limit=1e-3, workers=1)  # default start: the greedy
    assert result.status == "feasible"
    assert set(result.assignments) == {r.id for r in p.residents}
    report = roomalloc.check(p, result)
    assert report.ok, report.violations
    assert result.bound is None or result.bound >= report.objective


def test_without_objective_terms_a_feasible_allocation_is_optimal() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="a", required=True)],
                objective=[])
    result = roomalloc.solve(p, workers=1)
    assert (result.status, result.assignments, result.objective, result.bound) == (
        "optimal", {"a": "A"}, 0.0, 0.0)


def test_fractional_weights_keep_an_honest_bound() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1, cost=100 / 3), Room(id="B", capacity=1, cost=10.0)],
        residents=[Resident(id="a", priority=1.1), Resident(id="b", priority=2.2)],
        objective=[TermSpec(term="housed", weight=1 / 3), TermSpec(term="cost", weight=0.001)],
    )
    built = build_model(p)
    assert built.tolerance > 0
    result = roomalloc.solve(p, workers=1)
    assert result.status == "optimal"
    assert result.bound is not None
    assert result.objective <= result.bound <= result.objective + 2 * built.tolerance + 1e-12


def test_coefficients_that_overflow_raise_model_too_large() -> None:
    likes_a = (Preference(room="A", weight=1),)
    p = Problem(rooms=[Room(id="A", capacity=9)],
                residents=[Resident(id=f"r{i}", preferences=likes_a, priority=1e12)
                           for i in range(9)],
                objective=[TermSpec(term="housed", weight=1e12),
                           TermSpec(term="preferences", weight=1)])
    with pytest.raises(roomalloc.ModelTooLargeError, match="64-bit"):
        roomalloc.solve(p)


def test_an_unregistered_objective_term_is_a_clear_error() -> None:
    with pytest.raises(roomalloc.ProblemError, match="happiness"):  # caught when made
        Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="a")],
                objective=[TermSpec(term="happiness", weight=1)])
    p = Problem.model_construct(rooms=(Room(id="A", capacity=1),), residents=(Resident(id="a"),),
                                objective=(TermSpec(term="happiness", weight=1),))
    with pytest.raises(roomalloc.PluginError, match="happiness"):
        roomalloc.solve(p)


def test_an_infeasible_result_carries_the_diagnosis(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    explain = importlib.import_module("roomalloc.explanation")

    class Found:
        messages = ("a and b both must be housed, but room A has 1 bed",)

    monkeypatch.setattr(explain, "diagnose", lambda problem, rules=(): Found())
    p = Problem(rooms=[Room(id="A", capacity=1)],
                residents=[Resident(id="a", required=True), Resident(id="b", required=True)])
    result = roomalloc.solve(p, workers=1)
    assert result.status == "infeasible"
    assert result.assignments == {}
    assert result.diagnosis == Found.messages
    assert roomalloc.solve(p, workers=1, diagnose=False).diagnosis == ()


def test_guarded_model_names_each_requirement_and_finds_a_conflict() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=2, gender="female")],
        residents=[
            Resident(id="a", required=True, gender="male"),
            Resident(id="b", required=True, gender="male", roommates=Roommates(avoid=("a",))),
            Resident(id="c", gender="female", private=True),
            Resident(id="d", gender="female", current_room="B", locked=True),
            Resident(id="e", gender="female", group="g"),
            Resident(id="f", gender="female", group="g"),
        ],
    )
    built = build_model(p, objective=False, guarded=True)
    assert set(built.guards) == {
        Requirement("required", ("a",)),
        Requirement("required", ("b",)),
        Requirement("avoid", ("a", "b")),
        Requirement("private", ("c",)),
        Requirement("locked", ("d",)),
        Requirement("group", ("g", "e", "f")),
        Requirement("capacity", ("A",)),
        Requirement("capacity", ("B",)),
        Requirement("gender_mixing", ("A",)),
    }
    assert built.objective is None
    built.model.add_assumptions(list(built.guards.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.INFEASIBLE
    by_index = {lit.index: req for req, lit in built.guards.items()}
    core = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
    # Both men need room A (B is for women), which has one bed.
    assert Requirement("required", ("a",)) in core
    assert Requirement("required", ("b",)) in core
    assert all(str(req) for req in core)


def test_unguarded_model_has_no_guards_and_counts_its_variables() -> None:
    built = build_model(_ties())
    assert built.guards == {}
    assert built.stats["placement_variables"] == 48
    assert built.stats["variables"] > 48


def _roommate_pair() -> Problem:
    rooms = [Room(id="A", capacity=2), Room(id="B", capacity=2)]
    residents = [
        Resident(id="a", gender="f", roommates=Roommates(want=("b",))),
        Resident(id="b", gender="f", roommates=Roommates(want=("a",))),
        Resident(id="c", gender="m"),
    ]
    return Problem(rooms=rooms, residents=residents)


def test_complete_hint_gives_every_helper_variable_the_allocation_s_value() -> None:
    p = _roommate_pair()
    built = build_model(p)
    allocation = {"a": "A", "b": "A", "c": "B"}
    assert built.complete_hint(allocation, time_limit=10.0)
    hint = built.model.proto.solution_hint
    hinted = dict(zip(hint.vars, hint.values, strict=True))
    assert len(hinted) == len(built.model.proto.variables)  # helpers too, not only placements
    for r, rooms in built.context.placements.items():
        for k, x in rooms.items():
            assert hinted[x.index] == int(allocation[r] == k)
    # The hint is a whole solution: CP-SAT told to follow it exactly finds it at once.
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert built.assignments(solver.boolean_value) == allocation
    # Worth what the allocation is worth: the met wish counts in the hint (its "together"
    # literal is 1, not merely allowed to be 0).
    assert built.objective is not None
    hinted_value = built.objective.to_objective(solver.objective_value)
    assert hinted_value == roomalloc.evaluate(p, allocation).objective
    assert roomalloc.evaluate(p, allocation).terms["roommates"] == 2.0


def test_complete_hint_keeps_the_placement_hint_when_the_allocation_breaks_a_rule() -> None:
    p = _roommate_pair()
    built = build_model(p)
    mixed = {"a": "A", "b": "B", "c": "A"}  # c shares with a: gender mixing is forbidden
    assert not built.complete_hint(mixed, time_limit=10.0)
    hint = built.model.proto.solution_hint
    placements = {x.index for rooms in built.context.placements.values() for x in rooms.values()}
    assert placements <= set(hint.vars)
    assert len(hint.vars) < len(built.model.proto.variables)


def test_the_time_limit_covers_the_model_build(
    monkeypatch: pytest.MonkeyPatch, searches: list[tuple[cp_model.CpSolver, object]]
) -> None:
    from roomalloc.solver import search

    real_build = search.build_model

    def slow_build(*args: object, **kwargs: object) -> object:
        import time

        time.sleep(0.5)  # a build that uses the whole limit
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "build_model", slow_build)
    result = roomalloc.solve(cohort(residents=30, seed=2), time_limit=0.4, workers=1)
    assert searches == []  # no search starts once the limit is spent
    assert result.status == "feasible"  # the greedy start, which passes check
    assert result.bound is None  # nothing proved anything


def test_roommate_literals_exist_only_in_rooms_with_two_beds_or_more() -> None:
    p = Problem(
        rooms=[Room(id="single", capacity=1), Room(id="double", capacity=2)],
        residents=[Resident(id="a", roommates=Roommates(want=("b",))),
                   Resident(id="b", roommates=Roommates(want=("a",)))],
        objective=[TermSpec(term="roommates", weight=1)],
    )
    names = [v.name for v in build_model(p).model.proto.variables]
    assert [n for n in names if n.startswith("together")] == ["together[a|b|double]"]
    result = roomalloc.solve(p, workers=1)
    assert result.status == "optimal"
    assert result.assignments == {"a": "double", "b": "double"}
    assert result.terms["roommates"] == 2.0


def _subsolvers_seen(
    searches: list[tuple[cp_model.CpSolver, object]], **kwargs: object
) -> list[str]:
    result = roomalloc.solve(_ties(), **kwargs)  # type: ignore[arg-type]
    assert result.status == "optimal"
    return [name for solver, _ in searches for name in solver.parameters.subsolvers]


def test_two_workers_search_with_the_full_lp_worker(
    searches: list[tuple[cp_model.CpSolver, object]],
) -> None:
    assert _subsolvers_seen(searches, workers=2) == ["max_lp"]


def test_four_workers_swap_default_lp_for_max_lp(monkeypatch: pytest.MonkeyPatch) -> None:
    from roomalloc.solver import cpsat

    solver = cp_model.CpSolver()
    cpsat.prefer_full_lp(solver.parameters, 4)
    assert list(solver.parameters.ignore_subsolvers) == ["default_lp"]
    assert list(solver.parameters.extra_subsolvers) == ["max_lp"]


def test_many_workers_keep_cp_sat_s_own_portfolio(
    searches: list[tuple[cp_model.CpSolver, object]],
) -> None:
    assert _subsolvers_seen(searches, workers=8) == []


def test_subsolvers_given_as_parameters_replace_the_choice(
    searches: list[tuple[cp_model.CpSolver, object]],
) -> None:
    chosen = _subsolvers_seen(searches, workers=2, parameters={"subsolvers": ["no_lp"]})
    assert chosen == ["no_lp"]
