"""The scalable path's stages: driver stages (:class:`roomalloc.solver.driver.Stage`) on a
:class:`ScaleRun`, the driver's :class:`~roomalloc.solver.driver.Run` carrying this path's state.

In the order :data:`SCALE_STAGES` lists them:

1. ``sparse_candidates`` (:class:`SparseCandidatesStage`): each resident's short list of rooms
   and the relaxation's class arcs; the rooms each group may share.
2. ``exact_assignment`` (:class:`ExactAssignmentStage`): a pure assignment problem is solved
   outright by min-cost flow, proven optimal.
3. ``greedy_start`` (:class:`GreedyStartStage`): a first allocation, greedy then repair.
4. ``office_greedy`` (:class:`OfficeGreedyStage`): where its dense matrices are small enough
   to build in a fraction of the time left (most of it when the start left a required
   resident out), the full model's greedy (residents in priority
   order, each to the best room still allowed: what a housing office's spreadsheet does)
   replaces the start when it is valid and better, so this path never ends below it.
5. ``assignment_bound`` (:class:`AssignmentBoundStage`): the one bound of this path, from the
   assignment relaxation.
6. ``neighbourhoods`` (:class:`NeighbourhoodStage`): free a few rooms, re-solve them with CP-SAT,
   keep what is better, until the clock runs out or the incumbent meets the bound.

A stage never builds a :class:`roomalloc.Result`; only the assignment-bound and exact stages
prove a bound (:meth:`Run.prove`). The stages work on :attr:`ScaleRun.occupancy`, changed in
place by the neighbourhood steps; the driver's incumbent gets it (checked) when a stage proves
something of it and when the result is built (checking it at every step would cost
residents x a constant each time). The driver owns the clock, the one bound and the stop
signals: these stages run under :meth:`Run.stopping`, so a stop ends them at their next poll
of :attr:`Run.done` (and stops a neighbourhood's CP-SAT search) instead of raising.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from roomalloc.domain.model import Problem, Result
from roomalloc.solver.driver import NOISE, Progress, Run, Stage, within_noise
from roomalloc.solver.greedy import greedy_allocation
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
from roomalloc.verify.evaluation import weighted_objective
from roomalloc.verify.verifier import check

#: Share of the time left that the start's refinements may use.
START_SHARE = 0.25
#: Share of the time left that the start may spend housing required residents it left out
#: (without them there is no allocation at all).
RESCUE_SHARE = 0.6

#: The office greedy's dense residents x rooms matrices: at most this many cells (about 0.4 GB),
#: and an estimated run of at most ``OFFICE_GREEDY_SHARE`` of the time left, at
#: ``OFFICE_GREEDY_PER_CELL`` seconds a cell (measured in the benchmark suite: 10,000 pure,
#: 47 M cells, 11.7 s; 10,000 ward 5.9 s).
OFFICE_GREEDY_CELLS = 50_000_000
OFFICE_GREEDY_SHARE = 0.25
OFFICE_GREEDY_RESCUE_SHARE = 0.8
OFFICE_GREEDY_PER_CELL = 2.5e-7

#: The last stage's step and the result's check need a moment: the stages keep to this share
#: of the time limit.
CLOCK_SHARE = 0.97


class ScaleRun(Run):
    """The driver's :class:`Run` with what this path's stages share: the problem's arrays, the
    candidates, the working allocation (``occupancy``) and its objective.

    ``objective`` is the occupancy's objective as the stages last knew it (recomputed, as
    :func:`roomalloc.evaluate` would, when an occupancy is adopted, then kept up to date by
    the exact gains of the neighbourhood steps).
    """

    def __init__(self, problem: Problem, *, time_limit: float | None = None,
                 started: float | None = None, workers: int = 1, seed: int = 0,
                 progress: Progress | None = None) -> None:
        super().__init__(problem, progress=progress, started=started,
                         time_limit=None if time_limit is None else CLOCK_SHARE * time_limit)
        self.workers = workers
        self.seed = seed
        self.arrays = ProblemArrays.of(problem)
        self.candidates: SparseCandidates | None = None
        self.groups: GroupRooms | None = None
        self.occupancy: Occupancy | None = None
        self.objective: float | None = None
        self.missing_required: list[int] = []
        self.first_valid: float | None = None
        self.search: NeighbourhoodSearch | None = None

    def closed(self) -> bool:
        """Whether the occupancy's objective meets the proven bound (then it is optimal)."""
        bound = self.proved
        if bound is None or self.objective is None or self.missing_required:
            return False
        return within_noise(self.objective, bound, 2 * NOISE)  # the bound's margin, and noise

    def report(self) -> None:
        """Tell the progress callback about the occupancy (once it is valid)."""
        if self.progress is not None and self.objective is not None and not self.missing_required:
            self.progress(self.elapsed(), self.objective, self.proved)

    def adopt(self, occ: Occupancy, missing: Sequence[int]) -> None:
        """Make ``occ`` the working allocation: objective recomputed, missing required noted."""
        self.occupancy = occ
        self.objective = weighted_objective(self.problem, occ.assignments())
        self.missing_required = list(missing)
        if not self.missing_required and self.first_valid is None:
            self.first_valid = self.elapsed()
        self.report()

    def settle(self, *, final: bool = False) -> None:
        """When the occupancy meets the bound, or for the ``final`` result: offer it to the
        driver (which checks it: one that leaves out a required resident is not kept), and
        prove it optimal when it meets the bound."""
        occ = self.occupancy
        if occ is None or self.objective is None or self.missing_required:
            return
        if not (final or self.closed()):
            return
        if self.incumbent is None or self.objective > self.value:
            self.offer(occ.assignments())
        if self.closed() and self.incumbent is not None and not self.optimal:
            bound = self.proved
            if bound is not None and within_noise(self.value, bound, 2 * NOISE):
                self.prove_optimal()

    def stop_search(self) -> None:
        """Stop the neighbourhood's CP-SAT search under way, if any (a stop signal)."""
        search = self.search
        if search is not None and search.current is not None:
            search.current.stop_search()

    def result(self) -> Result:
        """The driver's result, once the occupancy is offered."""
        self.settle(final=True)
        return super().result()


