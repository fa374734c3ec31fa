"""Honest results whatever stops the search: the bound, the check, the arguments, SIGTERM.

Issue #13's observations on the solver's side, each as a regression test: a bound raised to the
allocation's own value when CP-SAT had proved nothing, a plug-in that made ``solve`` return an
allocation its own check rejects, arguments that crashed deep inside CP-SAT, and SIGTERM that
ended the run with the allocation lost.
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import roomalloc
from roomalloc import PluginError, Problem, Resident, Room, Violation
from roomalloc.rules import Rule
from roomalloc.solver import BuildContext, build_model
from roomalloc.solver import search as search_module
from roomalloc.solver.configurations import RoomConfigurations
from roomalloc.solver.driver import Run, drive
from roomalloc.synthetic import cohort
from strategies import tiny_problems
from test_bruteforce import brute_force

#: Ways to stop CP-SAT before it proves anything (or anything much).
_CUT_SHORT = st.one_of(
    st.builds(lambda n: {"max_number_of_conflicts": n}, st.integers(0, 5)),
    st.builds(lambda s: {"max_time_in_seconds": s}, st.sampled_from([0.0, 0.001, 0.005])),
    st.builds(lambda d: {"max_deterministic_time": d}, st.sampled_from([0.0, 1e-4, 1e-3])),
)


def _honest(problem: Problem, result: roomalloc.Result, best: float | None) -> None:
    """``result`` keeps every promise against the brute-force optimum ``best``."""
    slack = 2 * build_model(problem).tolerance + 1e-6
    if best is None:
        assert result.status in ("infeasible", "unknown")
        return
    assert result.status != "infeasible"
    if result.status == "unknown":
        assert result.bound is None or result.bound >= best - slack
        return
    assert roomalloc.check(problem, result).ok
    assert result.objective is not None and result.objective <= best + slack
    if result.bound is not None:
        assert result.bound >= best - slack, (result.bound, best)
        assert result.bound >= result.objective
    if result.status == "optimal":
        assert abs(result.objective - best) <= slack
    if result.status == "feasible" and result.bound is not None and (
        result.bound <= result.objective
    ):
        assert abs(result.objective - best) <= slack  # the proof really met the allocation


@settings(max_examples=80, deadline=None)
@given(tiny_problems(max_allocations=700), _CUT_SHORT, st.booleans())
def test_a_search_cut_short_never_claims_a_bound_below_the_optimum(
    problem: Problem, parameters: dict[str, Any], configurations: bool
) -> None:
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=10, diagnose=False,
                             parameters=parameters, configurations=configurations)
    _honest(problem, result, brute_force(problem))


@settings(max_examples=40, deadline=None)
@given(tiny_problems(max_allocations=700, required=False, locked=False), _CUT_SHORT)
def test_a_poor_start_and_a_search_cut_short_never_claim_a_bound_below_the_optimum(
    problem: Problem, parameters: dict[str, Any]
) -> None:
    nobody = {r.id: None for r in problem.residents}  # valid, and far from the optimum
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=10, diagnose=False,
                             parameters=parameters, hint=nobody, configurations=False)
    _honest(problem, result, brute_force(problem))


@settings(max_examples=25, deadline=None)
@given(tiny_problems(max_allocations=700), st.sampled_from([0.001, 0.003, 0.01]))
def test_a_time_limit_of_milliseconds_never_claims_a_bound_below_the_optimum(
    problem: Problem, time_limit: float
) -> None:
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=time_limit,
                             diagnose=False)
    _honest(problem, result, brute_force(problem))


def test_a_search_stopped_before_any_proof_reports_no_bound() -> None:
    problem = cohort(residents=60, seed=2)
    stopped = roomalloc.solve(problem, workers=1, seed=0, shortlists=False,
                              configurations=False, parameters={"max_time_in_seconds": 0.0})
    assert stopped.status == "feasible"  # the greedy start
    assert stopped.bound is None  # CP-SAT's placeholder bound of 0 proves nothing
    better = roomalloc.solve(problem, workers=1, seed=0, time_limit=30)
    assert better.status == "optimal"
    assert better.objective is not None and stopped.objective is not None
    assert better.objective > stopped.objective  # the start was not optimal: no gap of 0


def test_the_configurations_bound_alone_is_reported_when_the_search_proves_nothing() -> None:
    problem = cohort(residents=60, seed=2)
    result = roomalloc.solve(problem, workers=1, seed=0, configurations=True, shortlists=False,
                             parameters={"max_time_in_seconds": 0.0})
    configs = RoomConfigurations.of(build_model(problem))
    assert configs is not None
    assert result.bound is not None and result.objective is not None
    assert result.bound >= result.objective
    optimum = roomalloc.solve(problem, workers=1, seed=0, time_limit=30)
    assert optimum.status == "optimal" and optimum.objective is not None
    assert result.bound >= optimum.objective - 1e-6


def test_a_proven_bound_below_the_allocation_is_a_bug_not_a_result() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])

    class Lying:
        name = "a wrong proof"
        essential = True

        def accepts(self, run: Run) -> bool:
            return True

        def run(self, run: Run) -> None:
            run.offer({"r1": "A"})  # worth 1,000
            run.prove(10.0)

    with pytest.raises(RuntimeError, match="below an allocation"):
        drive(Run(problem), [Lying()])


class _HalfHearted(Rule):
    """A plug-in whose model allows what its check rejects: nobody may live in room A."""

    name = "nobody_in_A"

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
        return [Violation(self.name, f"{r} lives in room A", residents=(r,), room="A")
                for r, k in assignments.items() if k == "A"]

    def add_to_model(self, ctx: BuildContext) -> None:
        pass  # forgets to forbid room A


def test_a_plug_in_whose_check_rejects_its_model_is_a_plugin_error_not_a_result() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=2, building="N")],
                      residents=[Resident(id="r1", required=True), Resident(id="r2")])
    with pytest.raises(PluginError, match="nobody_in_A"):
        roomalloc.solve(problem, workers=1, rules=[_HalfHearted()], hint={"r1": "A"})


@pytest.mark.parametrize(("name", "value"), [
    ("time_limit", 0), ("time_limit", 0.0), ("time_limit", -1), ("time_limit", math.nan),
    ("time_limit", math.inf), ("time_limit", True), ("time_limit", "60"),
    ("time_limit", 1e20),
    ("workers", -1), ("workers", 100_000), ("workers", 257), ("workers", True),
    ("workers", 2.0),
    ("seed", 1e20), ("seed", 2**31), ("seed", -2**31 - 1), ("seed", False), ("seed", 1.5),
])
def test_unusable_arguments_are_a_value_error_naming_the_argument(name: str, value: Any) -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    with pytest.raises(ValueError, match=f"^{name} must be"):
        roomalloc.solve(problem, **{name: value})


@pytest.mark.parametrize(("name", "value"), [
    ("time_limit", None), ("time_limit", 0.5), ("workers", 0), ("workers", 256),
    ("seed", -2**31), ("seed", 2**31 - 1),
])
def test_arguments_at_their_limits_are_accepted(name: str, value: Any) -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    assert roomalloc.solve(problem, **{"workers": 1, name: value}).status == "optimal"


def _terminate_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    return timer


def test_sigterm_during_the_search_returns_the_best_allocation_so_far() -> None:
    problem = cohort(residents=300, seed=1)
    before = signal.getsignal(signal.SIGTERM)
    timer = _terminate_after(3.0)
    try:
        result = roomalloc.solve(problem, workers=1, seed=0, time_limit=600)
    finally:
        timer.cancel()
    assert result.interrupted
    assert result.status == "feasible"
    assert set(result.assignments) == {r.id for r in problem.residents}
    assert roomalloc.check(problem, result).ok
    assert result.solve_seconds < 300  # a generous sanity bound: it stopped, it did not finish
    assert signal.getsignal(signal.SIGTERM) is before  # the previous handler is back


def test_sigterm_outside_cp_sat_stops_the_stage_and_keeps_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = cohort(residents=60, seed=2)
    real_prices = RoomConfigurations.multipliers

    def terminated(self: RoomConfigurations, *args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler raises before pricing goes on
        return real_prices(self, *args, **kwargs)

    monkeypatch.setattr(RoomConfigurations, "multipliers", terminated)
    result = roomalloc.solve(problem, workers=1, seed=0, configurations=True, shortlists=False)
    assert result.interrupted and result.status == "feasible"
    assert roomalloc.check(problem, result).ok
    assert result.bound is None  # the pricing never finished: nothing was proved


def test_an_interrupted_result_round_trips_through_json() -> None:
    result = roomalloc.Result(status="feasible", assignments={"r1": None}, objective=0.0,
                              interrupted=True)
    again = roomalloc.Result.model_validate_json(result.model_dump_json())
    assert again.interrupted
    assert "interrupted" not in roomalloc.Result(status="unknown").model_dump_json()


def test_no_search_starts_when_the_model_would_take_longer_than_the_limit(
    monkeypatch: pytest.MonkeyPatch, searches: list[tuple[Any, Any]],
) -> None:
    monkeypatch.setattr(search_module, "_BUILD_PER_PAIR", 1e3)  # every build "takes" hours
    built: list[object] = []
    real_build = search_module.build_model
    monkeypatch.setattr(search_module, "build_model",
                        lambda *a, **k: built.append(1) or real_build(*a, **k))
    problem = cohort(residents=60, seed=2)
    result = roomalloc.solve(problem, workers=1, time_limit=5)
    assert built == [] and searches == []
    assert result.status == "feasible" and result.bound is None  # the greedy start, unproved
    assert roomalloc.check(problem, result).ok
