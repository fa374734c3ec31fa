"""Re-allocation: start from where people live now and move as few of them as is worth it.

:func:`reallocate` takes the problem, the previous allocation (where everybody lives now) and
the changes since (a :class:`~roomalloc.analysis.scenarios.Scenario`: arrivals, departures,
closures...). It records each resident's previous room as their ``current_room``, weighs the
``moves`` term in the objective (a move costs ``move_weight`` points, against the preference and
roommate points it may win), hands the previous allocation to the solver as its warm start and
says, for every resident who moves, why.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, check
>>> from roomalloc.analysis.scenarios import arrive, close
>>> p = Problem(rooms=[Room(id="A", building="A", capacity=1),
...                    Room(id="B", building="B", capacity=1),
...                    Room(id="C", building="C", capacity=2)],
...             residents=[Resident(id="r1"), Resident(id="r2")])
>>> before = {"r1": "A", "r2": "B"}
>>> r = reallocate(p, before, close("A") | arrive({"id": "n1", "required": True}),
...                time_limit=10, workers=1)
>>> [(m.resident, m.from_room, m.to_room) for m in r.moves]
[('r1', 'A', 'C')]
>>> r.moves[0].reason
'room A is closed during their stay'
>>> r.result.assignments["n1"], r.stayed, check(r.problem, r.result).ok
('C', 1, True)
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from roomalloc.analysis.scenarios import Scenario
from roomalloc.domain.model import Problem, Resident, Result
from roomalloc.rules.own import OwnRules, broken_rules
from roomalloc.verify.evaluation import allows, assignments_of

__all__ = ["DEFAULT_MOVE_WEIGHT", "Move", "Reallocation", "from_scratch", "reallocate"]

#: The ``moves`` weight when the objective has none: a move is worth five preference points
#: (the ``reallocation`` preset's weight), so a resident moves for a clearly better room.
DEFAULT_MOVE_WEIGHT = 5.0
#: The least time limit handed to ``solve`` once the warm start has used up the call's own.
_LEAST_SOLVE_SECONDS = 0.5

#: Rounds of pinning left-out required residents when building the warm start.
REPAIR_ROUNDS = 3


@dataclass(frozen=True)
class Move:
    """A resident housed before who is in another room now (``to_room`` ``None``: unhoused).

    ``reason`` says why in words; ``kind`` names the reason for counting: ``removed``,
    ``closed``, ``unsuitable`` (needs, budget, gender, exclusions), ``lost beds``, ``required
    newcomer`` (made room for a required arrival), ``unhoused``, ``roommate`` (joins a wanted
    roommate), ``better room`` (wishes worth more than the move), ``newcomer`` (made room for
    an arrival) or ``chain`` (part of a chain of moves that raises the objective).
    """

    resident: str
    from_room: str
    to_room: str | None
    reason: str
    kind: str = "chain"

    def __str__(self) -> str:
        to = self.to_room if self.to_room is not None else "nowhere (unhoused)"
        return f"{self.resident}: {self.from_room} -> {to}: {self.reason}"


@dataclass(frozen=True)
class Reallocation:
    """The outcome of :func:`reallocate`.

    ``problem`` is the problem solved (the changes applied, previous rooms as ``current_room``,
    the ``moves`` term weighed); ``result`` its allocation; ``moves`` every resident housed
    before who is elsewhere now, with the reason; ``stayed`` how many kept their room.
    """

    problem: Problem
    result: Result
    moves: tuple[Move, ...]
    stayed: int

    def to_text(self) -> str:
        """A count line, then one line per move (or the reasons nothing could be allocated)."""
        if not self.result.assignments:
            return "\n".join([f"{self.result.status}: no allocation",
                              *(f"  {d}" for d in self.result.diagnosis)])
        head = (f"{self.result.status}: {self.stayed} stayed, {len(self.moves)} moved"
                f" (objective {self.result.objective:g})")
        return "\n".join([head, *(f"  {m}" for m in self.moves)])

    def __str__(self) -> str:
        return self.to_text()


def reallocate(
    problem: Problem,
    previous: Result | Mapping[str, str | None],
    changes: Scenario | None = None,
    *,
    move_weight: float | None = None,
    time_limit: float | None = 60.0,
    **solve_options: Any,
) -> Reallocation:
    """Re-allocate ``problem`` after ``changes``, keeping residents where ``previous`` put them
    unless moving them is worth more than ``move_weight`` (default: the objective's ``moves``
    weight, else :data:`DEFAULT_MOVE_WEIGHT`).

    A locked resident keeps their ``current_room`` as the problem says; everyone else's current
    room becomes their previous room (``None`` when they were unhoused or their room is gone).
    Further keyword arguments go to :func:`roomalloc.solve` (``workers``, ``seed``...).
    ``time_limit`` is the whole call's wall time: the warm start comes out of it too.
    See the module docstring for an example.
    """
    from roomalloc.solver import solve

    started = time.perf_counter()
    edited = changes.apply(problem) if changes is not None else problem
    before = assignments_of(previous)
    solved = _with_current_rooms(edited, before, move_weight)
    hint = _warm_start(solved, before)
    if time_limit is not None:
        # What the warm start used is gone; solve still needs a positive limit to return it.
        time_limit = max(_LEAST_SOLVE_SECONDS, time_limit - (time.perf_counter() - started))
    result = solve(solved, hint=hint, time_limit=time_limit, **solve_options)
    return _report(problem, edited, solved, before, result)


def from_scratch(problem: Problem) -> Problem:
    """The problem as if nobody lived anywhere yet: no ``current_room`` (locked residents keep
    theirs) and no ``moves`` term; the baseline a re-allocation is measured against.

    >>> from roomalloc import Problem, Room, Resident, TermSpec
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="r1", current_room="A")],
    ...             objective=[TermSpec(term="housed", weight=1), TermSpec(term="moves", weight=5)])
    >>> q = from_scratch(p)
    >>> q.resident("r1").current_room, [s.term for s in q.objective]
    (None, ['housed'])
    """
    data = problem.model_dump(mode="json")
    for r in data["residents"]:
        if not r.get("locked"):
            r["current_room"] = None
    data["objective"] = [s for s in data["objective"] if s["term"] != "moves"]
    validated: Problem = Problem.model_validate(data)
    return validated


def _warm_start(solved: Problem, before: Mapping[str, str | None]) -> dict[str, str | None]:
    """Everyone where they were, newcomers and those whose room no longer takes them placed by
    the solver's greedy around them: a start that usually keeps every hard rule, so that the
    search starts from it and ``solve`` can return it even when the search finds nothing.

    When a required resident is left out (a full house), they (with their group) are pinned in
    the room they may use that has the fewest stayers, whom the greedy places elsewhere; a few
    rounds of this, else the last start is only a hint for CP-SAT to repair.
    """
    from roomalloc.solver.greedy import greedy_allocation
    from roomalloc.verify.verifier import check

    keep: dict[str, str | None] = {}
    for r in solved.residents:
        room = solved.rooms_by_id.get(before.get(r.id) or "")
        keep[r.id] = room.id if room is not None and allows(r, room) else None
    groups: dict[str, list[Resident]] = {}
    for r in solved.residents:
        if r.group is not None:
            groups.setdefault(r.group, []).append(r)
    taken = {r.current_room for r in solved.residents if r.locked and r.current_room}
    own = OwnRules(solved.rooms)
    start: dict[str, str | None] = {}
    for _ in range(REPAIR_ROUNDS):
        start = greedy_allocation(_pinned(solved, keep))
        if check(solved, start).ok:
            break
        stayers: dict[str, list[str]] = {}
        for rid, kept in keep.items():
            if kept is not None:
                stayers.setdefault(kept, []).append(rid)
        for r in solved.residents:
            if not r.required or start.get(r.id) is not None or keep[r.id] is not None:
                continue
            unit = groups[r.group] if r.group is not None else [r]
            fits = np.logical_and.reduce(own.allowed(unit, lock=False), axis=0)
            usable = [k for j, k in enumerate(solved.rooms) if k.id not in taken
                      and k.capacity >= len(unit) and fits[j]]
            if usable:
                chosen = min(usable, key=lambda k: len(stayers.get(k.id, ()))).id
                taken.add(chosen)
                keep.update(dict.fromkeys(stayers.get(chosen, ())))
                keep.update(dict.fromkeys((m.id for m in unit), chosen))
    return start


def _pinned(solved: Problem, keep: Mapping[str, str | None]) -> Problem:
    """``solved`` with each resident in ``keep`` locked in that room: the greedy places locked
    residents first, in their rooms, and everyone else around them."""
    data = solved.model_dump(mode="json")
    for r in data["residents"]:
        if keep.get(r["id"]) is not None and not r.get("locked"):
            r["current_room"], r["locked"] = keep[r["id"]], True
    validated: Problem = Problem.model_validate(data)
    return validated


def _with_current_rooms(edited: Problem, before: Mapping[str, str | None],
                        move_weight: float | None) -> Problem:
    """``edited`` with each unlocked resident's previous room as ``current_room`` and ``moves``
    in the objective, validated like any problem."""
    data = edited.model_dump(mode="json")
    for r in data["residents"]:
        if not r.get("locked"):
            room = before.get(r["id"])
            r["current_room"] = room if room in edited.rooms_by_id else None
    specs = data["objective"]
    mine = [s for s in specs if s["term"] == "moves"]
    if not mine:
        specs.append({"term": "moves",
                      "weight": DEFAULT_MOVE_WEIGHT if move_weight is None else move_weight})
    elif move_weight is not None:
        for s in mine:
            s["weight"] = move_weight
    validated: Problem = Problem.model_validate(data)
    return validated


def _report(original: Problem, edited: Problem, solved: Problem,
            before: Mapping[str, str | None], result: Result) -> Reallocation:
    after = result.assignments
    if not after:  # infeasible or nothing found: nobody was moved by an allocation
        return Reallocation(solved, result, (), 0)
    newcomers = {r.id for r in solved.residents
                 if before.get(r.id) is None and after.get(r.id) is not None}
    occupants: dict[str, list[str]] = {}
    for rid, room in after.items():
        if room is not None:
            occupants.setdefault(room, []).append(rid)
    weights = {s.term: s.weight for s in solved.objective}
    moves, stayed = [], 0
    for resident in solved.residents:
        was = before.get(resident.id)
        if was is None or was not in original.rooms_by_id:
            continue
        now = after.get(resident.id)
        if now == was:
            stayed += 1
            continue
        kind, why = _reason(original, edited, solved, resident.id, was, now, newcomers,
                            occupants, weights)
        moves.append(Move(resident.id, was, now, why, kind))
    return Reallocation(solved, result, tuple(moves), stayed)


def _reason(original: Problem, edited: Problem, solved: Problem, rid: str, was: str,
            now: str | None, newcomers: set[str], occupants: Mapping[str, list[str]],
            weights: Mapping[str, float]) -> tuple[str, str]:
    """The first of these that holds: the room went, closed, no longer suits, lost beds, went
    to a required newcomer; a wanted roommate, a better room; another newcomer took it;
    otherwise a chain of moves."""
    resident = solved.resident(rid)
    if was not in edited.rooms_by_id:
        return "removed", f"room {was} was removed"
    room = edited.room(was)
    broken = broken_rules(resident, room)
    if "unavailable" in broken:
        return "closed", f"room {was} is closed during their stay"
    if broken:
        return "unsuitable", (f"room {was} no longer meets their needs, budget, gender or "
                              "exclusions")
    old_beds = original.room(was).capacity
    if room.capacity < old_beds:
        return "lost beds", f"room {was} lost beds ({old_beds} -> {room.capacity})"
    taken = [solved.resident(o) for o in occupants.get(was, []) if o in newcomers]
    for first in taken:
        if first.required:
            kind = "arrival" if first.id not in original.residents_by_id else "resident"
            return "required newcomer", f"made room for required {kind} {first.id}"
    if now is None:
        return "unhoused", "left unhoused: housing others instead is worth more"
    mates = [s for s in occupants.get(now, [])
             if s in resident.roommates.want and s not in occupants.get(was, [])]
    if mates:
        return "roommate", f"joins wanted roommate {mates[0]}"
    gain = weights.get("preferences", 0.0) * (
        resident.score(solved.room(now)) - resident.score(room))
    if gain > weights.get("moves", 0.0):
        return "better room", (f"a better room: wishes worth {gain:g} more than in {was}, "
                               f"more than a move costs ({weights.get('moves', 0.0):g})")
    if taken:
        kind = "arrival" if taken[0].id not in original.residents_by_id else "newly housed"
        return "newcomer", f"made room for {kind} {taken[0].id}"
    return "chain", "part of a chain of moves that raises the objective"
