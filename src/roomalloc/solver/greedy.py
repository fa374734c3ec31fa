"""A quick, cautious first allocation, used as CP-SAT's solution hint when none is given.

Residents are placed unit by unit (a group is one unit, everyone else a unit alone; units with
a locked member first, then those with a required member, then by priority), each unit in the
best-scoring candidate room that every member may use and where the unit keeps the sharing
rules with the residents already there: capacity on every night (a sweep over the stays),
gender mixing, private and avoid between residents whose stays overlap. The result is usually
valid (a full house can leave a required resident out); it is only a hint: CP-SAT repairs or
ignores it, and ``solve`` returns it as ``feasible`` only when the verifier passes it.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="r2", priority=2)])
>>> greedy_allocation(p)
{'r1': 'B', 'r2': 'A'}
"""

from __future__ import annotations

import numpy as np

from roomalloc.candidates import Candidates, candidate_matrix
from roomalloc.model import Problem


def greedy_allocation(
    problem: Problem, candidates: Candidates | None = None
) -> dict[str, str | None]:
    """Every resident mapped to a room or ``None`` by the greedy described above."""
    c = candidates if candidates is not None else candidate_matrix(problem)
    forbid = problem.rules.gender_mixing == "forbid"
    residents = problem.residents
    starts: list[int] = c.starts.tolist()
    ends: list[int] = c.ends.tolist()
    capacity = [k.capacity for k in problem.rooms]
    placed: dict[int, list[int]] = {}
    index = {r.id: i for i, r in enumerate(residents)}
    avoid: dict[int, set[int]] = {i: set() for i in range(len(residents))}
    for i, r in enumerate(residents):
        for s in r.roommates.avoid:
            if s in index:
                avoid[i].add(index[s])
                avoid[index[s]].add(i)

    def overlap(a: int, b: int) -> bool:
        return starts[a] < ends[b] and starts[b] < ends[a]

    def clash(a: int, b: int) -> bool:
        if not overlap(a, b):
            return False
        ra, rb = residents[a], residents[b]
        return (forbid and ra.gender != rb.gender) or ra.private or rb.private or b in avoid[a]

    def fits(room: int, unit: list[int]) -> bool:
        here = placed.get(room, [])
        together = here + unit
        if len(together) > capacity[room]:
            # Departures sort before arrivals on the same day: stays are half-open.
            events = sorted([(starts[i], 1) for i in together] + [(ends[i], -1) for i in together])
            count = 0
            for _, step in events:
                count += step
                if count > capacity[room]:
                    return False
        return not any(clash(a, b) for k, a in enumerate(unit) for b in [*here, *unit[k + 1 :]])

    groups: dict[str, list[int]] = {}
    units: list[list[int]] = []
    for i, r in enumerate(residents):
        if r.group is None:
            units.append([i])
        else:
            if r.group not in groups:
                groups[r.group] = []
                units.append(groups[r.group])
            groups[r.group].append(i)
    units.sort(
        key=lambda u: (
            not any(residents[i].locked for i in u),
            not any(residents[i].required for i in u),
            -max(residents[i].priority for i in u),
        )
    )
    out: dict[str, str | None] = {r.id: None for r in residents}
    for unit in units:
        rooms = np.flatnonzero(np.logical_and.reduce(c.allowed[unit]))
        if rooms.size == 0:
            continue
        score = c.scores[unit][:, rooms].sum(axis=0)
        for j in rooms[np.argsort(-score, kind="stable")].tolist():
            if fits(j, unit):
                placed.setdefault(j, []).extend(unit)
                for i in unit:
                    out[residents[i].id] = c.room_ids[j]
                break
    return out
