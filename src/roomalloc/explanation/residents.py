"""Per-resident explanations: what they got, what they wanted, and why not the rooms they prefer.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", needs=("quiet",)),
...                        Resident(id="r2", preferences=(Preference(room="A", weight=2),))])
>>> ex = ResidentExplainer(p, {"r1": "A", "r2": "B"})
>>> [r.text for r in ex.explain(p.resident("r2")).alternatives[0].reasons]
['A is full (1 bed) at all times with r1']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import numpy as np

from roomalloc.model import Preference, Problem, Resident, Room
from roomalloc.rules.base import Rule

from .objective import ObjectiveMeter, change_words, main_loss
from .reasons import Placement, own_rule_reasons
from .rooms import RoomTable
from .types import STATIC_KINDS, Alternative, Price, Reason, ResidentExplanation
from .words import join_words, number

Assignments = Mapping[str, "str | None"]
PriceFn = Callable[[Resident, Room], Price]

_RULE_WORDS = {
    "needs": "needs",
    "budget": "budget",
    "room_gender": "room gender",
    "unavailable": "closures during the stay",
    "excluded_rooms": "excluded rooms",
}


def preference_words(pref: Preference) -> str:
    """``building 'A' (+3)``; a dislike (negative weight) reads ``not feature 'x' (-2)``.

    >>> from roomalloc import Preference
    >>> preference_words(Preference(floor=(1, 2), weight=-1))
    'not floors 1-2 (-1)'
    """
    sign = "+" if pref.weight >= 0 else "-"
    weight = f"({sign}{number(abs(pref.weight))})"
    dislike = "not " if pref.weight < 0 else ""
    if pref.room is not None:
        what = f"room {pref.room!r}"
    elif pref.building is not None:
        what = f"building {pref.building!r}"
    elif pref.feature is not None:
        what = f"feature {pref.feature!r}"
    else:
        assert pref.floor is not None
        low, high = pref.floor
        what = f"floor {low}" if low == high else f"floors {low}-{high}"
    return f"{dislike}{what} {weight}"


class ResidentExplainer:
    """Explains residents of one allocation; shares the room table and occupancy across them."""

    def __init__(
        self,
        problem: Problem,
        assignments: Assignments,
        *,
        rules: Sequence[Rule] = (),
        alternatives: int = 3,
        pricer: PriceFn | None = None,
    ) -> None:
        self.problem = problem
        self.assignments = assignments
        self.rules = tuple(rules)
        self.alternatives = alternatives
        self.pricer = pricer
        self.table = RoomTable(problem)
        self.placement = Placement(problem, assignments, rules)

    @cached_property
    def meter(self) -> ObjectiveMeter:
        """The objective of the allocation as given, for what-ifs (built on first use)."""
        return ObjectiveMeter(self.problem, self.assignments)

    def explain(self, resident: Resident) -> ResidentExplanation:
        """The explanation of one resident."""
        room_id = self.assignments.get(resident.id)
        room = self.problem.rooms_by_id.get(room_id) if room_id is not None else None
        scores = self.table.scores(resident)
        masks = self.table.own_rule_masks(resident)
        allowed = self.table.allowed(masks)
        best = float(scores[allowed].max()) if allowed.any() else None
        met, unmet = self._preferences(resident, room)
        mates_met, mates_unmet = self._roommates(resident, room_id)
        if room is not None:
            given = float(scores[self.table.index[room.id]])
            better = np.flatnonzero(scores > given + 1e-9)
            order = better[np.lexsort((better, -scores[better]))][: self.alternatives]
            alts = tuple(self._alternative(resident, int(i), float(scores[i])) for i in order)
            unhoused: tuple[Reason, ...] = ()
        else:
            given = None
            candidates = np.flatnonzero(allowed)
            order = candidates[np.lexsort((candidates, -scores[candidates]))]
            alts = tuple(
                self._alternative(resident, int(i), float(scores[i]))
                for i in order[: self.alternatives]
            )
            unhoused = self._unhoused(resident, masks, order, alts)
        return ResidentExplanation(
            resident=resident.id,
            name=resident.name,
            room=room_id,
            score=given,
            best_score=best,
            preferences_met=met,
            preferences_unmet=unmet,
            roommates_met=mates_met,
            roommates_unmet=mates_unmet,
            alternatives=alts,
            unhoused=unhoused,
        )

    def _preferences(
        self, resident: Resident, room: Room | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # A wish is met when a liked room feature is there or a disliked one is not.
        met: list[str] = []
        unmet: list[str] = []
        for pref in resident.preferences:
            matched = room is not None and pref.matches(room)
            ok = room is not None and (matched if pref.weight >= 0 else not matched)
            (met if ok else unmet).append(preference_words(pref))
        return tuple(met), tuple(unmet)

    def _roommates(
        self, resident: Resident, room_id: str | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        met: list[str] = []
        unmet: list[str] = []
        residents = self.problem.residents_by_id
        for other_id in resident.roommates.want:
            other = residents.get(other_id)
            ok = (
                room_id is not None
                and other is not None
                and self.assignments.get(other_id) == room_id
                and resident.overlaps(other)
            )
            (met if ok else unmet).append(other_id)
        return tuple(met), tuple(unmet)

    def blocking(self, resident: Resident, room: Room) -> list[Reason]:
        """Own-rule and allocation reasons that keep ``resident`` out of ``room``."""
        return own_rule_reasons(resident, room) + self.placement.reasons(resident, room)

    def move_change(self, resident: Resident, room_id: str | None) -> dict[str, float]:
        """Per-term weighted change of moving ``resident`` alone to ``room_id``."""
        return self.meter.change({resident.id: room_id})

    def objective_reason(self, resident: Resident, room: Room) -> Reason:
        """Every hard rule would hold: say what moving there alone would do to the objective."""
        changes = self.move_change(resident, room.id)
        total = sum(changes.values())
        verb = "moving" if self.assignments.get(resident.id) is not None else "housing"
        if total < -1e-9:
            loser = main_loss(changes)
            text = (
                f"{room.id} has a free bed {resident.id} may take, but {verb} them there alone "
                f"would lose {number(-total)} of objective ({change_words(changes)}); "
                f"{loser} outweighs the gain"
            )
        elif total > 1e-9:
            text = (
                f"{room.id} has a free bed {resident.id} may take and {verb} them there would "
                f"gain {number(total)} of objective ({change_words(changes)}): this allocation "
                "is not optimal"
            )
        else:
            text = (
                f"{room.id} has a free bed {resident.id} may take; {verb} them there would not "
                f"change the objective ({change_words(changes)}): a tie"
            )
        return Reason("objective", text, (resident.id,), (room.id,), loss=-total)

    def _alternative(self, resident: Resident, index: int, score: float) -> Alternative:
        room = self.table.rooms[index]
        reasons = self.blocking(resident, room)
        if not reasons:
            reasons = [self.objective_reason(resident, room)]
        price = None
        static_only = all(r.kind in STATIC_KINDS for r in reasons)
        if self.pricer is not None and not static_only:
            price = self.pricer(resident, room)
        return Alternative(room=room.id, score=score, reasons=tuple(reasons), price=price)

    def _group_fit(self, resident: Resident) -> str:
        """How big a room the resident's whole group may use, in words."""
        members = self.placement.groups.get(resident.group or "", [])
        common = np.ones(self.table.size, dtype=bool)
        for m in members:
            common &= self.table.allowed(self.table.own_rule_masks(m))
        if not common.any():
            return f"; no room passes the own rules of all {len(members)}"
        biggest = int(self.table.capacity[common].max())
        return (
            f"; the biggest room all {len(members)} may use has {biggest} "
            f"bed{'s' if biggest != 1 else ''}"
        )

    def _unhoused(
        self,
        resident: Resident,
        masks: Mapping[str, np.typing.NDArray[np.bool_]],
        allowed_order: np.typing.NDArray[np.int64],
        alts: Sequence[Alternative],
    ) -> tuple[Reason, ...]:
        n = self.table.size
        me = (resident.id,)
        if len(allowed_order) == 0:
            parts = [
                f"{_RULE_WORDS[rule]} rules out {int((~mask).sum())} of {n}"
                for rule, mask in masks.items()
                if (~mask).any()
            ]
            text = f"no room passes {resident.id}'s own rules: " + (
                "; ".join(parts) if parts else "there are no rooms"
            )
            return (Reason("no_room", text, me),)
        if self.placement.personal_block(resident):
            # A lock or a group: say so once, not once per room.
            first = self.table.rooms[int(allowed_order[0])]
            personal = [
                r
                for r in self.placement.reasons(resident, first)
                if r.kind in ("locked", "group")
            ]
            return tuple(
                Reason(r.kind, r.text + self._group_fit(resident), r.residents)
                if r.kind == "group"
                else Reason(r.kind, r.text, r.residents)
                for r in personal
            )
        blocked: dict[str, int] = {}
        for i in allowed_order:
            room = self.table.rooms[int(i)]
            kinds = self.placement.room_blocks(resident, room)
            if not kinds and self.rules:
                kinds = {r.kind for r in self.placement.rule_reasons(resident, room)}
            if not kinds:
                return (self.objective_reason(resident, room),)
            for kind in kinds:
                blocked[kind] = blocked.get(kind, 0) + 1
        total = len(allowed_order)
        counts = "; ".join(
            f"{count} {_BLOCK_WORDS.get(kind, kind)}" for kind, count in sorted(blocked.items())
        )
        examples = []
        for alt in alts:
            for reason in alt.reasons:
                if reason.kind == "full":
                    taken = [self.problem.resident(x) for x in reason.residents]
                    people = join_words(
                        [f"{t.id} (priority {number(t.priority)})" for t in taken]
                    )
                    examples.append(f"{alt.room} is taken by {people}")
                    break
            else:
                if alt.reasons:
                    examples.append(alt.reasons[0].text)
        text = (
            f"every bed {resident.id}'s own rules allow is taken or barred: of the {total} "
            f"room{'s' if total != 1 else ''} their rules allow, {counts}"
        )
        if examples:
            text += "; e.g. " + "; ".join(examples)
        involved = tuple(
            sorted({x for alt in alts for reason in alt.reasons for x in reason.residents})
        )
        return (Reason("taken", text, involved, tuple(a.room for a in alts)),)


_BLOCK_WORDS = {
    "full": "are full during the stay",
    "gender_mixing": "would mix genders",
    "private": "clash with a private room",
    "avoid": "hold someone to avoid",
    "group": "would split their group",
    "locked": "conflict with a lock",
}
