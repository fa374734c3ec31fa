"""``roomalloc.solve``: build the model, let CP-SAT search, return an honest :class:`Result`.

The result's ``objective`` and ``terms`` are recomputed from the allocation with
:func:`roomalloc.evaluate`, never read from CP-SAT. ``bound`` is CP-SAT's best proven bound
converted back to objective units plus the scaling tolerance, so it is a true upper bound on
the best achievable objective. Ctrl-C during the search stops it and returns the best
allocation found so far.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, solve
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="r2")])
>>> result = solve(p, workers=1, seed=0)
>>> result.status, result.assignments["r1"], result.objective
('optimal', 'A', 2003.0)
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ortools.sat.python import cp_model

from roomalloc.candidates import Candidates
from roomalloc.evaluation import evaluate
from roomalloc.model import Problem, Result, Status
from roomalloc.rules.base import Rule
from roomalloc.solver.builder import BuiltModel, build_model
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.solver.shortlist import SHORTLIST_SIZE, shortlist
from roomalloc.verifier import check

#: ``progress(elapsed_seconds, objective, bound)``, called on each improving solution.
Progress = Callable[[float, float, float | None], None]

#: The shortlist search (:mod:`roomalloc.solver.shortlist`) runs when the full model has more
#: than ``_SHORTLIST_FROM`` times the pairs of the shortlists, and gets ``_SHORTLIST_SHARE`` of
#: the time left, at most ``_SHORTLIST_CAP`` seconds.
_SHORTLIST_FROM = 3
_SHORTLIST_SHARE = 0.25
_SHORTLIST_CAP = 300.0

#: The hint's completion (:meth:`BuiltModel.complete_hint`) may use this share of the time
#: limit, and never more than ``_COMPLETION_CAP`` seconds.
_COMPLETION_SHARE = 0.2
_COMPLETION_CAP = 30.0

_STATUS: dict[Any, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to the progress callback; notes a Ctrl-C.

    ``elapsed`` counts from ``started`` (the start of the ``solve`` call). A shortlist search
    reports no bound: its bound is not the problem's.
    """

    def __init__(self, built: BuiltModel, progress: Progress | None, started: float,
                 *, bounded: bool = True) -> None:
        super().__init__()
        self._built = built
        self._progress = progress
        self._started = started
        self._bounded = bounded
        self.solutions = 0
        self.interrupted = False

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self._progress is None:
            return
        elapsed = time.perf_counter() - self._started
        scaled = self._built.objective
        if scaled is None:
            self._progress(elapsed, 0.0, None)
            return
        objective = scaled.to_objective(self.objective_value)
        bound = None
        if self._bounded:
            bound = scaled.to_objective(self.best_objective_bound) + self._built.tolerance
        self._progress(elapsed, objective, bound)


def _run_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: Any) -> int:
    """Solve in a worker thread so that Ctrl-C in the main thread can stop the search.

    While the search runs, SIGINT stops it (``stop_search``) instead of raising
    KeyboardInterrupt, so a second Ctrl-C that lands while the search winds down cannot escape
    and lose the allocation found. The main thread waits on an Event, not on ``Thread.join``: a
    join interrupted by a signal can leave the thread looking finished while it still runs
    (Python < 3.13). Off the main thread (where signals cannot be handled) the search runs
    without the handler.
    """
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model, watcher)
        except BaseException as err:  # re-raised in the caller's thread
            outcome["error"] = err
        finally:
            done.set()

    def stop() -> None:
        if isinstance(watcher, _Watcher):
            watcher.interrupted = True
        solver.stop_search()

    def on_sigint(signum: int, frame: Any) -> None:
        stop()

    worker = threading.Thread(target=run, name="roomalloc-cp-sat", daemon=True)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if in_main else None
    try:
        worker.start()
        while not done.is_set():
            try:
                done.wait(0.05)
            except KeyboardInterrupt:  # a handler installed by someone else raised it
                stop()
        worker.join()
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGINT, previous)
    if "error" in outcome:
        raise outcome["error"]
    status: int = outcome["status"]
    return status


_SUBSOLVER_FIELDS = {"subsolvers", "extra_subsolvers", "ignore_subsolvers", "filter_subsolvers"}


def _prefer_full_lp(params: Any, workers: int) -> None:
    """Make CP-SAT's full-problem LP worker ``max_lp`` (linearization level 2).

    With fewer than six workers CP-SAT's portfolio runs ``default_lp``, which resets
    ``linearization_level`` to 1, and no ``max_lp``: with two workers the bound of a
    300-resident campus stayed 3 % above the optimum for 120 s, while ``max_lp`` proves it
    optimal in 15 s. The other workers keep running the neighbourhood searches.
    """
    if workers <= 2:
        params.subsolvers.append("max_lp")
    elif workers < 6:
        params.ignore_subsolvers.append("default_lp")
        params.extra_subsolvers.append("max_lp")


