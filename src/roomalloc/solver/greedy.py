"""A quick, cautious first allocation, used as CP-SAT's solution hint when none is given.

Residents are placed one by one (locked, then required, then by priority), each in the
best-scoring candidate room that is still safe under *cautious* versions of the rules: a room
counts everyone placed in it on every night (whatever their stays), takes one gender under
``forbid``, is left to a private resident alone, and never mixes residents who avoid each
other. Group members are left unhoused. The result is usually valid (a required group member
or a full house can make it invalid); it is only a hint: CP-SAT repairs or ignores it.

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
    """Every resident mapped to a room or ``None`` by the cautious greedy described above."""
    c = candidates if candidates is not None else candidate_matrix(problem)
    forbid = problem.rules.gender_mixing == "forbid"
    residents = problem.residents
    capacity = np.array([k.capacity for k in problem.rooms], dtype=np.int64)
    used = np.zeros(len(problem.rooms), dtype=np.int64)
    room_gender: dict[int, str | None] = {}
    private_room: set[int] = set()
    people: dict[int, set[str]] = {}
    avoid: dict[str, set[str]] = {r.id: set(r.roommates.avoid) for r in residents}
    for r in residents:
        for s in r.roommates.avoid:
            avoid.setdefault(s, set()).add(r.id)
    order = sorted(
        range(len(residents)),
        key=lambda i: (not residents[i].locked, not residents[i].required, -residents[i].priority),
    )
    out: dict[str, str | None] = {r.id: None for r in residents}
    for i in order:
        r = residents[i]
        if r.group is not None:
            continue
        rooms = np.flatnonzero(c.allowed[i] & (used < capacity))
        if rooms.size == 0:
            continue
        for j in rooms[np.argsort(-c.scores[i, rooms], kind="stable")].tolist():
            occupants = people.get(j, set())
            if j in private_room or (r.private and occupants):
                continue
            if forbid and occupants and room_gender.get(j) != r.gender:
                continue
            if occupants & avoid.get(r.id, set()):
                continue
            out[r.id] = c.room_ids[j]
            used[j] += 1
            people.setdefault(j, set()).add(r.id)
            room_gender.setdefault(j, r.gender)
            if r.private:
                private_room.add(j)
            break
    return out
