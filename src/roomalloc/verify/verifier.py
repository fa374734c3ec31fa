"""The independent verifier: does an allocation keep every hard rule of the contract?

:func:`check` re-reads the rules from the problem and the allocation alone. It never imports the
solver or its model: it is what the solver is held to, and a housing office can run it on an
allocation it made by hand. Each room's occupants are swept once in order of arrival, so it stays
fast at 50,000 residents.

One function per built-in rule (``check_capacity``, ``check_gender_mixing``, ...) is public and
listed in :data:`RULE_CHECKS`, so a caller can test one rule on a what-if allocation.

Example
-------
>>> from roomalloc import Problem, Room, Resident, check
>>> p = Problem(rooms=[Room(id="A-1", capacity=1)],
...             residents=[Resident(id="r1"), Resident(id="r2", required=True)])
>>> report = check(p, {"r1": "A-1", "r2": "A-1"})
>>> report.ok
False
>>> for v in report.violations:
...     print(v)
capacity: room A-1 has 1 bed but 2 residents on every night: r1, r2
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roomalloc.domain.model import Problem, Resident, Result, Room
from roomalloc.domain.validation import as_allocation, as_problem
from roomalloc.rules.base import Rule
from roomalloc.verify.evaluation import Assignments, assignments_of, evaluate
from roomalloc.verify.violations import Violation

# Stays as ordinal day numbers; a resident without a stay occupies [_NO_STAY_FROM,
# _NO_STAY_UNTIL). The verifier's own stand-ins, not the solver's: its code stays independent.
_NO_STAY_FROM = -(10**9)
_NO_STAY_UNTIL = 10**9


def _span(resident: Resident) -> tuple[int, int]:
    if resident.stay is None:
        return (_NO_STAY_FROM, _NO_STAY_UNTIL)
    return (resident.stay.start.toordinal(), resident.stay.end.toordinal())


def _night(day: int) -> dt.date | None:
    return None if day <= _NO_STAY_FROM else dt.date.fromordinal(day)


def _when(day: int) -> str:
    if day <= _NO_STAY_FROM:
        return "on every night"
    return f"on {dt.date.fromordinal(day).isoformat()}"


def _names(ids: Iterable[str]) -> str:
    return ", ".join(ids)


class _Grouped(dict[str, "str | None"]):
    """Assignments whose occupants per room were worked out once, by :func:`check`."""

    occupants: dict[str, list[Resident]]


def _occupants(problem: Problem, assignments: Assignments) -> dict[str, list[Resident]]:
    """Residents per known room, in the problem's order; unknown ids are skipped."""
    if isinstance(assignments, _Grouped):
        return assignments.occupants
    rooms = problem.rooms_by_id
    by_room: dict[str, list[Resident]] = defaultdict(list)
    for r in problem.residents:
        room_id = assignments.get(r.id)
        if room_id is not None and room_id in rooms:
            by_room[room_id].append(r)
    return by_room


def _overlapping_pairs(occupants: Sequence[Resident]) -> Iterator[tuple[Resident, Resident, int]]:
    """Every pair of occupants whose stays share a night, with the first shared night.

    A sweep in order of arrival keeps only the residents still present, so a room that hosts
    many short stays one after the other costs little.
    """
    spans = sorted(((_span(r), r) for r in occupants), key=lambda x: x[0][0])
    active: list[tuple[tuple[int, int], Resident]] = []
    for (start, end), r in spans:
        active = [(sp, a) for sp, a in active if sp[1] > start]
        for sp, a in active:
            yield a, r, max(sp[0], start)
        active.append(((start, end), r))


def _each_placed(
    problem: Problem,
    assignments: Assignments,
    rule: str,
    fault: Callable[[Resident, Room], str | None],
) -> list[Violation]:
    """One violation of ``rule`` per placed resident for whom ``fault`` returns a message."""
    out: list[Violation] = []
    rooms = problem.rooms_by_id
    for room_id, occupants in _occupants(problem, assignments).items():
        room = rooms[room_id]
        for r in occupants:
            message = fault(r, room)
            if message is not None:
                out.append(Violation(rule, message, residents=(r.id,), room=room.id))
    return out


Fault = tuple[tuple[str, ...], str]
"""A broken sharing rule: the residents it names, and the message (the night is appended)."""