def _effective_workers(workers: int) -> int:
    """The number of search workers CP-SAT runs for ``workers`` (0: one per available core)."""
    if workers > 0:
        return workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _diagnosis(problem: Problem, rules: Sequence[Rule]) -> tuple[str, ...]:
    """Plain-words reasons from :func:`roomalloc.diagnose`."""
    from roomalloc.explain import diagnose  # late: explain builds on this module

    return tuple(str(m) for m in diagnose(problem, rules=rules).messages)


def solve(
    problem: Problem,
    *,
    time_limit: float | None = 60.0,
    workers: int = 0,
    seed: int = 0,
    hint: Result | Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
    rules: Sequence[Rule] = (),
    diagnose: bool = True,
    parameters: Mapping[str, Any] | None = None,
    shortlists: bool = True,
) -> Result:
    """Find the best allocation of ``problem``: every hard rule holds, the objective is maximal.

    ``time_limit`` in seconds (``None``: no limit); ``workers`` CP-SAT search workers (0: one
    per core); ``seed`` the random seed (the same seed with ``workers=1`` gives the same
    allocation); ``hint`` a previous allocation used as a warm start (default: a quick
    cautious greedy allocation, :func:`roomalloc.solver.greedy.greedy_allocation`);
    ``progress`` is called as
    ``progress(elapsed_seconds, objective, bound)`` on each improving solution; ``rules`` are
    custom :class:`roomalloc.Rule` plug-ins; ``diagnose`` attaches plain-words reasons to an
    infeasible result; ``parameters`` sets further CP-SAT parameters by name; ``shortlists``
    lets a large problem be searched first over each resident's best rooms
    (:mod:`roomalloc.solver.shortlist`), then over the full model from the allocation found.

    Status: ``optimal`` (proven), ``feasible`` (valid, not proven optimal), ``infeasible``
    (proven impossible) or ``unknown`` (nothing found in time). Every resident appears in
    ``assignments`` unless the status is ``infeasible`` or ``unknown``.
    """
    started = time.perf_counter()
    deadline = None if time_limit is None else started + float(time_limit)
    built = build_model(problem, rules=rules)
    if hint is not None:
        start = dict(hint.assignments if isinstance(hint, Result) else hint)
    else:
        # A cautious greedy start: on large models it gives the search a first allocation
        # long before the LP relaxation is solved.
        start = greedy_allocation(problem, built.candidates)
    options = (workers, seed, parameters)
    interrupted = False
    if shortlists and _worth_shortlisting(built.candidates):
        start, interrupted = _shortlist_search(problem, rules, built, start, deadline, options,
                                               progress, started)
    watcher = _Watcher(built, progress, started)
    watcher.interrupted = interrupted
    solver, code = _search(built, start, deadline, options, watcher)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(
            "roomalloc built an invalid CP-SAT model (a bug in roomalloc or a plug-in): "
            + built.model.validate()
        )
    status = _STATUS[code]
    elapsed = time.perf_counter() - started
    if status == "unknown" and check(problem, start, rules=rules).ok:
        # CP-SAT found nothing in time, but the starting allocation keeps every hard rule (the
        # independent verifier says so): it is a valid allocation, so the honest status is
        # feasible, with whatever bound the search proved.
        return _feasible_start(problem, start, solver, built, started)
    if status in ("infeasible", "unknown"):
        diagnosis = _diagnosis(problem, rules) if status == "infeasible" and diagnose else ()
        return Result(status=status, solve_seconds=elapsed, diagnosis=diagnosis)
    assignments = built.assignments(solver.boolean_value)
    ev = evaluate(problem, assignments)
    bound: float | None
    if built.objective is None or not built.objective.variables:
        bound = ev.objective if status == "optimal" else None
    else:
        bound = built.objective.to_objective(solver.best_objective_bound) + built.tolerance
        if ev.objective - 1e-9 * max(1.0, abs(ev.objective)) <= bound < ev.objective:
            bound = ev.objective  # float noise of the descaling, nothing more
    return Result(
        status=status,
        assignments=assignments,
        objective=ev.objective,
        bound=bound,
        terms=ev.terms,
        solve_seconds=time.perf_counter() - started,
    )


#: ``workers``, ``seed`` and ``parameters`` of a ``solve`` call, passed on to each search.
_Options = tuple[int, int, Mapping[str, Any] | None]


