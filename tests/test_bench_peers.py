"""The benchmark suite's MIP and flow peers agree with brute force on tiny problems, and a run
whose allocation breaks a rule is reported as failed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.flow import solve_as_flow
from benchmarks.highs_mip import solve_with_highs
from benchmarks.peers import Outcome
from benchmarks.problems import is_pure_assignment, size_of
from benchmarks.report import markdown_table
from benchmarks.runner import Run, judge, run_in_child
from hypothesis import given, settings

import roomalloc
from roomalloc import Problem, Resident, Room, TermSpec
from strategies import tiny_problems
from test_bruteforce import brute_force

#: Brute force enumerates (rooms + 1) ** residents allocations, each checked by the verifier.
SMALL = 700
PAIRWISE = [TermSpec(term="housed", weight=100), TermSpec(term="preferences", weight=2),
            TermSpec(term="cost", weight=0.01), TermSpec(term="moves", weight=3)]


def _agrees(outcome: Outcome, problem: Problem, best: float | None) -> None:
    if best is None:
        assert outcome.status == "infeasible"
        return
    assert outcome.status == "optimal"
    assert outcome.assignments is not None
    assert roomalloc.check(problem, outcome.assignments).ok
    value = roomalloc.evaluate(problem, outcome.assignments).objective
    assert abs(value - best) <= 1e-4 * max(1.0, abs(best)), (value, best)
    assert outcome.bound is not None and outcome.bound >= best - 1e-4 * max(1.0, abs(best))


@settings(max_examples=25)
@given(tiny_problems(max_allocations=SMALL))
def test_the_highs_mip_finds_the_brute_force_optimum(problem: Problem) -> None:
    _agrees(solve_with_highs(problem, time_limit=20, threads=1), problem, brute_force(problem))


@settings(max_examples=25)
@given(tiny_problems(max_allocations=SMALL, stays=False, gender=False, avoid=False,
                     groups=False, private=False, roommates=False, objective=PAIRWISE))
def test_the_min_cost_flow_finds_the_brute_force_optimum(problem: Problem) -> None:
    assert is_pure_assignment(problem)
    _agrees(solve_as_flow(problem), problem, brute_force(problem))


def _two_in_one_bed() -> Problem:
    return Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
                   residents=[Resident(id="a"), Resident(id="b")])


def _run(peer: str, problem: Problem) -> Run:
    size = size_of(problem)
    return Run(problem="tiny", preset="hand", peer=peer, residents=size.residents,
               rooms=size.rooms, beds=size.beds, pairs=size.pairs, time_limit=5, threads=1,
               status="pending")


def test_an_allocation_that_breaks_a_rule_is_a_failed_run_without_numbers(
        tmp_path: Path) -> None:
    problem = _two_in_one_bed()
    # The broken peer runs in a child process, as every peer does, from a module of its own.
    (tmp_path / "broken_peer.py").write_text(
        "from benchmarks.peers import Outcome\n"
        "def everyone_in_a(problem, time_limit, threads):\n"
        "    return Outcome('optimal', {r.id: 'A' for r in problem.residents}, bound=2000.0,\n"
        "                   first_seconds=0.0)\n")
    path = tmp_path / "problem.json"
    roomalloc.save_problem(problem, path)
    run = run_in_child(path, problem, _run("broken_peer:everyone_in_a", problem),
                       extra_path=(str(tmp_path),))
    assert run.status == "FAILED"
    assert run.check_ok is False
    assert run.objective is None and run.bound is None and run.gap is None
    assert any("capacity" in v for v in run.violations)
    assert run.peak_rss_mb is not None and run.peak_rss_mb > 0
    row = markdown_table([run]).splitlines()[-1]
    assert "**FAILED**" in row and "2,000" not in row and "2000" not in row


def test_a_valid_allocation_is_scored_by_the_parent_not_by_the_peer() -> None:
    problem = _two_in_one_bed()
    claimed = Outcome("optimal", {"a": "A", "b": "B"}, bound=5000.0, first_seconds=0.1)
    run = judge(problem, claimed, _run("honest", problem))
    assert run.status == "optimal" and run.check_ok is True
    assert run.objective == 2000.0  # housed weight 1000 x 2, recomputed
    assert run.bound == 5000.0 and run.gap is not None and run.gap > 0.5


def test_a_bound_below_the_allocation_is_dropped() -> None:
    problem = _two_in_one_bed()
    run = judge(problem, Outcome("optimal", {"a": "A", "b": "B"}, bound=10.0),
                _run("liar", problem))
    assert run.bound is None and "not a bound" in run.note


def test_a_child_that_overruns_its_wall_cap_is_reported_as_timed_out(tmp_path: Path) -> None:
    problem = _two_in_one_bed()
    (tmp_path / "slow_peer.py").write_text(
        "import time\n"
        "def sleeps(problem, time_limit, threads):\n"
        "    time.sleep(3600)\n")
    path = tmp_path / "problem.json"
    roomalloc.save_problem(problem, path)
    run = _run("slow_peer:sleeps", problem)
    run.time_limit = -29.0  # a wall cap of 1.5 * -29 + 30 = -13.5 s: killed at once
    done = run_in_child(path, problem, run, extra_path=(str(tmp_path),))
    assert done.status == "timed out" and done.objective is None
