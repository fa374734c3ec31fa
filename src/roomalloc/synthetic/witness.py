"""Feasible by construction: reserve a compatible bed for everyone whose placement is HARD.

The cohort is feasible when one allocation satisfies every hard rule. Only residents that
must be housed constrain that: locked residents (in their current room), required ones, and
the groups of required residents. This module builds such an allocation, the *witness*, unit
by unit (a unit is a group or one resident), in this order: locked residents, required units,
the other groups (so that every group has a room that fits it), the other incumbents (their
current rooms form a valid allocation). A unit that finds no compatible bed loses its flag:
a locked or incumbent resident gets no current room, a required one is not required, a group
is dissolved. Compatibility is every hard rule of the format: capacity on every night, room
gender, gender mixing, maintenance windows, needs, private, budget, avoid.

Example
-------
>>> import numpy as np
>>> from roomalloc.synthetic.knobs import Knobs
>>> from roomalloc.synthetic.rooms import make_rooms
>>> from roomalloc.synthetic.residents import make_people, add_needs
>>> from roomalloc.synthetic.social import add_social
>>> k = Knobs(required_share=0.5)
>>> people = make_people(k, 30, np.random.default_rng(0))
>>> add_social(k, people, 4, np.random.default_rng(1))
>>> rooms = make_rooms(k, 30, ("female", "male", "nonbinary"), np.random.default_rng(2))
>>> add_needs(k, people, rooms, np.random.default_rng(3))
>>> place = assign_hard_flags(k, people, rooms, np.random.default_rng(4))
>>> bool((place[people.required] >= 0).all())
True
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from roomalloc.synthetic.knobs import Knobs
from roomalloc.synthetic.residents import PeopleTable
from roomalloc.synthetic.rooms import NO_GENDER, SyntheticRooms

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SAMPLES = 24  # random rooms tried before a scan of the compatible ones
SCAN = 3000  # rooms scanned at most, so that hopeless units cost little
FOREVER = 1 << 40


class Witness:
    """A partial allocation that obeys every hard rule, grown one unit at a time."""

    def __init__(self, knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
                 rng: np.random.Generator) -> None:
        self.people, self.rooms, self.rng = people, rooms, rng
        self.forbid = knobs.gender_mixing == "forbid"
        self.stays = bool((people.stay_start >= 0).any())
        # Plain lists: the checks below look at one resident or room at a time.
        self.start: list[int] = np.where(people.stay_start >= 0, people.stay_start, 0).tolist()
        self.end: list[int] = np.where(people.stay_end >= 0, people.stay_end, FOREVER).tolist()
        self.gender: list[int] = people.gender.tolist()
        self.private: list[bool] = people.private.tolist()
        self.needs: list[int] = people.needs.tolist()
        self.budget: list[int] = np.where(people.budget >= 0, people.budget, FOREVER).tolist()
        self.capacity: list[int] = rooms.capacity.tolist()
        self.maint: list[tuple[int, int]] = list(zip(rooms.maint_start.tolist(),
                                                     rooms.maint_end.tolist(), strict=True))
        self.occupants: list[list[int]] = [[] for _ in range(rooms.n)]
        # Without stays a room's occupants are all together: beds left, their gender, privacy.
        self.free = rooms.capacity.copy()
        self.free_list: list[int] = rooms.capacity.tolist()
        self.room_gender = np.full(rooms.n, -1, dtype=np.int64)
        self.room_private = np.zeros(rooms.n, dtype=np.bool_)
        self.avoid: list[set[int]] = [set() for _ in range(people.n)]
        for r, targets in enumerate(people.avoids):
            for s in targets:
                self.avoid[r].add(s)
                self.avoid[s].add(r)
        self._static: dict[tuple[int, int, int, int], IntArray] = {}
        self._static_list: dict[tuple[int, int, int, int], list[int]] = {}
        self._uniforms: list[float] = []  # drawn in blocks: one numpy call per 4096 samples
        self._next = 0

    def _uniform(self) -> float:
        if self._next == len(self._uniforms):
            self._uniforms, self._next = self.rng.random(4096).tolist(), 0
        self._next += 1
        return self._uniforms[self._next - 1]

    def _signature(self, members: list[int]) -> tuple[int, int, int, int]:
        need, budget = 0, FOREVER
        genders = set()
        for m in members:
            need |= self.needs[m]
            budget = min(budget, self.budget[m])
            genders.add(self.gender[m])
        gender = genders.pop() if len(genders) == 1 else -2  # -2: mixed, no designated room
        return need, budget, gender, len(members)

    def _static_candidates(self, sig: tuple[int, int, int, int]) -> IntArray:
        found = self._static.get(sig)
        if found is None:
            t = self.rooms
            need, budget, gender, size = sig
            ok = (t.capacity >= size) & ((t.features & need) == need) & (t.cost <= budget)
            ok &= (t.gender == NO_GENDER) | (t.gender == gender)
            found = np.flatnonzero(ok).astype(np.int64)
            self._static[sig] = found
            self._static_list[sig] = found.tolist()
        return found

    def _open_to(self, members: list[int], rooms: IntArray) -> BoolArray:
        """Which of ``rooms`` can take the unit as far as beds, gender and privacy go (no stays)."""
        ok = ~self.room_private[rooms] & (self.free[rooms] >= len(members))
        if self.forbid:
            gender = self.gender[members[0]]
            ok &= (self.room_gender[rooms] < 0) | (self.room_gender[rooms] == gender)
        if any(self.private[m] for m in members):
            ok &= self.free[rooms] == self.rooms.capacity[rooms]
        return ok

    def _fits(self, room: int, members: list[int]) -> bool:
        if not self.stays and self.free_list[room] < len(members):
            return False
        s0, e0 = self.start[members[0]], self.end[members[0]]  # a unit shares one stay
        m0, m1 = self.maint[room]
        if m0 >= 0 and m0 < e0 and s0 < m1:
            return False
        start, end = self.start, self.end
        overlapping = [o for o in self.occupants[room] if start[o] < e0 and s0 < end[o]]
        if not overlapping:
            return True
        if any(self.private[m] for m in members):
            return False
        gender = self.gender[members[0]]
        for o in overlapping:
            if self.private[o] or (self.forbid and self.gender[o] != gender):
                return False
            if any(o in self.avoid[m] for m in members):
                return False
        size, capacity = len(members), self.capacity[room]
        if not self.stays:
            return len(overlapping) + size <= capacity
        # Capacity on every night of the stay: the peak is at some occupant's first night.
        for night in [s0] + [start[o] for o in overlapping if start[o] > s0]:
            here = sum(1 for o in overlapping if start[o] <= night < end[o])
            if here + size > capacity:
                return False
        return True

    def place(self, members: list[int]) -> int:
        """Put the unit in a compatible room and return it, or return -1 (nothing changes)."""
        sig = self._signature(members)
        candidates = self._static_candidates(sig)
        if len(candidates) == 0:
            return -1
        pool = self._static_list[sig]
        chosen = -1
        for _ in range(SAMPLES):
            k = pool[int(self._uniform() * len(pool))]
            if self._fits(k, members):
                chosen = k
                break
        if chosen < 0:
            # Scan from a random place; rooms without beds left drop out for good when nobody
            # has a stay (beds never come back then).
            if not self.stays:
                candidates = candidates[self.free[candidates] >= len(members)]
                self._static[sig] = candidates
                self._static_list[sig] = candidates.tolist()
                candidates = candidates[self._open_to(members, candidates)]
            if len(candidates) == 0:
                return -1
            shift = int(self._uniform() * len(candidates))
            rotated = np.roll(candidates, -shift)[:SCAN].tolist()
            chosen = next((k for k in rotated if self._fits(k, members)), -1)
            if chosen < 0:
                return -1
        self.occupants[chosen].extend(members)
        self.free[chosen] -= len(members)
        self.free_list[chosen] -= len(members)
        self.room_gender[chosen] = self.gender[members[0]]
        self.room_private[chosen] |= any(self.private[m] for m in members)
        return chosen


def assign_hard_flags(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
                      rng: np.random.Generator) -> IntArray:
    """Draw required, incumbents and locked residents; keep only those the witness can house.

    Fills ``required``, ``locked``, ``current`` and may dissolve groups (``group`` = -1).
    Returns the witness room of every resident (-1: not in the witness).
    """
    n = people.n
    in_group = people.group >= 0
    chance = np.full(n, knobs.required_share)
    if knobs.required_by_priority:
        levels = np.asarray(knobs.priority_levels, dtype=np.float64)[people.priority_level]
        mean = float(np.cumsum(levels)[-1]) / n if n else 1.0  # cumsum: same bits everywhere
        chance = np.minimum(1.0, knobs.required_share * levels / mean)
    required = rng.random(n) < chance
    incumbent = (rng.random(n) < knobs.incumbent_share) & ~in_group
    locked = incumbent & (rng.random(n) < knobs.locked_share)
    order = rng.permutation(n).astype(np.int64)
    place = np.full(n, -1, dtype=np.int64)
    if not knobs.ensure_feasible:
        # Blind draws: nothing is reserved, so the cohort may be infeasible.
        people.required, people.locked = required, locked
        anywhere = rng.integers(0, rooms.n, size=n)
        people.current = np.where(incumbent, anywhere, -1).astype(np.int64)
        return place

    witness = Witness(knobs, people, rooms, rng)
    groups: dict[int, list[int]] = {}
    for r in order.tolist():
        if in_group[r]:
            groups.setdefault(int(people.group[r]), []).append(r)
    for members in groups.values():
        members.sort()
    group_units = list(groups.values())
    required_groups = [m for m in group_units if required[m].any()]
    other_groups = [m for m in group_units if not required[m].any()]
    locked_units = [[r] for r in order.tolist() if locked[r]]
    required_singles = [[r] for r in order.tolist() if required[r] and not in_group[r]
                        and not locked[r]]
    incumbent_units = [[r] for r in order.tolist() if incumbent[r] and not locked[r]
                       and not required[r]]
    # Required incumbents are placed with the required units; they keep the room as current.
    for units in (locked_units, required_groups, required_singles, other_groups,
                  incumbent_units):
        for members in units:
            room = witness.place(members)
            if room >= 0:
                place[members] = room
    placed = place >= 0
    people.required = required & placed
    people.locked = locked & placed
    people.current = np.where(incumbent & placed, place, -1).astype(np.int64)
    people.group = np.where(in_group & ~placed, -1, people.group)
    return place
