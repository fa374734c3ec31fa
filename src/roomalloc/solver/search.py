"""``roomalloc.solve``: the stages of a solve, run by the driver (:mod:`roomalloc.solver.driver`).

:func:`solve` builds the model and hands a :class:`~roomalloc.solver.driver.Run` to the
driver with the chain of stages (``_stages``): the start (a hint or the greedy allocation), the
shortlist search, the room configurations' multipliers, their packing, the restricted search, and
the full search. Each stage offers allocations and reports what it proved; the driver alone
decides the status and the one bound, and verifies the allocation with :func:`roomalloc.check`.
The result's ``objective`` and ``terms`` are recomputed from the allocation, never read from
CP-SAT. Ctrl-C or SIGTERM stops the call and returns the best allocation found so far.

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
import numbers
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ortools.sat.python import cp_model

from roomalloc.domain.model import Problem, Result
from roomalloc.domain.validation import as_problem
from roomalloc.progress import ProgressOption, as_progress, reported
from roomalloc.rules.base import Rule
from roomalloc.solver import cpsat, scale
from roomalloc.solver.builder import BuiltModel, build_model, objective_terms
from roomalloc.solver.candidates import Candidates, candidate_matrix
from roomalloc.solver.configurations import Multipliers, RoomConfigurations
from roomalloc.solver.context import OutOfTime
from roomalloc.solver.driver import Run, Stage, drive
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.solver.shortlist import SHORTLIST_SIZE, shortlist

#: The shortlist search (:mod:`roomalloc.solver.shortlist`) runs when the full model has more
#: than ``_SHORTLIST_FROM`` times the pairs of the shortlists, and gets ``_SHORTLIST_SHARE`` of
#: the time left, at most ``_SHORTLIST_CAP`` seconds.
_SHORTLIST_FROM = 3
_SHORTLIST_SHARE = 0.25
_SHORTLIST_CAP = 300.0

#: The column generation of the room configurations' multipliers
#: (:mod:`roomalloc.solver.configurations`) gets ``_MULTIPLIERS_SHARE`` of the time left, at most
#: ``_MULTIPLIERS_CAP`` seconds; the search over the placements they leave runs only when that is
#: at most ``_RESTRICT_UP_TO`` of all pairs. By default they run when the model has more than
#: ``_CONFIGURATIONS_FROM`` placement pairs per resident: on smaller problems CP-SAT's own search
#: proves optimality soon enough.
_CONFIGURATIONS_FROM = 90
_MULTIPLIERS_SHARE = 0.15
_MULTIPLIERS_CAP = 300.0
_RESTRICT_UP_TO = 0.8
#: The restricted search stops at its first allocation and starts again from it (over fewer
#: placements) at most ``_REFIXES`` times; from an allocation within ``_CLOSE_ENOUGH`` of the
#: bound there are rarely more than a few.
_REFIXES = 4
#: The packing of the configurations column generation found (:meth:`RoomConfigurations.packing`)
#: gets ``_PACKING_SHARE`` of the time left, at most ``_PACKING_CAP`` seconds.
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

#: Steps that cannot be interrupted are budgeted before they start, from the size of their
#: model. Building the full model took 34 s for the 1.39 million placement pairs of a
#: 2,000-resident campus (2 cores shared, load 2): about ``_BUILD_PER_PAIR`` seconds a pair.
#: CP-SAT then needed 18 s only to load that model, with a time limit of 0 s (``_LOAD_SHARE``
#: of the build, not counted by CP-SAT's own limit), and the hint 7 s (``_HINT_SHARE``); the
#: room configurations' set-up took 10 s (``_CONFIGURATIONS_SHARE``). The build time measured
#: on the call's own machine, under its own load, scales these estimates.
_BUILD_PER_PAIR = 2.5e-5
_LOAD_SHARE = 0.55
_HINT_SHARE = 0.25
_CONFIGURATIONS_SHARE = 0.35

#: Below :data:`roomalloc.solver.scale.SCALE_FROM` residents the full model still runs only
#: when its build is estimated at most ``_FULL_MODEL_SHARE`` of the time limit, or when it has
#: at most ``_FULL_MODEL_ALWAYS`` placement pairs (a build of about a second). A 1,400-resident
#: campus (762,857 pairs) with a 60 s limit spent 16.8 s building the model, 54.3 s in all
#: alone and 70.9 s under load, and ended 38-60 % from its bound; the path that scales is
#: within 1 % of its bound at 2,000 residents in that time (docs/solver.md, "Which path").
_FULL_MODEL_SHARE = 0.1
_FULL_MODEL_ALWAYS = 50_000


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to the progress callback; notes a Ctrl-C or SIGTERM.

    A search that is ``bounded`` (over the whole problem, or over a model that holds every
    better allocation) reports the lesser of its own bound and the run's; one that is not (the
    shortlist's, the packing's) only the run's: its own bound is not the problem's.
    """

    def __init__(self, built: BuiltModel, run: Run, *, bounded: bool = True,
                 stop_at: float | None = None) -> None:
        super().__init__()
        self._built = built
        self.run = run  # whose stop signals stop this search
        self.bounded = bounded
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
        progress = self.run.progress
        if progress is None:
            return
        scaled = self._built.objective
        if scaled is None:
            progress(self.run.elapsed(), 0.0, None)
            return
        objective = scaled.to_objective(self.objective_value)
        own = None
        if self.bounded:
            own = scaled.to_objective(self.best_objective_bound) + self._built.tolerance
        progress(self.run.elapsed(), objective, self.run.bound_with(own))