class SparseCandidatesStage:
    """Each resident's candidate rooms (CSR) and class arcs; each group's common rooms."""

    name = "sparse_candidates"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is None

    def run(self, run: ScaleRun) -> None:
        exact = is_pure_assignment(run.arrays)
        run.candidates = sparse_candidates(run.arrays, seed=run.seed, exact_classes=exact,
                                           should_stop=lambda: run.done)
        run.groups = group_candidates(run.arrays, scan=run.candidates.scan)


class ExactAssignmentStage:
    """A pure assignment problem (no rule links residents) is a transportation problem: its
    min-cost flow over exact room classes is an optimal allocation."""

    name = "exact_assignment"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        c = run.candidates
        return c is not None and c.classes.exact and is_pure_assignment(run.arrays)

    def run(self, run: ScaleRun) -> None:
        assert run.candidates is not None
        relaxed = relaxation(run.arrays, run.candidates, required=True)
        if relaxed is None:  # no room for every required resident: the next stages say so
            return
        occ = exact_allocation(run.arrays, run.candidates, relaxed)
        run.prove(relaxed.bound)
        run.adopt(occ, [])
        # Proven when the flow's integer costs were the objective exactly and the allocation
        # is worth what the flow said (the bound carries a last-bit margin only).
        if relaxed.exact_values:
            run.settle()


class GreedyStartStage:
    """A first allocation: a greedy over the candidates, then repair."""

    name = "greedy_start"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is not None

    def run(self, run: ScaleRun) -> None:
        if run.occupancy is not None and not run.missing_required:
            return
        assert run.candidates is not None and run.groups is not None
        # The refinements may take a quarter of the time left; the search does the rest.
        until = time.perf_counter() + run.share_of_time_left(START_SHARE, math.inf)
        rescue_until = time.perf_counter() + run.share_of_time_left(RESCUE_SHARE, math.inf)
        out = greedy_start(run.arrays, run.candidates, run.groups, until, rescue_until)
        run.adopt(out.occupancy, out.missing_required)


class OfficeGreedyStage:
    """The office spreadsheet's allocation (:func:`roomalloc.solver.greedy.greedy_allocation`)
    when it is valid and better than the start. Without it, after 60 s of neighbourhoods the
    path ended 0.6 % below it on the 2,000-resident ward, 1.0 % on the 10,000 ward and 0.2 %
    on the 10,000 campus, and found nothing valid on the 10,000 staff housing, where it is
    valid."""

    name = "office_greedy"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        cells = run.arrays.residents * run.arrays.rooms
        left = run.time_left()
        # A start that leaves a required resident out is no allocation at all: then the
        # greedy may take most of the time left (staff_housing 10,000: the start left 544
        # required residents out; the office greedy housed every one in 12 s).
        share = OFFICE_GREEDY_RESCUE_SHARE if run.missing_required else OFFICE_GREEDY_SHARE
        return cells <= OFFICE_GREEDY_CELLS and (
            left is None or cells * OFFICE_GREEDY_PER_CELL <= share * left)

    def run(self, run: ScaleRun) -> None:
        office = greedy_allocation(run.problem)
        report = check(run.problem, office)  # recomputes the objective too
        if not report.ok or report.objective is None:  # e.g. a required resident left out
            return
        if run.occupancy is None or run.missing_required or (
                run.objective is not None and report.objective > run.objective):
            run.adopt(Occupancy.from_assignments(run.arrays, office), [])


class AssignmentBoundStage:
    """The assignment relaxation's optimum: the bound of this path."""

    name = "assignment_bound"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        return run.candidates is not None and run.proved is None

    def run(self, run: ScaleRun) -> None:
        assert run.candidates is not None
        relaxed = relaxation(run.arrays, run.candidates)
        if relaxed is not None:
            run.prove(relaxed.bound)
            run.settle()
            run.report()


class NeighbourhoodStage:
    """Large-neighbourhood search until the clock runs out or the bound is met."""

    name = "neighbourhoods"
    essential = False

    def accepts(self, run: ScaleRun) -> bool:
        return (run.candidates is not None and not run.optimal and run.arrays.rooms > 0
                and run.deadline is not None)

    def run(self, run: ScaleRun) -> None:
        incumbent = run.occupancy
        if incumbent is None:
            return
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

        search.run(incumbent, run.deadline, should_stop=lambda: run.done or run.closed(),
                   on_gain=on_gain)
        run.settle()


#: The stages in the order they run (one tuple: the driver runs them).
SCALE_STAGES: tuple[Stage[ScaleRun], ...] = (
    SparseCandidatesStage(),
    ExactAssignmentStage(),
    GreedyStartStage(),
    OfficeGreedyStage(),
    AssignmentBoundStage(),
    NeighbourhoodStage(),
)
