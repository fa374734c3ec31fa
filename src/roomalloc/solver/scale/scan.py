"""Dense rows of a few residents over every room, from what is per room computed once.

Scanning 50,000 residents over 23,000 rooms in blocks spent most of its time redoing, for each
block, what does not depend on the block's residents (each room's features, gender, cost,
closures; each preference selector's rooms). A :class:`RoomScan` does that once:

* residents whose static rules read the same fields (:func:`rule_codes`: needs, budget,
  gender, stay, excluded rooms, a lock to a room) share one row of
  :func:`~roomalloc.solver.candidates.allowed_matrix`, evaluated once per distinct row (225 rows for
  the 50,000-resident campus) and kept while they fit ``RULE_ROW_CELLS``;
* each building, feature and floor-range selector's rooms come once from
  :func:`~roomalloc.solver.candidates.score_matrix` (on one made-up resident per selector), so a
  resident's score row is a few scattered additions, in the order of their preferences (the
  same sums as ``score_matrix``);
* columns are in :attr:`RoomScan.order`: rooms sorted so that each kind of room (capacity,
  gender designation) and each room class is one contiguous slice, read without copies.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=2)],
...             residents=[Resident(id="r", needs=("quiet",),
...                                 preferences=[Preference(room="A", weight=2)])])
>>> scan = RoomScan(ProblemArrays.of(p))
>>> allowed, value = scan.rows([0])
>>> scan.order.tolist(), allowed.tolist(), value.tolist()
([0, 1], [[True, False]], [[2.0, 0.0]])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from roomalloc.domain.model import Preference, Problem, Resident
from roomalloc.rules.own import own_rule_key
from roomalloc.solver.candidates import allowed_matrix, score_matrix
from roomalloc.solver.scale.arrays import BoolArray, FloatArray, IntArray, ProblemArrays, part_of

#: Distinct static-rule rows kept for the whole scan (bytes); beyond, rows are made per block.
RULE_ROW_CELLS = 400_000_000
#: Made-up residents scored at once when the selectors' rooms are read.
SELECTOR_BLOCK = 256
#: A selector of more than rooms / DENSE_SHARE rooms is added as a 0/1 row, not by index.
DENSE_SHARE = 4

def rule_codes(problem: Problem) -> tuple[IntArray, IntArray]:
    """A code per resident, equal for residents whose static-rule rows are equal, and one
    representative resident per code.

    >>> from roomalloc import Problem, Resident
    >>> codes, first = rule_codes(Problem(residents=[Resident(id="a", budget=5),
    ...                                              Resident(id="b"), Resident(id="c")]))
    >>> codes.tolist(), first.tolist()
    ([0, 1, 1], [0, 1])
    """
    table: dict[tuple[object, ...], int] = {}
    first: list[int] = []
    codes = np.empty(len(problem.residents), dtype=np.int64)
    for i, r in enumerate(problem.residents):
        code = table.setdefault(own_rule_key(r), len(table))
        if code == len(first):
            first.append(i)
        codes[i] = code
    return codes, np.array(first, dtype=np.int64)


def _mask(cols: IntArray, width: int) -> FloatArray:
    out = np.zeros(width)
    out[cols] = 1.0
    return out


def _selector(p: Preference) -> tuple[str, object] | None:
    """The preference's selector other than a room (``None`` for a room)."""
    if p.room is not None:
        return None
    if p.building is not None:
        return ("building", p.building)
    if p.feature is not None:
        return ("feature", p.feature)
    return ("floor", p.floor)