def _each_sharing(
    problem: Problem,
    assignments: Assignments,
    rule: str,
    relevant: Callable[[list[Resident]], bool],
    faults: Callable[[Resident, Resident, str], Iterable[Fault]],
) -> list[Violation]:
    """Violations of ``rule`` among residents sharing a room on some night.

    ``relevant`` skips rooms whose occupants cannot break the rule; ``faults`` names what each
    pair of overlapping occupants breaks, and the first shared night is added here.
    """
    out: list[Violation] = []
    for room_id, occupants in _occupants(problem, assignments).items():
        if len(occupants) < 2 or not relevant(occupants):
            continue
        for a, b, night in _overlapping_pairs(occupants):
            for residents, message in faults(a, b, room_id):
                out.append(
                    Violation(
                        rule,
                        f"{message} {_when(night)}",
                        residents=residents,
                        room=room_id,
                        night=_night(night),
                    )
                )
    return out


def check_capacity(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Each night, a room holds at most ``capacity`` residents whose stays cover that night.

    >>> from roomalloc import Problem, Room, Resident, Interval
    >>> import datetime as dt
    >>> s = Interval(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 5))
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="a", stay=s), Resident(id="b")])
    >>> [v.night for v in check_capacity(p, {"a": "A", "b": "A"})]
    [datetime.date(2026, 9, 1)]
    """
    out: list[Violation] = []
    rooms = problem.rooms_by_id
    for room_id, occupants in _occupants(problem, assignments).items():
        room = rooms[room_id]
        if len(occupants) <= room.capacity:
            continue
        events: list[tuple[int, int]] = []
        for r in occupants:
            start, end = _span(r)
            events.append((start, 1))
            events.append((end, -1))
        # Departures sort before arrivals on the same day: stays are half-open.
        events.sort()
        count = 0
        over_since: int | None = None
        i = 0
        while i < len(events):
            day = events[i][0]
            while i < len(events) and events[i][0] == day:
                count += events[i][1]
                i += 1
            if count > room.capacity and over_since is None:
                over_since = day
            elif count <= room.capacity and over_since is not None:
                out.append(_capacity_violation(room, occupants, over_since, day))
                over_since = None
    return out


def _capacity_violation(
    room: Room, occupants: Sequence[Resident], since: int, until: int
) -> Violation:
    present = [r.id for r in occupants if _span(r)[0] <= since < _span(r)[1]]
    beds = f"{room.capacity} bed{'s' if room.capacity != 1 else ''}"
    span = "" if since <= _NO_STAY_FROM or until >= _NO_STAY_UNTIL else f" (until {_night(until)})"
    return Violation(
        "capacity",
        f"room {room.id} has {beds} but {len(present)} residents {_when(since)}{span}: "
        f"{_names(present)}",
        residents=tuple(present),
        room=room.id,
        night=_night(since),
    )


def check_room_gender(problem: Problem, assignments: Assignments) -> list[Violation]:
    """A room with a ``gender`` takes only residents of that gender.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, gender="female")],
    ...             residents=[Resident(id="a", gender="male")])
    >>> print(check_room_gender(p, {"a": "A"})[0])
    room_gender: a (gender male) is in room A, which is for female residents only
    """
    return _each_placed(
        problem,
        assignments,
        "room_gender",
        lambda r, room: (
            None
            if room.gender is None or r.gender == room.gender
            else f"{r.id} (gender {r.gender or 'not given'}) is in room {room.id}, "
            f"which is for {room.gender} residents only"
        ),
    )


def check_gender_mixing(problem: Problem, assignments: Assignments) -> list[Violation]:
    """With ``gender_mixing: forbid``, residents sharing a room on a night have equal gender.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a", gender="female"), Resident(id="b")])
    >>> print(check_gender_mixing(p, {"a": "A", "b": "A"})[0])
    gender_mixing: a (female) and b (gender not given) share room A on every night
    """
    if problem.rules.gender_mixing != "forbid":
        return []

    def mixed(a: Resident, b: Resident, room_id: str) -> Iterator[Fault]:
        if a.gender != b.gender:
            yield (
                (a.id, b.id),
                f"{a.id} ({a.gender or 'gender not given'}) and "
                f"{b.id} ({b.gender or 'gender not given'}) share room {room_id}",
            )

    return _each_sharing(
        problem, assignments, "gender_mixing", lambda occ: len({r.gender for r in occ}) > 1, mixed
    )


def check_unavailable(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Nobody whose stay overlaps a room's closure is placed in it.

    >>> from roomalloc import Problem, Room, Resident, Interval
    >>> import datetime as dt
    >>> w = Interval(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 3))
    >>> p = Problem(rooms=[Room(id="A", capacity=1, unavailable=[w])],
    ...             residents=[Resident(id="a")])
    >>> print(check_unavailable(p, {"a": "A"})[0])
    unavailable: a is in room A, which is closed from 2026-09-01 to 2026-09-03
    """
    out: list[Violation] = []
    for room_id, occupants in _occupants(problem, assignments).items():
        room = problem.rooms_by_id[room_id]
        for w in room.unavailable:
            for r in occupants:
                if w.overlaps(r.stay):
                    first = w.start if r.stay is None else max(w.start, r.stay.start)
                    out.append(
                        Violation(
                            "unavailable",
                            f"{r.id} is in room {room.id}, which is closed from "
                            f"{w.start.isoformat()} to {w.end.isoformat()}",
                            residents=(r.id,),
                            room=room.id,
                            night=first,
                        )
                    )
    return out


