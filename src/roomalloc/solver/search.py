"""``roomalloc.solve``: build the model, let CP-SAT search, return an honest :class:`Result`.

The result's ``objective`` and ``terms`` are recomputed from the allocation with
:func:`roomalloc.evaluate`, never read from CP-SAT. ``bound`` is CP-SAT's best proven bound
converted back to objective units plus the scaling tolerance, or the room configurations' bound
when that is lower (:mod:`roomalloc.solver.configurations`), so it is a true upper bound on
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

import dataclasses
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
from roomalloc.progress import ProgressOption, as_progress, reported
from roomalloc.rules.base import Rule
from roomalloc.solver.builder import BuiltModel, build_model
from roomalloc.solver.configurations import Prices, RoomConfigurations
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.solver.shortlist import SHORTLIST_SIZE, shortlist
from roomalloc.validation import as_problem
from roomalloc.verifier import check

#: ``progress(elapsed_seconds, objective, bound)``, called on each improving solution.
Progress = Callable[[float, float, float | None], None]

#: The shortlist search (:mod:`roomalloc.solver.shortlist`) runs when the full model has more
#: than ``_SHORTLIST_FROM`` times the pairs of the shortlists, and gets ``_SHORTLIST_SHARE`` of
#: the time left, at most ``_SHORTLIST_CAP`` seconds.
_SHORTLIST_FROM = 3
_SHORTLIST_SHARE = 0.25
_SHORTLIST_CAP = 300.0

#: The room-configuration prices (:mod:`roomalloc.solver.configurations`) get
#: ``_PRICES_SHARE`` of the time left, at most ``_PRICES_CAP`` seconds; the search over the
#: placements they leave runs only when that is at most ``_RESTRICT_UP_TO`` of all pairs.
#: By default they run when the model has more than ``_CONFIGURATIONS_FROM`` placement pairs
#: per resident: on smaller problems CP-SAT's own search proves optimality soon enough.
_CONFIGURATIONS_FROM = 90
_PRICES_SHARE = 0.15
_PRICES_CAP = 300.0
_RESTRICT_UP_TO = 0.8
#: The restricted search stops at its first allocation and starts again from it (over fewer
#: placements) at most ``_REFIXES`` times; from an allocation within ``_CLOSE_ENOUGH`` of the
#: bound there are rarely more than a few.
_REFIXES = 4
#: The packing of the priced configurations (:meth:`RoomConfigurations.packing`) gets
#: ``_PACKING_SHARE`` of the time left, at most ``_PACKING_CAP`` seconds.
_PACKING_SHARE = 0.25
_PACKING_CAP = 600.0
#: The restricted search runs only from an allocation within this many objective units
#: (CP-SAT's integers) of the configurations' bound, and the full search stops for it when it
#: finds one (further, the fixing kept most pairs: 53 % at 2.3 from the bound on a
#: 500-resident campus, 96 % at 9.3 on a 1,000-resident one).
_CLOSE_ENOUGH = 5.0

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

    ``elapsed`` counts from ``started`` (the start of the ``solve`` call). A search that is not
    ``bounded`` (the shortlist's, the packing's) reports ``ceiling``, a bound known from
    elsewhere, or no bound: its own bound is not the problem's.
    """

    def __init__(self, built: BuiltModel, progress: Progress | None, started: float,
                 *, bounded: bool = True, ceiling: float | None = None,
                 stop_at: float | None = None) -> None:
        super().__init__()
        self._built = built
        self._progress = progress
        self._started = started
        self._bounded = bounded
        self._ceiling = ceiling  # a bound known from elsewhere, in objective units
        self._stop_at = stop_at  # stop once CP-SAT's (integer) objective reaches this
        self.solutions = 0
        self.interrupted = False
        self.close_enough = False

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self._stop_at is not None and self.objective_value >= self._stop_at:
            self.close_enough = True
            self._stop_at = None
            self.stop_search()
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
            if self._ceiling is not None:
                bound = max(objective, min(bound, self._ceiling))
        elif self._ceiling is not None:  # the search's own bound is not the problem's
            bound = max(objective, self._ceiling)
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


