"""Which resident may use which room, and how much they like it: numpy matrices, built once.

The *static* rules depend on one resident and one room only: needs, budget, excluded rooms, the
room's gender designation, the room's closures during the stay, and (optionally) a lock to the
current room. :func:`candidate_matrix` evaluates them for every resident-room pair at once with
the array operations of :mod:`roomalloc.rules.own` (their one home); the solver creates a
placement variable only where the matrix says ``True``. The score matrix holds ``score(r, k)``,
the sum of the weights of r's preferences that room k matches.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("accessible",), cost=500),
...                    Room(id="B", capacity=1, cost=300)],
...             residents=[Resident(id="r1", needs=("accessible",)),
...                        Resident(id="r2", budget=400,
...                                 preferences=[Preference(room="B", weight=2)])])
>>> c = candidate_matrix(p)
>>> c.allowed.tolist()
[[True, False], [False, True]]
>>> c.scores.tolist()
[[0.0, 0.0], [0.0, 2.0]]
>>> c.rooms_for("r2")
('B',)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Problem
from roomalloc.rules.own import NO_STAY_END_DAY as NO_STAY_END_DAY
from roomalloc.rules.own import NO_STAY_START_DAY as NO_STAY_START_DAY
from roomalloc.rules.own import OwnRules, stay_days

BoolMatrix = npt.NDArray[np.bool_]
FloatMatrix = npt.NDArray[np.float64]
IntVector = npt.NDArray[np.int64]

@dataclass(frozen=True, eq=False)
class Candidates:
    """The static-rule matrices of a problem, rows in resident order, columns in room order.

    ``allowed[i, k]``: resident ``i`` may be placed in room ``k`` as far as the static rules go.
    ``scores[i, k]``: ``score(resident i, room k)``.
    ``starts``/``ends``: each resident's stay as ordinal day numbers (half-open); residents with
    no stay get :data:`NO_STAY_START_DAY`/:data:`NO_STAY_END_DAY`.
    """

    resident_ids: tuple[str, ...]
    room_ids: tuple[str, ...]
    allowed: BoolMatrix
    scores: FloatMatrix
    starts: IntVector
    ends: IntVector

    @cached_property
    def resident_index(self) -> dict[str, int]:
        """Row of each resident id."""
        return {r: i for i, r in enumerate(self.resident_ids)}

    @cached_property
    def room_index(self) -> dict[str, int]:
        """Column of each room id."""
        return {k: j for j, k in enumerate(self.room_ids)}

    def rooms_for(self, resident_id: str) -> tuple[str, ...]:
        """Ids of the rooms the static rules allow for this resident."""
        row = self.allowed[self.resident_index[resident_id]]
        return tuple(self.room_ids[j] for j in np.flatnonzero(row))

    def residents_for(self, room_id: str) -> tuple[str, ...]:
        """Ids of the residents the static rules allow in this room."""
        col = self.allowed[:, self.room_index[room_id]]
        return tuple(self.resident_ids[i] for i in np.flatnonzero(col))

    @property
    def pair_count(self) -> int:
        """Number of allowed resident-room pairs (placement variables the solver creates)."""
        return int(self.allowed.sum())


def stay_bounds(problem: Problem) -> tuple[IntVector, IntVector]:
    """Each resident's stay as ordinal day numbers ``(starts, ends)``, half-open.

    >>> import datetime as dt
    >>> from roomalloc import Problem, Resident, Interval
    >>> p = Problem(residents=[Resident(id="a", stay=Interval(start=dt.date(2026, 9, 1),
    ...                                                       end=dt.date(2026, 9, 3))),
    ...                        Resident(id="b")])
    >>> s, e = stay_bounds(p)
    >>> int(e[0] - s[0]), bool(s[1] < s[0] and e[1] > e[0])
    (2, True)
    """
    return stay_days(problem.residents)


def allowed_matrix(problem: Problem, *, lock: bool = True) -> BoolMatrix:
    """``allowed[i, k]``: the static rules let resident ``i`` use room ``k``.

    With ``lock`` (the default), a locked resident's row allows only their current room. The
    rules themselves live in :class:`roomalloc.rules.own.OwnRules`.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, gender="female"), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="m", gender="male"),
    ...                        Resident(id="f", gender="female", current_room="B", locked=True)])
    >>> allowed_matrix(p).tolist()
    [[False, True], [False, True]]
    >>> allowed_matrix(p, lock=False).tolist()
    [[False, True], [True, True]]
    """
    return OwnRules.of(problem.rooms).allowed(problem.residents, lock=lock)


def score_matrix(problem: Problem) -> FloatMatrix:
    """``scores[i, k] = score(resident i, room k)``, one vectorised mask per preference selector.

    >>> from roomalloc import Problem, Room, Resident, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1, floor=1), Room(id="B", capacity=1, floor=3)],
    ...             residents=[Resident(id="r", preferences=[Preference(floor=(0, 2), weight=1.5),
    ...                                                      Preference(room="B", weight=-1)])])
    >>> score_matrix(p).tolist()
    [[1.5, -1.0]]
    """
    rooms, residents = problem.rooms, problem.residents
    scores = np.zeros((len(residents), len(rooms)), dtype=np.float64)
    if not rooms:
        return scores
    room_col = {k.id: j for j, k in enumerate(rooms)}
    buildings = np.array([k.building for k in rooms], dtype=object)
    floors = np.array([k.floor for k in rooms], dtype=np.int64)
    masks: dict[tuple[str, object], npt.NDArray[np.bool_]] = {}
    for i, r in enumerate(residents):
        for p in r.preferences:
            if p.room is not None:
                if p.room in room_col:
                    scores[i, room_col[p.room]] += p.weight
                continue
            if p.building is not None:
                key: tuple[str, object] = ("building", p.building)
            elif p.feature is not None:
                key = ("feature", p.feature)
            else:
                key = ("floor", p.floor)
            mask = masks.get(key)
            if mask is None:
                if p.building is not None:
                    mask = buildings == p.building
                elif p.feature is not None:
                    mask = np.array([p.feature in k.features for k in rooms], dtype=bool)
                else:
                    assert p.floor is not None
                    mask = (floors >= p.floor[0]) & (floors <= p.floor[1])
                masks[key] = mask
            scores[i, mask] += p.weight
    return scores


def candidate_matrix(problem: Problem, *, lock: bool = True) -> Candidates:
    """The static-rule matrix, the score matrix and the stays of ``problem``.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r")])
    >>> candidate_matrix(p).pair_count
    1
    """
    starts, ends = stay_bounds(problem)
    return Candidates(
        resident_ids=tuple(r.id for r in problem.residents),
        room_ids=tuple(k.id for k in problem.rooms),
        allowed=allowed_matrix(problem, lock=lock),
        scores=score_matrix(problem),
        starts=starts,
        ends=ends,
    )
