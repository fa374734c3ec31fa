"""Score an allocation: the raw value of every objective term and the weighted objective.

Everything here is computed from the problem and the allocation alone, exactly as the contract
defines it; nothing is read from a solver. :func:`roomalloc.check` and the solver's results use
it, so it is the single definition of "how good is this allocation". Each term's raw value is
the term's own (:meth:`roomalloc.terms.Term.value`; the built-ins are in
:mod:`roomalloc.terms.builtin`); here they are collected and weighed.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, evaluate
>>> p = Problem(rooms=[Room(id="A", capacity=2, building="north")],
...             residents=[Resident(id="r1", preferences=[Preference(building="north", weight=3)]),
...                        Resident(id="r2", priority=2)])
>>> ev = evaluate(p, {"r1": "A", "r2": None})
>>> ev.terms["housed"], ev.terms["preferences"], ev.objective
(1.0, 3.0, 1003.0)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from roomalloc.domain.model import Preference, Problem, Resident, Result, Room
from roomalloc.rules.own import STAY_FREE_RULES, OwnRules, broken_rules, own_rule_key

if TYPE_CHECKING:
    from roomalloc.terms.base import Term

Assignments = Mapping[str, "str | None"]


def assignments_of(result_or_assignments: Result | Assignments) -> dict[str, str | None]:
    """The ``{resident id: room id or None}`` map of a :class:`Result` or a plain mapping.

    >>> from roomalloc import Result
    >>> assignments_of(Result(status="feasible", assignments={"r1": "A"}))
    {'r1': 'A'}
    """
    if isinstance(result_or_assignments, Result):
        return dict(result_or_assignments.assignments)
    return dict(result_or_assignments)


class _Resolved(dict[str, "str | None"]):
    """Assignments whose housed (resident, room) pairs were worked out once, by evaluate."""

    placed: list[tuple[Resident, Room]]


def placed(problem: Problem, assignments: Assignments) -> list[tuple[Resident, Room]]:
    """Housed residents with their rooms, in problem order, as the terms' values read them.

    Unknown ids are the verifier's business, skipped here. Within :func:`evaluate` the list is
    worked out once and shared by every term.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2)], residents=[Resident(id="a")])
    >>> [(r.id, k.id) for r, k in placed(p, {"a": "A", "b": "Z"})]
    [('a', 'A')]
    """
    if isinstance(assignments, _Resolved):
        return assignments.placed
    rooms = problem.rooms_by_id
    out: list[tuple[Resident, Room]] = []
    for resident in problem.residents:
        room_id = assignments.get(resident.id)
        if room_id is not None and room_id in rooms:
            out.append((resident, rooms[room_id]))
    return out


def score(resident: Resident, room: Room) -> float:
    """``score(r, k)``: the sum of the weights of ``resident``'s preferences that ``room`` matches.

    >>> from roomalloc import Resident, Room, Preference
    >>> r = Resident(id="r", preferences=[Preference(feature="quiet", weight=2),
    ...                                   Preference(floor=(1, 3), weight=-1)])
    >>> score(r, Room(id="k", capacity=1, floor=2, features=("quiet",)))
    1.0
    """
    return resident.score(room)


def allows(resident: Resident, room: Room) -> bool:
    """Whether ``resident``'s own static rules allow ``room``.

    These are the rules that depend on this resident and this room only: needs, budget,
    excluded rooms, the room's gender designation and its closures during the stay (see
    :mod:`roomalloc.rules.own`). (Capacity, sharing rules, groups and locks depend on others
    and are not included.)

    >>> from roomalloc import Resident, Room
    >>> allows(Resident(id="r", needs=("accessible",)), Room(id="k", capacity=1))
    False
    """
    return not broken_rules(resident, room)


#: Cells (a bool a room) of the stay-independent rule rows :class:`_RoomArrays` keeps: 50 MB.
ALLOWED_CELLS = 50_000_000


class _RoomArrays:
    """The rooms' own-rule arrays, and which rooms each preference selector matches."""

    def __init__(self, problem: Problem) -> None:
        rooms = problem.rooms
        self.rules = OwnRules(rooms)
        self.n = len(rooms)
        self.index = self.rules.index
        self.floor = np.array([k.floor for k in rooms], dtype=np.int64)
        features = sorted({f for k in rooms for f in k.features})
        self.feature_col = {f: j for j, f in enumerate(features)}
        self.features = np.zeros((self.n, len(features)), dtype=bool)
        by_building: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(rooms):
            by_building[k.building].append(i)
            for f in k.features:
                self.features[i, self.feature_col[f]] = True
        self.by_building = {b: np.array(ix, dtype=np.int64) for b, ix in by_building.items()}
        self._empty = np.zeros(0, dtype=np.int64)
        self._allowed_rows: dict[tuple[object, ...], NDArray[np.bool_]] = {}

    def matched(self, p: Preference) -> NDArray[np.int64]:
        """Indices of the rooms that preference ``p`` matches."""
        if p.room is not None:
            i = self.index.get(p.room)
            return self._empty if i is None else np.array([i], dtype=np.int64)
        if p.building is not None:
            return self.by_building.get(p.building, self._empty)
        if p.feature is not None:
            col = self.feature_col.get(p.feature)
            return self._empty if col is None else np.flatnonzero(self.features[:, col])
        assert p.floor is not None
        return np.flatnonzero((self.floor >= p.floor[0]) & (self.floor <= p.floor[1]))

    def ranked(self, r: Resident) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Rooms scoring > 0 for ``r`` that r's stay-independent rules allow, with scores."""
        dense = np.zeros(self.n)
        for p in r.preferences:
            dense[self.matched(p)] += p.weight
        cand = np.flatnonzero((dense > 0) & self._allowed(r))
        return cand, dense[cand]

    def _allowed(self, r: Resident) -> NDArray[np.bool_]:
        """The rooms r's stay-independent rules allow, one row per distinct set of those rules.

        Residents' preferences mostly differ, their rules mostly do not (a few hundred distinct
        rows at 50,000 campus residents): the row is shared, up to ``ALLOWED_CELLS`` cells.
        """
        key = own_rule_key(r, stay=False, lock=False)
        row = self._allowed_rows.get(key)
        if row is None:
            row = self.rules.allowed((r,), rules=STAY_FREE_RULES)[0]
            if (len(self._allowed_rows) + 1) * self.n <= ALLOWED_CELLS:
                self._allowed_rows[key] = row
        return row