def _run_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel,
                       watcher: _Watcher) -> int:
    """Solve in a worker thread so that Ctrl-C or SIGTERM in the main thread can stop the search.

    The run's own stop signals (:meth:`Run.stopping`, installed by the driver) stop the search
    (``stop_search``) instead of raising, so a second signal that lands while the search winds
    down cannot escape and lose the allocation found. The main thread waits on an Event, not on
    ``Thread.join``: a join interrupted by a signal can leave the thread looking finished while
    it still runs (Python < 3.13).
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
        watcher.interrupted = True
        solver.stop_search()

    worker = threading.Thread(target=run, name="roomalloc-cp-sat", daemon=True)
    with watcher.run.stopping(stop):
        worker.start()
        while not done.is_set():
            try:
                done.wait(0.05)
            except KeyboardInterrupt:  # a handler installed by someone else raised it
                stop()
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    status: int = outcome["status"]
    return status


def _diagnosis(problem: Problem, rules: Sequence[Rule]) -> tuple[str, ...]:
    """Plain-words reasons from :func:`roomalloc.diagnose`."""
    from roomalloc.explanation import diagnose  # late: explain builds on this module

    return tuple(str(m) for m in diagnose(problem, rules=rules).messages)


def _checked_arguments(time_limit: float | None, workers: int, seed: int) -> None:
    """Raise ``ValueError`` naming ``time_limit``, ``workers`` or ``seed`` when one is unusable.

    >>> _checked_arguments(float("nan"), 0, 0)
    Traceback (most recent call last):
    ...
    ValueError: time_limit must be a finite number of seconds above 0, or None; got nan
    """
    if time_limit is not None and (
        isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real)
        or not math.isfinite(time_limit) or time_limit <= 0 or time_limit > _MAX_TIME_LIMIT
    ):
        raise ValueError("time_limit must be a finite number of seconds above 0, or None; "
                         f"got {time_limit!r}")
    if (isinstance(workers, bool) or not isinstance(workers, numbers.Integral)
            or not 0 <= workers <= 256):
        raise ValueError("workers must be a whole number from 0 (one per core) to 256; "
                         f"got {workers!r}")
    if (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
            or not -2**31 <= seed < 2**31):
        raise ValueError(f"seed must be a whole number from {-2**31} to {2**31 - 1}; "
                         f"got {seed!r}")


#: Longer limits than this (about 31 years) are surely a mistake and would overflow clocks.
_MAX_TIME_LIMIT = 1e9


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

    ``time_limit`` in seconds, the whole call's wall time (a finite number above 0; ``None``:
    no limit); ``workers`` CP-SAT search workers (0: one per core, at most 256); ``seed`` the
    random seed (a 32-bit integer; the same seed with ``workers=1`` gives the same
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

    From :data:`roomalloc.solver.scale.SCALE_FROM` residents, or below that when the full
    model's estimated build exceeds a tenth of ``time_limit`` (``docs/solver.md``, "Which
    path"), a problem without custom rules, ``fairness`` or custom terms is solved by the path
    that scales
    (:func:`roomalloc.solver.scale.solve_at_scale`; ``docs/solver.md``), which starts from
    ``hint`` when it keeps every hard rule and ignores ``shortlists``, ``configurations``,
    ``parameters`` and ``diagnose``.

    Status: ``optimal`` (proven), ``feasible`` (valid, not proven optimal), ``infeasible``
    (proven impossible) or ``unknown`` (nothing found in time). Every resident appears in
    ``assignments`` unless the status is ``infeasible`` or ``unknown``. ``bound`` is an upper
    bound some step proved, or ``None``. The allocation is verified with
    :func:`roomalloc.check` (custom rules included) before it is returned: a custom rule whose
    check rejects what its model allowed raises :class:`roomalloc.PluginError`. Ctrl-C or
    SIGTERM stops the call: the best allocation so far comes back with ``interrupted`` set.
    Raises ``ValueError`` for an unusable ``time_limit``, ``workers`` or ``seed``.
    """
    progress = as_progress(progress)  # "bar" -> a bar (roomalloc.progress)
    started = time.perf_counter()
    _checked_arguments(time_limit, workers, seed)
    problem = as_problem(problem)  # a plain mapping is validated into a Problem
    objective_terms(problem)  # an unregistered term is an error before any work
    candidates = None if scale.takes_over(problem, rules) else _full_candidates(
        problem, rules, time_limit)
    if candidates is None:  # large problems, or too large for the time limit: the path that scales
        start = hint.assignments if isinstance(hint, Result) else hint
        return scale.solve_at_scale(problem, time_limit=time_limit, workers=workers, seed=seed,
                                    progress=progress, hint=start, started=started)
    run = Run(problem, rules=rules, time_limit=None if time_limit is None else float(time_limit),
              progress=progress, started=started)
    if diagnose:
        run.diagnose = lambda: _diagnosis(problem, rules)
    state = _SolveState(options=(workers, seed, parameters), hint=hint,
                        shortlists=shortlists, configurations=configurations,
                        candidates=candidates)
    result = drive(run, _stages(state))
    # Freeing a large model takes seconds (2.7 s for a 2,000-resident ward under load): let a
    # background thread drop the last reference, so that the call returns within its limit.
    models = [state]
    del state
    threading.Thread(target=models.clear, name="roomalloc-free", daemon=True).start()
    return result