@reported
def solve(
    problem: Problem,
    *,
    time_limit: float | None = 60.0,
    workers: int = 0,
    seed: int = 0,
    hint: Result | Mapping[str, str | None] | None = None,
    progress: ProgressOption = None,
    rules: Sequence[Rule] = (),
    diagnose: bool = True,
    parameters: Mapping[str, Any] | None = None,
    shortlists: bool = True,
    configurations: bool | None = None,
) -> Result:
    """Find the best allocation of ``problem``: every hard rule holds, the objective is maximal.

    ``time_limit`` in seconds (``None``: no limit); ``workers`` CP-SAT search workers (0: one
    per core); ``seed`` the random seed (the same seed with ``workers=1`` gives the same
    allocation); ``hint`` a previous allocation used as a warm start (default: a quick
    cautious greedy allocation, :func:`roomalloc.solver.greedy.greedy_allocation`);
    ``progress`` is called as
    ``progress(elapsed_seconds, objective, bound)`` on each improving solution (``"bar"``: a
    progress bar, :mod:`roomalloc.progress`); ``rules`` are
    custom :class:`roomalloc.Rule` plug-ins; ``diagnose`` attaches plain-words reasons to an
    infeasible result; ``parameters`` sets further CP-SAT parameters by name; ``shortlists``
    lets a large problem be searched first over each resident's best rooms
    (:mod:`roomalloc.solver.shortlist`), then over the full model from the allocation found.
    ``configurations`` bounds the objective with room configurations and searches only the
    placements an allocation better than the best known may use
    (:mod:`roomalloc.solver.configurations`; problems without stays or custom rules): ``None``
    on large problems (more than 90 placement pairs per resident), ``True`` always, ``False``
    never.

    Status: ``optimal`` (proven), ``feasible`` (valid, not proven optimal), ``infeasible``
    (proven impossible) or ``unknown`` (nothing found in time). Every resident appears in
    ``assignments`` unless the status is ``infeasible`` or ``unknown``.
    """
    progress = as_progress(progress)  # "bar" -> a bar (roomalloc.progress)
    started = time.perf_counter()
    problem = as_problem(problem)  # a plain mapping is validated into a Problem
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
    proof: _Proof | None = None
    if configurations is None:
        configurations = _worth_configurations(built.candidates)
    if configurations and not interrupted:
        proof = _Proof.of(problem, rules, built, start)
    if proof is not None:
        done = proof.run(start, deadline, options, progress, started)
        if done is not None:
            return done
        start = proof.start
    ceiling = stop_at = None
    if proof is not None and proof.prices is not None:
        ceiling, stop_at = proof.ceiling, proof.stop_at
    watcher = _Watcher(built, progress, started, ceiling=ceiling, stop_at=stop_at)
    watcher.interrupted = interrupted
    solver, code = _search(built, start, deadline, options, watcher)
    if proof is not None and watcher.close_enough and not watcher.interrupted:
        # The full search found an allocation close enough to the configurations' bound for
        # the restricted search to pay: go on from there, or on with the full search.
        start = built.assignments(solver.boolean_value)
        done = proof.restricted(start, deadline, options, progress, started)
        if done is not None:
            return done
        watcher = _Watcher(built, progress, started, ceiling=ceiling)
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
        return _feasible_start(problem, start, solver, built, started, ceiling)
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
        if ceiling is not None:
            bound = min(bound, ceiling)
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
        budget = _share_of_time_left(deadline, _COMPLETION_SHARE, _COMPLETION_CAP)
        try:
            built.complete_hint(dict(start), budget)
        except KeyboardInterrupt:  # Ctrl-C before the search: keep the start, search no further
            watcher.interrupted = True
    _configure(solver, deadline, options, stopped=watcher.interrupted)
    return solver, _run_interruptibly(solver, built.model, watcher)


