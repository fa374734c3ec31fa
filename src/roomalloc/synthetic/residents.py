"""Residents of a synthetic cohort: gender, stay, priority, needs, privacy, budget, preferences.

Columns are numpy arrays indexed by resident, filled in stages by :func:`make_people`,
:func:`add_needs` and :func:`add_preferences`; only uniform draws and table look-ups are used,
so the same seed gives the same residents on every machine.

Example
-------
>>> import numpy as np
>>> from roomalloc.synthetic.knobs import Knobs
>>> t = make_people(Knobs(period_days=30), 5, np.random.default_rng(0))
>>> bool((t.stay_end > t.stay_start).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from roomalloc.synthetic.draws import categorical
from roomalloc.synthetic.knobs import Knobs
from roomalloc.synthetic.rooms import SyntheticRooms

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

KIND_BUILDING, KIND_FEATURE, KIND_FLOOR, KIND_ROOM = range(4)
#: Floor ranges a preference can name, with whether they are wished for or disliked:
#: high floors (views), low floors (no stairs), and the ground floor as a dislike.
FLOOR_WISHES: tuple[tuple[int, int | None], ...] = ((2, None), (0, 1))
FLOOR_DISLIKE: tuple[int, int] = (0, 0)


@dataclass
class PeopleTable:
    """The residents as columns (index = resident); filled stage by stage, then frozen.

    ``stay_start``/``stay_end`` are night offsets from the period start (-1: no stay);
    ``needs`` holds feature bits; ``budget`` is -1 for none; ``group`` and ``current`` are -1
    for none; ``leader`` is the first member of the resident's friend clique (-1: none, or the
    resident leads it). Preferences are flat arrays: resident, kind, value (index of building,
    feature, floor wish, room), weight.
    """

    gender: IntArray
    stay_start: IntArray
    stay_end: IntArray
    priority_level: IntArray
    whole_period: BoolArray
    needs: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    private: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    budget: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    required: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    locked: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))
    current: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    leader: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    wants: list[list[int]] = field(default_factory=list)
    avoids: list[list[int]] = field(default_factory=list)
    pref_resident: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pref_kind: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pref_value: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pref_weight: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def n(self) -> int:
        """Number of residents."""
        return len(self.gender)


def make_people(knobs: Knobs, n: int, rng: np.random.Generator) -> PeopleTable:
    """Gender, stay and priority of ``n`` residents (the parts rooms are sized from).

    >>> import numpy as np
    >>> t = make_people(Knobs(), 4, np.random.default_rng(0))
    >>> t.stay_start.tolist()
    [-1, -1, -1, -1]
    """
    shares = np.asarray([s for _, s in knobs.genders], dtype=np.float64)
    gender = categorical(rng, shares, n)
    start = np.full(n, -1, dtype=np.int64)
    end = np.full(n, -1, dtype=np.int64)
    whole = np.zeros(n, dtype=np.bool_)
    if knobs.period_days > 0:
        period = knobs.period_days
        low, high = knobs.stay_days
        low, high = min(low, period), min(high, period)
        whole = rng.random(n) < knobs.long_stay_share
        # The smaller of two uniform draws: short stays are more common than long ones.
        spread = np.minimum(rng.integers(0, high - low + 1, size=n),
                            rng.integers(0, high - low + 1, size=n))
        length = low + spread
        first = (rng.random(n) * (period - length + 1)).astype(np.int64)
        start = np.where(whole, 0, first)
        end = np.where(whole, period, first + length)
    pshares = np.asarray(knobs.priority_shares, dtype=np.float64)
    level = categorical(rng, pshares, n)
    return PeopleTable(gender=gender, stay_start=start, stay_end=end, priority_level=level,
                       whole_period=whole)


def _weights(weights: list[float]) -> npt.NDArray[np.float64] | None:
    w = np.asarray(weights, dtype=np.float64)
    return w if (w > 0).any() else None


def add_needs(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
              rng: np.random.Generator) -> None:
    """Needs (mostly accessibility), private wishes and budgets, drawn for every resident.

    A budget is the bed cost at a random quantile between 15 % and 90 % of the rooms' costs,
    rounded up to 10, so that it always leaves some rooms open.
    """
    n = people.n
    has_need = rng.random(n) < knobs.needs_share
    second = rng.random(n) < 0.1  # one in ten with needs has two
    need_p = _weights([f.need for f in knobs.features])
    needs = np.zeros(n, dtype=np.int64)
    if need_p is not None:
        a = categorical(rng, need_p, n)
        b = categorical(rng, need_p, n)
        needs = np.where(has_need, (1 << a) | np.where(second, 1 << b, 0), 0).astype(np.int64)
    private = (rng.random(n) < knobs.private_share) & (people.group < 0)
    has_budget = rng.random(n) < knobs.budget_share
    quantile = 0.15 + 0.75 * rng.random(n)
    costs = np.sort(rooms.cost)
    at = costs[(quantile * (len(costs) - 1)).astype(np.int64)]
    budget = np.where(has_budget, (at + 9) // 10 * 10, -1).astype(np.int64)
    people.needs, people.private, people.budget = needs, private, budget


def _draw(p: npt.NDArray[np.float64] | None, size: int, rng: np.random.Generator) -> IntArray:
    if p is None:
        return np.full(size, -1, dtype=np.int64)
    return categorical(rng, p, size)


def add_preferences(knobs: Knobs, people: PeopleTable, rooms: SyntheticRooms,
                    rng: np.random.Generator) -> None:
    """Preferences of every selector kind, correlated through shared popularity.

    Buildings have a popularity (1 / rank, rank drawn once), so popular buildings are popular
    for everyone and unpopular ones collect the dislikes; named rooms are drawn from popular
    buildings too; friends in a clique like the building their clique's first member likes
    first (they apply together). Weights are small integers: buildings 1-3, features 1-2,
    floors 1, named rooms 3-5; dislikes -1 or -2.
    """
    n, nb = people.n, len(rooms.building_names)
    count = (rng.random((n, 8)) < knobs.preferences_mean / 8).sum(axis=1)
    resident = np.repeat(np.arange(n, dtype=np.int64), count)
    m = len(resident)
    kinds = np.asarray(knobs.preference_kinds, dtype=np.float64)
    kind = categorical(rng, kinds, m)
    dislike = rng.random(m) < knobs.dislike_share
    rank = rng.permutation(nb)
    popularity = (1.0 / (rank + 1.0)).astype(np.float64)
    building_like = _draw(popularity, m, rng)
    unpopular = (1.0 / popularity).astype(np.float64)
    building_dislike = _draw(unpopular, m, rng)
    feature_like = _draw(_weights([f.like for f in knobs.features]), m, rng)
    feature_dislike = _draw(_weights([f.dislike for f in knobs.features]), m, rng)
    floor_wish = rng.integers(0, len(FLOOR_WISHES), size=m)
    # A named room: a popular building, then a room in it.
    first_room = np.searchsorted(rooms.building, np.arange(nb))
    in_building = np.bincount(rooms.building, minlength=nb)
    room_building = _draw(popularity, m, rng)
    room_pick = first_room[room_building] + (
        rng.random(m) * in_building[room_building]).astype(np.int64)
    weight_building = 1 + categorical(rng, [0.4, 0.4, 0.2], m)
    weight_feature = rng.integers(1, 3, size=m)
    weight_room = rng.integers(3, 6, size=m)
    weight_dislike = -rng.integers(1, 3, size=m)

    value = np.select(
        [kind == KIND_BUILDING, kind == KIND_FEATURE, kind == KIND_FLOOR],
        [np.where(dislike, building_dislike, building_like),
         np.where(dislike, feature_dislike, feature_like),
         np.where(dislike, len(FLOOR_WISHES), floor_wish)],
        default=room_pick,
    )
    weight = np.select(
        [dislike, kind == KIND_BUILDING, kind == KIND_FEATURE, kind == KIND_FLOOR],
        [weight_dislike, weight_building, weight_feature, np.ones(m, dtype=np.int64)],
        default=weight_room,
    )
    if len(people.leader):
        liked = np.flatnonzero((kind == KIND_BUILDING) & (weight > 0))
        first_like = np.full(n, -1, dtype=np.int64)
        who, at = np.unique(resident[liked], return_index=True)
        first_like[who] = value[liked[at]]
        leader = people.leader[resident]
        target = first_like[np.maximum(leader, 0)]
        follow = (kind == KIND_BUILDING) & (weight > 0) & (leader >= 0) & (target >= 0)
        value = np.where(follow, target, value)
    # A feature kind with no like/dislike weights yields -1: drop those, then duplicates
    # (the first of a resident's same selector wins).
    keep = value >= 0
    resident, kind, value, weight = resident[keep], kind[keep], value[keep], weight[keep]
    key = (resident * 4 + kind) * (max(rooms.n, nb, len(knobs.features), 3) + 1) + value
    _, first = np.unique(key, return_index=True)
    first.sort()
    people.pref_resident = resident[first]
    people.pref_kind = kind[first]
    people.pref_value = value[first].astype(np.int64)
    people.pref_weight = weight[first].astype(np.int64)


def floor_range(value: int, top_floor: int) -> tuple[int, int]:
    """The ``[low, high]`` floors of floor wish ``value`` (the last value is the dislike).

    >>> floor_range(0, 5), floor_range(1, 5), floor_range(2, 5)
    ((2, 5), (0, 1), (0, 0))
    """
    if value >= len(FLOOR_WISHES):
        return FLOOR_DISLIKE
    low, high = FLOOR_WISHES[value]
    return low, max(low, top_floor) if high is None else high
