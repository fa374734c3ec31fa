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
>>> rooms = out.occupancy.assignments()
>>> rooms["a"], sorted([rooms["b"], rooms["c"]]), out.missing_required
(None, ['A', 'B'], [])
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roomalloc.solver.candidates import NO_STAY_END_DAY, NO_STAY_START_DAY
from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import BLOCK, GroupRooms, SparseCandidates
from roomalloc.solver.scale.occupancy import Occupancy
from roomalloc.solver.scale.scan import RoomScan

#: Rooms tried per resident left out, beyond the short list, and per required resident
#: rescued (the best-valued first): a scan of every room took minutes at 10,000 residents;
#: what is left goes to the neighbourhood search.
ANYWHERE_TRIES = 200
RESCUE_TRIES = 60
#: Both for a required resident left out: without them there is no allocation at all.
REQUIRED_TRIES = 2000
#: A required resident whose rules allow under this share of all beds is placed first.
RARE_BEDS = 0.1


@dataclass
class StartOutcome:
    """The first allocation, and the residents who keep it from being valid: required ones it
    could not house, and members of a group a locked member's room has no space for."""

    occupancy: Occupancy
    missing_required: list[int]


def _mate_bonuses(arrays: ProblemArrays, occ: Occupancy, i: int) -> dict[int, float]:
    """Roommates weight times the wishes (either way) unhoused ``i`` would meet in each room
    (rooms where none would be met are left out): the rooms of those ``i`` wants (each
    repeat counting) and of those who want ``i``, whose stays overlap ``i``'s."""
    w = arrays.weights.roommates
    out: dict[int, float] = {}
    if not w:
        return out
    for s in [*arrays.wants[i], *arrays.wanted_by[i]]:
        k = int(occ.room_of[s])
        if k >= 0 and arrays.overlap(i, s):
            out[k] = out.get(k, 0.0) + w
    return out


def _place_locked(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates) -> list[int]:
    missing = []
    for i in np.flatnonzero(arrays.locked).tolist():
        k = int(arrays.current[i])
        if k >= 0 and k in cands.rooms_of(i).tolist() and occ.fits(k, [i]):
            occ.place(k, [i])
        else:
            missing.append(i)
    return missing


def _place_groups(arrays: ProblemArrays, occ: Occupancy, groups: GroupRooms, scan: RoomScan,
                  required: bool) -> list[int]:
    """Place each group with (``required``) or without a required member whole, in its
    short list's rooms, else in any room every member may use (up to ``REQUIRED_TRIES`` or
    ``ANYWHERE_TRIES`` of them); the members of groups split by a lock (left invalid)."""
    split: list[int] = []
    def key(g: int) -> float:
        return -float(arrays.priority[arrays.groups[g]].sum())

    chosen = [g for g in arrays.groups if bool(arrays.required[arrays.groups[g]].any()) == required]
    for g in sorted(chosen, key=key):
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
        short = groups.rooms.get(g, np.zeros(0, np.int32)).tolist()
        if not _place_unit(occ, members, short):
            # Groups rank rooms alike too (the bed cost is in the value): short lists fill.
            allowed, value = scan.rows(members)
            rooms = scan.by_value(np.logical_and.reduce(allowed, axis=0), value.sum(axis=0))
            _place_unit(occ, members, rooms[:REQUIRED_TRIES if required else ANYWHERE_TRIES])
    return split


def _place_unit(occ: Occupancy, unit: list[int], rooms: list[int]) -> bool:
    """Put ``unit`` in the first of ``rooms`` it fits."""
    for k in rooms:
        if occ.fits(k, unit):
            occ.place(k, unit)
            return True
    return False


