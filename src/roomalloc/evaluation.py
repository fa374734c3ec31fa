"""Score an allocation: the raw value of every objective term and the weighted objective.

Everything here is computed from the problem and the allocation alone, exactly as the contract
defines it; nothing is read from a solver. :func:`roomalloc.check` and the solver's results use
it, so it is the single definition of "how good is this allocation".

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from roomalloc.model import Problem, Resident, Result, Room

if TYPE_CHECKING:
    from roomalloc.terms.base import Term

Assignments = Mapping[str, "str | None"]

BUILTIN_TERM_NAMES = (
    "housed",
    "preferences",
    "roommates",
    "cost",
    "rooms_used",
    "moves",
    "fairness",
)


def assignments_of(result_or_assignments: Result | Assignments) -> dict[str, str | None]:
    """The ``{resident id: room id or None}`` map of a :class:`Result` or a plain mapping.

    >>> from roomalloc import Result
    >>> assignments_of(Result(status="feasible", assignments={"r1": "A"}))
    {'r1': 'A'}
    """
    if isinstance(result_or_assignments, Result):
        return dict(result_or_assignments.assignments)
    return dict(result_or_assignments)


def _placed(problem: Problem, assignments: Assignments) -> list[tuple[Resident, Room]]:
    """Housed residents with their rooms; unknown ids are the verifier's business, skipped here."""
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


def housed_value(problem: Problem, assignments: Assignments) -> float:
    """Sum of ``priority`` over housed residents.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a", priority=2.5), Resident(id="b")])
    >>> housed_value(p, {"a": "A", "b": None})
    2.5
    """
    return float(sum(r.priority for r, _ in _placed(problem, assignments)))


def preferences_value(problem: Problem, assignments: Assignments) -> float:
    """Sum over housed residents of their preference score for their room.

    >>> from roomalloc import Problem, Room, Resident, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1, building="B")],
    ...             residents=[Resident(id="a", preferences=[Preference(building="B", weight=2)])])
    >>> preferences_value(p, {"a": "A"})
    2.0
    """
    return float(sum(r.score(k) for r, k in _placed(problem, assignments)))


def roommates_value(problem: Problem, assignments: Assignments) -> float:
    """Ordered pairs (r, s), s in r's ``want``, housed in one room with overlapping stays.

    >>> from roomalloc import Problem, Room, Resident, Roommates
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a", roommates=Roommates(want=("b",))),
    ...                        Resident(id="b", roommates=Roommates(want=("a",)))])
    >>> roommates_value(p, {"a": "A", "b": "A"})
    2.0
    """
    residents = problem.residents_by_id
    count = 0
    for r, room in _placed(problem, assignments):
        for s_id in r.roommates.want:
            s = residents.get(s_id)
            if s is not None and assignments.get(s_id) == room.id and r.overlaps(s):
                count += 1
    return float(count)


def cost_value(problem: Problem, assignments: Assignments) -> float:
    """Sum of the bed ``cost`` of each housed resident's room.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2, cost=300)],
    ...             residents=[Resident(id="a"), Resident(id="b")])
    >>> cost_value(p, {"a": "A", "b": "A"})
    600.0
    """
    return float(sum(k.cost for _, k in _placed(problem, assignments)))


def rooms_used_value(problem: Problem, assignments: Assignments) -> float:
    """Number of rooms with at least one resident.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a"), Resident(id="b")])
    >>> rooms_used_value(p, {"a": "A", "b": "A"})
    1.0
    """
    return float(len({k.id for _, k in _placed(problem, assignments)}))


def moves_value(problem: Problem, assignments: Assignments) -> float:
    """Residents with a ``current_room`` who are not housed in it (unhoused counts).

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a", current_room="A"),
    ...                        Resident(id="b", current_room="A")])
    >>> moves_value(p, {"a": "A", "b": "B"})
    1.0
    """
    return float(
        sum(
            1
            for r in problem.residents
            if r.current_room is not None and assignments.get(r.id) != r.current_room
        )
    )


def fairness_value(
    problem: Problem, assignments: Assignments, best: Mapping[str, float] | None = None
) -> float:
    """Min over housed residents with ``best(r) > 0`` of ``score / best``; 1 when there is none.

    ``best`` may be passed when already computed (see :func:`best_scores`).

    >>> from roomalloc import Problem, Room, Resident, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a", preferences=[Preference(building="N", weight=4)]),
    ...                        Resident(id="b", preferences=[Preference(building="N", weight=2)])])
    >>> fairness_value(p, {"a": "A", "b": "B"})
    0.0
    >>> fairness_value(p, {"a": "A", "b": None})
    1.0
    """
    if best is None:
        best = best_scores(problem)
    worst = 1.0
    for r, k in _placed(problem, assignments):
        b = best.get(r.id, 0.0)
        if b > 0:
            worst = min(worst, r.score(k) / b)
    return float(worst)


