"""The exact optimum of a pure-assignment problem, as a min-cost flow (OR-Tools).

Source -> each resident (1 unit) -> each room the static rules allow (the pair's value as a
negative cost) -> sink (the room's beds). A resident who may stay unhoused has a second arc,
of cost 0, to a node "unhoused" -> sink; a required or locked resident has none, so a flow
that sends every unit is an allocation housing every one of them. On a pure-assignment problem
(:func:`benchmarks.problems.is_pure_assignment`) the objective is exactly the sum of the
values of the pairs used plus a constant, so the cheapest flow is the best allocation.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.graph.python import min_cost_flow

import roomalloc
from benchmarks.peers import NotApplicable, Outcome
from benchmarks.problems import is_pure_assignment
from roomalloc.solver.candidates import candidate_matrix

#: Values are scaled to integers: a millionth of a point is below every weight in use.
SCALE = 1_000_000


def pair_values(problem: roomalloc.Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Allowed pairs ``(residents, rooms)`` (indices), the objective value of each, and the
    objective's constant: ``objective = constant + sum of the values of the pairs used``."""
    weights: dict[str, float] = {}
    for spec in problem.objective:
        weights[spec.term] = weights.get(spec.term, 0.0) + spec.weight
    c = candidate_matrix(problem)
    rows, cols = np.nonzero(c.allowed)
    priority = np.array([r.priority for r in problem.residents])
    cost = np.array([k.cost for k in problem.rooms])
    room_col = c.room_index
    current = np.array([room_col.get(r.current_room, -1) if r.current_room else -1
                        for r in problem.residents])
    values = (weights.get("housed", 0.0) * priority[rows]
              + weights.get("preferences", 0.0) * c.scores[rows, cols]
              - weights.get("cost", 0.0) * cost[cols]
              + weights.get("moves", 0.0) * (current[rows] == cols))
    movers = sum(r.current_room is not None for r in problem.residents)
    constant = -weights.get("moves", 0.0) * float(movers)
    return rows, cols, values, constant


def solve_as_flow(problem: roomalloc.Problem) -> Outcome:
    """The best allocation of a pure-assignment problem; ``optimal`` with the flow's value as
    the bound, or ``infeasible`` when the required residents cannot all be housed.

    Raises :class:`benchmarks.peers.NotApplicable` on any other problem.
    """
    if not is_pure_assignment(problem):
        raise NotApplicable("not a pure-assignment problem")
    started = time.perf_counter()
    rows, cols, values, constant = pair_values(problem)
    n, m = len(problem.residents), len(problem.rooms)
    source, unhoused, sink = n + m, n + m + 1, n + m + 2
    flow = min_cost_flow.SimpleMinCostFlow()
    res = np.arange(n)
    free = np.array([not (r.required or r.locked) for r in problem.residents])
    tails = np.concatenate([np.full(n, source), rows, res[free], n + np.arange(m), [unhoused]])
    heads = np.concatenate([res, n + cols, np.full(int(free.sum()), unhoused),
                            np.full(m, sink), [sink]])
    caps = np.concatenate([np.ones(n), np.ones(len(rows)), np.ones(int(free.sum())),
                           [k.capacity for k in problem.rooms], [n]])
    costs = np.concatenate([np.zeros(n), -np.round(values * SCALE), np.zeros(int(free.sum())),
                            np.zeros(m), [0]])
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64), heads.astype(np.int64), caps.astype(np.int64),
        costs.astype(np.int64))
    supplies = np.zeros(n + m + 3, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 3), supplies)
    status = flow.solve()
    seconds = time.perf_counter() - started
    if status == flow.INFEASIBLE:
        return Outcome(status="infeasible", seconds=seconds)
    if status != flow.OPTIMAL:
        return Outcome(status="unknown", seconds=seconds, note=f"min-cost flow status {status}")
    used = flow.flows(arcs[n:n + len(rows)]) > 0
    assignments: dict[str, str | None] = {r.id: None for r in problem.residents}
    for i, k in zip(rows[used].tolist(), cols[used].tolist(), strict=True):
        assignments[problem.residents[i].id] = problem.rooms[k].id
    optimum = constant - flow.optimal_cost() / SCALE
    return Outcome(status="optimal", assignments=assignments, bound=optimum,
                   first_seconds=seconds, seconds=seconds)