def _full_candidates(problem: Problem, rules: Sequence[Rule],
                     time_limit: float | None) -> Candidates | None:
    """The full model's candidate matrix when the full model should solve ``problem`` within
    ``time_limit``; ``None`` when the path that scales should (it accepts ``problem`` and the
    full model's estimated build exceeds ``_FULL_MODEL_SHARE`` of the limit).

    >>> from roomalloc.synthetic import cohort
    >>> campus = cohort(residents=1_000, seed=1)
    >>> _full_candidates(campus, (), None) is not None   # no limit: the full model, to prove
    True
    >>> _full_candidates(campus, (), 60.0) is None       # 383,841 pairs: about 10 s to build
    True
    """
    candidates = candidate_matrix(problem)  # residents x rooms Booleans: below SCALE_FROM only
    if (time_limit is None or candidates.pair_count <= _FULL_MODEL_ALWAYS
            or not scale.accepts(problem, rules)):
        return candidates
    estimate = _BUILD_PER_PAIR * candidates.pair_count
    return candidates if estimate <= _FULL_MODEL_SHARE * float(time_limit) else None


@dataclasses.dataclass
class _SolveState:
    """What the stages of one ``solve`` call share beside the :class:`Run`."""

    options: _Options
    hint: Result | Mapping[str, str | None] | None = None
    shortlists: bool = True
    configurations: bool | None = None
    candidates: Candidates | None = None
    built: BuiltModel | None = None
    #: Seconds the full model took to build: the yardstick for what cannot be interrupted.
    build_seconds: float = 0.0
    configs: RoomConfigurations | None = None
    multipliers: Multipliers | None = None
    #: CP-SAT objective at which the full search should stop for a restricted search.
    stop_at: float | None = None
    #: The full search stopped at ``stop_at``: the restricted search goes on from there.
    close_enough: bool = False

    def overhead(self, pairs: int) -> float:
        """Seconds a search over a model of ``pairs`` placement pairs costs before searching:
        its hint and CP-SAT's loading of the model."""
        return (_LOAD_SHARE + _HINT_SHARE) * self.build_estimate(pairs)

    def loading(self, pairs: int) -> float:
        """Seconds CP-SAT takes to load a model of ``pairs`` placement pairs (beyond its
        own time limit)."""
        return _LOAD_SHARE * self.build_estimate(pairs)

    def build_estimate(self, pairs: int) -> float:
        """Seconds a model of ``pairs`` placement pairs takes to build."""
        if self.built is None or self.build_seconds <= 0:
            return _BUILD_PER_PAIR * pairs
        return self.build_seconds * pairs / max(1, self.built.candidates.pair_count)


