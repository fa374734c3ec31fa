"""Shortlists: each resident's best rooms, for a first search on a much smaller model.

On a large problem most placement variables are rooms a resident likes less than others, or
is indifferent to; every one of them slows CP-SAT's LP and its neighbourhood searches. A
first search over shortlists (each resident's ``size`` best-scoring allowed rooms, the rooms
shortlisted by anyone they want to share with or must stay with, and their room in the
starting allocation) finds a good allocation quickly: on a 1,000-resident campus it has 40,510
placement variables instead of 383,841. Its allocations are allocations of the full problem,
but its bound is no bound of the full problem: ``solve`` then searches the full model from the
shortlist's best allocation, and only that search proves anything.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> from roomalloc.solver.candidates import candidate_matrix
>>> p = Problem(rooms=[Room(id=k, capacity=1) for k in "ABC"],
...             residents=[Resident(id="r", preferences=[Preference(room="B", weight=1)])])
>>> c = candidate_matrix(p)
>>> shortlist(p, c, {"r": "C"}, size=1).rooms_for("r")
('B', 'C')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from roomalloc.domain.model import Problem
from roomalloc.solver.candidates import Candidates

#: Rooms per resident on a shortlist, before partners' rooms and the start are added.
SHORTLIST_SIZE = 30


def shortlist(
    problem: Problem,
    candidates: Candidates,
    start: Mapping[str, str | None],
    *,
    size: int = SHORTLIST_SIZE,
    seed: int = 0,
) -> Candidates:
    """``candidates`` cut down to each resident's shortlist (described in the module docstring).

    Rooms with equal scores are ranked at random (from ``seed``): residents indifferent between
    many rooms then shortlist different ones instead of all the same first few.
    """
    allowed = candidates.allowed
    n, m = allowed.shape
    if n == 0 or m == 0:
        return candidates
    ties = np.random.default_rng(seed).random((n, m))
    # lexsort sorts by the last key first: allowed rooms, then score, then the random tie key.
    order = np.lexsort((ties, -candidates.scores, ~allowed), axis=-1)[:, : min(size, m)]
    mine = np.zeros_like(allowed)
    np.put_along_axis(mine, order, True, axis=-1)
    mine &= allowed
    keep = mine.copy()
    index = candidates.resident_index
    for i, r in enumerate(problem.residents):
        for s in r.roommates.want:
            j = index.get(s)
            if j is not None:
                keep[i] |= mine[j]
                keep[j] |= mine[i]
    members: dict[str, list[int]] = {}
    for i, r in enumerate(problem.residents):
        if r.group is not None:
            members.setdefault(r.group, []).append(i)
    for rows in members.values():
        keep[rows] |= mine[rows].any(axis=0)
    for r_id, room in start.items():
        row = index.get(r_id)
        col = None if room is None else candidates.room_index.get(room)
        if row is not None and col is not None:
            keep[row, col] = True
    return dataclasses.replace(candidates, allowed=keep & allowed)