def _first_open(
    arrays: _RoomArrays, ranked: tuple[NDArray[np.int64], NDArray[np.float64]], r: Resident
) -> float:
    """The best score among the ranked rooms not closed during ``r``'s stay (0 when none).

    Closures are rare, so the top score usually has a room without any and no stay is looked at.
    """
    rooms, scores = ranked
    open_: NDArray[np.bool_] | None = None
    while rooms.size:
        top = scores.max()
        at_top = rooms[scores == top]
        if not arrays.rules.closable[at_top].all():
            return float(top)
        if open_ is None:
            open_ = arrays.rules.masks((r,), rules=("unavailable",))["unavailable"][0]
        if open_[at_top].any():
            return float(top)
        keep = scores < top
        rooms, scores = rooms[keep], scores[keep]
    return 0.0


def best_scores(problem: Problem, only: Iterable[str] | None = None) -> dict[str, float]:
    """``best(r)`` for every resident (or those in ``only``): their best allowed score.

    ``best(r)`` is the largest score over the rooms r's own rules allow.

    Residents whom no room allows, or whose best is <= 0, get ``0.0``: ``fairness`` ignores
    them either way. Only rooms scoring above 0 can matter: they are ranked with numpy, over a
    row of the rooms the stay-independent rules allow that residents with the same such rules
    share; the stay only decides which closed rooms to skip.

    >>> from roomalloc import Problem, Room, Resident, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=900), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a", budget=500,
    ...                                 preferences=[Preference(room="A", weight=5),
    ...                                              Preference(room="B", weight=1)])])
    >>> best_scores(p)
    {'a': 1.0}
    """
    arrays = _RoomArrays(problem)
    # Residents alike in everything the best depends on share it: a float each, where keeping
    # each signature's ranked rooms took 3.3 GB at 50,000 campus residents (all different).
    memo: dict[Any, float] = {}
    best: dict[str, float] = {}
    wanted = None if only is None else set(only)
    for r in problem.residents:
        if wanted is not None and r.id not in wanted:
            continue
        if not any(p.weight > 0 for p in r.preferences):
            best[r.id] = 0.0
            continue
        key = (r.preferences, own_rule_key(r, lock=False))
        value = memo.get(key)
        if value is None:
            value = memo[key] = _first_open(arrays, arrays.ranked(r), r)
        best[r.id] = value
    return best