def _fits(run: Run, seconds: float) -> bool:
    """Whether a step that cannot be interrupted, of about ``seconds``, fits in the time left."""
    left = run.time_left()
    return left is None or seconds < left


def _stages(state: _SolveState) -> list[Stage[Run]]:
    """The chain of one ``solve`` call, in order (each runs when it accepts the run)."""
    return [
        _Start(state),
        _Model(state),
        _ShortlistSearch(state),
        _ColumnGeneration(state),
        _Packing(state),
        _RestrictedSearch(state, first=True),
        _FullSearch(state, stop_for_restricted=True),
        _RestrictedSearch(state, first=False),
        _FullSearch(state, stop_for_restricted=False),
    ]


class _StageOn:
    """A stage of ``solve`` reading and writing the call's shared :class:`_SolveState`."""

    essential = False

    def __init__(self, state: _SolveState) -> None:
        self.state = state


class _Model(_StageOn):
    """Build the full CP-SAT model, unless its estimated build time exceeds the time left
    (then the start is the answer: better than overrunning the limit)."""

    name = "model"

    def accepts(self, run: Run) -> bool:
        return True

    def run(self, run: Run) -> None:
        candidates = self.state.candidates or candidate_matrix(run.problem)
        if not _fits(run, self.state.build_estimate(candidates.pair_count)):
            return
        began = time.perf_counter()
        try:
            self.state.built = build_model(run.problem, rules=run.rules, candidates=candidates,
                                           deadline=run.deadline)
        except OutOfTime:  # a loaded machine: slower than estimated
            return
        self.state.build_seconds = time.perf_counter() - began


class _Start(_StageOn):
    """The first allocation: the caller's hint, or the cautious greedy one.

    On large models the greedy start gives the search a first allocation long before the LP
    relaxation is solved. It becomes the incumbent when :func:`roomalloc.check` accepts it,
    and the next search's hint either way.
    """

    name = "start"
    essential = True

    def accepts(self, run: Run) -> bool:
        return True

    def run(self, run: Run) -> None:
        hint = self.state.hint
        if hint is not None:
            start = dict(hint.assignments if isinstance(hint, Result) else hint)
        else:
            if self.state.candidates is None:
                self.state.candidates = candidate_matrix(run.problem)
            start = greedy_allocation(run.problem, self.state.candidates)
        run.start = start
        run.offer(start)


