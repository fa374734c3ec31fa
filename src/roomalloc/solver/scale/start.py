"""A fast first allocation at any size: min-cost flow on the candidates, then repair.

1. Locked residents go to their current room; groups (required ones first) to the best room
   all members may share that has space for them.
2. Everyone else: the assignment relaxation over the sparse candidates, solved by OR-Tools'
   ``SimpleMinCostFlow`` (residents -> candidate rooms -> beds left), where a required resident's
   arcs carry a bonus larger than any other value, so the flow houses them first.
3. Repair: residents take their flow room in order (required first, then by value) when it
   keeps the sharing rules (capacity on every night, gender mixing, private, avoid); those who
   do not fit try their other candidates, best value (roommate wishes met included) first.
4. Rescue: a required resident still unhoused may take a room from lone residents who are not
   required (they are re-placed elsewhere when they fit, else left unhoused); the room freeing
   the fewest is chosen.

The result need not be valid only when a required resident cannot be housed this way;
:attr:`StartOutcome.missing_required` says who.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.solver.scale.candidates import group_candidates, sparse_candidates
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
...             residents=[Resident(id="a"), Resident(id="b", required=True),
...                        Resident(id="c", required=True)])
>>> arrays = ProblemArrays.of(p)
>>> out = flow_start(arrays, sparse_candidates(arrays), group_candidates(arrays))
>>> out.occupancy.assignments(), out.missing_required
({'a': None, 'b': 'A', 'c': 'B'}, [])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from roomalloc.solver.scale.arrays import FloatArray, ProblemArrays
from roomalloc.solver.scale.candidates import (
    BLOCK,
    GroupRooms,
    SparseCandidates,
    block_values,
)
from roomalloc.solver.scale.occupancy import Occupancy

#: Values are scaled to integers for the flow (it only orders the residents' rooms: rounding
#: here changes no rule and no reported figure).
FLOW_SCALE = 100


@dataclass
class StartOutcome:
    """The first allocation, and the required residents it could not house."""

    occupancy: Occupancy
    missing_required: list[int]


def _mate_bonus(arrays: ProblemArrays, occ: Occupancy, i: int, room: int) -> float:
    """Roommates weight times the wishes (either way) ``i`` meets with ``room``'s residents."""
    w = arrays.weights.roommates
    if not w:
        return 0.0
    here = set(occ.occupants[room])
    met = sum(1 for s in arrays.wants[i] if s in here and arrays.overlap(i, s))
    met += sum(1 for s in here if i in arrays.wants[s] and arrays.overlap(i, s))
    return w * met


def _housed_value(arrays: ProblemArrays) -> FloatArray:
    return arrays.weights.housed * arrays.priority


def _place_locked(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates) -> list[int]:
    missing = []
    for i in np.flatnonzero(arrays.locked).tolist():
        k = int(arrays.current[i])
        if k >= 0 and k in cands.rooms_of(i).tolist() and occ.fits(k, [i]):
            occ.place(k, [i])
        else:
            missing.append(i)
    return missing


def _place_groups(arrays: ProblemArrays, occ: Occupancy, groups: GroupRooms) -> None:
    def key(g: int) -> tuple[bool, float]:
        members = arrays.groups[g]
        return (not arrays.required[members].any(), -float(arrays.priority[members].sum()))

    for g in sorted(arrays.groups, key=key):
        members = arrays.groups[g]
        if len(members) == 1 and arrays.locked[members[0]]:
            continue
        placed = {int(occ.room_of[i]) for i in members if occ.room_of[i] >= 0}
        if placed:  # a locked member decides the room
            rest = [i for i in members if occ.room_of[i] < 0]
            k = placed.pop()
            if not placed and occ.fits(k, rest):
                occ.place(k, rest)
            continue
        for k in groups.rooms.get(g, np.zeros(0, np.int32)).tolist():
            if occ.fits(k, members):
                occ.place(k, members)
                break


def _flow_rooms(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates,
                singles: list[int]) -> dict[int, int]:
    """The min-cost-flow room of each single resident (absent: the flow leaves them out)."""
    n, m = arrays.residents, arrays.rooms
    if not singles or m == 0:
        return {}
    housed = _housed_value(arrays)
    top = float(np.abs(cands.values).max(initial=0.0) + housed.max(initial=0.0)) + 1.0
    tails, heads, values = [], [], []
    for i in singles:
        rooms = cands.rooms_of(i)
        tails.append(np.full(rooms.size, i, dtype=np.int64))
        heads.append(rooms.astype(np.int64) + n)
        bonus = 2 * top if arrays.required[i] else 0.0
        values.append(cands.values_of(i) + housed[i] + bonus)
    tail = np.concatenate(tails)
    head = np.concatenate(heads)
    cost = -np.round(np.concatenate(values) * FLOW_SCALE).astype(np.int64)
    source, sink = n + m, n + m + 1
    left = np.maximum(arrays.capacity - np.array([len(o) for o in occ.occupants]), 0)
    people = np.array(singles, dtype=np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([tail, np.full(len(singles), source), people, np.arange(n, n + m)]),
        np.concatenate([head, people, np.full(len(singles), sink), np.full(m, sink)]),
        np.concatenate([np.ones(tail.size, np.int64), np.ones(len(singles), np.int64),
                        np.ones(len(singles), np.int64), left.astype(np.int64)]),
        np.concatenate([cost, np.zeros(2 * len(singles) + m, np.int64)]),
    )
    flow.set_node_supply(source, len(singles))
    flow.set_node_supply(sink, -len(singles))
    if flow.solve() != flow.OPTIMAL:
        return {}
    used = flow.flows(np.arange(tail.size)) > 0
    return dict(zip(tail[used].tolist(), (head[used] - n).tolist(), strict=True))


