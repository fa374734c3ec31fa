"""The scalable path end to end: honest results, the clock, Ctrl-C, and when solve uses it."""

from __future__ import annotations

import signal
import time

import pytest

import roomalloc
from roomalloc import Problem, TermSpec
from roomalloc.rules.base import Rule
from roomalloc.solver import scale
from roomalloc.solver.driver import drive
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.solver.scale import ScaleRun, accepts, solve_at_scale
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.stages import OfficeGreedyStage
from roomalloc.synthetic import PRESETS, cohort


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_gets_a_checked_allocation_under_an_honest_bound(preset: str) -> None:
    problem = cohort(residents=300, seed=8, preset=preset)
    result = solve_at_scale(problem, time_limit=6, workers=1)
    assert result.status in ("feasible", "optimal")
    assert set(result.assignments) == {r.id for r in problem.residents}
    assert roomalloc.check(problem, result.assignments).ok
    ev = roomalloc.evaluate(problem, result.assignments)
    assert result.objective == ev.objective and result.terms == ev.terms
    assert result.bound is not None and result.bound >= result.objective


def test_no_stage_starts_after_the_deadline() -> None:
    problem = cohort(residents=200, seed=2)
    started = time.perf_counter()
    run = ScaleRun(problem, started=started, time_limit=0.0)  # the clock has run out
    assert drive(run, scale.SCALE_STAGES).status == "unknown" and run.log == []
    result = solve_at_scale(problem, time_limit=1e-9, workers=1)
    assert result.status == "unknown" and result.assignments == {}


def test_the_bound_stage_follows_the_start() -> None:
    problem = cohort(residents=200, seed=2)
    started = time.perf_counter()
    run = ScaleRun(problem, started=started, time_limit=600)
    stages = [s for s in scale.SCALE_STAGES if s.name != "neighbourhoods"]
    result = drive(run, stages)
    assert roomalloc.check(problem, result.assignments).ok
    assert run.proved is not None and run.objective is not None
    assert [line.split(":")[0] for line in run.log] == [
        "sparse_candidates", "greedy_start", "office_greedy", "assignment_bound"]
    assert run.proved >= run.objective


def test_the_neighbourhoods_stop_at_the_deadline() -> None:
    problem = cohort(residents=300, seed=2, preset="hostel")
    result = solve_at_scale(problem, time_limit=3, workers=1)
    # Not a timing assertion on the machine: the path reports the time it used, and that
    # stays under the limit it was given plus one step of the search.
    assert result.solve_seconds <= 3 + 1.5


def test_ctrl_c_returns_the_best_allocation_so_far() -> None:
    problem = cohort(residents=300, seed=3, preset="staff_housing")
    calls: list[float] = []

    def progress(elapsed: float, objective: float, bound: float | None) -> None:
        calls.append(objective)
        if len(calls) == 2:  # once the search has improved on its start: Ctrl-C
            signal.raise_signal(signal.SIGINT)

    result = solve_at_scale(problem, time_limit=600, workers=1, progress=progress)
    assert result.status == "feasible" and result.interrupted
    assert roomalloc.check(problem, result.assignments).ok
    assert result.objective is not None and result.objective >= calls[1] - 1e-6
    assert result.solve_seconds < 600