def _configure(solver: cp_model.CpSolver, deadline: float | None, options: _Options, *,
               stopped: bool = False) -> None:
    """Set ``solver``'s parameters: time left until ``deadline``, the options, the full LP.

    ``stopped`` (a Ctrl-C came before the search) gives the search no time.
    """
    workers, seed, parameters = options
    params = solver.parameters
    if stopped:
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


def _share_of_time_left(deadline: float | None, share: float, cap: float) -> float:
    """Seconds for one step: ``share`` of the time left until ``deadline``, at most ``cap``
    (without a deadline, ``cap`` itself)."""
    if deadline is None:
        return cap
    return min(cap, share * max(0.0, deadline - time.perf_counter()))


def _worth_shortlisting(candidates: Candidates) -> bool:
    """Whether shortlists would leave out most placement pairs (a large problem)."""
    residents = len(candidates.resident_ids)
    return candidates.pair_count > _SHORTLIST_FROM * SHORTLIST_SIZE * max(1, residents)


def _worth_configurations(candidates: Candidates) -> bool:
    """Whether the configurations' route runs by default (a large problem)."""
    return candidates.pair_count > _CONFIGURATIONS_FROM * max(1, len(candidates.resident_ids))


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
    until = time.perf_counter() + _share_of_time_left(deadline, _SHORTLIST_SHARE, _SHORTLIST_CAP)
    _, seed, _ = options
    short = build_model(problem, rules=rules,
                        candidates=shortlist(problem, built.candidates, start,
                                             size=SHORTLIST_SIZE, seed=seed))
    watcher = _Watcher(short, progress, started, bounded=False)
    solver, code = _search(short, start, until, options, watcher)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        start = short.assignments(solver.boolean_value)
    return start, watcher.interrupted


