"""Who wants, avoids or must share with whom: groups, friend cliques, one-sided wants, avoids.

Groups (siblings, families) and cliques (friends) are cut from a shuffled list of residents,
sorted by gender when room-mates must share one, so their members can live together; members
of one group or clique arrive and leave together (they share the first member's stay).

Example
-------
>>> import numpy as np
>>> from roomalloc.synthetic.knobs import Knobs
>>> from roomalloc.synthetic.residents import make_people
>>> people = make_people(Knobs(), 200, np.random.default_rng(0))
>>> add_social(Knobs(group_share=0.1), people, max_capacity=4, rng=np.random.default_rng(1))
>>> sizes = np.bincount(people.group[people.group >= 0])
>>> bool(sizes.min() >= 2 and sizes.max() <= 4)
True
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from roomalloc.synthetic.draws import categorical
from roomalloc.synthetic.knobs import Knobs
from roomalloc.synthetic.residents import PeopleTable

IntArray = npt.NDArray[np.int64]

GROUP_SIZES = (2, 3, 4)
GROUP_SIZE_SHARES = (0.6, 0.25, 0.15)  # pairs of siblings are the most common
CLIQUE_SIZE_SHARES = (0.5, 0.3, 0.2)


def _cut(members: IntArray, keys: IntArray, shares: tuple[float, ...], max_size: int,
         rng: np.random.Generator) -> list[IntArray]:
    """Cut ``members`` into runs of 2..max_size that share a key (leftover singles are dropped)."""
    if len(members) == 0 or max_size < 2:
        return []
    order = np.argsort(keys[members], kind="stable")
    members = members[order]
    sizes_allowed = [s for s in GROUP_SIZES if s <= max_size]
    sizes = np.asarray(sizes_allowed)[categorical(rng, shares[: len(sizes_allowed)],
                                                  len(members))]
    key_of = keys[members]
    chunks: list[IntArray] = []
    i = j = 0
    while i < len(members):
        end = min(i + int(sizes[j]), len(members))
        run_end = i + int(np.searchsorted(key_of[i:end], key_of[i], side="right"))
        if run_end - i >= 2:
            chunks.append(members[i:run_end])
        i, j = run_end, j + 1
    return chunks


def add_social(knobs: Knobs, people: PeopleTable, max_capacity: int,
               rng: np.random.Generator) -> None:
    """Fill ``group``, ``leader``, ``wants`` and ``avoids``; align stays of groups and cliques."""
    n = people.n
    by_gender = knobs.gender_mixing == "forbid"
    keys = people.gender if by_gender else np.zeros(n, dtype=np.int64)
    shuffled = rng.permutation(n).astype(np.int64)
    n_group = round(knobs.group_share * n)
    n_clique = round(knobs.clique_share * n)
    groups = _cut(shuffled[:n_group], keys, GROUP_SIZE_SHARES, max_capacity, rng)
    cliques = _cut(shuffled[n_group:n_group + n_clique], keys, CLIQUE_SIZE_SHARES, 4, rng)

    group = np.full(n, -1, dtype=np.int64)
    clique = np.full(n, -1, dtype=np.int64)
    leader = np.full(n, -1, dtype=np.int64)
    wants: list[list[int]] = [[] for _ in range(n)]
    for g, members in enumerate(groups):
        group[members] = g
    for c, members in enumerate(cliques):
        clique[members] = c
        leader[members[1:]] = members[0]
        ids = members.tolist()
        for r in ids:
            wants[r] = [s for s in ids if s != r]
    for members in (*groups, *cliques):
        people.stay_start[members] = people.stay_start[members[0]]
        people.stay_end[members] = people.stay_end[members[0]]
        people.whole_period[members] = people.whole_period[members[0]]

    # One-sided wants and avoids point at someone of the same key (a possible room-mate).
    chooser = rng.random(n) < knobs.one_sided_share
    avoider = rng.random(n) < knobs.avoid_share
    order = np.argsort(keys, kind="stable")
    key_sorted = keys[order]
    lo = np.searchsorted(key_sorted, keys, side="left")
    hi = np.searchsorted(key_sorted, keys, side="right")
    want_target = order[lo + (rng.random(n) * (hi - lo)).astype(np.int64)]
    avoid_target = order[lo + (rng.random(n) * (hi - lo)).astype(np.int64)]

    def together(r: int, s: int) -> bool:
        return bool((group[r] >= 0 and group[r] == group[s]) or (
            clique[r] >= 0 and clique[r] == clique[s]))

    for r in np.flatnonzero(chooser).tolist():
        s = int(want_target[r])
        if s != r and not together(r, s):
            wants[r].append(s)
    avoids: list[list[int]] = [[] for _ in range(n)]
    for r in np.flatnonzero(avoider).tolist():
        s = int(avoid_target[r])
        if s != r and not together(r, s) and s not in wants[r] and r not in wants[s]:
            avoids[r].append(s)
    people.group, people.wants, people.avoids, people.leader = group, wants, avoids, leader
