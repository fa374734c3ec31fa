"""The rules that depend on one resident and one room alone, for a block of residents at once.

These are the *own* rules: needs, budget, room gender, closures (``unavailable``), excluded
rooms, and the lock to the current room (``locked``). This module is their one home outside
the independent verifier: the solver's candidate matrix, the evaluation's best scores and the
explanation's reasons all ask :class:`OwnRules` which rule forbids which room. Each rule is
evaluated with array operations over ``residents x rooms`` (no Python loop over pairs), and
clears, in a boolean matrix, the pairs it forbids: :meth:`OwnRules.allowed` lets every rule
clear the same matrix (the hot path allocates one matrix), :meth:`OwnRules.masks` gives each
rule a matrix of its own (which rule forbids what, for the reasons).

Nothing here loads the solver: ``evaluate`` and ``explain`` use it, and they never load OR-Tools.
(``check`` keeps its own, deliberately independent, code: :mod:`roomalloc.verify.verifier`.)

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> rooms = [Room(id="A", capacity=1, cost=500), Room(id="B", capacity=1, gender="female")]
>>> residents = [Resident(id="r1", budget=400, gender="female"), Resident(id="r2")]
>>> rules = OwnRules(rooms)
>>> rules.allowed(residents).tolist()
[[False, True], [True, False]]
>>> {name: mask.tolist() for name, mask in rules.masks(residents[:1]).items()}["budget"]
[[False, True]]
>>> broken_rules(residents[1], rooms[1])
('room_gender',)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Resident, Room

BoolMatrix = npt.NDArray[np.bool_]
IntVector = npt.NDArray[np.int64]

#: The own rules, in the order the reasons give them (the names are the verifier's).
OWN_RULES: tuple[str, ...] = ("needs", "budget", "room_gender", "unavailable", "excluded_rooms")
#: The lock to the current room: an own rule too, but callers choose whether it applies.
LOCK_RULE = "locked"
#: The own rules that do not depend on the resident's stay.
STAY_FREE_RULES: tuple[str, ...] = ("needs", "budget", "room_gender", "excluded_rooms")

#: Resident fields no own rule reads (``current_room`` counts only with ``locked``). A field
#: added to the model counts until it is listed here: a new rule can never share a row wrongly.
_NOT_OWN_RULE_FIELDS = frozenset({"id", "name", "priority", "required", "private", "preferences",
                                  "roommates", "group", "attributes", "current_room", "locked"})
_OWN_RULE_FIELDS = tuple(f for f in Resident.model_fields if f not in _NOT_OWN_RULE_FIELDS)


def own_rule_key(resident: Resident, *, stay: bool = True, lock: bool = True) -> tuple[object, ...]:
    """Equal for residents whose own-rule rows are equal: the fields the own rules read
    (without the stay, for the :data:`STAY_FREE_RULES`; with the lock when ``lock``).

    >>> from roomalloc import Resident
    >>> own_rule_key(Resident(id="a", budget=5, priority=3)) == own_rule_key(
    ...     Resident(id="b", budget=5))
    True
    """
    fields = (getattr(resident, f) for f in _OWN_RULE_FIELDS if stay or f != "stay")
    locked = (resident.locked, resident.current_room if resident.locked else None) if lock else ()
    return (*fields, *locked)


#: Stand-ins for "no stay": before and after every date (ordinal day numbers).
NO_STAY_START_DAY = -(2**40)
NO_STAY_END_DAY = 2**40


def stay_days(residents: Sequence[Resident]) -> tuple[IntVector, IntVector]:
    """Each resident's stay as ordinal day numbers ``(starts, ends)``, half-open.

    Residents with no stay get :data:`NO_STAY_START_DAY` and :data:`NO_STAY_END_DAY`.

    >>> import datetime as dt
    >>> from roomalloc import Resident, Interval
    >>> s, e = stay_days([Resident(id="a", stay=Interval(start=dt.date(2026, 9, 1),
    ...                                                  end=dt.date(2026, 9, 3))),
    ...                   Resident(id="b")])
    >>> int(e[0] - s[0]), int(s[1]) == NO_STAY_START_DAY
    (2, True)
    """
    n = len(residents)
    starts = np.full(n, NO_STAY_START_DAY, dtype=np.int64)
    ends = np.full(n, NO_STAY_END_DAY, dtype=np.int64)
    for i, r in enumerate(residents):
        if r.stay is not None:
            starts[i] = r.stay.start.toordinal()
            ends[i] = r.stay.end.toordinal()
    return starts, ends


_Clear = Callable[[Sequence[Resident], BoolMatrix], None]
_NO_INDEX: IntVector = np.zeros(0, dtype=np.int64)
_NO_MATRIX: BoolMatrix = np.ones((0, 0), dtype=bool)


class OwnRules:
    """The room-side arrays of the own rules for a fixed list of rooms (columns in that order).

    Built once per list of rooms; each query costs a few array operations per rule.
    """

    def __init__(self, rooms: Sequence[Room]) -> None:
        self.rooms: tuple[Room, ...] = tuple(rooms)
        self.size = len(self.rooms)
        self._needs_cache: dict[tuple[str, ...], npt.NDArray[np.bool_]] = {}
        self._clear: dict[str, _Clear] = {
            "needs": self._clear_needs,
            "budget": self._clear_budget,
            "room_gender": self._clear_room_gender,
            "unavailable": self._clear_unavailable,
            "excluded_rooms": self._clear_excluded_rooms,
            LOCK_RULE: self._clear_locked,
        }

    # The room-side arrays are built on first use: a query about one room and one resident
    # (the reasons) needs only the arrays of the rules that resident has.

    @cached_property
    def index(self) -> dict[str, int]:
        """Column of each room id."""
        return {k.id: j for j, k in enumerate(self.rooms)}

    @cached_property
    def cost(self) -> npt.NDArray[np.float64]:
        """Each room's bed cost."""
        return np.array([k.cost for k in self.rooms], dtype=np.float64)

    @cached_property
    def _features(self) -> tuple[dict[str, int], BoolMatrix]:
        """Row of each feature, and ``has[f, k]``: room k has feature f (a row per feature)."""
        row: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for j, k in enumerate(self.rooms):
            for f in k.features:
                rows.append(row.setdefault(f, len(row)))
                cols.append(j)
        has = np.zeros((len(row), self.size), dtype=bool)
        has[rows, cols] = True
        return row, has

    @cached_property
    def _genders(self) -> tuple[dict[str, int], BoolMatrix]:
        """A code per room gender, and ``open[g, k]``: room k takes residents of code g.

        The last code stands for a resident of no room's gender (or none given): only
        undesignated rooms take them.
        """
        code: dict[str, int] = {}
        listed = [-1 if k.gender is None else code.setdefault(k.gender, len(code))
                  for k in self.rooms]
        if not code:
            # Nobody is kept out (the rule returns early): no arrays for the one-room queries.
            return code, _NO_MATRIX
        room_code = np.array(listed, dtype=np.int64)
        codes = np.arange(len(code) + 1, dtype=np.int64)
        return code, (room_code[None, :] == -1) | (room_code[None, :] == codes[:, None])

    @cached_property
    def _closures(self) -> tuple[IntVector, IntVector, IntVector, IntVector]:
        """The closed rooms, and the closure windows listed room by room as ordinal days.

        ``(rooms, starts, ends, first)``: ``first[c]`` is where room ``rooms[c]``'s windows
        begin in ``starts``/``ends``.
        """
        windows = [
            (j, w.start.toordinal(), w.end.toordinal())
            for j, k in enumerate(self.rooms)
            for w in k.unavailable
        ]
        if not windows:
            return _NO_INDEX, _NO_INDEX, _NO_INDEX, _NO_INDEX
        table = np.array(windows, dtype=np.int64)
        first = np.flatnonzero(np.diff(table[:, 0], prepend=-1))
        return table[first, 0], table[:, 1], table[:, 2], first

    @cached_property
    def closable(self) -> npt.NDArray[np.bool_]:
        """Rooms with at least one closure."""
        out = np.zeros(self.size, dtype=bool)
        out[self._closures[0]] = True
        return out

    @classmethod
    def of(cls, rooms: tuple[Room, ...]) -> OwnRules:
        """The arrays of ``rooms``, reused while the same tuple of rooms is asked for again.

        The solver's large-scale scan asks block by block of residents for the same rooms;
        the room side is the dearer half of a block, so it is built once. The tuple (of frozen
        rooms) is kept alive with the arrays, so its identity cannot be reused meanwhile.

        >>> from roomalloc import Room
        >>> rooms = (Room(id="A", capacity=1),)
        >>> OwnRules.of(rooms) is OwnRules.of(rooms)
        True
        """
        last = _LAST[0] if _LAST else None
        if last is not None and last.rooms is rooms:
            return last
        made = cls(rooms)
        _LAST[:] = [made]
        return made

    def rule_names(self, *, lock: bool) -> tuple[str, ...]:
        """The rules applied, in order: :data:`OWN_RULES`, then the lock when ``lock``.

        >>> OwnRules([]).rule_names(lock=True)[-2:]
        ('excluded_rooms', 'locked')
        """
        return (*OWN_RULES, LOCK_RULE) if lock else OWN_RULES

    def allowed(
        self,
        residents: Sequence[Resident],
        *,
        lock: bool = True,
        rules: Collection[str] | None = None,
    ) -> BoolMatrix:
        """``allowed[i, k]``: every rule lets ``residents[i]`` use room ``k``.

        ``rules`` picks a subset of the rules (default: all of :meth:`rule_names`).

        >>> from roomalloc import Room, Resident
        >>> rules = OwnRules([Room(id="A", capacity=1), Room(id="B", capacity=1)])
        >>> rules.allowed([Resident(id="r", current_room="B", locked=True)]).tolist()
        [[False, True]]
        >>> rules.allowed([Resident(id="r", current_room="B", locked=True)], lock=False).tolist()
        [[True, True]]
        """
        out = np.ones((len(residents), self.size), dtype=bool)
        if out.size:
            for name in self.rule_names(lock=lock) if rules is None else rules:
                self._clear[name](residents, out)
        return out

    def masks(
        self,
        residents: Sequence[Resident],
        *,
        lock: bool = False,
        rules: Collection[str] | None = None,
    ) -> dict[str, BoolMatrix]:
        """For each rule in order, ``mask[i, k]``: the rule lets ``residents[i]`` use room ``k``.

        The AND of the masks is :meth:`allowed`. ``lock`` adds the ``locked`` mask (off by
        default: what the current allocation pins is not the resident's own rule).

        >>> from roomalloc import Room, Resident
        >>> rules = OwnRules([Room(id="A", capacity=1, features=("quiet",))])
        >>> {k: v.tolist() for k, v in rules.masks([Resident(id="r", needs=("lift",))]).items()}
        ... # doctest: +NORMALIZE_WHITESPACE
        {'needs': [[False]], 'budget': [[True]], 'room_gender': [[True]],
         'unavailable': [[True]], 'excluded_rooms': [[True]]}
        """
        names = tuple(self.rule_names(lock=lock) if rules is None else rules)
        # One allocation for all masks: the reasons ask about one resident and one room.
        stack = np.ones((len(names), len(residents), self.size), dtype=bool)
        out: dict[str, BoolMatrix] = {}
        for name, mask in zip(names, stack, strict=True):
            if mask.size:
                self._clear[name](residents, mask)
            out[name] = mask
        return out

    def rooms_with(self, needs: tuple[str, ...]) -> npt.NDArray[np.bool_]:
        """The rooms that have every feature in ``needs``.

        >>> from roomalloc import Room
        >>> OwnRules([Room(id="A", capacity=1, features=("a", "b"))]).rooms_with(("b", "c"))
        array([False])
        """
        cached = self._needs_cache.get(needs)
        if cached is not None:
            return cached
        feature_row, has = self._features
        rows = [feature_row[f] for f in needs if f in feature_row]
        ok = np.zeros(self.size, dtype=bool)
        if len(rows) == len(needs):
            np.logical_and.reduce(has[rows], axis=0, out=ok)
        ok.flags.writeable = False  # shared by every later query
        self._needs_cache[needs] = ok
        return ok

    def _clear_needs(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """Every needed feature must be among the room's features."""
        by_needs: dict[tuple[str, ...], list[int]] = {}
        for i, r in enumerate(residents):
            if r.needs:
                by_needs.setdefault(r.needs, []).append(i)
        for needs, rows in by_needs.items():
            out[np.asarray(rows, dtype=np.int64)] &= self.rooms_with(needs)

    def _clear_budget(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """The room's bed cost must not exceed the resident's budget."""
        if all(r.budget is None for r in residents):
            return
        budget = np.array([np.inf if r.budget is None else r.budget for r in residents])
        out &= self.cost[None, :] <= budget[:, None]

    def _clear_room_gender(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """A designated room takes only residents of that gender."""
        code, open_ = self._genders
        if not code:
            return
        other = len(code)
        codes = np.array(
            [other if r.gender is None else code.get(r.gender, other) for r in residents],
            dtype=np.int64,
        )
        out &= open_[codes]

    def _clear_unavailable(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """Nobody whose stay overlaps one of the room's closures."""
        rooms, window_starts, window_ends, first = self._closures
        if not rooms.size:
            return
        starts, ends = stay_days(residents)
        hit = (starts[:, None] < window_ends[None, :]) & (window_starts[None, :] < ends[:, None])
        out[:, rooms] &= ~np.logical_or.reduceat(hit, first, axis=1)

    def _clear_excluded_rooms(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """Not a room on the resident's excluded list (ids of other rooms are ignored)."""
        rows: list[int] = []
        cols: list[int] = []
        for i, r in enumerate(residents):
            for room_id in r.excluded_rooms:
                j = self.index.get(room_id)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        if rows:
            out[rows, cols] = False

    def _clear_locked(self, residents: Sequence[Resident], out: BoolMatrix) -> None:
        """A locked resident may use their current room only (none, if it is not listed)."""
        rows = [i for i, r in enumerate(residents) if r.locked]
        if not rows:
            return
        current = [residents[i].current_room for i in rows]
        keep = np.array(
            [-1 if k is None else self.index.get(k, -1) for k in current], dtype=np.int64
        )
        out[rows] &= np.arange(self.size, dtype=np.int64)[None, :] == keep[:, None]


# The last arrays built by OwnRules.of (one entry: one problem is scanned at a time).
_LAST: list[OwnRules] = []


def broken_rules(resident: Resident, room: Room, *, lock: bool = False) -> tuple[str, ...]:
    """The own rules of ``resident`` that forbid ``room``, in order (the lock when ``lock``).

    >>> from roomalloc import Resident, Room
    >>> broken_rules(Resident(id="r", needs=("lift",), budget=100), Room(id="A", capacity=1,
    ...                                                                  cost=200))
    ('needs', 'budget')
    >>> broken_rules(Resident(id="r", current_room="B", locked=True), Room(id="A", capacity=1),
    ...              lock=True)
    ('locked',)
    """
    masks = OwnRules((room,)).masks((resident,), lock=lock)
    return tuple(name for name, mask in masks.items() if not mask[0, 0])