class _Proof:
    """The room-configuration route to a proof (:mod:`roomalloc.solver.configurations`).

    ``run`` prices (a bound), and proves the start optimal or searches the restricted model
    when the fixing rules out enough; ``restricted`` does the latter from a better allocation
    found later. Every allocation better than the start lies in the restricted model, so its
    search is the whole search: its bound, or the start's value when that is higher, bounds
    the problem.
    """

    def __init__(self, problem: Problem, rules: Sequence[Rule], built: BuiltModel,
                 configs: RoomConfigurations) -> None:
        self.problem = problem
        self.rules = rules
        self.built = built
        self.configs = configs
        self.prices: Prices | None = None
        #: The best allocation known after :meth:`run` (its start, or the packing's).
        self.start: dict[str, str | None] = {}
        #: CP-SAT objective at which the full search should stop for a restricted search.
        self.stop_at: float | None = None

    @classmethod
    def of(cls, problem: Problem, rules: Sequence[Rule], built: BuiltModel,
           start: Mapping[str, str | None]) -> _Proof | None:
        """``None`` when the configurations do not apply (stays, custom rules or terms, an
        objective scaled with rounding) or the start breaks a rule."""
        scaled = built.objective
        if scaled is None or not scaled.variables or built.tolerance > 0:
            return None
        configs = RoomConfigurations.of(built, rules)
        if configs is None or not check(problem, start, rules=rules).ok:
            return None
        return cls(problem, rules, built, configs)

    @property
    def ceiling(self) -> float:
        """The configurations' bound in objective units (after :meth:`run`)."""
        assert self.prices is not None and self.built.objective is not None
        return self.built.objective.to_objective(self.prices.bound)

    def run(self, start: Mapping[str, str | None], deadline: float | None, options: _Options,
            progress: Progress | None, started: float) -> Result | None:
        """Price, then prove ``start`` optimal or search the restricted model (or ``None``)."""
        budget = _share_of_time_left(deadline, _PRICES_SHARE, _PRICES_CAP)
        self.start = dict(start)
        incumbent = self.configs.value(start)
        try:
            self.prices = self.configs.prices(time.perf_counter() + budget, start=start,
                                              target=incumbent + 1)
        except KeyboardInterrupt:  # Ctrl-C: the start is the best allocation so far
            return _start_result(self.problem, start, "feasible", None, started)
        if self.prices.bound < incumbent + 1:
            return _start_result(self.problem, start, "optimal", None, started)
        packed = self._pack(start, incumbent, deadline, options, progress, started)
        if isinstance(packed, Result):
            return packed
        if packed is not None:
            start = self.start = packed
            incumbent = self.configs.value(start)
            if self.prices.bound < incumbent + 1:
                return _start_result(self.problem, start, "optimal", None, started)
        if not self.prices.converged:
            return None  # a loose bound rules out next to nothing: not worth the fixing's time
        done = self.restricted(start, deadline, options, progress, started)
        if done is None:
            # Would an allocation within _CLOSE_ENOUGH of the bound rule out enough? Then the
            # full search stops when it finds one, for the restricted search.
            target = self.prices.bound - _CLOSE_ENOUGH
            try:
                if target > incumbent and self._worth_restricting(math.ceil(target)):
                    self.stop_at = float(math.ceil(target))
            except KeyboardInterrupt:
                return _start_result(self.problem, start, "feasible", self.ceiling, started)
        return done

    def _pack(self, start: Mapping[str, str | None], incumbent: float, deadline: float | None,
              options: _Options, progress: Progress | None, started: float
              ) -> Result | dict[str, str | None] | None:
        """Search the best allocation made of the priced configurations (the packing).

        A better allocation than ``start`` (worth ``incumbent``), ``None`` (none found), or
        after a Ctrl-C the best allocation so far as a ``feasible`` result. The packing gets
        ``_PACKING_SHARE`` of the time left, at most ``_PACKING_CAP`` seconds; its bound is not
        the problem's.
        """
        assert self.prices is not None
        budget = _share_of_time_left(deadline, _PACKING_SHARE, _PACKING_CAP)
        best: dict[str, str | None] | None = None
        try:
            packing = self.configs.packing(self.prices, start)
        except KeyboardInterrupt:
            return _start_result(self.problem, start, "feasible", self.ceiling, started)
        solver = cp_model.CpSolver()
        watcher = _Watcher(self.built, progress, started, bounded=False, ceiling=self.ceiling)
        _configure(solver, time.perf_counter() + budget, options)
        code = _run_interruptibly(solver, packing.model, watcher)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = packing.assignments(solver.boolean_value)
            # Every packing is valid by construction; the verifier has the last word all the same.
            if (self.configs.value(found) > incumbent
                    and check(self.problem, found, rules=self.rules).ok):
                best = found
        if watcher.interrupted:
            return _start_result(self.problem, best or start, "feasible", self.ceiling, started)
        return best

    def _worth_restricting(self, incumbent: float) -> bool:
        assert self.prices is not None
        allowed, _ = self.configs.fixing(self.prices, incumbent)
        return not self._keeps_too_much(allowed)

    def _keeps_too_much(self, allowed: Any) -> bool:
        """Whether a fixing leaves more than ``_RESTRICT_UP_TO`` of the placement pairs."""
        return int(allowed.sum()) > _RESTRICT_UP_TO * self.built.candidates.pair_count

    def restricted(self, start: Mapping[str, str | None], deadline: float | None,
                   options: _Options, progress: Progress | None,
                   started: float) -> Result | None:
        """Search only the placements an allocation better than ``start`` may use.

        Each better allocation found rules out more placements, so the search stops at the
        first one and starts again from it over fewer placements. ``None`` when the first
        model would keep more than ``_RESTRICT_UP_TO`` of all pairs.
        """
        current = dict(start)
        for round_ in range(_REFIXES + 1):
            outcome = self._restricted_once(current, deadline, options, progress, started,
                                            first=round_ == 0, last=round_ == _REFIXES)
            if not isinstance(outcome, dict):
                return outcome
            current = outcome
        raise AssertionError("the last round returns a result")  # pragma: no cover

    def _restricted_once(
        self, start: dict[str, str | None], deadline: float | None, options: _Options,
        progress: Progress | None, started: float, *, first: bool, last: bool,
    ) -> Result | dict[str, str | None] | None:
        """One restricted search: a result, ``None`` (too many pairs), or a better start."""
        problem, built, prices = self.problem, self.built, self.prices
        scaled = built.objective
        assert prices is not None and scaled is not None
        incumbent = self.configs.value(start)
        if first and prices.bound - incumbent - 1 > _CLOSE_ENOUGH:
            return None  # far from the bound: the fixing would keep nearly every pair
        try:
            allowed, must = self.configs.fixing(prices, incumbent)
            if first and self._keeps_too_much(allowed):
                return None
            restricted = build_model(problem, rules=self.rules,
                                     candidates=dataclasses.replace(built.candidates,
                                                                    allowed=allowed))
        except KeyboardInterrupt:  # Ctrl-C: the start is the best allocation so far
            return _start_result(problem, start, "feasible", self.ceiling, started)
        inner = restricted.objective
        known = evaluate(problem, start).objective
        if inner is None or not inner.variables or restricted.tolerance > 0:
            # Cannot happen with exact terms; never claim more than the start then.
            return None if first else _start_result(problem, start, "feasible", self.ceiling,
                                                    started)
        # Both models state the objective exactly, so thresholds carry over between scalings.
        better = scaled.to_objective(incumbent + 1)
        model = restricted.model
        model.add(inner.expression() >= math.ceil((better - inner.constant) * inner.factor
                                                  - 1e-6))
        for r in must:
            model.add_bool_or([restricted.context.housed(r)])
        watcher = _Watcher(restricted, progress, started, ceiling=self.ceiling,
                           stop_at=None if last else -math.inf)
        solver, code = _search(restricted, start, deadline, options, watcher)
        if code == cp_model.INFEASIBLE:  # nothing is better than the start
            return _start_result(problem, start, "optimal", None, started)
        raw = solver.best_objective_bound
        proved = inner.to_objective(raw) if math.isfinite(raw) else self.ceiling
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = min(self.ceiling, max(known, proved))
            return _start_result(problem, start, "feasible", bound, started)
        assignments = restricted.assignments(solver.boolean_value)
        out_of_time = deadline is not None and time.perf_counter() >= deadline
        if code == cp_model.FEASIBLE and watcher.close_enough and not (
            watcher.interrupted or out_of_time
        ):
            return assignments  # stopped at a better allocation: restrict further from it
        ev = evaluate(problem, assignments)
        status: Status = "optimal" if code == cp_model.OPTIMAL else "feasible"
        bound = ev.objective if status == "optimal" else min(self.ceiling, max(known, proved))
        return Result(status=status, assignments=assignments, objective=ev.objective,
                      bound=max(bound, ev.objective), terms=ev.terms,
                      solve_seconds=time.perf_counter() - started)


