"""The problem as numpy columns, indexed by position: what every stage of the scalable path reads.

Residents and rooms are referred to by their position in ``problem.residents`` and
``problem.rooms``; ids appear only when a result is written back. Everything here is a vector
of length residents or rooms (or lists of short per-resident lists): memory grows with
residents + rooms, never with their product.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Roommates, TermSpec
>>> p = Problem(rooms=[Room(id="A", capacity=2, cost=10)],
...             residents=[Resident(id="a", roommates=Roommates(want=("b",))),
...                        Resident(id="b", required=True)],
...             objective=[TermSpec(term="housed", weight=10), TermSpec(term="cost", weight=1)])
>>> a = ProblemArrays.of(p)
>>> a.wants[0], a.required.tolist(), a.weights.housed, a.weights.cost
([1], [False, True], 10.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Problem, Resident, Room
from roomalloc.solver.candidates import stay_bounds

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The objective terms the scalable path knows how to split over rooms and residents.
SPLITTABLE_TERMS = frozenset({"housed", "preferences", "roommates", "cost", "rooms_used", "moves"})


@dataclass(frozen=True)
class Weights:
    """The weight of each built-in term in the objective (0 when the objective omits it)."""

    housed: float = 0.0
    preferences: float = 0.0
    roommates: float = 0.0
    cost: float = 0.0
    rooms_used: float = 0.0
    moves: float = 0.0
    fairness: float = 0.0

    @classmethod
    def of(cls, problem: Problem) -> Weights:
        """Sum the weights of each term named by ``problem.objective`` (unknown names ignored).

        >>> from roomalloc import Problem
        >>> Weights.of(Problem()).roommates
        2.0
        """
        total: dict[str, float] = {}
        for spec in problem.objective:
            if spec.term in cls.__dataclass_fields__:
                total[spec.term] = total.get(spec.term, 0.0) + spec.weight
        return cls(**total)


def unsplittable_terms(problem: Problem) -> list[str]:
    """Terms with a weight that the scalable path cannot split (fairness, custom terms).

    >>> from roomalloc import Problem, TermSpec
    >>> unsplittable_terms(Problem(objective=[TermSpec(term="fairness", weight=1)]))
    ['fairness']
    """
    return [s.term for s in problem.objective if s.weight and s.term not in SPLITTABLE_TERMS]


def part_of(problem: Problem, *, rooms: Sequence[Room] | None = None,
            residents: Sequence[Resident] | None = None) -> Problem:
    """``problem`` with only these rooms and/or residents, built without validation.

    The parts are the problem's own, already validated, objects; a slice of residents may
    name roommates outside it, which the static-rule and score functions never read (and the
    sub-problems of :mod:`~roomalloc.solver.scale.subproblem` drop). Validating each of the
    thousands of slices would cost more than the scan itself.

    >>> from roomalloc import Problem, Resident, Roommates
    >>> p = Problem(residents=[Resident(id="a", roommates=Roommates(want=("b",))),
    ...                        Resident(id="b")])
    >>> [r.id for r in part_of(p, residents=p.residents[:1]).residents]
    ['a']
    """
    return Problem.model_construct(
        format=problem.format, rules=problem.rules, objective=problem.objective,
        rooms=tuple(problem.rooms if rooms is None else rooms),
        residents=tuple(problem.residents if residents is None else residents),
    )


@dataclass(frozen=True, eq=False)
class ProblemArrays:
    """Per-resident and per-room columns of a problem.

    ``wants[i]``: positions of the residents ``i`` wants (known ids, not ``i``, in order, with
    repeats kept: each repeat counts in the ``roommates`` term). ``avoids[i]``: positions that
    ``i`` may not share with, either side's ``avoid`` counting. ``group[i]``: a number per group
    label, ``-1`` for none. ``current[i]``: position of the current room, ``-1`` for none.
    ``gender`` codes compare equal exactly when the labels do (``None`` included).
    """

    problem: Problem
    weights: Weights
    starts: IntArray
    ends: IntArray
    gender: IntArray
    priority: FloatArray
    required: BoolArray
    locked: BoolArray
    private: BoolArray
    group: IntArray
    current: IntArray
    wants: list[list[int]]
    avoids: list[set[int]]
    capacity: IntArray
    cost: FloatArray
    room_gender: IntArray

    @classmethod
    def of(cls, problem: Problem) -> ProblemArrays:
        """Read ``problem`` into columns (one pass over residents and rooms)."""
        residents, rooms = problem.residents, problem.rooms
        index = {r.id: i for i, r in enumerate(residents)}
        room_index = {k.id: j for j, k in enumerate(rooms)}
        genders: dict[str | None, int] = {}
        for r in residents:
            genders.setdefault(r.gender, len(genders))
        groups: dict[str, int] = {}
        wants: list[list[int]] = []
        avoids: list[set[int]] = [set() for _ in residents]
        for i, r in enumerate(residents):
            wants.append([index[s] for s in r.roommates.want if s in index and index[s] != i])
            for s in r.roommates.avoid:
                j = index.get(s)
                if j is not None and j != i:
                    avoids[i].add(j)
                    avoids[j].add(i)
        starts, ends = stay_bounds(problem)
        return cls(
            problem=problem,
            weights=Weights.of(problem),
            starts=starts,
            ends=ends,
            gender=np.array([genders[r.gender] for r in residents], dtype=np.int64),
            priority=np.array([r.priority for r in residents], dtype=np.float64),
            required=np.array([r.required for r in residents], dtype=bool),
            locked=np.array([r.locked for r in residents], dtype=bool),
            private=np.array([r.private for r in residents], dtype=bool),
            group=np.array([-1 if r.group is None else groups.setdefault(r.group, len(groups))
                            for r in residents], dtype=np.int64),
            current=np.array([room_index.get(r.current_room, -1) if r.current_room else -1
                              for r in residents], dtype=np.int64),
            wants=wants,
            avoids=avoids,
            capacity=np.array([k.capacity for k in rooms], dtype=np.int64),
            cost=np.array([k.cost for k in rooms], dtype=np.float64),
            room_gender=np.array([-1 if k.gender is None else genders.get(k.gender, -2)
                                  for k in rooms], dtype=np.int64),
        )

    @property
    def residents(self) -> int:
        """Number of residents."""
        return len(self.problem.residents)

    @property
    def rooms(self) -> int:
        """Number of rooms."""
        return len(self.problem.rooms)

    @cached_property
    def has_stays(self) -> bool:
        """Whether any resident has a stay (then a bed can serve several residents in turn)."""
        return any(r.stay is not None for r in self.problem.residents)

    @cached_property
    def groups(self) -> dict[int, list[int]]:
        """Members of each group number, in resident order."""
        out: dict[int, list[int]] = {}
        for i, g in enumerate(self.group.tolist()):
            if g >= 0:
                out.setdefault(g, []).append(i)
        return out

    @cached_property
    def wanted_by(self) -> list[list[int]]:
        """``wanted_by[i]``: the residents whose ``wants`` hold ``i``, each once, in order."""
        out: list[list[int]] = [[] for _ in range(self.residents)]
        for s, wanted in enumerate(self.wants):
            for i in dict.fromkeys(wanted):
                out[i].append(s)
        return out

    def overlap(self, a: int, b: int) -> bool:
        """Whether residents ``a`` and ``b`` share a night (no stay overlaps everything)."""
        return bool(self.starts[a] < self.ends[b] and self.starts[b] < self.ends[a])

    def may_share(self, a: int, b: int) -> bool:
        """Whether the pairwise rules let ``a`` and ``b`` share a room while their stays overlap.

        >>> from roomalloc import Problem, Resident
        >>> a = ProblemArrays.of(Problem(residents=[Resident(id="x", gender="f"),
        ...                                         Resident(id="y", gender="m")]))
        >>> a.may_share(0, 1)
        False
        """
        if self.private[a] or self.private[b] or b in self.avoids[a]:
            return False
        forbid = self.problem.rules.gender_mixing == "forbid"
        return not (forbid and self.gender[a] != self.gender[b])
