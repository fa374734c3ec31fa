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

from collections.abc import Mapping, Sequence

from roomalloc.domain.model import Problem, Result
from roomalloc.rules.base import Rule
from roomalloc.solver.driver import Progress, drive
from roomalloc.solver.scale.arrays import unsplittable_terms
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.stages import SCALE_STAGES, ScaleRun
from roomalloc.verify.verifier import check

__all__ = ["SCALE_FROM", "SCALE_STAGES", "ScaleRun", "accepts", "solve_at_scale", "takes_over"]

#: From this many residents :func:`roomalloc.solve` hands an accepted problem to this path: at
#: 2,000 residents the full model takes 2.5-5.5 GB and CP-SAT rarely improves on its start in
#: 60 s, while this path is within 1 % of its bound in that time (benchmarks/README.md).
#: Below it, ``solve`` still uses this path when the full model would not fit the time limit.
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
    """Whether :func:`roomalloc.solve` should use this path whatever the time limit: large
    enough and accepted.

    A ``hint`` plays no part: this path starts from it when it keeps every hard rule (a full
    model of a large problem would not fit the time or the memory).

    >>> from roomalloc import Problem, Resident
    >>> takes_over(Problem(residents=[Resident(id=str(n)) for n in range(SCALE_FROM)]))
    True
    """
    return len(problem.residents) >= SCALE_FROM and accepts(problem, rules)


def solve_at_scale(problem: Problem, *, time_limit: float | None = 60.0, workers: int = 0,
                   seed: int = 0, progress: Progress | None = None,
                   hint: Mapping[str, str | None] | None = None,
                   started: float | None = None) -> Result:
    """Solve ``problem`` by the scalable path; ``time_limit`` is the whole call's wall time
    (counted from ``started``, a ``time.perf_counter()`` value, when the caller began earlier).

    A valid ``hint`` becomes the first allocation. ``workers`` CP-SAT workers per
    neighbourhood (0: 2). The driver (:func:`roomalloc.solver.driver.drive`) runs
    :data:`SCALE_STAGES` and builds the result.
    """
    run = ScaleRun(problem, time_limit=None if time_limit is None else float(time_limit),
                   started=started, workers=workers if workers > 0 else 2, seed=seed,
                   progress=progress)
    if hint is not None and check(problem, hint).ok:
        run.adopt(Occupancy.from_assignments(run.arrays, hint), [])
    # A stop ends the stages at their next poll of run.done, and a neighbourhood's search at
    # once: cutting a step in the middle could leave the occupancy half moved.
    with run.stopping(run.stop_search):
        return drive(run, SCALE_STAGES)