def _insert(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int,
            first: int | None = None) -> bool:
    """Put ``i`` in ``first`` if it fits, else in its best-valued candidate room that fits."""
    if first is not None and occ.fits(first, [i]):
        occ.place(first, [i])
        return True
    rooms = cands.rooms_of(i).tolist()
    values = cands.values_of(i)
    if arrays.weights.roommates:
        values = values + np.array([_mate_bonus(arrays, occ, i, k) for k in rooms])
    for n in np.argsort(-values, kind="stable").tolist():
        if occ.fits(rooms[n], [i]):
            occ.place(rooms[n], [i])
            return True
    return False


def all_allowed(arrays: ProblemArrays, people: list[int]) -> dict[int, list[int]]:
    """Every room each of ``people``'s own static rules allow (dense rows, ``BLOCK`` at a
    time), best value first.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=9), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="r", budget=5)])
    >>> all_allowed(ProblemArrays.of(p), [0])
    {0: [1]}
    """
    problem = arrays.problem
    out: dict[int, list[int]] = {}
    for lo in range(0, len(people), BLOCK):
        chunk = people[lo:lo + BLOCK]
        sub = problem.model_copy(update={"residents": tuple(problem.residents[i]
                                                           for i in chunk)})
        allowed, value = block_values(ProblemArrays.of(sub), range(len(chunk)))
        for n, i in enumerate(chunk):
            rooms = np.flatnonzero(allowed[n])
            out[i] = rooms[np.argsort(-value[n, rooms], kind="stable")].tolist()
    return out


def _insert_anywhere(occ: Occupancy, i: int, rooms: list[int]) -> bool:
    """Put ``i`` in the first of ``rooms`` that fits."""
    for k in rooms:
        if occ.fits(k, [i]):
            occ.place(k, [i])
            return True
    return False


def _rescue(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int,
            rooms: list[int]) -> bool:
    """House required ``i`` by moving out lone residents who are not required (fewest first),
    over every room ``i`` may use, not only the candidates."""
    movable = ~(arrays.required | arrays.locked) & (arrays.group < 0)
    best: tuple[int, int, list[int]] | None = None
    for k in rooms:
        here = occ.occupants[k]
        out = occ.blockers(k, [i])
        if not all(movable[b] for b in out):
            continue
        rest = sorted((b for b in here if b not in out and movable[b]),
                      key=lambda b: float(arrays.priority[b]))
        while not occ.fits(k, [i], without=out) and rest:
            out.append(rest.pop(0))
        if occ.fits(k, [i], without=out) and (best is None or len(out) < best[1]):
            best = (k, len(out), out)
            if not out:
                break
    if best is None:
        return False
    k, _, out = best
    occ.remove(out)
    occ.place(k, [i])
    for b in out:
        _insert(arrays, occ, cands, b)
    return True


def flow_start(arrays: ProblemArrays, cands: SparseCandidates,
               groups: GroupRooms) -> StartOutcome:
    """The first allocation described above (deterministic for given candidates)."""
    occ = Occupancy(arrays)
    missing = _place_locked(arrays, occ, cands)
    _place_groups(arrays, occ, groups)
    singles = [i for i in range(arrays.residents)
               if arrays.group[i] < 0 and not arrays.locked[i]]
    chosen = _flow_rooms(arrays, occ, cands, singles)
    housed = _housed_value(arrays)

    def order(i: int) -> tuple[bool, bool, float]:
        k = chosen.get(i)
        value = float(housed[i]) + (cands.value_of(i, k) or 0.0 if k is not None else 0.0)
        return (not arrays.required[i], k is None, -value)

    left_out = [i for i in sorted(singles, key=order)
                if not _insert(arrays, occ, cands, i, chosen.get(i))]
    # The short lists are full: every room the resident may use.
    unhoused = [i for i in left_out if not arrays.required[i]]
    for i, rooms in all_allowed(arrays, unhoused).items():
        _insert_anywhere(occ, i, rooms)
    needy = [i for i in np.flatnonzero(arrays.required & (occ.room_of < 0)).tolist()
             if arrays.group[i] < 0 and not arrays.locked[i]]
    for i, rooms in all_allowed(arrays, needy).items():
        if not (_insert_anywhere(occ, i, rooms) or _rescue(arrays, occ, cands, i, rooms)):
            missing.append(i)
    missing += [i for g, members in arrays.groups.items()
                for i in members if arrays.required[i] and occ.room_of[i] < 0]
    return StartOutcome(occ, sorted(set(missing)))