def test_solve_hands_large_problems_to_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = cohort(residents=120, seed=1)
    seen: list[int] = []
    real = scale.solve_at_scale

    def spy(p: Problem, **options: object) -> roomalloc.Result:
        seen.append(len(p.residents))
        return real(p, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(scale, "solve_at_scale", spy)
    monkeypatch.setattr(scale, "SCALE_FROM", 100)
    result = roomalloc.solve(problem, time_limit=4, workers=1)
    assert seen == [120]
    assert roomalloc.check(problem, result.assignments).ok
    monkeypatch.setattr(scale, "SCALE_FROM", 1000)
    roomalloc.solve(problem, time_limit=4, workers=1)
    assert seen == [120]



def test_a_valid_hint_is_the_paths_first_allocation(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hint used to send a large problem to the full model, which at 10,000 residents cannot
    # be built in time: the hint came back untouched. Now the path starts from it.
    problem = cohort(residents=120, seed=1)
    monkeypatch.setattr(scale, "SCALE_FROM", 100)
    seen: list[object] = []
    real = scale.solve_at_scale

    def spy(p: Problem, **options: object) -> roomalloc.Result:
        seen.append(options.get("hint"))
        return real(p, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(scale, "solve_at_scale", spy)
    first = roomalloc.solve(problem, time_limit=3, workers=1, seed=0)
    assert first.status in ("feasible", "optimal")
    again = roomalloc.solve(problem, time_limit=3, workers=1, seed=0, hint=first)
    assert seen[-1] == first.assignments
    assert roomalloc.check(problem, again.assignments).ok
    assert again.objective is not None and first.objective is not None
    assert again.objective >= first.objective  # never worse than the valid hint it began from

class _NoOne(Rule):
    name = "no_one_in_a0"

    def check(self, problem: Problem, assignments: object) -> list[object]:
        return []

    def add_to_model(self, ctx: object) -> None:
        return None


def test_custom_rules_and_fairness_are_declined() -> None:
    problem = cohort(residents=50, seed=1)
    assert accepts(problem)
    assert not accepts(problem, [_NoOne()])
    fair = problem.model_copy(update={"objective": (*problem.objective,
                                                    TermSpec(term="fairness", weight=1))})
    assert not accepts(fair)


def test_the_path_depends_on_the_time_limit_as_well_as_the_size() -> None:
    from roomalloc.solver.search import _full_candidates

    campus = cohort(residents=1_000, seed=1)  # 383,841 placement pairs
    assert _full_candidates(campus, (), None) is not None  # no limit: proven by the full model
    assert _full_candidates(campus, (), 60.0) is None  # a build of ~10 s does not fit 60 s
    assert _full_candidates(campus, (), 1_000.0) is not None
    assert _full_candidates(campus, [_NoOne()], 60.0) is not None  # only the full model can
    small = cohort(residents=60, seed=2)
    assert _full_candidates(small, (), 1e-3) is not None  # a build of well under a second


def test_solve_sends_a_model_too_large_for_the_limit_to_the_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from roomalloc.solver import search

    problem = cohort(residents=120, seed=1)
    seen: list[float | None] = []
    monkeypatch.setattr(scale, "solve_at_scale", lambda p, **options: seen.append(
        options["time_limit"]) or roomalloc.Result(status="unknown"))
    monkeypatch.setattr(search, "_FULL_MODEL_ALWAYS", 0)
    monkeypatch.setattr(search, "_BUILD_PER_PAIR", 1.0)  # every build "takes" hours
    assert roomalloc.solve(problem, time_limit=3, workers=1).status == "unknown"
    assert seen == [3]


@pytest.mark.parametrize("upto", range(1, len(scale.SCALE_STAGES) + 1))
def test_each_stage_leaves_a_checked_allocation_or_none(upto: int) -> None:
    problem = cohort(residents=150, seed=4, preset="ward")
    run = ScaleRun(problem, time_limit=3, workers=1)
    result = drive(run, scale.SCALE_STAGES[:upto])
    assert [line.split(":")[0] for line in run.log] == [
        s.name for s in scale.SCALE_STAGES[:upto] if s.name in {n.split(":")[0] for n in run.log}]
    if result.status in ("feasible", "optimal"):
        assert roomalloc.check(problem, result.assignments).ok
    if result.bound is not None:
        assert result.objective is None or result.bound >= result.objective


def test_the_office_greedy_replaces_a_worse_start() -> None:
    problem = cohort(residents=120, seed=2, preset="campus")
    office = greedy_allocation(problem)
    assert roomalloc.check(problem, office).ok
    run = ScaleRun(problem, time_limit=None, workers=1)
    run.adopt(Occupancy(run.arrays), [])  # nobody housed: far below the office's allocation
    stage = OfficeGreedyStage()
    assert stage.accepts(run)
    stage.run(run)
    assert run.occupancy is not None and run.occupancy.assignments() == office
    assert run.objective == roomalloc.evaluate(problem, office).objective


def test_the_office_greedy_keeps_a_better_start() -> None:
    problem = cohort(residents=120, seed=2, preset="campus")
    best = roomalloc.solve(problem, time_limit=None, workers=1)
    run = ScaleRun(problem, time_limit=None, workers=1)
    run.adopt(Occupancy.from_assignments(run.arrays, best.assignments), [])
    before = run.occupancy
    OfficeGreedyStage().run(run)
    assert run.occupancy is before


def test_the_office_greedy_is_skipped_when_too_big_for_the_time_left() -> None:
    run = ScaleRun(cohort(residents=120, seed=2, preset="campus"), time_limit=1e-4, workers=1)
    time.sleep(2e-4)
    assert not OfficeGreedyStage().accepts(run)


def test_the_office_greedy_gets_more_time_when_the_start_left_a_required_resident_out() -> None:
    run = ScaleRun(cohort(residents=120, seed=2, preset="campus"), time_limit=None, workers=1)
    cells = run.arrays.residents * run.arrays.rooms
    estimate = cells * scale.stages.OFFICE_GREEDY_PER_CELL
    left = estimate / 0.5  # between the two shares of the time left
    run.time_left = lambda: left  # type: ignore[method-assign]
    assert not OfficeGreedyStage().accepts(run)
    run.missing_required = [0]
    assert OfficeGreedyStage().accepts(run)