class RoomScan:
    """Rows of :func:`~roomalloc.solver.candidates.allowed_matrix` and of each resident's value
    (preference score times its weight, minus the bed cost times its weight, plus the
    ``moves`` weight for the current room) with columns in :attr:`order`.

    ``order`` defaults to rooms by kind (capacity, then gender designation), then by
    ``classes`` (a room class per room) when given, then by position.
    """

    def __init__(self, arrays: ProblemArrays, classes: IntArray | None = None) -> None:
        self.arrays = arrays
        problem = arrays.problem
        m = arrays.rooms
        keys = [np.arange(m)] + ([] if classes is None else [classes])
        keys += [arrays.room_gender, arrays.capacity]
        #: Room (position in ``problem.rooms``) of each column.
        self.order: IntArray = np.lexsort(keys).astype(np.int64) if m else np.zeros(0, np.int64)
        #: Column of each room.
        self.column: IntArray = np.empty(m, dtype=np.int64)
        self.column[self.order] = np.arange(m)
        self._rooms = tuple(problem.rooms[k] for k in self.order.tolist())
        self.cost: FloatArray = arrays.cost[self.order]
        self.current: IntArray = np.where(arrays.current >= 0,
                                          self.column[np.maximum(arrays.current, 0)], -1)
        self.codes, self._first = rule_codes(problem)
        self._rule_rows: BoolArray | None = None
        if self._first.size * m <= RULE_ROW_CELLS:
            self._rule_rows = self._allowed_of(self._first)
        self._plans = self._preference_plans()

    def _allowed_of(self, people: IntArray) -> BoolArray:
        """``allowed_matrix`` rows of ``people`` in column order, ``SELECTOR_BLOCK`` at a time."""
        problem = self.arrays.problem
        out = np.zeros((people.size, len(self._rooms)), dtype=bool)
        for lo in range(0, people.size, SELECTOR_BLOCK):
            chunk = people[lo:lo + SELECTOR_BLOCK].tolist()
            sub = part_of(problem, rooms=self._rooms,
                          residents=[problem.residents[i] for i in chunk])
            out[lo:lo + len(chunk)] = allowed_matrix(sub)
        return out

    def _preference_plans(self) -> list[list[tuple[IntArray | FloatArray, float]]]:
        """Per resident, the columns and weight of each preference, in their order."""
        problem = self.arrays.problem
        selectors: dict[tuple[str, object], int] = {}
        made_up: list[Resident] = []
        for r in problem.residents:
            for p in r.preferences:
                key = _selector(p)
                if key is not None and key not in selectors:
                    selectors[key] = len(made_up)
                    made_up.append(Resident.model_construct(
                        id=str(len(made_up)), preferences=(p.model_copy(update={"weight": 1.0}),)))
        columns: list[IntArray] = []
        for lo in range(0, len(made_up), SELECTOR_BLOCK):
            sub = part_of(problem, rooms=self._rooms, residents=made_up[lo:lo + SELECTOR_BLOCK])
            columns.extend(np.flatnonzero(row) for row in score_matrix(sub))
        # A selector of many rooms is added as a 0/1 row times the weight (exactly the weight
        # or a zero): an indexed add of 12,000 of 23,000 columns cost 60 us, the row 36 us, an
        # add ``where=`` a Boolean mask 350 us.
        dense = len(self._rooms) // DENSE_SHARE
        masks: list[IntArray | FloatArray] = [
            cols if cols.size <= dense else _mask(cols, len(self._rooms)) for cols in columns]
        room_column = {k.id: j for j, k in enumerate(self._rooms)}
        plans: list[list[tuple[IntArray | FloatArray, float]]] = []
        for r in problem.residents:
            plan: list[tuple[IntArray | FloatArray, float]] = []
            for p in r.preferences:
                key = _selector(p)
                if key is not None:
                    plan.append((masks[selectors[key]], p.weight))
                elif p.room in room_column:
                    plan.append((np.array([room_column[p.room]]), p.weight))
            plans.append(plan)
        return plans

    def allowed(self, people: Sequence[int] | IntArray) -> BoolArray:
        """The static-rule rows of ``people``."""
        codes = self.codes[np.asarray(people, dtype=np.int64)]
        if self._rule_rows is not None:
            return self._rule_rows[codes]
        distinct, back = np.unique(codes, return_inverse=True)
        return self._allowed_of(self._first[distinct])[back.reshape(-1)]

    def beds(self, people: Sequence[int] | IntArray) -> IntArray:
        """How many beds the static rules let each of ``people`` use."""
        people = np.asarray(people, dtype=np.int64)
        distinct, back = np.unique(self.codes[people], return_inverse=True)
        capacity = self.arrays.capacity[self.order]
        rows = (self._rule_rows[distinct] if self._rule_rows is not None
                else self._allowed_of(self._first[distinct]))
        beds: IntArray = (rows @ capacity)[back.reshape(-1)]
        return beds

    def values(self, people: Sequence[int] | IntArray) -> FloatArray:
        """The value rows of ``people``."""
        people = np.asarray(people, dtype=np.int64)
        w = self.arrays.weights
        value = np.zeros((people.size, len(self._rooms)))
        if w.preferences:
            for n, i in enumerate(people.tolist()):
                row = value[n]
                for cols, weight in self._plans[i]:
                    if cols.dtype == np.float64:
                        row += weight * cols
                    else:
                        row[cols] += weight
            if w.preferences != 1:
                value *= w.preferences
        if w.cost:
            value -= w.cost * self.cost[None, :]
        if w.moves:
            current = self.current[people]
            has = np.flatnonzero(current >= 0)
            value[has, current[has]] += w.moves
        return value

    def rows(self, people: Sequence[int] | IntArray) -> tuple[BoolArray, FloatArray]:
        """:meth:`allowed` and :meth:`values` of ``people``."""
        return self.allowed(people), self.values(people)

    def by_value(self, allowed: BoolArray, value: FloatArray) -> list[int]:
        """The rooms (positions in ``problem.rooms``) of one row's allowed columns, best value
        first, equal values by room position."""
        cols = np.flatnonzero(allowed)
        rooms = self.order[cols]
        picked: list[int] = rooms[np.lexsort((rooms, -value[cols]))].tolist()
        return picked