def check_needs(problem: Problem, assignments: Assignments) -> list[Violation]:
    """The room has every feature the resident needs.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="a", needs=("accessible",))])
    >>> print(check_needs(p, {"a": "A"})[0])
    needs: a needs 'accessible', which room A lacks
    """

    def missing(r: Resident, room: Room) -> str | None:
        lacks = [n for n in r.needs if n not in room.features]
        if not lacks:
            return None
        return f"{r.id} needs {', '.join(map(repr, lacks))}, which room {room.id} lacks"

    return _each_placed(problem, assignments, "needs", missing)


def check_private(problem: Problem, assignments: Assignments) -> list[Violation]:
    """A private resident shares their room with nobody whose stay overlaps.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a", private=True), Resident(id="b")])
    >>> print(check_private(p, {"a": "A", "b": "A"})[0])
    private: a must have room A alone but shares it with b on every night
    """

    def shared(a: Resident, b: Resident, room_id: str) -> Iterator[Fault]:
        for p, other in ((a, b), (b, a)):
            if p.private:
                yield (
                    (p.id, other.id),
                    f"{p.id} must have room {room_id} alone but shares it with {other.id}",
                )

    return _each_sharing(
        problem, assignments, "private", lambda occ: any(r.private for r in occ), shared
    )


def check_budget(problem: Problem, assignments: Assignments) -> list[Violation]:
    """The room's ``cost`` is within the resident's ``budget``.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=500)],
    ...             residents=[Resident(id="a", budget=400)])
    >>> print(check_budget(p, {"a": "A"})[0])
    budget: room A costs 500 but a's budget is 400
    """
    return _each_placed(
        problem,
        assignments,
        "budget",
        lambda r, room: (
            None
            if r.budget is None or room.cost <= r.budget
            else f"room {room.id} costs {room.cost:g} but {r.id}'s budget is {r.budget:g}"
        ),
    )


def check_excluded_rooms(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Nobody is placed in a room on their ``excluded_rooms`` list.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="a", excluded_rooms=("A",))])
    >>> print(check_excluded_rooms(p, {"a": "A"})[0])
    excluded_rooms: a is in room A, which is on their excluded rooms
    """
    return _each_placed(
        problem,
        assignments,
        "excluded_rooms",
        lambda r, room: (
            None
            if room.id not in r.excluded_rooms
            else f"{r.id} is in room {room.id}, which is on their excluded rooms"
        ),
    )


def check_avoid(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Residents where either avoids the other never share a room while their stays overlap.

    >>> from roomalloc import Problem, Room, Resident, Roommates
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a"),
    ...                        Resident(id="b", roommates=Roommates(avoid=("a",)))])
    >>> print(check_avoid(p, {"a": "A", "b": "A"})[0])
    avoid: a and b must not share a room but are both in room A on every night
    """
    avoid: set[frozenset[str]] = set()
    for r in problem.residents:
        for s in r.roommates.avoid:
            avoid.add(frozenset((r.id, s)))
    if not avoid:
        return []

    def avoided(a: Resident, b: Resident, room_id: str) -> Iterator[Fault]:
        if frozenset((a.id, b.id)) in avoid:
            yield (
                (a.id, b.id),
                f"{a.id} and {b.id} must not share a room but are both in room {room_id}",
            )

    return _each_sharing(problem, assignments, "avoid", lambda occ: True, avoided)