def allows(resident: Resident, room: Room) -> bool:
    """Whether ``resident``'s own static rules allow ``room``.

    These are the rules that depend on this resident and this room only: needs, budget,
    excluded rooms, the room's gender designation and its closures during the stay. (Capacity,
    sharing rules, groups and locks depend on others and are not included.)

    >>> from roomalloc import Resident, Room
    >>> allows(Resident(id="r", needs=("accessible",)), Room(id="k", capacity=1))
    False
    """
    if resident.needs and not set(resident.needs) <= set(room.features):
        return False
    if resident.budget is not None and room.cost > resident.budget:
        return False
    if room.id in resident.excluded_rooms:
        return False
    if room.gender is not None and resident.gender != room.gender:
        return False
    return not any(w.overlaps(resident.stay) for w in room.unavailable)


class _RoomIndex:
    """Which rooms each preference selector matches, built once per problem."""

    def __init__(self, problem: Problem) -> None:
        self.rooms = problem.rooms
        self.by_id = problem.rooms_by_id
        self.by_building: dict[str, list[Room]] = defaultdict(list)
        self.by_feature: dict[str, list[Room]] = defaultdict(list)
        self.by_floor: dict[int, list[Room]] = defaultdict(list)
        for room in problem.rooms:
            self.by_building[room.building].append(room)
            self.by_floor[room.floor].append(room)
            for f in set(room.features):
                self.by_feature[f].append(room)
        self.floors = sorted(self.by_floor)

    def matching(self, resident: Resident) -> dict[str, Room]:
        """Rooms matched by at least one of the resident's positive preferences, by id."""
        out: dict[str, Room] = {}
        for p in resident.preferences:
            if p.weight <= 0:
                continue
            if p.room is not None:
                if p.room in self.by_id:
                    out[p.room] = self.by_id[p.room]
                continue
            if p.building is not None:
                matched: list[Room] = self.by_building.get(p.building, [])
            elif p.feature is not None:
                matched = self.by_feature.get(p.feature, [])
            else:
                assert p.floor is not None
                lo, hi = p.floor
                matched = [k for f in self.floors if lo <= f <= hi for k in self.by_floor[f]]
            for room in matched:
                out[room.id] = room
        return out


def best_scores(problem: Problem) -> dict[str, float]:
    """``best(r)`` for every resident: the largest score over the rooms their own rules allow.

    Residents whom no room allows get ``0.0`` (they cannot count in ``fairness``). Only rooms
    matching one of the resident's positive preferences can beat a score of 0, so only those
    are scored; the results are cached per (preferences, own rules) signature because cohorts
    repeat them.

    >>> from roomalloc import Problem, Room, Resident, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=900), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a", budget=500,
    ...                                 preferences=[Preference(room="A", weight=5),
    ...                                              Preference(room="B", weight=1)])])
    >>> best_scores(p)
    {'a': 1.0}
    """
    index = _RoomIndex(problem)
    cache: dict[Any, float] = {}
    best: dict[str, float] = {}
    for r in problem.residents:
        if not any(p.weight > 0 for p in r.preferences):
            # Every room scores <= 0: fairness ignores this resident, and 0 stands in safely.
            best[r.id] = 0.0
            continue
        key = (r.preferences, r.needs, r.budget, r.excluded_rooms, r.gender, r.stay)
        value = cache.get(key)
        if value is None:
            value = _best_positive(r, index)
            cache[key] = value
        best[r.id] = value
    return best


def _best_positive(r: Resident, index: _RoomIndex) -> float:
    top: float | None = None
    for room in index.matching(r).values():
        if allows(r, room):
            s = r.score(room)
            if top is None or s > top:
                top = s
    if top is not None and top > 0:
        return top
    # No matched room is allowed (or scores > 0): the best is <= 0, which fairness ignores.
    return 0.0


@dataclass(frozen=True)
class Evaluation:
    """The value of an allocation: raw term values, the weighted objective and its parts.

    ``terms`` holds every built-in term plus every (custom) term the problem's objective names;
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
    from roomalloc.terms import get_term

    assignments = assignments_of(result_or_assignments)
    terms: dict[str, float] = {
        "housed": housed_value(problem, assignments),
        "preferences": preferences_value(problem, assignments),
        "roommates": roommates_value(problem, assignments),
        "cost": cost_value(problem, assignments),
        "rooms_used": rooms_used_value(problem, assignments),
        "moves": moves_value(problem, assignments),
        "fairness": fairness_value(problem, assignments),
    }
    contributions: dict[str, float] = {}
    for spec in problem.objective:
        term: Term = get_term(spec.term)
        if spec.term not in terms:
            terms[spec.term] = float(term.value(problem, assignments))
        sign = 1.0 if term.sense == "maximize" else -1.0
        contributions[spec.term] = (
            contributions.get(spec.term, 0.0) + sign * spec.weight * terms[spec.term]
        )
    return Evaluation(
        terms=terms, objective=float(sum(contributions.values())), contributions=contributions
    )