def _search(
    built: BuiltModel,
    start: Mapping[str, str | None],
    deadline: float | None,
    options: _Options,
    watcher: _Watcher,
) -> tuple[cp_model.CpSolver, int]:
    """Hint ``start`` (completed), configure CP-SAT and search ``built`` until ``deadline``.

    After a Ctrl-C (``watcher.interrupted``, set before or during the hint's completion) the
    search gets no time.
    """
    solver = cp_model.CpSolver()
    if watcher.interrupted:
        built.add_hint(dict(start))
    else:
        budget = _COMPLETION_CAP
        if deadline is not None:
            budget = min(budget, _COMPLETION_SHARE * (deadline - time.perf_counter()))
        try:
            built.complete_hint(dict(start), budget)
        except KeyboardInterrupt:  # Ctrl-C before the search: keep the start, search no further
            watcher.interrupted = True
    workers, seed, parameters = options
    params = solver.parameters
    if watcher.interrupted:
        params.max_time_in_seconds = 0.0
    elif deadline is not None:
        # The limit covers the whole call: the model build and the hint come out of it.
        params.max_time_in_seconds = max(0.0, deadline - time.perf_counter())
    params.num_workers = int(workers)
    params.random_seed = int(seed)
    params.catch_sigint_signal = False  # our own handler stops the search and keeps the best
    # The full LP relaxation (with cuts) is what proves allocations optimal: without it even a
    # 40-resident campus is not proven in 20 s; with it, in under a second.
    params.linearization_level = 2
    # Solve that LP whole at the root instead of adding rows lazily in rounds of 2,000
    # iterations: a 500-resident campus reaches the LP bound in 31 s this way, while the lazy
    # rounds were still 4 % above it after 45 s; a 300-resident campus is proven in 18 s
    # instead of 29 s.
    params.add_lp_constraints_lazily = False
    params.root_lp_iterations = 1_000_000
    given = dict(parameters or {})
    for name, value in given.items():
        if name in _SUBSOLVER_FIELDS:
            getattr(params, name).extend(value)  # repeated fields: fresh, so empty
        else:
            setattr(params, name, value)
    if not _SUBSOLVER_FIELDS & given.keys():
        _prefer_full_lp(params, _effective_workers(workers))
    return solver, _run_interruptibly(solver, built.model, watcher)


def _worth_shortlisting(candidates: Candidates) -> bool:
    """Whether shortlists would leave out most placement pairs (a large problem)."""
    residents = len(candidates.resident_ids)
    return candidates.pair_count > _SHORTLIST_FROM * SHORTLIST_SIZE * max(1, residents)


def _shortlist_search(
    problem: Problem,
    rules: Sequence[Rule],
    built: BuiltModel,
    start: dict[str, str | None],
    deadline: float | None,
    options: _Options,
    progress: Progress | None,
    started: float,
) -> tuple[dict[str, str | None], bool]:
    """Search the shortlist model from ``start``: its best allocation, and whether Ctrl-C came.

    It gets ``_SHORTLIST_SHARE`` of the time left, at most ``_SHORTLIST_CAP`` seconds. Its
    allocations keep every rule of the problem (the shortlists only leave placements out).
    """
    budget = _SHORTLIST_CAP  # no time limit: a quarter of no limit is the cap itself
    if deadline is not None:
        budget = min(budget, _SHORTLIST_SHARE * max(0.0, deadline - time.perf_counter()))
    until = time.perf_counter() + budget
    _, seed, _ = options
    short = build_model(problem, rules=rules,
                        candidates=shortlist(problem, built.candidates, start,
                                             size=SHORTLIST_SIZE, seed=seed))
    watcher = _Watcher(short, progress, started, bounded=False)
    solver, code = _search(short, start, until, options, watcher)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start = short.assignments(solver.boolean_value)
    return start, watcher.interrupted


def _feasible_start(
    problem: Problem,
    start: Mapping[str, str | None],
    solver: cp_model.CpSolver,
    built: BuiltModel,
    started: float,
) -> Result:
    """The starting allocation as a ``feasible`` result, with the bound CP-SAT proved, if any."""
    ev = evaluate(problem, start)
    bound: float | None = None
    if built.objective is not None and built.objective.variables:
        raw = solver.best_objective_bound
        if math.isfinite(raw):
            bound = max(built.objective.to_objective(raw) + built.tolerance, ev.objective)
    return Result(
        status="feasible",
        assignments={r.id: start[r.id] for r in problem.residents},
        objective=ev.objective,
        bound=bound,
        terms=ev.terms,
        solve_seconds=time.perf_counter() - started,
    )
