"""An upper bound on the objective at any size: the assignment relaxation, by min-cost flow.

Every valid allocation gives a flow in this network, of at least the allocation's value:

* source -> each resident (1 unit) -> either the sink (unhoused, value 0) or a *room class*
  (:func:`~roomalloc.solver.scale.candidates.room_classes`) the resident's own static rules
  allow some room of, with value ``housed x priority`` + the best value (preferences, cost,
  moves) among the class's rooms allowed to the resident + an upper bound on the resident's
  part of the ``roommates`` term in a room of that capacity (each met wish counted once, by the
  resident who makes it; :func:`wish_ceiling`);
* each class -> sink with the beds of its rooms. Without stays a room holds at most
  ``capacity`` residents. With stays it may hold more in turn: residents placed in one room
  never number more than ``capacity`` on a night, so (interval graphs being perfect) they split
  into ``capacity`` sets of pairwise disjoint stays, each no larger than the largest set of
  pairwise disjoint stays of all residents (:func:`disjoint_stays`). The class's beds are then
  ``capacity x that``.

Left out (each only raises the maximum): gender mixing, private, avoid, groups, required, the
per-night calendar. ``rooms_used`` (subtracted, >= 0) counts 0; the ``moves`` term is a constant
(-weight per resident with a current room) plus the weight on arcs to the class of the current
room. Values are scaled to integers rounding *up*, so the flow's optimum divided back is never
below the relaxation's: the bound is proven.

When the problem is a pure assignment (:func:`is_pure_assignment`) over exact classes, the
relaxation *is* the problem: its optimum, spread over the rooms of each class, is an optimal
allocation (:func:`exact_allocation`).

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> from roomalloc.solver.scale.candidates import sparse_candidates
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N")],
...             residents=[Resident(id="a", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="b")])
>>> arrays = ProblemArrays.of(p)
>>> round(relaxation(arrays, sparse_candidates(arrays, exact_classes=True)).bound, 3)
1003.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from roomalloc.solver.driver import NOISE
from roomalloc.solver.scale.arrays import FloatArray, IntArray, ProblemArrays
from roomalloc.solver.scale.candidates import SparseCandidates
from roomalloc.solver.scale.occupancy import Occupancy

#: Arc values are multiplied by this and rounded up to integers.
BOUND_SCALE = 1000


def disjoint_stays(arrays: ProblemArrays) -> int:
    """The largest number of residents whose stays are pairwise disjoint (earliest end first).

    >>> import datetime as dt
    >>> from roomalloc import Problem, Resident, Interval
    >>> day = lambda d: dt.date(2026, 9, d)
    >>> p = Problem(residents=[Resident(id=str(n), stay=Interval(start=day(s), end=day(e)))
    ...                        for n, (s, e) in enumerate([(1, 3), (2, 5), (3, 4), (4, 6)])])
    >>> disjoint_stays(ProblemArrays.of(p))
    3
    """
    count, last = 0, None
    for n in np.argsort(arrays.ends, kind="stable").tolist():
        if last is None or arrays.starts[n] >= last:
            count += 1
            last = int(arrays.ends[n])
    return count


def wish_ceiling(arrays: ProblemArrays, i: int, capacity: int) -> float:
    """Most of the ``roommates`` term resident ``i``'s own wishes can make in a room of
    ``capacity`` beds: wishes to residents ``i`` may share with whose stays overlap; at most
    ``capacity - 1`` partners at once without stays (with stays, partners may come in turn).

    >>> from roomalloc import Problem, Resident, Roommates
    >>> p = Problem(residents=[Resident(id="a", roommates=Roommates(want=("b", "c"))),
    ...                        Resident(id="b"), Resident(id="c")])
    >>> a = ProblemArrays.of(p)
    >>> wish_ceiling(a, 0, 1), wish_ceiling(a, 0, 2), wish_ceiling(a, 0, 3)
    (0.0, 2.0, 4.0)
    """
    w = arrays.weights.roommates
    if not w or capacity < 2:
        return 0.0
    counts: dict[int, int] = {}
    for s in arrays.wants[i]:
        if arrays.overlap(i, s) and arrays.may_share(i, s):
            counts[s] = counts.get(s, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not arrays.has_stays:
        ranked = ranked[:capacity - 1]
    return w * float(sum(ranked))


def is_pure_assignment(arrays: ProblemArrays) -> bool:
    """True when no rule links residents: no stays, no groups, no private or avoid, no gender
    mixing to keep, no roommate wishes or ``rooms_used`` in the objective; and no required or
    locked resident, which the flow's optimum need not respect (a hypothesis example: two
    residents locked in a double room, the flow put a third there instead).

    >>> from roomalloc import Problem, Room, Resident
    >>> is_pure_assignment(ProblemArrays.of(Problem(residents=[Resident(id="a")])))
    False
    >>> p = Problem(rooms=[Room(id="A", capacity=2)], residents=[Resident(id="a")])
    >>> is_pure_assignment(ProblemArrays.of(p)), is_pure_assignment(ProblemArrays.of(
    ...     p.model_copy(update={"residents": (Resident(id="a", private=True),)})))
    (True, False)
    """
    w = arrays.weights
    problem = arrays.problem
    return bool(
        not arrays.has_stays
        and not any(len(m) > 1 for m in arrays.groups.values())
        and not arrays.private.any()
        and not any(arrays.avoids)
        and (problem.rules.gender_mixing == "allow" or np.unique(arrays.gender).size <= 1)
        and (not w.roommates or not any(arrays.wants))
        and not w.rooms_used
        and not arrays.required.any()
        and not arrays.locked.any()
        and arrays.rooms > 0
    )


@dataclass(frozen=True)
class Relaxation:
    """The relaxation's optimum: ``bound`` (objective units, proven), whether the arc values
    were integral after scaling (``exact_values``), and the flow: ``placed[n]`` is resident
    ``residents[n]``'s class."""

    bound: float
    exact_values: bool
    residents: IntArray
    placed: IntArray


