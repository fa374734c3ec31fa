"""Turn the generated columns into a :class:`roomalloc.Problem`.

The problem is built as plain JSON-like data and validated in one call of pydantic's core
validator: the same models, defaults and checks the JSON loader produces, without the
per-object Python overhead (the contract checks of :mod:`roomalloc.domain.validation` hold by
construction, and the tests load generated problems through it).

Example
-------
>>> from roomalloc.synthetic import cohort
>>> p = cohort(residents=10, seed=1)
>>> p.residents[0].id, p.rooms[0].id
('r00001', 'B1-001')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roomalloc.domain.model import Interval, Preference, Problem
from roomalloc.synthetic.knobs import Knobs
from roomalloc.synthetic.residents import (
    KIND_BUILDING,
    KIND_FEATURE,
    KIND_FLOOR,
    PeopleTable,
    floor_range,
)
from roomalloc.synthetic.rooms import SyntheticRooms


def _dates(knobs: Knobs, offsets: np.ndarray[Any, Any]) -> list[str]:
    day0 = np.datetime64(knobs.start_date, "D")
    return [str(d) for d in (day0 + offsets.astype("timedelta64[D]")).tolist()]


def _room_data(knobs: Knobs, rooms: SyntheticRooms, labels: tuple[str, ...]
               ) -> list[dict[str, Any]]:
    names = [f.name for f in knobs.features]
    feature_lists: dict[int, list[str]] = {}
    m_start = _dates(knobs, np.maximum(rooms.maint_start, 0))
    m_end = _dates(knobs, np.maximum(rooms.maint_end, 1))
    out = []
    for k, (rid, b, fl, cap, bits, g, cost, ms) in enumerate(zip(
            rooms.ids, rooms.building.tolist(), rooms.floor.tolist(), rooms.capacity.tolist(),
            rooms.features.tolist(), rooms.gender.tolist(), rooms.cost.tolist(),
            rooms.maint_start.tolist(), strict=True)):
        feats = feature_lists.get(bits)
        if feats is None:
            feats = feature_lists[bits] = [n for i, n in enumerate(names) if bits >> i & 1]
        out.append({
            "id": rid,
            "building": rooms.building_names[b],
            "floor": fl,
            "capacity": cap,
            "features": feats,
            "gender": labels[g] if g >= 0 else None,
            "cost": float(cost),
            "unavailable": [{"start": m_start[k], "end": m_end[k]}] if ms >= 0 else [],
        })
    return out


def _preference_data(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms
                     ) -> list[list[Preference]]:
    top = int(rooms.floor.max(initial=0))
    names = [f.name for f in knobs.features]
    prefs: list[list[Preference]] = [[] for _ in range(people.n)]
    made: dict[tuple[int, int, int], Preference] = {}  # equal wishes share one frozen object
    validate = Preference.__pydantic_validator__.validate_python
    for r, kind, value, weight in zip(people.pref_resident.tolist(), people.pref_kind.tolist(),
                                      people.pref_value.tolist(), people.pref_weight.tolist(),
                                      strict=True):
        pref = made.get((kind, value, weight))
        if pref is None:
            selector: dict[str, Any]
            if kind == KIND_BUILDING:
                selector = {"building": rooms.building_names[value]}
            elif kind == KIND_FEATURE:
                selector = {"feature": names[value]}
            elif kind == KIND_FLOOR:
                selector = {"floor": list(floor_range(value, top))}
            else:
                selector = {"room": rooms.ids[value]}
            pref = made[kind, value, weight] = validate({**selector, "weight": float(weight)})
        prefs[r].append(pref)
    return prefs


def resident_ids(n: int) -> list[str]:
    """Ids ``r00001``, ``r00002``, ... (wider when there are more than 99,999).

    >>> resident_ids(2)
    ['r00001', 'r00002']
    """
    width = max(5, len(str(n)))
    return [f"r{i + 1:0{width}d}" for i in range(n)]


def _resident_data(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
                   labels: tuple[str, ...]) -> list[dict[str, Any]]:
    """One dict per resident holding only the fields that differ from the format's defaults
    (validation fills in the rest, exactly as when loading the JSON)."""
    ids = resident_ids(people.n)
    names = [f.name for f in knobs.features]
    prefs = _preference_data(knobs, people, rooms)
    stays: dict[tuple[int, int], Interval] = {}
    day0 = np.datetime64(knobs.start_date, "D")
    group_width = max(4, len(str(int(people.group.max(initial=0)) + 1)))
    out = []
    columns = zip(
        people.gender.tolist(), people.stay_start.tolist(), people.stay_end.tolist(),
        people.priority_level.tolist(), people.required.tolist(), people.needs.tolist(),
        people.private.tolist(), people.budget.tolist(), people.group.tolist(),
        people.current.tolist(), people.locked.tolist(), people.whole_period.tolist(),
        strict=True)
    for i, (g, s0, s1, level, required, bits, private, budget, group, current,
            locked, whole) in enumerate(columns):
        data: dict[str, Any] = {"id": ids[i], "gender": labels[g]}
        if s0 >= 0:
            stay = stays.get((s0, s1))
            if stay is None:
                stay = stays[s0, s1] = Interval(start=(day0 + s0).item(), end=(day0 + s1).item())
            data["stay"] = stay
        data["priority"] = float(knobs.priority_levels[level])
        if required:
            data["required"] = True
        if bits:
            data["needs"] = [n for k, n in enumerate(names) if bits >> k & 1]
        if private:
            data["private"] = True
        if budget >= 0:
            data["budget"] = float(budget)
        if prefs[i]:
            data["preferences"] = prefs[i]
        if people.wants[i] or people.avoids[i]:
            data["roommates"] = {"want": [ids[s] for s in people.wants[i]],
                                 "avoid": [ids[s] for s in people.avoids[i]]}
        if group >= 0:
            data["group"] = f"g{group + 1:0{group_width}d}"
        if current >= 0:
            data["current_room"] = rooms.ids[current]
        if locked:
            data["locked"] = True
        attributes: dict[str, Any] = {}
        if knobs.priority_attribute:
            attributes[knobs.priority_attribute] = level + 1
        if knobs.stay_roles:
            attributes["role"] = knobs.stay_roles[0 if whole else 1]
        if attributes:
            data["attributes"] = attributes
        out.append(data)
    return out


def assemble(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
             labels: tuple[str, ...]) -> Problem:
    """The :class:`Problem` made of the generated rooms and residents."""
    data: dict[str, Any] = {
        "format": "roomalloc/1",
        "rules": {"gender_mixing": knobs.gender_mixing},
        "rooms": _room_data(knobs, rooms, labels),
        "residents": _resident_data(knobs, people, rooms, labels),
    }
    if knobs.objective:
        data["objective"] = [{"term": t, "weight": float(w)} for t, w in knobs.objective]
    problem: Problem = Problem.__pydantic_validator__.validate_python(data)
    return problem