class _ShortlistSearch(_StageOn):
    """Search each resident's shortlist of rooms (:mod:`roomalloc.solver.shortlist`).

    It gets ``_SHORTLIST_SHARE`` of the time left, at most ``_SHORTLIST_CAP`` seconds. Its
    allocations keep every rule of the problem (the shortlists only leave placements out); its
    bound is not the problem's.
    """

    name = "shortlist search"

    def accepts(self, run: Run) -> bool:
        built = self.state.built
        return (self.state.shortlists and built is not None
                and _worth_shortlisting(built.candidates))

    def run(self, run: Run) -> None:
        built = self.state.built
        assert built is not None
        budget = run.share_of_time_left(_SHORTLIST_SHARE, _SHORTLIST_CAP)
        _, seed, _ = self.state.options
        candidates = shortlist(run.problem, built.candidates, run.start,
                               size=SHORTLIST_SIZE, seed=seed)
        pairs = candidates.pair_count
        cost = self.state.build_estimate(pairs) + self.state.overhead(pairs)
        if not _fits(run, cost) or cost >= budget:
            return
        end = run.until(budget)
        try:
            short = build_model(run.problem, rules=run.rules, candidates=candidates,
                                deadline=end)
        except OutOfTime:
            return
        _search_into(run, self.state, short, end, _Watcher(short, run, bounded=False))


class _ColumnGeneration(_StageOn):
    """Column generation of the room configurations' multipliers: the bound ``L``, and a proof
    when ``L`` meets the start.

    Runs on problems the configurations apply to (no stays, custom rules or rounded terms),
    from a valid incumbent, when ``configurations`` asks for it (by default on large problems).
    It gets ``_MULTIPLIERS_SHARE`` of the time left, at most ``_MULTIPLIERS_CAP`` seconds.
    """

    name = "column generation"

    def accepts(self, run: Run) -> bool:
        built = self.state.built
        if built is None or run.incumbent is None:
            return False
        wanted = self.state.configurations
        if wanted is None:
            wanted = _worth_configurations(built.candidates)
        scaled = built.objective
        return (bool(wanted) and scaled is not None and bool(scaled.variables)
                and built.tolerance == 0
                and _fits(run, _CONFIGURATIONS_SHARE * self.state.build_seconds))

    def run(self, run: Run) -> None:
        built = self.state.built
        assert built is not None and built.objective is not None and run.incumbent is not None
        configs = RoomConfigurations.of(built, run.rules)
        if configs is None:
            return
        self.state.configs = configs
        budget = run.share_of_time_left(_MULTIPLIERS_SHARE, _MULTIPLIERS_CAP)
        incumbent = configs.value(run.incumbent)
        multipliers = configs.multipliers(run.until(budget), start=run.incumbent,
                                          target=incumbent + 1)
        self.state.multipliers = multipliers
        run.prove(built.objective.to_objective(multipliers.bound))
        if multipliers.bound < incumbent + 1:
            run.prove_optimal()  # integer objective: nothing reaches the next unit


class _Packing(_StageOn):
    """The best allocation made of the configurations found so far (a set-packing model).

    It gets ``_PACKING_SHARE`` of the time left, at most ``_PACKING_CAP`` seconds; its bound is
    not the problem's.
    """

    name = "packing"

    def accepts(self, run: Run) -> bool:
        return self.state.multipliers is not None and run.incumbent is not None

    def run(self, run: Run) -> None:
        configs, multipliers = self.state.configs, self.state.multipliers
        assert configs is not None and multipliers is not None and run.incumbent is not None
        budget = run.share_of_time_left(_PACKING_SHARE, _PACKING_CAP)
        packing = configs.packing(multipliers, run.incumbent)
        solver = cp_model.CpSolver()
        watcher = _Watcher(configs.built, run, bounded=False)
        _configure(solver, run.until(budget), self.state.options)
        code = _run_interruptibly(solver, packing.model, watcher)
        run.interrupted |= watcher.interrupted
        if cpsat.found(code):
            # Every packing is valid by construction; offer checks it all the same.
            run.offer(packing.assignments(solver.boolean_value))
        if multipliers.bound < configs.value(run.incumbent) + 1:
            run.prove_optimal()