def check_group(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Residents of one ``group`` are housed together in one room, or none of them is.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2)],
    ...             residents=[Resident(id="a", group="g"), Resident(id="b", group="g")])
    >>> print(check_group(p, {"a": "A", "b": "B"})[0])
    group: group 'g' must share one room but is split: a in A, b in B
    >>> print(check_group(p, {"a": "A", "b": None})[0])
    group: group 'g' must be housed together or not at all, but a is housed and b is not
    """
    groups: dict[str, list[Resident]] = defaultdict(list)
    for r in problem.residents:
        if r.group is not None:
            groups[r.group].append(r)
    out: list[Violation] = []
    for name, members in groups.items():
        ids = tuple(r.id for r in members)
        housed = [r for r in members if assignments.get(r.id) is not None]
        if not housed:
            continue
        if len(housed) < len(members):
            unhoused = [r.id for r in members if assignments.get(r.id) is None]
            verb = "is" if len(housed) == 1 else "are"
            out.append(
                Violation(
                    "group",
                    f"group {name!r} must be housed together or not at all, but "
                    f"{_names(r.id for r in housed)} {verb} housed and {_names(unhoused)} "
                    f"{'is' if len(unhoused) == 1 else 'are'} not",
                    residents=ids,
                )
            )
        rooms = {assignments.get(r.id) for r in housed}
        if len(rooms) > 1:
            where = ", ".join(f"{r.id} in {assignments.get(r.id)}" for r in housed)
            out.append(
                Violation(
                    "group",
                    f"group {name!r} must share one room but is split: {where}",
                    residents=ids,
                )
            )
    return out


def check_required(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Every ``required`` resident is housed.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="a", required=True)])
    >>> print(check_required(p, {"a": None})[0])
    required: a must be housed but is not
    """
    return [
        Violation("required", f"{r.id} must be housed but is not", residents=(r.id,))
        for r in problem.residents
        if r.required and assignments.get(r.id) is None
    ]


def check_locked(problem: Problem, assignments: Assignments) -> list[Violation]:
    """Every ``locked`` resident is housed in their ``current_room``.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="a", current_room="A", locked=True)])
    >>> print(check_locked(p, {"a": "B"})[0])
    locked: a is locked to room A but is in room B
    """
    out: list[Violation] = []
    for r in problem.residents:
        if r.locked and assignments.get(r.id) != r.current_room:
            got = assignments.get(r.id)
            where = "is not housed" if got is None else f"is in room {got}"
            out.append(
                Violation(
                    "locked",
                    f"{r.id} is locked to room {r.current_room} but {where}",
                    residents=(r.id,),
                    room=r.current_room,
                )
            )
    return out


RuleCheck = Callable[[Problem, Assignments], list[Violation]]

RULE_CHECKS: dict[str, RuleCheck] = {
    "capacity": check_capacity,
    "room_gender": check_room_gender,
    "gender_mixing": check_gender_mixing,
    "unavailable": check_unavailable,
    "needs": check_needs,
    "private": check_private,
    "budget": check_budget,
    "excluded_rooms": check_excluded_rooms,
    "avoid": check_avoid,
    "group": check_group,
    "required": check_required,
    "locked": check_locked,
}
"""Every built-in hard rule of the contract, by name, with its check."""


