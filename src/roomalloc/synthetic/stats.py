"""Statistics of any problem: demand against beds, needs, preferences, room-mate ties.

:func:`stats` reads only the problem, so it describes hand-made and imported problems as well
as generated ones; :meth:`CohortStats.format` prints it for people (``roomalloc generate
--stats``), :meth:`CohortStats.as_dict` for programs.

Example
-------
>>> from roomalloc import Problem, Resident, Room
>>> p = Problem(rooms=[Room(id="A", capacity=2)],
...             residents=[Resident(id="r1", needs=("accessible",)), Resident(id="r2")])
>>> s = stats(p)
>>> (s.beds, s.peak_demand, s.needs_share)
(2, 2, 0.5)
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Problem

IntArray = npt.NDArray[np.int64]


def peak_demand(start: IntArray, end: IntArray) -> int:
    """Most residents present on one night; ``start`` < 0 means no stay (present every night).

    >>> import numpy as np
    >>> peak_demand(np.array([0, 2, 5, -1]), np.array([3, 5, 9, -1]))
    3
    """
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    always = int((start < 0).sum())
    s, e = start[start >= 0], end[start >= 0]
    if len(s) == 0:
        return always
    times = np.concatenate([s, e])
    deltas = np.concatenate([np.ones(len(s), np.int64), -np.ones(len(e), np.int64)])
    order = np.lexsort((deltas, times))  # a departure frees the bed for that night's arrival
    return always + int(np.cumsum(deltas[order]).max())


@dataclass(frozen=True)
class CohortStats:
    """The shape of a problem in numbers; shares are fractions of residents unless noted."""

    residents: int
    rooms: int
    buildings: int
    beds: int
    #: Rooms with 1, 2, 3, ... beds.
    rooms_by_capacity: dict[int, int]
    #: Most residents present on one night (all of them when nobody has a stay).
    peak_demand: int
    #: ``peak_demand / beds``: above 1 the cohort is over-subscribed.
    demand_per_bed: float
    #: Mean number of residents present per night over the span of the stays.
    mean_demand: float
    stay_share: float
    mean_stay_nights: float
    needs_share: float
    private_share: float
    budget_share: float
    required_share: float
    incumbent_share: float
    locked: int
    preferences_per_resident: float
    #: Share of preferences with a negative weight.
    dislike_share: float
    #: Preferences by selector: room, building, feature, floor.
    preference_kinds: dict[str, int]
    #: Directed wants (r wants s) that name a resident of the problem.
    want_pairs: int
    #: Unordered pairs who want each other.
    mutual_pairs: int
    #: Unordered pairs where at least one avoids the other.
    avoid_pairs: int
    groups: int
    group_share: float
    #: Share of rooms with each feature.
    room_features: dict[str, float]
    #: Share of rooms designated for one gender.
    designated_rooms: float
    #: Rooms with at least one maintenance window.
    closed_rooms: int
    gender_mixing: str
    genders: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """The statistics as plain data (for JSON).

        >>> from roomalloc import Problem
        >>> stats(Problem()).as_dict()["residents"]
        0
        """
        return dataclasses.asdict(self)

    def format(self) -> str:
        """A readable multi-line summary.

        >>> from roomalloc import Problem, Room
        >>> print(stats(Problem(rooms=[Room(id="A", capacity=1)])).format().splitlines()[0])
        residents 0, rooms 1 in 1 building(s), beds 1
        """
        def pct(x: float) -> str:
            return f"{100 * x:.1f}%"

        caps = ", ".join(f"{c} bed(s): {n}" for c, n in sorted(self.rooms_by_capacity.items()))
        feats = ", ".join(f"{k} {pct(v)}" for k, v in self.room_features.items()) or "none"
        kinds = ", ".join(f"{k} {v}" for k, v in self.preference_kinds.items())
        genders = ", ".join(f"{k} {pct(v)}" for k, v in self.genders.items()) or "none"
        lines = [
            f"residents {self.residents}, rooms {self.rooms} in {self.buildings} building(s), "
            f"beds {self.beds}",
            f"rooms by beds: {caps or 'none'}",
            f"demand: peak {self.peak_demand} residents on one night, "
            f"{self.demand_per_bed:.3f} per bed; mean {self.mean_demand:.1f} per night",
            f"stays: {pct(self.stay_share)} have one, mean {self.mean_stay_nights:.1f} nights",
            f"needs {pct(self.needs_share)}, private {pct(self.private_share)}, "
            f"budget {pct(self.budget_share)}, required {pct(self.required_share)}",
            f"incumbents {pct(self.incumbent_share)}, locked {self.locked}",
            f"preferences: {self.preferences_per_resident:.2f} per resident "
            f"({kinds}), dislikes {pct(self.dislike_share)}",
            f"room-mates: {self.want_pairs} wants, {self.mutual_pairs} mutual pairs, "
            f"{self.avoid_pairs} avoid pairs, {self.groups} groups "
            f"({pct(self.group_share)} of residents)",
            f"room features: {feats}",
            f"gender: mixing {self.gender_mixing}, designated rooms "
            f"{pct(self.designated_rooms)}; residents {genders}",
            f"rooms closed for maintenance at some time: {self.closed_rooms}",
        ]
        return "\n".join(lines)


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def stats(problem: Problem) -> CohortStats:
    """Statistics of ``problem`` (any problem, generated or not).

    >>> from roomalloc.synthetic import cohort
    >>> s = stats(cohort(residents=100, seed=1))
    >>> 2 <= s.preferences_per_resident <= 4
    True
    """
    rooms, people = problem.rooms, problem.residents
    n = len(people)
    beds = sum(k.capacity for k in rooms)
    start = np.asarray([r.stay.start.toordinal() if r.stay else -1 for r in people],
                       dtype=np.int64)
    end = np.asarray([r.stay.end.toordinal() if r.stay else -1 for r in people],
                     dtype=np.int64)
    peak = peak_demand(start, end)
    with_stay = start >= 0
    nights = end[with_stay] - start[with_stay]
    if with_stay.any():
        span = int(end[with_stay].max() - start[with_stay].min())
        mean_demand = float(nights.sum()) / span + int((~with_stay).sum())
    else:
        mean_demand = float(n)
    ids = {r.id for r in people}
    wants = {(r.id, s) for r in people for s in r.roommates.want if s in ids and s != r.id}
    avoids = {frozenset((r.id, s)) for r in people for s in r.roommates.avoid
              if s in ids and s != r.id}
    mutual = sum(1 for a, b in wants if a < b and (b, a) in wants)
    kinds: Counter[str] = Counter()
    dislikes = 0
    for r in people:
        for p in r.preferences:
            kinds[p.selectors()[0]] += 1
            dislikes += p.weight < 0
    total_prefs = sum(kinds.values())
    groups = Counter(r.group for r in people if r.group is not None)
    features: Counter[str] = Counter(f for k in rooms for f in set(k.features))
    genders: Counter[str] = Counter(r.gender if r.gender is not None else "(none)"
                                    for r in people)
    return CohortStats(
        residents=n,
        rooms=len(rooms),
        buildings=len({k.building for k in rooms}),
        beds=beds,
        rooms_by_capacity=dict(sorted(Counter(k.capacity for k in rooms).items())),
        peak_demand=peak,
        demand_per_bed=_share(peak, beds),
        mean_demand=mean_demand,
        stay_share=_share(int(with_stay.sum()), n),
        mean_stay_nights=float(nights.mean()) if len(nights) else 0.0,
        needs_share=_share(sum(1 for r in people if r.needs), n),
        private_share=_share(sum(r.private for r in people), n),
        budget_share=_share(sum(r.budget is not None for r in people), n),
        required_share=_share(sum(r.required for r in people), n),
        incumbent_share=_share(sum(r.current_room is not None for r in people), n),
        locked=sum(r.locked for r in people),
        preferences_per_resident=_share(total_prefs, n),
        dislike_share=_share(dislikes, total_prefs),
        preference_kinds={k: kinds[k] for k in ("room", "building", "feature", "floor")},
        want_pairs=len(wants),
        mutual_pairs=mutual,
        avoid_pairs=len(avoids),
        groups=len(groups),
        group_share=_share(sum(groups.values()), n),
        room_features={f: _share(c, len(rooms)) for f, c in sorted(features.items())},
        designated_rooms=_share(sum(k.gender is not None for k in rooms), len(rooms)),
        closed_rooms=sum(1 for k in rooms if k.unavailable),
        gender_mixing=problem.rules.gender_mixing,
        genders={g: _share(c, n) for g, c in sorted(genders.items())},
    )
