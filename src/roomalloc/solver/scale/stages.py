"""The scalable path's stages, each ``accepts(run)`` / ``run(run, incumbent) -> incumbent``.

In the order :data:`SCALE_STAGES` lists them:

1. ``sparse_candidates`` (:class:`SparseCandidatesStage`): each resident's short list of rooms
   and the relaxation's class arcs; the rooms each group may share.
2. ``exact_assignment`` (:class:`ExactAssignmentStage`): a pure assignment problem is solved
   outright by min-cost flow, proven optimal.
3. ``greedy_start`` (:class:`GreedyStartStage`): a first allocation, greedy then repair.
4. ``assignment_bound`` (:class:`AssignmentBoundStage`): the one bound of this path, from the
   assignment relaxation.
5. ``neighbourhoods`` (:class:`NeighbourhoodStage`): free a few rooms, re-solve them with CP-SAT,
   keep what is better, until the clock runs out or the incumbent meets the bound.

A stage never builds a :class:`roomalloc.Result`; only the assignment-bound and exact stages
set :attr:`ScaleRun.bound`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from roomalloc.evaluation import evaluate
from roomalloc.model import Problem
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.bound import exact_allocation, is_pure_assignment, relaxation
from roomalloc.solver.scale.candidates import (
    GroupRooms,
    SparseCandidates,
    group_candidates,
    sparse_candidates,
)
from roomalloc.solver.scale.improve import NeighbourhoodSearch
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.start import greedy_start

#: Share of the time left that the start's refinements may use.
START_SHARE = 0.25

#: Relative differences below this are float noise (the bound carries a margin of half).
NOISE = 2e-9

#: ``progress(elapsed_seconds, objective, bound)``, as :func:`roomalloc.solve` takes it.
Progress = Callable[[float, float, float | None], None]


@dataclass
class ScaleRun:
    """What the stages share: the problem, the clock, the candidates and the one bound.

    ``objective`` is the incumbent's objective as the stages last knew it (recomputed with
    :func:`roomalloc.evaluate` when an incumbent is made, then kept up to date by the exact
    gains of the neighbourhood steps); ``proven`` says the incumbent is optimal.
    """

    problem: Problem
    started: float
    deadline: float | None
    workers: int = 1
    seed: int = 0
    progress: Progress | None = None
    arrays: ProblemArrays = field(init=False)
    candidates: SparseCandidates | None = None
    groups: GroupRooms | None = None
    bound: float | None = None
    proven: bool = False
    objective: float | None = None
    missing_required: list[int] = field(default_factory=list)
    interrupted: bool = False
    first_valid: float | None = None
    search: NeighbourhoodSearch | None = None
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.arrays = ProblemArrays.of(self.problem)

    def elapsed(self) -> float:
        """Seconds since the ``solve`` call began."""
        return time.perf_counter() - self.started

    def time_left(self) -> float:
        """Seconds left on the whole call's clock (``inf`` without a limit)."""
        if self.deadline is None:
            return math.inf
        return self.deadline - time.perf_counter()

    def should_stop(self) -> bool:
        """Interrupted, or out of time."""
        return self.interrupted or self.time_left() <= 0

    def closed(self) -> bool:
        """Whether the incumbent's objective meets the bound (then it is optimal)."""
        if self.bound is None or self.objective is None or self.missing_required:
            return False
        return self.objective >= self.bound - NOISE * max(1.0, abs(self.bound))

    def report(self) -> None:
        """Tell the progress callback about the incumbent (once it is valid)."""
        if self.progress is not None and self.objective is not None and not self.missing_required:
            self.progress(self.elapsed(), self.objective, self.bound)

    def adopt(self, occ: Occupancy, missing: Sequence[int]) -> None:
        """Make ``occ`` the incumbent: objective recomputed, missing required noted."""
        self.objective = evaluate(self.problem, occ.assignments()).objective
        self.missing_required = list(missing)
        if not self.missing_required and self.first_valid is None:
            self.first_valid = self.elapsed()
        self.report()