def _insert(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int) -> bool:
    """Put ``i`` in its best-valued candidate room that fits (roommate wishes met count)."""
    rooms = cands.rooms_of(i)
    values = cands.values_of(i)
    if not arrays.has_stays:  # a full room cannot fit anyone: skip it without asking
        space = occ.count[rooms] < arrays.capacity[rooms]
        rooms, values = rooms[space], values[space]
    bonus = _mate_bonuses(arrays, occ, i)
    if bonus:
        values = values + np.array([bonus.get(k, 0.0) for k in rooms.tolist()])
    if arrays.private[i]:  # every other bed of a private resident's room is lost
        ranking = np.lexsort((-values, arrays.capacity[rooms]))
    else:
        ranking = np.argsort(-values, kind="stable")
    for k in rooms[ranking].tolist():
        if occ.fits(k, [i]):
            occ.place(k, [i])
            return True
    return False


def all_allowed(scan: RoomScan, people: list[int],
                space: Occupancy | None = None) -> Iterator[tuple[int, list[int]]]:
    """Every room each of ``people``'s own static rules allow, best value first (equal values
    by room position), one resident at a time (dense rows ``BLOCK`` at a time, made only when
    the caller reaches them: the lists of 5,000 residents left out of 50,000 held 9 GB at once).
    With ``space``, only the rooms that might take the resident there
    (:meth:`Occupancy.open_to`) when the resident's block is made.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=9), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="r", budget=5)])
    >>> dict(all_allowed(RoomScan(ProblemArrays.of(p)), [0]))
    {0: [1]}
    """
    for lo in range(0, len(people), BLOCK):
        chunk = people[lo:lo + BLOCK]
        allowed, value = scan.rows(chunk)
        if space is not None:
            allowed &= space.open_to(scan.order, np.asarray(chunk, dtype=np.int64))
        for n, i in enumerate(chunk):
            yield i, scan.by_value(allowed[n], value[n])


def _insert_anywhere(occ: Occupancy, i: int, rooms: list[int],
                     tries: int = ANYWHERE_TRIES) -> bool:
    """Put ``i`` in the first of ``rooms`` that fits (at most ``tries`` tried with
    stays, where a full-looking room may have the nights free: the house is nearly full when
    this runs, and a scan of every room for every resident left out took 94 s at 10,000)."""
    for k in occ.with_space(rooms)[:tries]:
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
            for k2 in occ.with_space(cands.rooms_of(x).tolist()):
                if k2 != k and occ.fits(k2, [x]):
                    occ.remove([x])
                    occ.place(k2, [x])
                    occ.place(k, [u])
                    return True
    return False


def _rescue(arrays: ProblemArrays, occ: Occupancy, cands: SparseCandidates, i: int,
            rooms: list[int], tries: int = RESCUE_TRIES) -> bool:
    """House required ``i`` in one of ``rooms`` (every room ``i`` may use) by moving lone,
    unlocked residents out: those who are not required first; a required one only when they
    find another room. Rooms needing the fewest moves are tried first."""
    movable = ~arrays.locked & (arrays.group < 0)
    plans: list[tuple[int, int, list[int]]] = []  # (moved out, room, who)
    for k in rooms[:tries]:
        out = occ.blockers(k, [i])
        if not all(movable[b] for b in out):
            continue
        # Only residents whose stays meet i's take its beds: moving anyone else frees nothing.
        rest = sorted((b for b in occ.occupants[k]
                       if b not in out and movable[b] and arrays.overlap(i, b)),
                      key=lambda b: (bool(arrays.required[b]), float(arrays.priority[b])))
        while not occ.fits(k, [i], without=out) and rest:
            out.append(rest.pop(0))
        if occ.fits(k, [i], without=out):
            plans.append((len(out), k, out))
    for _, k, out in sorted(plans, key=lambda p: p[0]):
        occ.remove(out)
        occ.place(k, [i])
        placed = [b for b in out if _insert(arrays, occ, cands, b)
                  or _insert_anywhere(occ, b, next(all_allowed(cands.scan, [b]))[1])]
        if all(b in placed for b in out if arrays.required[b]):
            return True
        occ.remove([i, *placed])  # undo: a required resident would be left out
        occ.place(k, out)
    return False


