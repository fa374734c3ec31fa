"""Neighbourhoods: a few rooms to free, with everyone in them and a few who could move in.

Each kind picks a set of rooms around a random seed point; :func:`free` then takes every
resident of those rooms, plus unhoused residents whose candidates include one of them (whole
groups only), so that the freed part is a plain problem of its own
(:mod:`roomalloc.solver.scale.subproblem`).

* ``floor``: rooms on the floor (building and floor) of a random room;
* ``wishes``: a resident with an unmet roommate wish, the rooms of the residents they want,
  and their own best candidates;
* ``unhoused``: a few unhoused residents (required ones first) and their best candidates;
* ``similar``: random rooms of one kind (capacity, gender designation), for swaps across
  buildings;
* ``stays`` (only when residents have stays): a window of a few nights across many rooms.
  With stays a room holds many residents in turn, so freeing whole rooms frees few nights
  each; this kind frees only the residents whose stays overlap the window (and unhoused ones
  whose stays do). Residents of those rooms outside the window stay where they are: they go
  to the sub-problem locked in their room (``Freed.fixed``) when their stay meets the freed
  ones' nights or a freed resident's wish, and one per room keeps the room counted as used,
  so the sub-problem's objective still moves with the global one.

:class:`Bandit` picks the kind, favouring those that improved lately.

Example
-------
>>> import numpy as np
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.solver.scale.candidates import sparse_candidates
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="a"), Resident(id="b")])
>>> arrays = ProblemArrays.of(p)
>>> hood = Neighbourhoods(arrays, sparse_candidates(arrays))
>>> occ = Occupancy(arrays)
>>> occ.place(0, [0])
>>> hood.free(occ, [0]).residents
[0, 1]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from roomalloc.solver.scale.arrays import ProblemArrays
from roomalloc.solver.scale.candidates import SparseCandidates
from roomalloc.solver.scale.occupancy import Occupancy

#: A neighbourhood holds at most this many rooms and (about) this many residents.
MAX_ROOMS = 8
MAX_RESIDENTS = 24
#: Unhoused residents added per neighbourhood, at most.
MAX_NEWCOMERS = 12

KINDS = ("floor", "wishes", "unhoused", "similar")
#: The ``stays`` kind: nights in its window, and rooms and residents it frees at most (more
#: than a room kind's, as most residents of its rooms stay fixed).
WINDOW_NIGHTS = 3
STAY_ROOMS = 24
STAY_RESIDENTS = 60


@dataclass(frozen=True)
class Freed:
    """Rooms freed and the residents who are placed again among them."""

    kind: str
    rooms: list[int]
    residents: list[int]
    #: Those of ``residents`` who keep their current room (locked in the sub-problem).
    fixed: tuple[int, ...] = ()


class Neighbourhoods:
    """Picks rooms to free (one method per kind) and the residents that go with them."""

    def __init__(self, arrays: ProblemArrays, cands: SparseCandidates) -> None:
        self.arrays = arrays
        self.cands = cands
        problem = arrays.problem
        floors: dict[tuple[str, int], list[int]] = {}
        for k, room in enumerate(problem.rooms):
            floors.setdefault((room.building, room.floor), []).append(k)
        self._floor_of = [floors[(room.building, room.floor)] for room in problem.rooms]
        kinds = arrays.capacity * 1000 + (arrays.room_gender + 2)
        by_kind: dict[int, list[int]] = {}
        for k, v in enumerate(kinds.tolist()):
            by_kind.setdefault(v, []).append(k)
        self._kind_of = [by_kind[v] for v in kinds.tolist()]
        # Inverse of the candidate lists: who may use each room.
        owner = np.repeat(np.arange(arrays.residents), np.diff(cands.indptr))
        order = np.argsort(cands.rooms, kind="stable")
        self._users = owner[order]
        self._users_ptr = np.searchsorted(cands.rooms[order], np.arange(arrays.rooms + 1))
        self._wishers = [i for i, w in enumerate(arrays.wants) if w]
        #: The kinds on offer: ``stays`` only when some resident has a stay.
        self.kinds = (*KINDS, "stays") if arrays.has_stays else KINDS

    def pick(self, kind: str, occ: Occupancy, rng: np.random.Generator) -> Freed | None:
        """A neighbourhood of ``kind`` (``None`` when that kind has nothing to offer now)."""
        if kind == "stays":
            return self.window(occ, rng)
        chooser: dict[str, Callable[[Occupancy, np.random.Generator], list[int] | None]] = {
            "floor": self._floor, "wishes": self._wishes,
            "unhoused": self._unhoused, "similar": self._similar,
        }
        rooms = chooser[kind](occ, rng)
        if not rooms:
            return None
        freed = self.free(occ, rooms, rng)
        return Freed(kind, freed.rooms, freed.residents)

    def free(self, occ: Occupancy, rooms: list[int],
             rng: np.random.Generator | None = None) -> Freed:
        """Everyone in ``rooms`` (trimmed to about ``MAX_RESIDENTS``) and unhoused newcomers."""
        chosen: list[int] = []
        people: list[int] = []
        for k in dict.fromkeys(rooms):
            if len(chosen) >= MAX_ROOMS or (chosen and len(people) + len(occ.occupants[k])
                                            > MAX_RESIDENTS):
                continue
            chosen.append(k)
            people.extend(occ.occupants[k])
        inside = set(people)
        self._newcomers(occ, chosen, inside, MAX_NEWCOMERS, rng=rng)
        return Freed("given", chosen, sorted(inside))

    def _newcomers(self, occ: Occupancy, rooms: list[int], inside: set[int], most: int, *,
                   stay: tuple[int, int] | None = None,
                   rng: np.random.Generator | None = None) -> list[int]:
        """Unhoused residents who may use one of ``rooms`` (required ones first, whole groups
        only, at most about ``most``; with ``stay``, only those whose stays meet that span of
        nights), added to ``inside``; ``rng`` samples each room's when it has too many."""
        arrays = self.arrays
        newcomers: list[int] = []
        for k in rooms:
            users = self._users[self._users_ptr[k]:self._users_ptr[k + 1]]
            waiting = [int(u) for u in users if occ.room_of[u] < 0 and int(u) not in inside
                       and (stay is None or (arrays.starts[u] < stay[1]
                                             and stay[0] < arrays.ends[u]))]
            if rng is not None and len(waiting) > MAX_NEWCOMERS:
                waiting = rng.choice(waiting, MAX_NEWCOMERS, replace=False).tolist()
            for u in sorted(waiting, key=lambda u: not arrays.required[u]):
                if len(newcomers) >= most:
                    break
                unit = [u] if arrays.group[u] < 0 else arrays.groups[int(arrays.group[u])]
                if any(occ.room_of[m] >= 0 or m in inside for m in unit):
                    continue
                newcomers.extend(unit)
                inside.update(unit)
        return newcomers

    def window(self, occ: Occupancy, rng: np.random.Generator,
               first: int | None = None) -> Freed | None:
        """The ``stays`` kind: ``WINDOW_NIGHTS`` nights from ``first`` (random by default)
        across rooms in random order; see the module's description for who is freed."""
        arrays = self.arrays
        starts, ends = arrays.starts, arrays.ends
        if first is None:
            begin = int(starts.min())
            first = int(rng.integers(begin, max(int(ends.max()), begin + 1)))
        lo, hi = first, first + WINDOW_NIGHTS
        rooms: list[int] = []
        moving: list[int] = []
        taken: set[int] = set()
        for k in rng.permutation(arrays.rooms).tolist():
            if len(rooms) >= STAY_ROOMS or len(moving) >= STAY_RESIDENTS:
                break
            here = [i for i in occ.occupants[k] if starts[i] < hi and lo < ends[i]]
            if not here:
                continue
            # Groups move whole: a member elsewhere (not yet freed) rules the room out.
            units = {i if arrays.group[i] < 0 else -1 - int(arrays.group[i]) for i in here}
            members = [m for u in units for m in ([u] if u >= 0 else arrays.groups[-1 - u])]
            if any(m not in taken and occ.room_of[m] != k for m in members):
                continue
            rooms.append(k)
            new = [m for m in members if m not in taken]
            moving.extend(new)
            taken.update(new)
        if not rooms:
            return None
        moving.extend(self._newcomers(occ, rooms, taken, STAY_RESIDENTS + MAX_NEWCOMERS
                                      - len(moving), stay=(lo, hi)))
        # Who stays put but must be in the sub-problem: anyone of these rooms sharing a night
        # with the freed span (capacity and the pairwise rules), tied by a wish to a freed
        # resident (the roommates term), and one per room (rooms_used).
        span_lo = int(starts[moving].min())
        span_hi = int(ends[moving].max())
        fixed: list[int] = []
        for k in rooms:
            rest = [i for i in occ.occupants[k] if i not in taken]
            for n, i in enumerate(rest):
                if (n == 0 or (starts[i] < span_hi and span_lo < ends[i])
                        or any(s in taken for s in arrays.wants[i])
                        or any(s in taken for s in arrays.wanted_by[i])):
                    fixed.append(i)
        return Freed("stays", rooms, sorted([*moving, *fixed]), tuple(sorted(fixed)))

    def _floor(self, occ: Occupancy, rng: np.random.Generator) -> list[int]:
        k = int(rng.integers(self.arrays.rooms))
        rooms = list(self._floor_of[k])
        rng.shuffle(rooms)
        return [k, *rooms]

    def _similar(self, occ: Occupancy, rng: np.random.Generator) -> list[int]:
        k = int(rng.integers(self.arrays.rooms))
        same = self._kind_of[k]
        count = min(len(same), MAX_ROOMS)
        return [k, *rng.choice(same, count, replace=False).tolist()]

    def _wishes(self, occ: Occupancy, rng: np.random.Generator) -> list[int] | None:
        arrays = self.arrays
        for _ in range(20):
            if not self._wishers:
                return None
            i = self._wishers[int(rng.integers(len(self._wishers)))]
            unmet = [s for s in arrays.wants[i]
                     if occ.room_of[s] != occ.room_of[i] or occ.room_of[i] < 0]
            if not unmet:
                continue
            rooms = [int(occ.room_of[x]) for x in [i, *arrays.wants[i]] if occ.room_of[x] >= 0]
            for x in [i, *unmet]:
                rooms.extend(self.cands.rooms_of(x)[:4].tolist())
            return rooms
        return None

    def _unhoused(self, occ: Occupancy, rng: np.random.Generator) -> list[int] | None:
        arrays = self.arrays
        out = np.flatnonzero(occ.room_of < 0)
        if out.size == 0:
            return None
        needy = out[arrays.required[out]]
        pool = needy if needy.size else out
        picked = rng.choice(pool, min(4, pool.size), replace=False).tolist()
        rooms: list[int] = []
        for i in picked:
            rooms.extend(self.cands.rooms_of(i)[:8].tolist())
        return rooms


class Bandit:
    """Chooses a neighbourhood kind with probability growing with its recent success.

    >>> b = Bandit(("a", "b"))
    >>> b.reward("a", 1.0); b.reward("b", 0.0)
    >>> b.weights["a"] > b.weights["b"]
    True
    """

    def __init__(self, kinds: tuple[str, ...], floor: float = 0.05, memory: float = 0.8) -> None:
        self.weights = dict.fromkeys(kinds, 1.0)
        self._floor = floor
        self._memory = memory

    def choose(self, rng: np.random.Generator) -> str:
        """A kind drawn in proportion to the weights."""
        kinds = list(self.weights)
        w = np.array([self.weights[k] for k in kinds])
        return kinds[int(rng.choice(len(kinds), p=w / w.sum()))]

    def reward(self, kind: str, gain: float) -> None:
        """Record the outcome of one step of ``kind`` (``gain`` in 0..1)."""
        old = self.weights[kind]
        self.weights[kind] = max(self._floor, self._memory * old + (1 - self._memory) * gain)

