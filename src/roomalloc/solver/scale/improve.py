"""Improvement by large neighbourhoods: free a few rooms, re-solve them, keep what is better.

Each step frees a neighbourhood (:mod:`roomalloc.solver.scale.neighbourhood`), turns it into a
plain problem (:mod:`roomalloc.solver.scale.subproblem`), builds its full CP-SAT model with
:func:`roomalloc.solver.build_model` (small: a few dozen residents and rooms), hints the
current allocation and searches for a short time. The new placement is kept when the
independent :func:`roomalloc.check` passes it on the sub-problem and it is better: more
required residents housed (while some are missing), else a higher objective (by
:func:`roomalloc.evaluate` on the sub-problem, whose change is the global change). The kind of
neighbourhood that improved is chosen more often.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> from roomalloc.solver.scale.arrays import ProblemArrays
>>> from roomalloc.solver.scale.candidates import sparse_candidates
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="a", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="b")])
>>> arrays = ProblemArrays.of(p)
>>> occ = Occupancy(arrays)
>>> occ.place(1, [0])
>>> search = NeighbourhoodSearch(arrays, sparse_candidates(arrays), seed=0)
>>> search.step(occ, search.hoods.free(occ, [0, 1]), time_limit=5.0)
True
>>> occ.assignments()
{'a': 'A', 'b': 'B'}
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from roomalloc.solver.builder import build_model
from roomalloc.solver.cpsat import configure, found
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import SparseCandidates
from roomalloc.solver.scale.neighbourhood import Bandit, Freed, Neighbourhoods
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.subproblem import sub_problem
from roomalloc.verify.evaluation import evaluate
from roomalloc.verify.verifier import check

#: Seconds of CP-SAT per neighbourhood, at most.
STEP_SECONDS = 0.3
#: Gains below this (objective units) are noise of the float sums, not improvements.
MIN_GAIN = 1e-6


class NeighbourhoodSearch:
    """The neighbourhood loop over one occupancy; ``gain`` is the objective gained so far."""

    def __init__(self, arrays: ProblemArrays, cands: SparseCandidates, *, seed: int = 0,
                 workers: int = 1) -> None:
        self.arrays = arrays
        self.hoods = Neighbourhoods(arrays, cands)
        self.bandit = Bandit(self.hoods.kinds)
        self.rng = np.random.default_rng(seed)
        self.workers = workers
        self.gain = 0.0
        self.steps = 0
        self.kept = 0
        self.current: cp_model.CpSolver | None = None  # for a stop from a signal handler

    def step(self, occ: Occupancy, freed: Freed, time_limit: float) -> bool:
        """Re-solve ``freed`` for at most ``time_limit`` s; ``True`` when ``occ`` improved."""
        self.steps += 1
        arrays = self.arrays
        problem = arrays.problem
        sub = sub_problem(problem, freed.rooms, freed.residents,
                          {i: int(occ.room_of[i]) for i in freed.fixed})
        local = {k: n for n, k in enumerate(freed.rooms)}
        before = {problem.residents[i].id: (problem.rooms[int(occ.room_of[i])].id
                                            if occ.room_of[i] >= 0 else None)
                  for i in freed.residents}
        assert all(int(occ.room_of[i]) in local or occ.room_of[i] < 0 for i in freed.residents)
        built = build_model(sub)
        built.add_hint(before)
        solver = cp_model.CpSolver()
        configure(solver, time_limit=max(0.05, time_limit), workers=self.workers,
                  seed=int(self.rng.integers(2**31 - 1)), catch_sigint=False)
        self.current = solver
        try:
            code = solver.solve(built.model)
        finally:
            self.current = None
        if not found(code):
            return False
        after = built.assignments(solver.boolean_value)
        if not check(sub, after).ok:
            return False
        missing_before = sum(1 for i in freed.residents
                             if arrays.required[i] and occ.room_of[i] < 0)
        missing_after = sum(1 for i in freed.residents
                            if arrays.required[i] and after[problem.residents[i].id] is None)
        gain = evaluate(sub, after).objective - evaluate(sub, before).objective
        if missing_after > missing_before or (missing_after == missing_before
                                              and gain <= MIN_GAIN):
            return False
        room_index = {k.id: j for j, k in enumerate(problem.rooms)}
        occ.remove(freed.residents)
        for i in freed.residents:
            k = after[problem.residents[i].id]
            if k is not None:
                occ.place(room_index[k], [i])
        self.gain += gain
        self.kept += 1
        return True

    def run(self, occ: Occupancy, deadline: float, *,
            should_stop: Callable[[], bool] = lambda: False,
            on_gain: Callable[[float], None] | None = None) -> None:
        """Steps until ``deadline`` (a ``perf_counter`` time) or ``should_stop()``."""
        while not should_stop():
            left = deadline - time.perf_counter()
            if left <= 0.05:
                return
            kind = self.bandit.choose(self.rng)
            freed = self.hoods.pick(kind, occ, self.rng)
            if freed is None or not freed.residents:
                self.bandit.reward(kind, 0.0)
                continue
            improved = self.step(occ, freed, min(STEP_SECONDS, left - 0.05))
            self.bandit.reward(kind, 1.0 if improved else 0.0)
            if improved and on_gain is not None:
                on_gain(self.gain)
