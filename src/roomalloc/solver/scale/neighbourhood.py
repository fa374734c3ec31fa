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
  buildings.

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


@dataclass(frozen=True)
class Freed:
    """Rooms freed and the residents who are placed again among them."""

    kind: str
    rooms: list[int]
    residents: list[int]


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

    def pick(self, kind: str, occ: Occupancy, rng: np.random.Generator) -> Freed | None:
        """A neighbourhood of ``kind`` (``None`` when that kind has nothing to offer now)."""
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
        arrays = self.arrays
        chosen: list[int] = []
        people: list[int] = []
        for k in dict.fromkeys(rooms):
            if len(chosen) >= MAX_ROOMS or (chosen and len(people) + len(occ.occupants[k])
                                            > MAX_RESIDENTS):
                continue
            chosen.append(k)
            people.extend(occ.occupants[k])
        inside = set(people)
        newcomers: list[int] = []
        for k in chosen:
            users = self._users[self._users_ptr[k]:self._users_ptr[k + 1]]
            waiting = [int(u) for u in users if occ.room_of[u] < 0 and int(u) not in inside]
            if rng is not None and len(waiting) > MAX_NEWCOMERS:
                waiting = rng.choice(waiting, MAX_NEWCOMERS, replace=False).tolist()
            for u in sorted(waiting, key=lambda u: not arrays.required[u]):
                if len(newcomers) >= MAX_NEWCOMERS:
                    break
                unit = [u] if arrays.group[u] < 0 else arrays.groups[int(arrays.group[u])]
                if any(occ.room_of[m] >= 0 or m in inside for m in unit):
                    continue
                newcomers.extend(unit)
                inside.update(unit)
        return Freed("given", chosen, sorted(inside))

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

