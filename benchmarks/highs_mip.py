"""The allocation problem as a plain MIP in HiGHS: what an analyst writes instead of roomalloc.

One binary ``x[r, k]`` per pair the static rules allow (needs, budget, excluded rooms, room
gender, closures, locks: :func:`roomalloc.solver.candidates.candidate_matrix`), and the textbook
linearisations:

* each resident in at most one room (exactly one when required or locked);
* capacity per room on the first night of each stay segment (who is present only grows on a
  night where a stay starts, so those nights are enough), skipping a segment whose residents
  are all still there on the next one (its row would be implied);
* gender mixing (``forbid``): a binary per room, segment and gender, at most one gender per
  room and segment, ``sum(x of that gender present) <= capacity * g``;
* private: ``capacity * x[r, k] + sum(x of the others present) <= capacity`` on each segment of
  r's stay;
* avoid: ``x[a, k] + x[b, k] <= 1`` for overlapping pairs;
* groups: every member's ``x[., k]`` equal to the first member's, room by room;
* objective: housed, preferences, cost and moves are linear in ``x``; roommates gets a binary
  ``y <= x[a, k], y <= x[b, k]`` per wished pair and shared room; rooms_used a binary
  ``u[k] >= x[r, k]``; fairness a continuous ``f <= 1 + sum((score / best - 1) * x[r, k])``.

Custom terms and rules have no MIP form here: such a problem raises
:class:`benchmarks.peers.NotApplicable`.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable

import highspy
import numpy as np

import roomalloc
from benchmarks.peers import NotApplicable, Outcome
from roomalloc.solver.candidates import candidate_matrix
from roomalloc.verify.evaluation import best_scores

BUILTIN_TERMS = frozenset(
    {"housed", "preferences", "roommates", "cost", "rooms_used", "moves", "fairness"}
)


class _Rows:
    """Constraint rows collected as sparse triplets, added to HiGHS in one call."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, cols: list[int], coefs: list[float], lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(cols)
        self.value.extend(coefs)
        self.lower.append(lower)
        self.upper.append(upper)

    def into(self, h: highspy.Highs) -> None:
        if not self.lower:
            return
        h.addRows(len(self.lower), np.array(self.lower), np.array(self.upper), len(self.index),
                  np.array(self.starts, dtype=np.int32), np.array(self.index, dtype=np.int32),
                  np.array(self.value, dtype=np.float64))