def _check_ids(problem: Problem, assignments: Assignments, partial: bool) -> list[Violation]:
    """The allocation names only known residents and rooms, and (unless partial) everyone."""
    out: list[Violation] = []
    residents = problem.residents_by_id
    rooms = problem.rooms_by_id
    for rid, room_id in assignments.items():
        if rid not in residents:
            out.append(
                Violation("unknown_resident", f"{rid!r} is not a resident of the problem", (rid,))
            )
        elif room_id is not None and room_id not in rooms:
            out.append(
                Violation(
                    "unknown_room",
                    f"{rid} is placed in {room_id!r}, which is not a room of the problem",
                    (rid,),
                    room=room_id,
                )
            )
    if not partial:
        missing = [r.id for r in problem.residents if r.id not in assignments]
        if missing:
            shown = _names(missing[:10]) + (
                f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            )
            out.append(
                Violation(
                    "missing_resident",
                    f"{len(missing)} resident{'s are' if len(missing) != 1 else ' is'} missing "
                    f"from the allocation (every resident must appear, housed or not): {shown}",
                    tuple(missing),
                )
            )
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _check_reported(
    result: Result, terms: Mapping[str, float], objective: float
) -> list[Violation]:
    """A result's stated objective, terms and bound agree with the recomputed values."""
    out: list[Violation] = []
    if result.objective is not None and not _close(result.objective, objective):
        out.append(
            Violation(
                "result",
                f"the result states objective {result.objective:g}, but the allocation's "
                f"objective is {objective:g}",
            )
        )
    for name, stated in result.terms.items():
        if name in terms and not _close(stated, terms[name]):
            out.append(
                Violation(
                    "result",
                    f"the result states term {name} = {stated:g}, but the allocation gives "
                    f"{terms[name]:g}",
                )
            )
    if result.bound is not None and result.bound < objective - 1e-6 * max(1.0, abs(objective)):
        out.append(
            Violation(
                "result",
                f"the result's bound {result.bound:g} is below its own objective {objective:g}",
            )
        )
    return out


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found: every violated hard rule, and the recomputed terms and objective.

    ``objective`` is ``None`` (and ``terms`` empty) for a result without an allocation
    (status ``infeasible`` or ``unknown``).
    """

    violations: tuple[Violation, ...]
    terms: dict[str, float] = field(default_factory=dict)
    objective: float | None = None

    @property
    def ok(self) -> bool:
        """True when no hard rule is violated."""
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        """The violations grouped by rule name."""
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            grouped[v.rule].append(v)
        return dict(grouped)

    def to_text(self) -> str:
        """A readable report: a verdict line, then one line per violation, then the terms."""
        n = len(self.violations)
        lines = [
            "ok: every hard rule holds" if self.ok else f"{n} violation{'s' if n != 1 else ''}:"
        ]
        lines += [f"  {v}" for v in self.violations]
        if self.objective is not None:
            lines.append(f"objective {self.objective:g}")
            lines += [f"  {name} = {value:g}" for name, value in self.terms.items()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "violations": [v.to_dict() for v in self.violations],
            "terms": dict(self.terms),
            "objective": self.objective,
        }

    def to_frame(self) -> Any:
        """One row per violation (needs pandas): see :func:`roomalloc.tables.check_frame`."""
        from roomalloc.tables.write import check_frame

        return check_frame(self)

    # Notebook and REPL display (roomalloc.display builds both).
    def __repr__(self) -> str:
        from roomalloc.display import check_repr

        return check_repr(self)

    def _repr_html_(self) -> str:
        from roomalloc.display import check_html

        return check_html(self)


def check(
    problem: Problem,
    result_or_assignments: Result | Assignments,
    *,
    rules: Sequence[Rule] = (),
    partial: bool = False,
) -> CheckReport:
    """Verify an allocation against every hard rule, independently of the solver.

    ``result_or_assignments`` is a :class:`roomalloc.Result` or a ``{resident id: room id or
    None}`` mapping. Every violated rule is reported in plain words, with the residents, room and
    first night involved; custom ``rules`` (:class:`roomalloc.rules.Rule`) are checked beside the
    built-ins. Residents missing from the allocation are a violation unless ``partial`` is true
    (then they count as unhoused). For a :class:`Result`, the stated objective, terms and bound
    are compared with the recomputed ones, and a result without an allocation must be
    ``infeasible`` or ``unknown``.

    >>> from roomalloc import Problem, Room, Resident, Roommates, check
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="a", roommates=Roommates(avoid=("b",))),
    ...                        Resident(id="b")])
    >>> print(check(p, {"a": "A", "b": "A"}).to_text())
    1 violation:
      avoid: a and b must not share a room but are both in room A on every night
    objective 2000
      housed = 2
      preferences = 0
      roommates = 0
      cost = 0
      rooms_used = 1
      moves = 0
      fairness = 1
    """
    problem = as_problem(problem)
    result_or_assignments = as_allocation(result_or_assignments)  # mistakes: a ProblemError
    assignments = assignments_of(result_or_assignments)
    if isinstance(result_or_assignments, Result) and result_or_assignments.status in (
        "infeasible",
        "unknown",
    ):
        status = result_or_assignments.status
        if not assignments:
            return CheckReport(violations=())
        return CheckReport(
            violations=(
                Violation("result", f"a result with status {status} must have no assignments"),
            )
        )
    violations = _check_ids(problem, assignments, partial)
    grouped = _Grouped(assignments)
    grouped.occupants = _occupants(problem, assignments)
    for rule_check in RULE_CHECKS.values():
        violations.extend(rule_check(problem, grouped))
    for rule in rules:
        violations.extend(rule.check(problem, assignments))
    ev = evaluate(problem, assignments)
    if isinstance(result_or_assignments, Result):
        violations.extend(_check_reported(result_or_assignments, ev.terms, ev.objective))
    return CheckReport(violations=tuple(violations), terms=ev.terms, objective=ev.objective)
