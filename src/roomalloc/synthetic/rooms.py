"""Rooms of a synthetic cohort: buildings, floors, beds, features, gender, cost, maintenance.

Everything is a numpy array indexed by room; the ids are made at the end. Only uniform draws
and integer arithmetic are used, so the same seed gives the same rooms on every machine.

Example
-------
>>> import numpy as np
>>> from roomalloc.synthetic.knobs import Knobs
>>> t = make_rooms(Knobs(), beds=40, gender_labels=("female", "male"),
...                rng=np.random.default_rng(1))
>>> int(t.capacity.sum()), t.ids[0]
(40, 'B1-001')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from roomalloc.synthetic.draws import categorical
from roomalloc.synthetic.knobs import Knobs

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NO_GENDER = -1


@dataclass(frozen=True)
class SyntheticRooms:
    """A synthetic cohort's drawn rooms as columns (index = room), before they become
    :class:`roomalloc.Room` objects; ``gender`` is an index into the gender labels."""

    ids: list[str]
    building_names: list[str]
    building: IntArray
    floor: IntArray
    capacity: IntArray
    features: IntArray  # bit i set: the room has knobs.features[i]
    gender: IntArray  # NO_GENDER or an index into the gender labels
    cost: IntArray  # whole currency units, a multiple of 5
    maint_start: IntArray  # night offset of the maintenance window, -1: none
    maint_end: IntArray

    @property
    def n(self) -> int:
        """Number of rooms."""
        return len(self.ids)


def _capacities(knobs: Knobs, beds: int, rng: np.random.Generator) -> IntArray:
    caps = categorical(rng, knobs.capacity_mix, beds) + 1  # every room has >= 1 bed
    total = np.cumsum(caps)
    n = int(np.searchsorted(total, beds)) + 1
    caps = caps[:n].copy()
    caps[-1] -= int(total[n - 1]) - beds  # the last room takes exactly the beds left
    return caps


def _building_sizes(knobs: Knobs, n: int, rng: np.random.Generator) -> IntArray:
    # At least 3 buildings when there are enough rooms for a floor each, so that building
    # preferences mean something in small cohorts.
    nb = max(1, round(n / knobs.building_rooms), min(3, -(-n // knobs.rooms_per_floor)))
    weights = rng.integers(2, 7, size=nb)
    sizes = 1 + (n - nb) * weights // int(weights.sum())
    sizes[: n - int(sizes.sum())] += 1
    return sizes.astype(np.int64)


def _feature_bits(
    knobs: Knobs, building: IntArray, floor: IntArray, rng: np.random.Generator
) -> IntArray:
    n = len(building)
    floor_key = building * (int(floor.max(initial=0)) + 1) + floor
    _, floor_unit = np.unique(floor_key, return_inverse=True)
    n_floors = int(floor_unit.max(initial=-1)) + 1
    bits = np.zeros(n, dtype=np.int64)
    for i, spec in enumerate(knobs.features):
        if spec.scope == "floor":
            has = (rng.random(n_floors) < spec.prevalence)[floor_unit]
            if spec.prevalence > 0 and n and not has.any():  # small cohorts still get one
                has = floor_unit == rng.integers(n_floors)
        else:
            has = rng.random(n) < spec.prevalence
            if spec.prevalence > 0 and n and not has.any():
                has[rng.integers(n)] = True
        bits |= has.astype(np.int64) << i
    return bits


def _designation(
    knobs: Knobs,
    building: IntArray,
    floor: IntArray,
    gender_shares: tuple[float, ...],
    rng: np.random.Generator,
) -> IntArray:
    n = len(building)
    if knobs.gender_designation == "none" or knobs.designated_share <= 0 or n == 0:
        return np.full(n, NO_GENDER, dtype=np.int64)
    if knobs.gender_designation == "building":
        unit = building
    else:
        unit = np.unique(building * (int(floor.max()) + 1) + floor, return_inverse=True)[1]
    n_units = int(unit.max()) + 1
    order = np.argsort(-np.asarray(gender_shares), kind="stable")
    first = int(order[0])
    second = int(order[1]) if len(order) > 1 else first
    s1, s2 = gender_shares[first], gender_shares[second] if second != first else 0.0
    designated = rng.random(n_units) < knobs.designated_share
    pick_first = rng.random(n_units) < (s1 / (s1 + s2) if s1 + s2 > 0 else 1.0)
    unit_gender = np.where(designated, np.where(pick_first, first, second), NO_GENDER)
    return unit_gender[unit].astype(np.int64)


def _costs(knobs: Knobs, t_building: IntArray, capacity: IntArray, features: IntArray,
           n_buildings: int, rng: np.random.Generator) -> IntArray:
    factor = rng.integers(85, 131, size=n_buildings)  # building factor, percent
    noise = rng.integers(-3, 4, size=len(capacity))  # per-room spread, percent
    premium = np.zeros(len(capacity), dtype=np.int64)
    for i, spec in enumerate(knobs.features):
        premium += ((features >> i) & 1) * round(spec.premium * 100)
    base = np.asarray(knobs.bed_cost, dtype=np.int64)[capacity - 1]
    raw = base * factor[t_building] * (100 + premium + noise)  # cost * 10_000
    return ((raw + 25_000) // 50_000 * 5).astype(np.int64)


def _maintenance(knobs: Knobs, n: int, rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    none = np.full(n, -1, dtype=np.int64)
    if knobs.period_days <= 0 or knobs.maintenance_share <= 0:
        return none, none.copy()
    low, high = knobs.maintenance_days
    has = rng.random(n) < knobs.maintenance_share
    length = np.minimum(rng.integers(low, high + 1, size=n), knobs.period_days)
    start = (rng.random(n) * (knobs.period_days - length + 1)).astype(np.int64)
    return np.where(has, start, -1), np.where(has, start + length, -1)


def make_rooms(
    knobs: Knobs,
    beds: int,
    gender_labels: tuple[str, ...],
    rng: np.random.Generator,
) -> SyntheticRooms:
    """Rooms with exactly ``beds`` beds, laid out in buildings and floors.

    >>> import numpy as np
    >>> t = make_rooms(Knobs(), 500, ("female", "male"), np.random.default_rng(3))
    >>> len(t.building_names) >= 3, int(t.capacity.min()) >= 1
    (True, True)
    """
    capacity = _capacities(knobs, max(beds, 1), rng)
    n = len(capacity)
    sizes = _building_sizes(knobs, n, rng)
    building = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    position = np.arange(n, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    floor = position // knobs.rooms_per_floor
    number = position % knobs.rooms_per_floor + 1
    features = _feature_bits(knobs, building, floor, rng)
    shares = {label: share for label, share in knobs.genders}
    gender = _designation(knobs, building, floor, tuple(shares[g] for g in gender_labels), rng)
    cost = _costs(knobs, building, capacity, features, len(sizes), rng)
    m_start, m_end = _maintenance(knobs, n, rng)
    names = [f"B{b + 1}" for b in range(len(sizes))]
    width = max(2, len(str(knobs.rooms_per_floor)))
    ids = [
        f"{names[b]}-{f}{k:0{width}d}"
        for b, f, k in zip(building.tolist(), floor.tolist(), number.tolist(), strict=True)
    ]
    return SyntheticRooms(ids, names, building, floor, capacity, features, gender, cost,
                     m_start, m_end)