def greedy_start(arrays: ProblemArrays, cands: SparseCandidates, groups: GroupRooms,
                 until: float = math.inf, rescue_until: float = math.inf) -> StartOutcome:
    """The first allocation described above (deterministic for given candidates). After
    ``until`` (a ``time.perf_counter()`` value) the refinements after step 2 for residents
    who are not required are skipped, after ``rescue_until`` those for required ones: the
    neighbourhood search does the same work, and its steps keep to the clock."""
    occ = Occupancy(arrays)
    missing = _place_locked(arrays, occ, cands)
    missing += _place_groups(arrays, occ, groups, cands.scan, required=True)
    singles = [i for i in range(arrays.residents)
               if arrays.group[i] < 0 and not arrays.locked[i]]

    # Longer stays first: short ones fit the gaps the long ones leave (on the 2,000-resident
    # hostel cohort 1,929 housed against 1,866 by value alone, and never fewer elsewhere).
    length = (np.minimum(arrays.ends, NO_STAY_END_DAY)
              - np.maximum(arrays.starts, NO_STAY_START_DAY))

    # Required residents whose rules allow few beds (under RARE_BEDS of them) first, the
    # fewest first: come last, they find them taken (ward 400: one of 5 isolation rooms'
    # residents left out by priority order; none by this one). Ordering every required
    # resident by beds put long stays after short ones: staff_housing 50,000 left 70 out.
    required = [i for i in singles if arrays.required[i]]
    plenty = int(arrays.capacity.sum())  # the key of everyone not rare: all alike
    scarce = np.full(arrays.residents, plenty, dtype=np.int64)
    if required:
        beds = cands.scan.beds(required)
        scarce[required] = np.where(beds < RARE_BEDS * plenty, beds, plenty)

    def order(i: int) -> tuple[bool, int, float, int]:
        return (not arrays.required[i], int(scarce[i]), -float(arrays.priority[i]),
                -int(length[i]))

    ranked = sorted(singles, key=order)
    # Required residents first, before anyone else takes the beds left: every room they may
    # use, then rescue (with more of the clock: without them there is no allocation at all).
    # A first pass tries few rooms each; a second, those still out with more.
    out = [i for i in ranked if arrays.required[i] and not _insert(arrays, occ, cands, i)]
    for anywhere, rescue in ((ANYWHERE_TRIES, RESCUE_TRIES), (REQUIRED_TRIES, REQUIRED_TRIES)):
        for i, rooms in all_allowed(cands.scan, out):
            if time.perf_counter() > rescue_until:
                break
            if not _insert_anywhere(occ, i, rooms, anywhere):
                _rescue(arrays, occ, cands, i, rooms, rescue)
        out = [i for i in out if occ.room_of[i] < 0]
    missing += out
    # Groups with no one required after the required residents (their members cannot be
    # moved out to rescue one), then everyone else.
    missing += _place_groups(arrays, occ, groups, cands.scan, required=False)
    unhoused = [i for i in ranked if not arrays.required[i] and not _insert(arrays, occ, cands, i)]
    # The short lists are full: every room the resident may use.
    unhoused = unhoused if time.perf_counter() < until else []
    # Rooms fill and never empty until the making of room: one closed to a resident when
    # their block is read stays closed (1.6 million failed tries of at most 200 rooms each
    # at 50,000 campus).
    for i, rooms in all_allowed(cands.scan, unhoused, occ):
        if time.perf_counter() > until:
            break
        if arrays.private[i]:
            rooms = sorted(rooms, key=lambda k: int(arrays.capacity[k]))
        _insert_anywhere(occ, i, rooms)
    # Making room: someone left out may fit once a lone resident moves to another room.
    movable = ~(arrays.required | arrays.locked) & (arrays.group < 0)
    for i in unhoused if occ.may_take(np.arange(arrays.rooms)).any() else []:
        if time.perf_counter() > until:
            break
        if occ.room_of[i] < 0:
            _make_room(arrays, occ, cands, movable, i)
    missing += [i for g, members in arrays.groups.items()
                for i in members if arrays.required[i] and occ.room_of[i] < 0]
    return StartOutcome(occ, sorted(set(missing)))
