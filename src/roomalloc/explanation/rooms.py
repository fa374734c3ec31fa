"""Per-resident views of every room, vectorised: preference scores and the resident's own rules.

"Own rules" are the hard rules that depend on the resident and the room alone: needs, budget,
excluded rooms, room gender and room availability; which room each forbids comes from
:class:`roomalloc.rules.own.OwnRules`. :class:`RoomTable` builds the room-side arrays once; each
query costs a few numpy operations over the rooms.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", needs=("quiet",),
...                                 preferences=(Preference(building="", weight=2),))])
>>> t = RoomTable(p)
>>> t.scores(p.residents[0]).tolist()
[2.0, 2.0]
>>> t.own_rule_masks(p.residents[0])["needs"].tolist()
[True, False]
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Preference, Problem, Resident, Room
from roomalloc.rules.own import OwnRules
from roomalloc.verify.evaluation import best_scores

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


class RoomTable:
    """Room-side arrays of one problem, for fast per-resident queries."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.rooms: tuple[Room, ...] = problem.rooms
        self.index: dict[str, int] = {room.id: i for i, room in enumerate(self.rooms)}
        n = len(self.rooms)
        self.floor = np.array([room.floor for room in self.rooms], dtype=np.int64)
        self.capacity = np.array([room.capacity for room in self.rooms], dtype=np.int64)
        self._by_building: dict[str, list[int]] = defaultdict(list)
        self._by_feature: dict[str, list[int]] = defaultdict(list)
        for i, room in enumerate(self.rooms):
            self._by_building[room.building].append(i)
            for feature in room.features:
                self._by_feature[feature].append(i)
        self.rules = OwnRules(self.rooms)
        self.size = n

    def _mask(self, indices: list[int]) -> BoolArray:
        mask = np.zeros(self.size, dtype=bool)
        if indices:
            mask[np.asarray(indices, dtype=np.int64)] = True
        return mask

    @cached_property
    def _feature_masks(self) -> dict[str, BoolArray]:
        return {f: self._mask(ix) for f, ix in self._by_feature.items()}

    def feature_mask(self, feature: str) -> BoolArray:
        """Rooms that have ``feature``."""
        mask = self._feature_masks.get(feature)
        return mask if mask is not None else np.zeros(self.size, dtype=bool)

    def selector_mask(self, pref: Preference) -> BoolArray:
        """Rooms that ``pref``'s selector matches (whatever its weight's sign)."""
        if pref.room is not None:
            at = self.index.get(pref.room)
            return self._mask([at] if at is not None else [])
        if pref.building is not None:
            return self._mask(self._by_building.get(pref.building, []))
        if pref.feature is not None:
            return self.feature_mask(pref.feature)
        assert pref.floor is not None
        low, high = pref.floor
        mask: BoolArray = (self.floor >= low) & (self.floor <= high)
        return mask

    def scores(self, resident: Resident) -> FloatArray:
        """``score(resident, k)`` for every room k, in problem order."""
        out = np.zeros(self.size, dtype=np.float64)
        for pref in resident.preferences:
            if pref.room is not None:
                at = self.index.get(pref.room)
                if at is not None:
                    out[at] += pref.weight
            elif pref.building is not None:
                ix = self._by_building.get(pref.building)
                if ix:
                    out[np.asarray(ix, dtype=np.int64)] += pref.weight
            elif pref.feature is not None:
                ix = self._by_feature.get(pref.feature)
                if ix:
                    out[np.asarray(ix, dtype=np.int64)] += pref.weight
            elif pref.floor is not None:
                low, high = pref.floor
                out += pref.weight * ((self.floor >= low) & (self.floor <= high))
        return out

    def own_rule_masks(self, resident: Resident) -> dict[str, BoolArray]:
        """For each own rule, the rooms that PASS it (True) for this resident.

        The rules and their order are :data:`roomalloc.rules.own.OWN_RULES`.
        """
        return {rule: mask[0] for rule, mask in self.rules.masks((resident,)).items()}

    def best_scores(self) -> dict[str, float]:
        """``best(r)`` of the contract's fairness term for every resident.

        The largest score over the rooms the resident's own rules allow, or 0 when that is not
        positive (fairness ignores such residents) or no room allows them: see
        :func:`roomalloc.verify.evaluation.best_scores`.
        """
        return best_scores(self.problem)

    def allowed(self, masks: dict[str, BoolArray]) -> BoolArray:
        """Rooms that pass every own rule."""
        out = np.ones(self.size, dtype=bool)
        for mask in masks.values():
            out &= mask
        return out
