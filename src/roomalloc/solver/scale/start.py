"""A fast first allocation at any size: a greedy over the sparse candidates, then repair.

1. Locked residents go to their current room; groups (required ones first) to the best room
   all members may share that has space for them.
2. Everyone else in turn (required first, then by priority, then longer stays first: short
   stays fit the gaps long ones leave) takes the best-valued candidate room (roommate wishes
   met with those already there included) that keeps the sharing rules: capacity on every
   night, gender mixing, private (a private resident takes the smallest room) and avoid.
3. Those left out try every room their own rules allow, not only their short list; then
   *making room*: a lone resident of one of their candidate rooms moves to another of theirs.
4. Rescue: a required resident still unhoused may take a room from lone residents who are not
   required (they are re-placed elsewhere when they fit, else left unhoused); the room freeing
   the fewest is chosen.

The allocation is invalid only when a required or locked resident (or a group split by a
lock) cannot be placed this way; :attr:`StartOutcome.missing_required` says who.

A min-cost flow over the candidates as the first choice of room was tried and dropped: it
ignores gender mixing, private rooms and stays, and the repair of its choices housed fewer
(1,799 against 1,893 of 2,000 on the staff-housing cohort; benchmarks/README.md).

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.solver.scale.candidates import group_candidates, sparse_candidates
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
...             residents=[Resident(id="a"), Resident(id="b", required=True),
...                        Resident(id="c", required=True)])
>>> arrays = ProblemArrays.of(p)
>>> out = greedy_start(arrays, sparse_candidates(arrays), group_candidates(arrays))
>>> out.occupancy.assignments(), out.missing_required
({'a': None, 'b': 'A', 'c': 'B'}, [])
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roomalloc.solver.candidates import NO_STAY_END_DAY, NO_STAY_START_DAY
from roomalloc.solver.scale.arrays import ProblemArrays, part_of
from roomalloc.solver.scale.candidates import (
    BLOCK,
    GroupRooms,
    SparseCandidates,
    block_values,
)
from roomalloc.solver.scale.occupancy import Occupancy

#: Rooms tried per resident left out, beyond the short list, and per required resident
#: rescued (the best-valued first): a scan of every room took minutes at 10,000 residents;
#: what is left goes to the neighbourhood search.
ANYWHERE_TRIES = 200
RESCUE_TRIES = 60


@dataclass
class StartOutcome:
    """The first allocation, and the residents who keep it from being valid: required ones it
    could not house, and members of a group a locked member's room has no space for."""

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


def _place_locked(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates) -> list[int]:
    missing = []
    for i in np.flatnonzero(arrays.locked).tolist():
        k = int(arrays.current[i])
        if k >= 0 and k in cands.rooms_of(i).tolist() and occ.fits(k, [i]):
            occ.place(k, [i])
        else:
            missing.append(i)
    return missing


def _place_groups(arrays: ProblemArrays, occ: Occupancy, groups: GroupRooms) -> list[int]:
    """Place each group whole; the members of groups split by a lock (left invalid)."""
    split: list[int] = []
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
            if not placed and k in groups.rooms.get(g, ()) and occ.fits(k, rest):
                occ.place(k, rest)
            else:
                split.extend(rest)
            continue
        for k in groups.rooms.get(g, np.zeros(0, np.int32)).tolist():
            if occ.fits(k, members):
                occ.place(k, members)
                break
    return split


def _insert(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int) -> bool:
    """Put ``i`` in its best-valued candidate room that fits (roommate wishes met count)."""
    rooms = cands.rooms_of(i).tolist()
    values = cands.values_of(i)
    if arrays.weights.roommates:
        values = values + np.array([_mate_bonus(arrays, occ, i, k) for k in rooms])
    if arrays.private[i]:  # every other bed of a private resident's room is lost
        ranking = np.lexsort((-values, arrays.capacity[rooms]))
    else:
        ranking = np.argsort(-values, kind="stable")
    for n in ranking.tolist():
        if occ.fits(rooms[n], [i]):
            occ.place(rooms[n], [i])
            return True
    return False


def all_allowed(arrays: ProblemArrays, people: list[int]) -> Iterator[tuple[int, list[int]]]:
    """Every room each of ``people``'s own static rules allow, best value first, one resident
    at a time (dense rows ``BLOCK`` at a time, made only when the caller reaches them: the
    lists of 5,000 residents left out of 50,000 held 9 GB at once).

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=9), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="r", budget=5)])
    >>> dict(all_allowed(ProblemArrays.of(p), [0]))
    {0: [1]}
    """
    problem = arrays.problem
    for lo in range(0, len(people), BLOCK):
        chunk = people[lo:lo + BLOCK]
        sub = part_of(problem, residents=[problem.residents[i] for i in chunk])
        allowed, value = block_values(ProblemArrays.of(sub), range(len(chunk)))
        for n, i in enumerate(chunk):
            rooms = np.flatnonzero(allowed[n])
            yield i, rooms[np.argsort(-value[n, rooms], kind="stable")].tolist()


