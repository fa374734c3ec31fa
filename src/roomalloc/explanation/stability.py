"""The stability report: who would gain by a legal swap, or by taking a free bed.

A *blocking swap* is a pair of housed residents who both strictly prefer (by preference score)
the other's room, where the swap keeps every hard rule. A *blocking move* is a resident who
prefers a room with a free bed they may legally take (for an unhoused resident, any room).
Legality is decided by the allocation-level reasons of :mod:`.reasons` and then confirmed by
the independent verifier on the changed allocation. In an optimal allocation each case is
outweighed by some term; the report names the term with the largest weighted loss.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=(Preference(room="B", weight=1),)),
...                        Resident(id="r2", preferences=(Preference(room="A", weight=1),))])
>>> rep = stability(p, {"r1": "A", "r2": "B"})
>>> [(s.first, s.second, s.outweighed_by) for s in rep.swaps]
[('r1', 'r2', None)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from roomalloc.domain.model import Problem, Resident, Result
from roomalloc.rules.base import Rule

from .objective import ObjectiveMeter, main_loss
from .reasons import Placement
from .rooms import BoolArray, FloatArray, RoomTable
from .types import BlockingMove, BlockingSwap, StabilityReport
from .whatif import effects
from .words import ENGLISH, Phrase

Assignments = Mapping[str, "str | None"]


class _Checker:
    """Confirms a what-if keeps every hard rule, with the independent verifier's rule checks.

    Built-in rules are checked on the residents of the touched rooms (and their group mates)
    only, so a check costs little at any size; custom rules see the whole allocation.
    """

    def __init__(self, problem: Problem, assignments: Assignments, rules: Sequence[Rule]) -> None:
        from roomalloc.verify.verifier import RULE_CHECKS

        self.checks = [f for name, f in RULE_CHECKS.items() if name != "required"]
        self.problem = problem
        self.assignments = assignments
        self.rules = tuple(rules)
        self.by_room: dict[str, list[str]] = {}
        self.groups: dict[str, list[str]] = {}
        for r in problem.residents:
            room = assignments.get(r.id)
            if room is not None:
                self.by_room.setdefault(room, []).append(r.id)
            if r.group is not None:
                self.groups.setdefault(r.group, []).append(r.id)
        self.custom_baseline = {
            str(v) for rule in self.rules for v in rule.check(problem, assignments)
        }

    def _local(self, rooms: Sequence[str], movers: Sequence[str]) -> set[str]:
        keys = set(movers)
        for room in rooms:
            keys.update(self.by_room.get(room, ()))
        residents = self.problem.residents_by_id
        for rid in list(keys):
            group = residents[rid].group
            if group is not None:
                keys.update(self.groups[group])
        return keys

    def _violations(self, sub: Problem, assignments: Assignments) -> set[str]:
        return {str(v) for f in self.checks for v in f(sub, assignments)}

    def keeps_rules(self, moves: Mapping[str, str | None]) -> bool:
        """Whether moving residents to the rooms in ``moves`` breaks no rule the original kept."""
        movers = list(moves)
        rooms = {self.assignments.get(m) for m in movers} | set(moves.values())
        keys = self._local([r for r in rooms if r is not None], movers)
        before = {k: self.assignments.get(k) for k in keys}
        after = {k: moves.get(k, before[k]) for k in keys}
        room_ids = {x for x in (*before.values(), *after.values()) if x is not None}
        # A small problem of just the touched residents and rooms: the verifier's checks then
        # cost little however large the whole problem is.
        sub = Problem.model_construct(
            rules=self.problem.rules,
            rooms=tuple(self.problem.rooms_by_id[k] for k in sorted(room_ids)),
            residents=tuple(self.problem.residents_by_id[k] for k in sorted(keys)),
            objective=self.problem.objective,
        )
        if not self._violations(sub, after) <= self._violations(sub, before):
            return False
        if not self.rules:
            return True
        changed = dict(self.assignments)
        changed.update(moves)
        for rule in self.rules:
            for v in rule.check(self.problem, changed):
                if str(v) not in self.custom_baseline:
                    return False
        return True


def _outcome(
    problem: Problem, assignments: Assignments, moves: Mapping[str, str | None],
    meter: ObjectiveMeter,
) -> tuple[float, dict[str, float], str | None, Phrase]:
    """The overall change of a what-if, per term, the term that loses most, and the words."""
    changes = meter.change(moves)
    what = effects(problem, assignments, moves, meter)
    loser = main_loss(changes) if what.verdict == "worse" else None
    phrase = Phrase(f"outcome_{what.verdict}", {"effects": what.words()})
    return what.total, changes, loser, phrase


def stability(
    problem: Problem,
    result_or_assignments: Result | Assignments,
    *,
    rules: Sequence[Rule] = (),
) -> StabilityReport:
    """Blocking swaps and blocking moves of an allocation (see the module docstring)."""
    assignments = (
        dict(result_or_assignments.assignments)
        if isinstance(result_or_assignments, Result)
        else dict(result_or_assignments)
    )
    table = RoomTable(problem)
    placement = Placement(problem, assignments, rules)
    meter = ObjectiveMeter(problem, assignments)
    checker = _Checker(problem, assignments, rules)
    scores: dict[str, FloatArray] = {}
    allowed_rooms: dict[str, BoolArray] = {}

    def score_of(r: Resident) -> FloatArray:
        vec = scores.get(r.id)
        if vec is None:
            vec = scores[r.id] = table.scores(r)
        return vec

    def allowed_of(r: Resident) -> BoolArray:
        vec = allowed_rooms.get(r.id)
        if vec is None:
            vec = allowed_rooms[r.id] = table.allowed(table.own_rule_masks(r))
        return vec

    swaps: list[BlockingSwap] = []
    moves: list[BlockingMove] = []
    seen: set[frozenset[str]] = set()
    for r in problem.residents:
        here = assignments.get(r.id)
        if (here is not None and here not in table.index) or placement.personal_block(r):
            continue
        s_r = score_of(r)
        allowed = allowed_of(r)
        if here is None:
            better = np.flatnonzero(allowed)
            mine = None
        else:
            mine = float(s_r[table.index[here]])
            better = np.flatnonzero(allowed & (s_r > mine + 1e-9))
        better = better[np.lexsort((better, -s_r[better]))]
        moved_to_free = False
        for i in better:
            room = table.rooms[int(i)]
            gain = float(s_r[i]) - (mine if mine is not None else 0.0)
            if (
                not moved_to_free
                and not placement.room_blocks(r, room)
                and checker.keeps_rules({r.id: room.id})
            ):
                moved_to_free = True
                total, changes, loser, outcome = _outcome(
                    problem, assignments, {r.id: room.id}, meter)
                if here is None:
                    phrase = Phrase("move_unhoused", {"resident": r.id, "room": room.id,
                                                      "outcome": outcome})
                else:
                    phrase = Phrase("move_housed", {"resident": r.id, "room": room.id,
                                                    "here": here, "outcome": outcome})
                moves.append(
                    BlockingMove(r.id, here, room.id, gain, total, changes, loser,
                                 ENGLISH.render(phrase), phrase)
                )
            if here is None:
                if moved_to_free:
                    break
                continue
            home = problem.rooms_by_id[here]
            for other in placement.occupants(room.id):
                key = frozenset((r.id, other.id))
                if key in seen:
                    continue
                s_o = score_of(other)
                other_gain = float(s_o[table.index[here]] - s_o[i])
                if other_gain <= 1e-9:
                    continue
                seen.add(key)
                if not allowed_of(other)[table.index[home.id]]:
                    continue
                if placement.personal_block(other):
                    continue
                if placement.room_blocks(r, room, without=(other.id,)):
                    continue
                if placement.room_blocks(other, home, without=(r.id,)):
                    continue
                if not checker.keeps_rules({r.id: room.id, other.id: here}):
                    continue
                total, changes, loser, outcome = _outcome(
                    problem, assignments, {r.id: room.id, other.id: here}, meter)
                phrase = Phrase("swap", {"first": r.id, "first_room": here,
                                         "second": other.id, "second_room": room.id,
                                         "outcome": outcome})
                swaps.append(
                    BlockingSwap(r.id, other.id, here, room.id, gain, other_gain, total,
                                 changes, loser, ENGLISH.render(phrase), phrase)
                )
    return StabilityReport(swaps=tuple(swaps), moves=tuple(moves))
