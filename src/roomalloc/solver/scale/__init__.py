"""The path that scales: sparse candidates, a flow start, large neighbourhoods, a flow bound.

:func:`solve_at_scale` runs :data:`~roomalloc.solver.scale.stages.SCALE_STAGES` in order
(see ``docs/solver.md``) and returns an honest :class:`roomalloc.Result`: the allocation is
checked by :func:`roomalloc.check`, objective and terms recomputed by
:func:`roomalloc.evaluate`, the bound only from the assignment relaxation, ``optimal`` only
when the incumbent meets it. Memory grows with residents x a constant: no resident x room
matrix is built, and each CP-SAT model holds one neighbourhood. :func:`accepts` says whether
the path applies (built-in rules and terms only, ``fairness`` excepted).

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="r2")])
>>> accepts(p)
True
>>> result = solve_at_scale(p, time_limit=10, workers=1)
>>> result.status, result.assignments["r1"], result.objective, result.bound
('optimal', 'A', 2003.0, 2003.0)
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from roomalloc.model import Problem, Result
from roomalloc.rules.base import Rule
from roomalloc.solver.driver import Run
from roomalloc.solver.scale.arrays import unsplittable_terms
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.stages import NOISE, SCALE_STAGES, Progress, ScaleRun, Stage
from roomalloc.verifier import check

__all__ = ["SCALE_FROM", "SCALE_STAGES", "ScaleRun", "accepts", "run_stages", "solve_at_scale",
           "takes_over"]

#: From this many residents :func:`roomalloc.solve` hands an accepted problem to this path: at
#: 2,000 residents the full model takes 2.5-5.5 GB and CP-SAT rarely improves on its start in
#: 60 s, while this path is within 1 % of its bound in that time (benchmarks/README.md).
SCALE_FROM = 1_500


def accepts(problem: Problem, rules: Sequence[Rule] = ()) -> bool:
    """Whether the scalable path can solve ``problem``: no custom rules, and only objective
    terms it can split over rooms (every built-in but ``fairness``).

    >>> from roomalloc import Problem, TermSpec
    >>> accepts(Problem(objective=[TermSpec(term="fairness", weight=1)]))
    False
    """
    return not rules and not unsplittable_terms(problem)


def takes_over(problem: Problem, rules: Sequence[Rule] = ()) -> bool:
    """Whether :func:`roomalloc.solve` should use this path: large enough and accepted.

    A ``hint`` plays no part: this path starts from it when it keeps every hard rule (a full
    model of a large problem would not fit the time or the memory).

    >>> from roomalloc import Problem, Resident
    >>> takes_over(Problem(residents=[Resident(id=str(n)) for n in range(SCALE_FROM)]))
    True
    """
    return len(problem.residents) >= SCALE_FROM and accepts(problem, rules)


@contextmanager
def _ctrl_c_stops(run: ScaleRun) -> Iterator[None]:
    """While the stages run, SIGINT (and SIGTERM) ask them to stop instead of raising."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        run.interrupted = True
        search = run.search
        if search is not None and search.current is not None:
            search.current.stop_search()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def run_stages(run: ScaleRun, stages: Sequence[Stage] = SCALE_STAGES,
               incumbent: Occupancy | None = None) -> Occupancy | None:
    """Run each stage that accepts the run, in order, until one proves the incumbent optimal,
    the clock runs out or Ctrl-C; the incumbent at that point."""
    with _ctrl_c_stops(run):
        for stage in stages:
            if run.proven or run.should_stop():
                break
            if not stage.accepts(run):
                continue
            began = time.perf_counter()
            try:
                incumbent = stage.run(run, incumbent)
            except KeyboardInterrupt:
                run.interrupted = True
            run.log.append(f"{stage.name}: {time.perf_counter() - began:.2f} s")
            if run.interrupted:
                break
    return incumbent


def solve_at_scale(problem: Problem, *, time_limit: float | None = 60.0, workers: int = 0,
                   seed: int = 0, progress: Progress | None = None,
                   hint: Mapping[str, str | None] | None = None,
                   started: float | None = None) -> Result:
    """Solve ``problem`` by the scalable path; ``time_limit`` is the whole call's wall time
    (counted from ``started``, a ``time.perf_counter()`` value, when the caller began earlier).

    A valid ``hint`` becomes the first incumbent. ``workers`` CP-SAT workers per neighbourhood
    (0: 2).
    """
    began = time.perf_counter() if started is None else started
    # The last stage's step and the result's check need a moment: keep 3 % of the limit.
    deadline = None if time_limit is None else began + 0.97 * float(time_limit)
    run = ScaleRun(problem, started=began, deadline=deadline,
                   workers=workers if workers > 0 else 2, seed=seed, progress=progress)
    incumbent = None
    if hint is not None and check(problem, hint).ok:
        incumbent = Occupancy.from_assignments(run.arrays, hint)
        run.adopt(incumbent, [])
    incumbent = run_stages(run, incumbent=incumbent)
    return scale_result(run, incumbent)


def scale_result(run: ScaleRun, incumbent: Occupancy | None) -> Result:
    """The run's :class:`Result`, built by the driver's one result and bound code
    (:class:`roomalloc.solver.driver.Run`): verified by :func:`roomalloc.check`, objective and
    terms recomputed, the bound only what the relaxation proved."""
    final = Run(run.problem, started=run.started)
    final.interrupted = run.interrupted
    if run.bound is not None:
        final.prove(run.bound)
    if incumbent is not None:
        # The driver checks the allocation before keeping it: one that leaves out a required
        # resident (no valid allocation found in time) is not kept, and the result is unknown.
        final.offer(incumbent.assignments())
    if final.incumbent is not None and run.proven and run.bound is not None and (
        final.value >= run.bound - NOISE * max(1.0, abs(run.bound))
    ):
        final.prove_optimal()
    return final.result()