class _Model:
    """The MIP under construction: columns (bounds, objective, integrality) and rows."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows = _Rows()

    def column(self, cost: float, upper: float = 1.0, integer: bool = True) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1


def build(problem: roomalloc.Problem) -> tuple[_Model, dict[tuple[int, int], int], float]:
    """The MIP of ``problem``: the model, the column of each allowed (resident, room) pair, and
    the objective's constant (moves counts every mover not placed in their current room)."""
    weights: dict[str, float] = defaultdict(float)
    for spec in problem.objective:
        if spec.term not in BUILTIN_TERMS:
            raise NotApplicable(f"custom term {spec.term!r} has no MIP form here")
        weights[spec.term] += spec.weight
    c = candidate_matrix(problem)
    residents, rooms = problem.residents, problem.rooms
    index = c.resident_index
    m = _Model()
    x: dict[tuple[int, int], int] = {}
    best = best_scores(problem) if weights["fairness"] else {}
    for i, k in zip(*np.nonzero(c.allowed), strict=True):
        r, room = residents[i], rooms[k]
        value = (weights["housed"] * r.priority + weights["preferences"] * c.scores[i, k]
                 - weights["cost"] * room.cost
                 + (weights["moves"] if r.current_room == room.id else 0.0))
        x[(int(i), int(k))] = m.column(float(value))
    constant = -weights["moves"] * sum(r.current_room is not None for r in residents)
    by_resident: dict[int, list[int]] = defaultdict(list)
    by_room: dict[int, list[int]] = defaultdict(list)
    for i, k in x:
        by_resident[i].append(k)
        by_room[k].append(i)
    starts, ends = c.starts, c.ends

    for i, r in enumerate(residents):
        lower = 1.0 if (r.required or r.locked) else 0.0
        if lower or by_resident[i]:
            m.rows.add([x[(i, k)] for k in by_resident[i]], [1.0] * len(by_resident[i]), lower,
                       1.0)

    forbid = problem.rules.gender_mixing == "forbid"
    for k, room in enumerate(rooms):
        cands = np.array(by_room[k], dtype=np.int64)
        if cands.size == 0:
            continue
        cap = room.capacity
        s, e = starts[cands], ends[cands]
        firsts = np.unique(s).tolist()
        for n, t in enumerate(firsts):
            here = (s <= t) & (t < e)
            if n + 1 < len(firsts) and e[here].min() > firsts[n + 1]:
                continue  # everyone here is still here on the next first night: contained
            present = cands[here].tolist()
            cols = [x[(i, k)] for i in present]
            if len(present) > cap:
                m.rows.add(cols, [1.0] * len(cols), -math.inf, cap)
            if forbid:
                by_gender: dict[str | None, list[int]] = defaultdict(list)
                for i, col in zip(present, cols, strict=True):
                    by_gender[residents[i].gender].append(col)
                if len(by_gender) > 1:
                    gs = []
                    for members in by_gender.values():
                        g = m.column(0.0)
                        gs.append(g)
                        bed = min(cap, len(members))
                        m.rows.add([*members, g], [1.0] * len(members) + [-bed], -math.inf, 0.0)
                    m.rows.add(gs, [1.0] * len(gs), -math.inf, 1.0)
            for i, col in zip(present, cols, strict=True):
                if residents[i].private and len(present) > 1:
                    others = [o for j, o in zip(present, cols, strict=True) if j != i]
                    m.rows.add([*others, col], [1.0] * len(others) + [float(cap)], -math.inf,
                               float(cap))

    def overlap(a: int, b: int) -> bool:
        return bool(starts[a] < ends[b] and starts[b] < ends[a])

    avoid: set[tuple[int, int]] = set()
    for i, r in enumerate(residents):
        for s_id in r.roommates.avoid:
            j = index.get(s_id)
            if j is not None and j != i and overlap(i, j):
                avoid.add((min(i, j), max(i, j)))
    for a, b in sorted(avoid):
        for k in set(by_resident[a]) & set(by_resident[b]):
            m.rows.add([x[(a, k)], x[(b, k)]], [1.0, 1.0], -math.inf, 1.0)

    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(residents):
        if r.group is not None:
            groups[r.group].append(i)
    for members in groups.values():
        first = members[0]
        for k in sorted(set().union(*(by_resident[i] for i in members))):
            for i in members[1:]:
                cols = [x[p] for p in ((i, k), (first, k)) if p in x]
                coefs = [1.0 if p[0] == i else -1.0 for p in ((i, k), (first, k)) if p in x]
                m.rows.add(cols, coefs, 0.0, 0.0)

    if weights["roommates"]:
        _roommates(problem, m, x, by_resident, overlap, weights["roommates"])
    if weights["rooms_used"]:
        for k, cands_k in by_room.items():
            u = m.column(-weights["rooms_used"])
            for i in cands_k:
                m.rows.add([x[(i, k)], u], [1.0, -1.0], -math.inf, 0.0)
    if weights["fairness"]:
        f = m.column(weights["fairness"], upper=1.0, integer=False)
        for i, r in enumerate(residents):
            top = best.get(r.id, 0.0)
            if top > 0 and by_resident[i]:
                ks = by_resident[i]
                m.rows.add([f, *(x[(i, k)] for k in ks)],
                           [1.0, *(1.0 - float(c.scores[i, k]) / top for k in ks)], -math.inf,
                           1.0)
    return m, x, constant


