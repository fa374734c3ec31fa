"""Who lives in which room, with the sharing rules checked as residents move in.

:class:`Occupancy` is the allocation the scalable path works on: each room's residents, each
resident's room (``-1`` unhoused). :meth:`Occupancy.fits` says whether a unit of residents may
move into a room with those already there: capacity on every night (a sweep over the stays),
gender mixing, private and avoid between residents whose stays overlap. The static rules
(needs, budget, excluded, room gender, closures) are the candidates' job: a room offered to a
resident is one their own rules allow. Groups move as one unit.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1)],
...             residents=[Resident(id="a"), Resident(id="b")])
>>> occ = Occupancy(ProblemArrays.of(p))
>>> occ.fits(0, [0]), occ.place(0, [0]), occ.fits(0, [1])
(True, None, False)
>>> occ.assignments()
{'a': 'A', 'b': None}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from roomalloc.solver.scale.arrays import IntArray, ProblemArrays


class Occupancy:
    """A mutable allocation: ``room_of[i]`` and ``occupants[k]``."""

    def __init__(self, arrays: ProblemArrays, room_of: IntArray | None = None) -> None:
        self.arrays = arrays
        self.room_of = (np.full(arrays.residents, -1, dtype=np.int64) if room_of is None
                        else room_of.astype(np.int64).copy())
        self.occupants: list[list[int]] = [[] for _ in range(arrays.rooms)]
        #: Residents per room (over all nights), kept in step with ``occupants``.
        self.count = np.zeros(arrays.rooms, dtype=np.int64)
        for i, k in enumerate(self.room_of.tolist()):
            if k >= 0:
                self.occupants[k].append(i)
                self.count[k] += 1
        self._starts: list[int] = arrays.starts.tolist()
        self._ends: list[int] = arrays.ends.tolist()
        self._capacity: list[int] = arrays.capacity.tolist()

    @classmethod
    def from_assignments(cls, arrays: ProblemArrays,
                         assignments: Mapping[str, str | None]) -> Occupancy:
        """An occupancy from ids (unknown rooms count as unhoused)."""
        rooms = {k.id: j for j, k in enumerate(arrays.problem.rooms)}
        room_of = np.array([rooms.get(assignments.get(r.id) or "", -1)
                            for r in arrays.problem.residents], dtype=np.int64)
        return cls(arrays, room_of)

    def copy(self) -> Occupancy:
        """An independent copy."""
        return Occupancy(self.arrays, self.room_of)

    def assignments(self) -> dict[str, str | None]:
        """Every resident id mapped to a room id or ``None``."""
        rooms = self.arrays.problem.rooms
        return {r.id: (rooms[k].id if k >= 0 else None)
                for r, k in zip(self.arrays.problem.residents, self.room_of.tolist(),
                                strict=True)}

    def _overlap(self, a: int, b: int) -> bool:
        return self._starts[a] < self._ends[b] and self._starts[b] < self._ends[a]

    def _clash(self, a: int, b: int) -> bool:
        return self._overlap(a, b) and not self.arrays.may_share(a, b)

    def fits(self, room: int, unit: Sequence[int], without: Iterable[int] = ()) -> bool:
        """Whether ``unit`` may join ``room``'s residents (but ``without``) keeping the rules.

        The room's residents must keep the rules among themselves (every caller's do).
        """
        gone = set(without)
        here = [i for i in self.occupants[room] if i not in gone] if gone else self.occupants[room]
        together = [*here, *unit]
        cap = self._capacity[room]
        if len(together) > cap:
            # The room keeps its capacity now, so only the nights of the unit's span can
            # overflow, and only residents overlapping that span count on them.
            lo = min(self._starts[i] for i in unit)
            hi = max(self._ends[i] for i in unit)
            near = [i for i in together if self._starts[i] < hi and lo < self._ends[i]]
            # Departures sort before arrivals on the same day: stays are half-open.
            events = sorted([(self._starts[i], 1) for i in near]
                            + [(self._ends[i], -1) for i in near]) if len(near) > cap else []
            count = 0
            for _, step in events:
                count += step
                if count > cap:
                    return False
        return not any(self._clash(a, b) for n, a in enumerate(unit)
                       for b in [*here, *unit[n + 1:]])

    def with_space(self, rooms: Sequence[int], beds: int = 1) -> list[int]:
        """Those of ``rooms`` that might take ``beds`` more: without stays, rooms with that
        many free beds; with stays every room (a bed may be free on the nights needed)."""
        if self.arrays.has_stays or not rooms:
            return list(rooms)
        picked = np.asarray(rooms, dtype=np.int64)
        free = self.arrays.capacity[picked] - self.count[picked] >= beds
        kept: list[int] = picked[free].tolist()
        return kept

    def may_take(self, rooms: IntArray, beds: int = 1) -> npt.NDArray[np.bool_]:
        """For each of ``rooms``, whether it might take ``beds`` more (:meth:`with_space`)."""
        if self.arrays.has_stays:
            return np.ones(rooms.size, dtype=bool)
        free: npt.NDArray[np.bool_] = self.arrays.capacity[rooms] - self.count[rooms] >= beds
        return free

    def open_to(self, rooms: IntArray, people: IntArray) -> npt.NDArray[np.bool_]:
        """``out[p, n]``: whether room ``rooms[n]`` might take ``people[p]`` alone; a quick
        test of what :meth:`fits` says for certain. Without stays everyone shares every night:
        a room with no free bed, with a resident of another gender where mixing is
        forbidden, or with a private resident (or holding anyone, for a private one) takes
        no one. With stays, every room might."""
        a = self.arrays
        if a.has_stays:
            return np.ones((people.size, rooms.size), dtype=bool)
        lone = np.array([self.occupants[k][0] if self.occupants[k] else -1
                         for k in rooms.tolist()], dtype=np.int64)
        held = lone >= 0
        out = np.repeat(self.may_take(rooms)[None, :], people.size, axis=0)
        out &= ~(held & a.private[np.maximum(lone, 0)])[None, :]
        out[a.private[people]] &= ~held[None, :]
        if a.problem.rules.gender_mixing == "forbid":
            other = a.gender[np.maximum(lone, 0)][None, :] != a.gender[people][:, None]
            out &= ~(held[None, :] & other)
        return out

    def blockers(self, room: int, unit: Sequence[int]) -> list[int]:
        """Residents of ``room`` who clash with ``unit`` by a pairwise rule (not capacity)."""
        return [b for b in self.occupants[room] if any(self._clash(a, b) for a in unit)]

    def place(self, room: int, unit: Iterable[int]) -> None:
        """Put every resident of ``unit`` (currently unhoused) into ``room``."""
        for i in unit:
            self.room_of[i] = room
            self.occupants[room].append(i)
            self.count[room] += 1

    def remove(self, unit: Iterable[int]) -> None:
        """Make every resident of ``unit`` unhoused."""
        for i in unit:
            k = int(self.room_of[i])
            if k >= 0:
                self.occupants[k].remove(i)
                self.count[k] -= 1
                self.room_of[i] = -1
