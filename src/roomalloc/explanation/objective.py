"""The objective of an allocation and the change a what-if makes, term by term.

A what-if here moves one or two residents, so :meth:`ObjectiveMeter.change` computes the change
of each built-in term locally, from the movers and their rooms alone (a sorted list of fairness
ratios gives the new minimum); a custom term is recomputed in full with its own ``value``.
``tests/test_explain_objective.py`` holds the local changes to the full recomputation.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, building="N")],
...             residents=[Resident(id="r1", preferences=(Preference(building="N", weight=3),))])
>>> obj = ObjectiveMeter(p, {"r1": "A"})
>>> obj.change({"r1": "B"})
{'housed': 0.0, 'preferences': 3.0, 'roommates': 0.0}
>>> main_loss(obj.change({"r1": None}))
'housed'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from roomalloc.domain.model import Problem, Resident
from roomalloc.terms import get_term
from roomalloc.verify.evaluation import fairness_value

from .rooms import RoomTable

Assignments = Mapping[str, "str | None"]
_LOCAL = {"housed", "preferences", "roommates", "cost", "rooms_used", "moves", "fairness"}


class ObjectiveMeter:
    """Weighted term contributions of one allocation, and their change under small moves."""

    def __init__(self, problem: Problem, assignments: Assignments) -> None:
        self.problem = problem
        self.assignments = dict(assignments)
        self.rooms = problem.rooms_by_id
        self.residents = problem.residents_by_id
        self.weights: dict[str, float] = {}
        for spec in problem.objective:
            sign = 1.0 if get_term(spec.term).sense == "maximize" else -1.0
            self.weights[spec.term] = self.weights.get(spec.term, 0.0) + sign * spec.weight
        self.count: dict[str, int] = defaultdict(int)
        # Who wants whom (both directions), for the roommates term.
        self.wanted_by: dict[str, set[str]] = defaultdict(set)
        for r in problem.residents:
            room = self.assignments.get(r.id)
            if room is not None and room in self.rooms:
                self.count[room] += 1
            for s in r.roommates.want:
                self.wanted_by[s].add(r.id)
        self.best = RoomTable(problem).best_scores() if "fairness" in self.weights else {}
        self._ratios: list[tuple[float, str]] = sorted(
            (ratio, r.id)
            for r in problem.residents
            if (ratio := self._ratio(r, self.assignments.get(r.id))) is not None
        )
        self.values = self._full_values(self.assignments)

    def _ratio(self, r: Resident, room_id: str | None) -> float | None:
        b = self.best.get(r.id, 0.0)
        if room_id is None or room_id not in self.rooms or b <= 0:
            return None
        return r.score(self.rooms[room_id]) / b

    def _full_values(self, assignments: Assignments) -> dict[str, float]:
        out: dict[str, float] = {}
        for term in self.weights:
            if term == "fairness":
                out[term] = fairness_value(self.problem, assignments, self.best)
            else:
                out[term] = float(get_term(term).value(self.problem, assignments))
        return out

    def contributions(self) -> dict[str, float]:
        """Signed weighted contribution of every objective term (they sum to the objective)."""
        return {t: w * self.values[t] for t, w in self.weights.items()}

    def change(self, moves: Mapping[str, str | None]) -> dict[str, float]:
        """Per-term weighted change when the residents in ``moves`` go to the rooms given."""
        changed = {rid: room for rid, room in moves.items() if self.assignments.get(rid) != room}
        raw = self._local_change(changed)
        custom = [t for t in self.weights if t not in _LOCAL]
        if custom and changed:
            after = dict(self.assignments)
            after.update(changed)
            full = self._full_values(after)
            for t in custom:
                raw[t] = full[t] - self.values[t]
        return {t: w * raw.get(t, 0.0) for t, w in self.weights.items()}

    def _local_change(self, moves: Mapping[str, str | None]) -> dict[str, float]:
        before = self.assignments

        def room_after(rid: str) -> str | None:
            return moves[rid] if rid in moves else before.get(rid)

        d: dict[str, float] = defaultdict(float)
        count_change: dict[str, int] = defaultdict(int)
        for rid, new in moves.items():
            r = self.residents[rid]
            old = before.get(rid)
            old_room = self.rooms.get(old) if old is not None else None
            new_room = self.rooms.get(new) if new is not None else None
            d["housed"] += (r.priority if new_room else 0.0) - (r.priority if old_room else 0.0)
            d["preferences"] += (r.score(new_room) if new_room else 0.0) - (
                r.score(old_room) if old_room else 0.0
            )
            d["cost"] += (new_room.cost if new_room else 0.0) - (old_room.cost if old_room else 0.0)
            if r.current_room is not None:
                d["moves"] += float(new != r.current_room) - float(old != r.current_room)
            if old_room is not None:
                count_change[old_room.id] -= 1
            if new_room is not None:
                count_change[new_room.id] += 1
        for room, delta in count_change.items():
            was, now = self.count.get(room, 0), self.count.get(room, 0) + delta
            d["rooms_used"] += float(now > 0) - float(was > 0)
        if "roommates" in self.weights:
            d["roommates"] = self._pairs(moves, room_after) - self._pairs(moves, before.get)
        if "fairness" in self.weights:
            d["fairness"] = self._fairness_after(moves) - self.values["fairness"]
        return d

    def _pairs(
        self, moves: Mapping[str, str | None], room_of: Callable[[str], str | None]
    ) -> float:
        """Met ``want`` pairs that involve at least one mover, under ``room_of``."""
        pairs: set[tuple[str, str]] = set()
        for rid in moves:
            pairs.update((rid, s) for s in self.residents[rid].roommates.want)
            pairs.update((s, rid) for s in self.wanted_by.get(rid, ()))
        met = 0
        for a, b in pairs:
            ra = room_of(a)
            if (
                ra is not None
                and ra in self.rooms
                and b in self.residents
                and room_of(b) == ra
                and self.residents[a].overlaps(self.residents[b])
            ):
                met += 1
        return float(met)

    def _fairness_after(self, moves: Mapping[str, str | None]) -> float:
        worst = 1.0
        # The smallest ratio among residents who stay put.
        for ratio, rid in self._ratios:
            if rid not in moves:
                worst = min(worst, ratio)
                break
        for rid, new in moves.items():
            moved = self._ratio(self.residents[rid], new)
            if moved is not None:
                worst = min(worst, moved)
        return float(worst)


def main_loss(changes: Mapping[str, float]) -> str | None:
    """The term with the largest weighted loss, or None when no term loses."""
    losing = [(v, t) for t, v in changes.items() if v < -1e-9]
    if not losing:
        return None
    return min(losing)[1]