def _insert_anywhere(occ: Occupancy, i: int, rooms: list[int]) -> bool:
    """Put ``i`` in the first of ``rooms`` that fits (at most ``ANYWHERE_TRIES`` tried with
    stays, where a full-looking room may have the nights free: the house is nearly full when
    this runs, and a scan of every room for every resident left out took 94 s at 10,000)."""
    for k in occ.with_space(rooms)[:ANYWHERE_TRIES]:
        if occ.fits(k, [i]):
            occ.place(k, [i])
            return True
    return False


def _make_room(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates,
               movable: npt.NDArray[np.bool_], u: int) -> bool:
    """House ``u`` in one of its candidate rooms by moving one lone resident of it to another
    of theirs (an ejection chain of length one)."""
    for k in cands.rooms_of(u).tolist():
        for x in occ.occupants[k]:
            if not movable[x] or not occ.fits(k, [u], without=[x]):
                continue
            for k2 in cands.rooms_of(x).tolist():
                if k2 != k and occ.fits(k2, [x]):
                    occ.remove([x])
                    occ.place(k2, [x])
                    occ.place(k, [u])
                    return True
    return False


def _rescue(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int,
            rooms: list[int]) -> bool:
    """House required ``i`` in one of ``rooms`` (every room ``i`` may use) by moving lone,
    unlocked residents out: those who are not required first; a required one only when they
    find another room. Rooms needing the fewest moves are tried first."""
    movable = ~arrays.locked & (arrays.group < 0)
    plans: list[tuple[int, int, list[int]]] = []  # (moved out, room, who)
    for k in rooms[:RESCUE_TRIES]:
        out = occ.blockers(k, [i])
        if not all(movable[b] for b in out):
            continue
        rest = sorted((b for b in occ.occupants[k] if b not in out and movable[b]),
                      key=lambda b: (bool(arrays.required[b]), float(arrays.priority[b])))
        while not occ.fits(k, [i], without=out) and rest:
            out.append(rest.pop(0))
        if occ.fits(k, [i], without=out):
            plans.append((len(out), k, out))
    for _, k, out in sorted(plans, key=lambda p: p[0]):
        occ.remove(out)
        occ.place(k, [i])
        placed = [b for b in out if _insert(arrays, occ, cands, b)
                  or _insert_anywhere(occ, b, next(all_allowed(arrays, [b]))[1])]
        if all(b in placed for b in out if arrays.required[b]):
            return True
        occ.remove([i, *placed])  # undo: a required resident would be left out
        occ.place(k, out)
    return False


def greedy_start(arrays: ProblemArrays, cands: SparseCandidates, groups: GroupRooms,
                 until: float = math.inf) -> StartOutcome:
    """The first allocation described above (deterministic for given candidates). After
    ``until`` (a ``time.perf_counter()`` value) the refinements after step 2 are skipped:
    the neighbourhood search does the same work, and its steps keep to the clock."""
    occ = Occupancy(arrays)
    missing = _place_locked(arrays, occ, cands)
    missing += _place_groups(arrays, occ, groups)
    singles = [i for i in range(arrays.residents)
               if arrays.group[i] < 0 and not arrays.locked[i]]

    # Longer stays first: short ones fit the gaps the long ones leave (on the 2,000-resident
    # hostel cohort 1,929 housed against 1,866 by value alone, and never fewer elsewhere).
    length = (np.minimum(arrays.ends, NO_STAY_END_DAY)
              - np.maximum(arrays.starts, NO_STAY_START_DAY))

    def order(i: int) -> tuple[bool, float, int]:
        return (not arrays.required[i], -float(arrays.priority[i]), -int(length[i]))

    left_out = [i for i in sorted(singles, key=order) if not _insert(arrays, occ, cands, i)]
    # The short lists are full: every room the resident may use.
    unhoused = [i for i in left_out if not arrays.required[i]]
    unhoused = unhoused if time.perf_counter() < until else []
    for i, rooms in all_allowed(arrays, unhoused):
        if arrays.private[i]:
            rooms = sorted(rooms, key=lambda k: int(arrays.capacity[k]))
        _insert_anywhere(occ, i, rooms)
    # Making room: someone left out may fit once a lone resident moves to another room.
    movable = ~(arrays.required | arrays.locked) & (arrays.group < 0)
    for i in unhoused:
        if time.perf_counter() > until:
            break
        if occ.room_of[i] < 0:
            _make_room(arrays, occ, cands, movable, i)
    needy = [i for i in np.flatnonzero(arrays.required & (occ.room_of < 0)).tolist()
             if arrays.group[i] < 0 and not arrays.locked[i]]
    for i, rooms in all_allowed(arrays, needy):
        if time.perf_counter() > until or not (
                _insert_anywhere(occ, i, rooms) or _rescue(arrays, occ, cands, i, rooms)):
            missing.append(i)
    missing += [i for g, members in arrays.groups.items()
                for i in members if arrays.required[i] and occ.room_of[i] < 0]
    return StartOutcome(occ, sorted(set(missing)))