class Stage(Protocol):
    """One step of the scalable path."""

    name: str

    def accepts(self, run: ScaleRun) -> bool:
        """Whether the stage has something to do on this run now."""

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        """The new incumbent (or the same one)."""


class SparseCandidatesStage:
    """Each resident's candidate rooms (CSR) and class arcs; each group's common rooms."""

    name = "sparse_candidates"

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is None

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        exact = is_pure_assignment(run.arrays)
        run.candidates = sparse_candidates(run.arrays, seed=run.seed, exact_classes=exact,
                                           should_stop=run.should_stop)
        run.groups = group_candidates(run.arrays)
        return incumbent


class ExactAssignmentStage:
    """A pure assignment problem (no rule links residents) is a transportation problem: its
    min-cost flow over exact room classes is an optimal allocation."""

    name = "exact_assignment"

    def accepts(self, run: ScaleRun) -> bool:
        c = run.candidates
        return c is not None and c.classes.exact and is_pure_assignment(run.arrays)

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        assert run.candidates is not None
        relaxed = relaxation(run.arrays, run.candidates, required=True)
        if relaxed is None:  # no room for every required resident: the next stages say so
            return incumbent
        occ = exact_allocation(run.arrays, run.candidates, relaxed)
        run.bound = relaxed.bound
        run.adopt(occ, [])
        # Proven when the flow's integer costs were the objective exactly and the allocation
        # is worth what the flow said (the bound carries a last-bit margin only).
        run.proven = relaxed.exact_values and run.closed()
        return occ


class GreedyStartStage:
    """A first allocation: a greedy over the candidates, then repair."""

    name = "greedy_start"

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is not None

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        if incumbent is not None and not run.missing_required:
            return incumbent
        assert run.candidates is not None and run.groups is not None
        # The refinements may take a quarter of the time left; the search does the rest.
        until = time.perf_counter() + START_SHARE * run.time_left()
        out = greedy_start(run.arrays, run.candidates, run.groups, until)
        run.adopt(out.occupancy, out.missing_required)
        return out.occupancy


class AssignmentBoundStage:
    """The assignment relaxation's optimum: the bound of this path."""

    name = "assignment_bound"

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is not None and run.bound is None

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        assert run.candidates is not None
        relaxed = relaxation(run.arrays, run.candidates)
        if relaxed is not None:
            run.bound = relaxed.bound
            run.proven = run.closed()
            run.report()
        return incumbent


class NeighbourhoodStage:
    """Large-neighbourhood search until the clock runs out or the bound is met."""

    name = "neighbourhoods"

    def accepts(self, run: ScaleRun) -> bool:
        return (run.candidates is not None and not run.proven and run.arrays.rooms > 0
                and run.deadline is not None)

    def run(self, run: ScaleRun, incumbent: Occupancy | None) -> Occupancy | None:
        if incumbent is None:
            return None
        assert run.candidates is not None and run.deadline is not None
        search = run.search = NeighbourhoodSearch(run.arrays, run.candidates, seed=run.seed,
                                                  workers=run.workers)
        base = run.objective if run.objective is not None else 0.0

        def on_gain(gain: float) -> None:
            run.objective = base + gain
            missing = [i for i in run.missing_required if incumbent.room_of[i] < 0]
            if run.missing_required and not missing:
                run.missing_required = []
                run.first_valid = run.elapsed()
            run.missing_required = missing
            run.report()

        search.run(incumbent, run.deadline, should_stop=lambda: run.should_stop()
                   or run.closed(), on_gain=on_gain)
        run.proven = run.closed()
        return incumbent


#: The stages in the order they run (one tuple: a driver lists them).
SCALE_STAGES: tuple[Stage, ...] = (
    SparseCandidatesStage(),
    ExactAssignmentStage(),
    GreedyStartStage(),
    AssignmentBoundStage(),
    NeighbourhoodStage(),
)