class _RestrictedSearch(_StageOn):
    """Search only the placements an allocation better than the incumbent may use.

    Every allocation better than the incumbent lies in the restricted model, so its search is
    the whole search: its bound (when it found an allocation) bounds the problem, and its
    infeasibility proves the incumbent optimal. Each better allocation found rules out more
    placements, so the search stops at the first one and starts again from it, at most
    ``_REFIXES`` times. The ``first`` instance runs after the packing, when the incumbent is
    within ``_CLOSE_ENOUGH`` of the bound; when it declines, it sets the objective at which the
    full search stops for the second instance.
    """

    name = "restricted search"

    def __init__(self, state: _SolveState, *, first: bool) -> None:
        self.state = state
        self.first = first

    def accepts(self, run: Run) -> bool:
        state = self.state
        if state.multipliers is None or state.configs is None or run.incumbent is None:
            return False
        return state.multipliers.converged if self.first else state.close_enough

    def run(self, run: Run) -> None:
        for round_ in range(_REFIXES + 1):
            went_on = self._once(run, first=round_ == 0, last=round_ == _REFIXES)
            if not went_on:
                return

    def _once(self, run: Run, *, first: bool, last: bool) -> bool:
        """One restricted search: whether it stopped at a better allocation to go on from."""
        state, problem = self.state, run.problem
        built, configs, multipliers = state.built, state.configs, state.multipliers
        assert built is not None and configs is not None and multipliers is not None
        assert run.incumbent is not None and built.objective is not None
        incumbent = configs.value(run.incumbent)
        if first and multipliers.bound - incumbent - 1 > _CLOSE_ENOUGH:
            self._decline(run, incumbent)  # far from the bound: nearly every pair would stay
            return False
        allowed, must = configs.fixing(multipliers, incumbent)
        pairs = int(allowed.sum())
        if first and self._keeps_too_much(pairs):
            self._decline(run, incumbent)
            return False
        if not _fits(run, state.build_estimate(pairs) + state.overhead(pairs)):
            return False
        try:
            restricted = build_model(problem, rules=run.rules, deadline=run.deadline,
                                     candidates=dataclasses.replace(built.candidates,
                                                                    allowed=allowed))
        except OutOfTime:
            return False
        inner = restricted.objective
        if inner is None or not inner.variables or restricted.tolerance > 0:
            return False  # cannot happen with exact terms; never claim anything then
        # Both models state the objective exactly, so thresholds carry over between scalings.
        better = built.objective.to_objective(incumbent + 1)
        model = restricted.model
        model.add(inner.expression() >= math.ceil((better - inner.constant) * inner.factor
                                                  - 1e-6))
        for r in must:
            model.add_bool_or([restricted.context.housed(r)])
        watcher = _Watcher(restricted, run, stop_at=None if last else -math.inf)
        code = _search_into(run, state, restricted, run.deadline, watcher)
        if code == cp_model.INFEASIBLE:  # nothing is better than the incumbent
            run.prove_optimal()
            return False
        return (code == cp_model.FEASIBLE and watcher.close_enough and not run.done)

    def _keeps_too_much(self, pairs: int) -> bool:
        """Whether a fixing leaves more than ``_RESTRICT_UP_TO`` of the placement pairs."""
        assert self.state.built is not None
        return pairs > _RESTRICT_UP_TO * self.state.built.candidates.pair_count

    def _decline(self, run: Run, incumbent: float) -> None:
        """Would an allocation within ``_CLOSE_ENOUGH`` of the bound rule out enough? Then the
        full search stops when it finds one, for the second restricted search."""
        state = self.state
        assert state.multipliers is not None and state.configs is not None
        if not self.first:
            return
        target = state.multipliers.bound - _CLOSE_ENOUGH
        if target > incumbent:
            allowed, _ = state.configs.fixing(state.multipliers, math.ceil(target))
            if not self._keeps_too_much(int(allowed.sum())):
                state.stop_at = float(math.ceil(target))