def _class_beds(arrays: ProblemArrays, cands: SparseCandidates) -> IntArray:
    classes = cands.classes
    beds = np.bincount(classes.of_room, weights=arrays.capacity,
                       minlength=classes.count).astype(np.int64)
    if arrays.has_stays:
        beds = np.minimum(beds * disjoint_stays(arrays), arrays.residents)
    return beds


def arc_values(arrays: ProblemArrays, cands: SparseCandidates) -> tuple[IntArray, IntArray,
                                                                       FloatArray]:
    """The relaxation's arcs: resident, class and value (housed, the class's best room,
    the resident's roommate-wish ceiling in a room of the class's capacity)."""
    n = arrays.residents
    classes = cands.classes
    class_capacity = np.zeros(classes.count, dtype=np.int64)
    np.maximum.at(class_capacity, classes.of_room, arrays.capacity)
    w = arrays.weights
    counts = np.diff(cands.arc_ptr)
    tail = np.repeat(np.arange(n, dtype=np.int64), counts)
    head = cands.arc_class.astype(np.int64)
    value: FloatArray = cands.arc_value + (w.housed * arrays.priority)[tail]
    if w.roommates and any(arrays.wants):
        ceilings: dict[tuple[int, int], float] = {}
        extra = np.zeros(value.size)
        for a in np.flatnonzero([bool(x) for x in arrays.wants]).tolist():
            for at in range(int(cands.arc_ptr[a]), int(cands.arc_ptr[a + 1])):
                cap = int(class_capacity[head[at]])
                key = (a, cap)
                if key not in ceilings:
                    ceilings[key] = wish_ceiling(arrays, a, cap)
                extra[at] = ceilings[key]
        value = value + extra
    return tail, head, value


def moves_constant(arrays: ProblemArrays) -> float:
    """The ``moves`` term's part that no placement changes: -weight per current room."""
    return -arrays.weights.moves * int((arrays.current >= 0).sum())


def relaxation(arrays: ProblemArrays, cands: SparseCandidates, *,
               required: bool = False) -> Relaxation | None:
    """Solve the relaxation; ``None`` if the flow fails (with ``required``: no room for every
    required resident, so the relaxation and the problem are infeasible)."""
    n = arrays.residents
    classes = cands.classes
    beds = _class_beds(arrays, cands)
    tail, head, value = arc_values(arrays, cands)
    scaled = value * BOUND_SCALE
    cost = -np.ceil(scaled - 1e-9 * np.abs(scaled)).astype(np.int64)
    exact_values = bool(np.all(np.abs(scaled - np.round(scaled)) <= 1e-6))
    # Arcs worth nothing or less are never better than staying out (unless required).
    keep = (cost < 0) | (arrays.required[tail] if required else False)
    tail, head, cost = tail[keep], head[keep], cost[keep]
    source, sink = n + classes.count, n + classes.count + 1
    people = np.arange(n, dtype=np.int64)
    optional = people[~arrays.required] if required else people
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([tail, np.full(n, source), optional, n + np.arange(classes.count)]),
        np.concatenate([n + head, people, np.full(optional.size, sink),
                        np.full(classes.count, sink)]),
        np.concatenate([np.ones(tail.size + n + optional.size, np.int64), beds]),
        np.concatenate([cost, np.zeros(n + optional.size + classes.count, np.int64)]),
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    if flow.solve() != flow.OPTIMAL:
        return None
    bound = -flow.optimal_cost() / BOUND_SCALE + moves_constant(arrays)
    bound += NOISE * max(1.0, abs(bound))  # the float sums of evaluate may differ in the last bits
    used = flow.flows(np.arange(tail.size)) > 0
    return Relaxation(bound=float(bound) if math.isfinite(bound) else math.inf,
                      exact_values=exact_values, residents=tail[used], placed=head[used])


def exact_allocation(arrays: ProblemArrays, cands: SparseCandidates,
                     relaxed: Relaxation) -> Occupancy:
    """Spread the relaxation's residents over the rooms of their classes (pure assignment:
    any room of an exact class serves as well as another, and only capacity binds).

    >>> from roomalloc import Problem, Room, Resident
    >>> from roomalloc.solver.scale.candidates import sparse_candidates
    >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a"), Resident(id="b")])
    >>> arrays = ProblemArrays.of(p)
    >>> c = sparse_candidates(arrays, exact_classes=True)
    >>> exact_allocation(arrays, c, relaxation(arrays, c)).assignments()
    {'a': 'A', 'b': 'B'}
    """
    classes = cands.classes
    order, first = classes.order, classes.first
    ends = np.append(first[1:], order.size)
    nxt = first.copy()
    left = arrays.capacity.copy()
    occ = Occupancy(arrays)
    for i, c in zip(relaxed.residents.tolist(), relaxed.placed.tolist(), strict=True):
        while left[order[nxt[c]]] == 0:
            nxt[c] += 1
            if nxt[c] >= ends[c]:
                raise AssertionError("the flow used more beds than the class has")
        k = int(order[nxt[c]])
        occ.place(k, [i])
        left[k] -= 1
    return occ