def _roommates(problem: roomalloc.Problem, m: _Model, x: dict[tuple[int, int], int],
               by_resident: dict[int, list[int]], overlap: Callable[[int, int], bool],
               weight: float) -> None:
    """One ``y <= x[a, k], y <= x[b, k]`` binary per wished pair and room both may use."""
    residents = problem.residents
    index = {r.id: i for i, r in enumerate(residents)}
    forbid = problem.rules.gender_mixing == "forbid"
    wished: dict[tuple[int, int], int] = defaultdict(int)
    for i, r in enumerate(residents):
        for s_id in dict.fromkeys(r.roommates.want):
            j = index.get(s_id)
            if j is None or j == i or not overlap(i, j):
                continue
            other = residents[j]
            if (r.private or other.private or s_id in r.roommates.avoid
                    or r.id in other.roommates.avoid or (forbid and r.gender != other.gender)):
                continue
            wished[(min(i, j), max(i, j))] += 1
    for (a, b), count in wished.items():
        for k in sorted(set(by_resident[a]) & set(by_resident[b])):
            if problem.rooms[k].capacity < 2:
                continue
            y = m.column(weight * count)
            m.rows.add([y, x[(a, k)]], [1.0, -1.0], -math.inf, 0.0)
            m.rows.add([y, x[(b, k)]], [1.0, -1.0], -math.inf, 0.0)


def solve_with_highs(problem: roomalloc.Problem, *, time_limit: float, threads: int) -> Outcome:
    """Build the MIP, give HiGHS what is left of ``time_limit``, return its allocation.

    The status is ``optimal`` only when HiGHS proves it (relative gap 0); the bound is HiGHS's
    dual bound when finite. Presolve is off: it overruns the time limit (see the comment).
    """
    started = time.perf_counter()
    m, x, constant = build(problem)
    if not m.cost:
        # No allowed pair at all (HiGHS calls an empty model neither optimal nor infeasible):
        # nobody can be housed, which is the only allocation unless someone must be.
        seconds = time.perf_counter() - started
        if any(lower > 0 for lower in m.rows.lower):
            return Outcome(status="infeasible", seconds=seconds)
        return Outcome(status="optimal", assignments={r.id: None for r in problem.residents},
                       bound=constant, first_seconds=seconds, seconds=seconds)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    # HiGHS 1.16's presolve does not watch the clock: on the 300-resident campus it ran 230 s
    # past a 20 s limit without an allocation; without it the limit holds (and it finds one).
    h.setOptionValue("presolve", "off")
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-6)
    h.setOptionValue("random_seed", 0)
    left = time_limit - (time.perf_counter() - started)
    h.setOptionValue("time_limit", max(left, 0.5))
    n = len(m.cost)
    h.addVars(n, np.zeros(n), np.array(m.upper))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(m.cost))
    integer = np.flatnonzero(np.array(m.integer)).astype(np.int32)
    h.changeColsIntegrality(len(integer), integer,
                            np.array([highspy.HighsVarType.kInteger] * len(integer)))
    m.rows.into(h)
    h.changeObjectiveOffset(constant)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    trace: list[tuple[float, float | None, float | None]] = []

    def improving(event: object) -> None:
        out = event.data_out  # type: ignore[attr-defined]
        bound = float(out.mip_dual_bound)
        trace.append((time.perf_counter() - started, float(out.objective_function_value),
                      bound if math.isfinite(bound) else None))

    h.cbMipImprovingSolution.subscribe(improving)
    h.run()
    seconds = time.perf_counter() - started
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome(status="infeasible", seconds=seconds, trace=trace)
    if not has_solution:
        return Outcome(status="unknown", seconds=seconds, trace=trace)
    values = np.asarray(h.getSolution().col_value)
    assignments: dict[str, str | None] = {r.id: None for r in problem.residents}
    for (i, k), col in x.items():
        if values[col] > 0.5:
            assignments[problem.residents[i].id] = problem.rooms[k].id
    bound = float(info.mip_dual_bound)
    return Outcome(
        status="optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible",
        assignments=assignments,
        bound=bound if math.isfinite(bound) else None,
        first_seconds=trace[0][0] if trace else seconds,
        seconds=seconds,
        trace=trace,
    )