def _start_result(problem: Problem, start: Mapping[str, str | None], status: Status,
                  bound: float | None, started: float) -> Result:
    """``start`` as the result; ``bound`` ``None`` means the start's own value (``optimal``)."""
    ev = evaluate(problem, start)
    if status == "optimal":
        bound = ev.objective
    return Result(
        status=status,
        assignments={r.id: start[r.id] for r in problem.residents},
        objective=ev.objective,
        bound=None if bound is None else max(bound, ev.objective),
        terms=ev.terms,
        solve_seconds=time.perf_counter() - started,
    )


def _feasible_start(
    problem: Problem,
    start: Mapping[str, str | None],
    solver: cp_model.CpSolver,
    built: BuiltModel,
    started: float,
    ceiling: float | None = None,
) -> Result:
    """The starting allocation as a ``feasible`` result, with the bound CP-SAT proved, if any.

    ``ceiling`` is a bound known from elsewhere (the room configurations').
    """
    bound: float | None = ceiling
    if built.objective is not None and built.objective.variables:
        raw = solver.best_objective_bound
        if math.isfinite(raw):
            proved = built.objective.to_objective(raw) + built.tolerance
            bound = proved if ceiling is None else min(proved, ceiling)
    return _start_result(problem, start, "feasible", bound, started)