def _prepared(result_or_assignments: Result | Assignments, problem: Problem) -> _Resolved:
    """The assignments as every term reads them: missing residents unhoused, the housed pairs
    worked out once for all terms."""
    plain = assignments_of(result_or_assignments)
    assignments = _Resolved(plain)
    assignments.placed = placed(problem, plain)
    return assignments


def _contributions(problem: Problem, raw: Callable[[Term], float], *,
                   weighted_only: bool = False) -> dict[str, float]:
    """The signed weighted value of each objective term, in the objective's order, from
    ``raw(term)``; with ``weighted_only`` a term of weight 0 is left out (it adds nothing)."""
    from roomalloc.terms import get_term

    contributions: dict[str, float] = {}
    for spec in problem.objective:
        if weighted_only and not spec.weight:
            continue
        term: Term = get_term(spec.term)
        sign = 1.0 if term.sense == "maximize" else -1.0
        contributions[spec.term] = (
            contributions.get(spec.term, 0.0) + sign * spec.weight * raw(term)
        )
    return contributions


def weighted_objective(problem: Problem, result_or_assignments: Result | Assignments) -> float:
    """``evaluate(problem, ...).objective``, its terms of weight 0 left uncomputed.

    For callers that need the objective only, many times or at scale (the solver's path that
    scales adopts allocations of 50,000 residents): ``fairness``, reported by ``evaluate``
    whatever its weight, reads every room each housed resident's preferences match.

    >>> from roomalloc import Problem, Room, Resident, TermSpec
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=10)], residents=[Resident(id="a")],
    ...             objective=[TermSpec(term="housed", weight=100), TermSpec(term="cost", weight=1),
    ...                        TermSpec(term="fairness", weight=0)])
    >>> weighted_objective(p, {"a": "A"})
    90.0
    """
    assignments = _prepared(result_or_assignments, problem)
    contributions = _contributions(
        problem, lambda term: float(term.value(problem, assignments)), weighted_only=True)
    return float(sum(contributions.values()))


@dataclass(frozen=True)
class Evaluation:
    """The value of an allocation: raw term values, the weighted objective and its parts.

    ``terms`` holds every reported term (``Term.reported``: the built-ins) plus every other
    (custom) term the problem's objective names;
    ``contributions`` the signed weighted value of each objective term (they sum to
    ``objective``).
    """

    terms: dict[str, float]
    objective: float
    contributions: dict[str, float] = field(default_factory=dict)


def evaluate(problem: Problem, result_or_assignments: Result | Assignments) -> Evaluation:
    """Compute every term's raw value and the objective of an allocation, per the contract.

    Residents missing from the assignments count as unhoused; assignments to unknown rooms are
    ignored here (:func:`roomalloc.check` reports them).

    >>> from roomalloc import Problem, Room, Resident, TermSpec
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=10)], residents=[Resident(id="a")],
    ...             objective=[TermSpec(term="housed", weight=100),
    ...                        TermSpec(term="cost", weight=1)])
    >>> ev = evaluate(p, {"a": "A"})
    >>> ev.objective, ev.contributions
    (90.0, {'housed': 100.0, 'cost': -10.0})
    """
    from roomalloc.terms import registered_terms

    assignments = _prepared(result_or_assignments, problem)
    # The reported terms (the built-ins) first, in the registry's order; then the objective's
    # other terms, in its order.
    terms: dict[str, float] = {
        t.name: float(t.value(problem, assignments)) for t in registered_terms() if t.reported
    }

    def raw(term: Term) -> float:
        if term.name not in terms:
            terms[term.name] = float(term.value(problem, assignments))
        return terms[term.name]

    contributions = _contributions(problem, raw)
    return Evaluation(
        terms=terms, objective=float(sum(contributions.values())), contributions=contributions
    )