class _FullSearch(_StageOn):
    """CP-SAT over the full model from the incumbent (or the start), until the deadline.

    With ``stop_for_restricted`` it stops at an allocation close enough to the configurations'
    bound for the restricted search to pay (``state.stop_at``); the second instance runs only
    after such a stop.
    """

    name = "full search"

    def __init__(self, state: _SolveState, *, stop_for_restricted: bool) -> None:
        self.state = state
        self.stop_for_restricted = stop_for_restricted

    def accepts(self, run: Run) -> bool:
        built = self.state.built
        if built is None:
            return False
        if not self.stop_for_restricted and not self.state.close_enough:
            return False
        return _fits(run, self.state.overhead(built.candidates.pair_count))

    def run(self, run: Run) -> None:
        state = self.state
        built = state.built
        assert built is not None
        stop_at = state.stop_at if self.stop_for_restricted else None
        watcher = _Watcher(built, run, stop_at=stop_at)
        code = _search_into(run, state, built, run.deadline, watcher)
        if code == cp_model.INFEASIBLE and run.incumbent is None:
            run.prove_infeasible()
        state.close_enough = bool(stop_at is not None and watcher.close_enough)


def _search_into(run: Run, state: _SolveState, built: BuiltModel, deadline: float | None,
                 watcher: _Watcher) -> int:
    """Search ``built`` from ``run.start`` until ``deadline``; offer and prove what it found.

    ``watcher``'s ``bounded`` says whether the search's bound is one of the problem: then,
    when the search found an allocation (CP-SAT's FEASIBLE or OPTIMAL), its best bound is
    proved; OPTIMAL proves the incumbent optimal. Without an
    allocation CP-SAT's bound is a placeholder (0, or the domain's) and proves nothing.
    """
    solver = cp_model.CpSolver()
    budget = run.share_of_time_left(_COMPLETION_SHARE, _COMPLETION_CAP)
    built.complete_hint(dict(run.start), budget)
    if deadline is not None:  # CP-SAT's limit does not count its loading of the model
        deadline -= state.loading(built.candidates.pair_count)
    _configure(solver, deadline, state.options)
    code = _run_interruptibly(solver, built.model, watcher)
    run.interrupted |= watcher.interrupted
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(
            "roomalloc built an invalid CP-SAT model (a bug in roomalloc or a plug-in): "
            + built.model.validate()
        )
    if not cpsat.found(code):
        return code
    run.offer(built.assignments(solver.boolean_value), valid=True)
    if not watcher.bounded:
        return code
    scaled = built.objective
    if scaled is None or not scaled.variables:
        if code == cp_model.OPTIMAL:  # every allocation is worth the same
            run.prove_optimal()
        return code
    raw = solver.best_objective_bound
    if math.isfinite(raw):
        run.prove(scaled.to_objective(raw) + built.tolerance)
    if code == cp_model.OPTIMAL:
        # Nothing beats what CP-SAT found, and the incumbent is at least as good (it is one
        # of the model's allocations; the bound just proved checks that in the result).
        run.prove_optimal(exact=built.tolerance == 0)
    return code


#: ``workers``, ``seed`` and ``parameters`` of a ``solve`` call, passed on to each search.
_Options = tuple[int, int, Mapping[str, Any] | None]


def _configure(solver: cp_model.CpSolver, deadline: float | None, options: _Options) -> None:
    """Set ``solver``'s parameters: time left until ``deadline``, the options, the full LP."""
    workers, seed, parameters = options
    # The limit covers the whole call: the model build and the hint come out of it.
    time_limit = None if deadline is None else max(0.0, deadline - time.perf_counter())
    cpsat.configure(solver, time_limit=time_limit, workers=int(workers), seed=int(seed),
                    catch_sigint=False,  # our own handler stops the search and keeps the best
                    full_lp=True, parameters=parameters)


def _worth_shortlisting(candidates: Candidates) -> bool:
    """Whether shortlists would leave out most placement pairs (a large problem)."""
    residents = len(candidates.resident_ids)
    return candidates.pair_count > _SHORTLIST_FROM * SHORTLIST_SIZE * max(1, residents)


def _worth_configurations(candidates: Candidates) -> bool:
    """Whether the configurations' route runs by default (a large problem)."""
    return candidates.pair_count > _CONFIGURATIONS_FROM * max(1, len(candidates.resident_ids))
