"""Per-resident explanations: what they got, what they wanted, and why not the rooms they prefer.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", needs=("quiet",)),
...                        Resident(id="r2", preferences=(Preference(room="A", weight=2),))])
>>> ex = ResidentExplainer(p, {"r1": "A", "r2": "B"})
>>> [r.text for r in ex.explain(p.resident("r2")).alternatives[0].reasons]
['A (1 bed) is full on every night with r1']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import numpy as np

from roomalloc.domain.model import Preference, Problem, Resident, Room
from roomalloc.rules.base import Rule

from .objective import ObjectiveMeter
from .reasons import Placement, no_room_phrase, own_rule_reasons
from .rooms import RoomTable
from .types import STATIC_KINDS, Alternative, Price, Reason, ResidentExplanation, said
from .whatif import effects
from .wishes import WishExplainer
from .words import Count, Phrase, number

Assignments = Mapping[str, "str | None"]
PriceFn = Callable[[Resident, Room], Price]

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

    @cached_property
    def wish_explainer(self) -> WishExplainer:
        """Explains each resident's wishes (shares this explainer's tables)."""
        return WishExplainer(self.problem, self.assignments, self.table, self.placement,
                             self.meter)

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
        wishes = self.wish_explainer.wishes(resident, scores, allowed)
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
            wishes=wishes,
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
        """Every hard rule would hold: say what moving there alone would do, in words."""
        return self.wish_explainer._trade_off(resident, room)

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

    def _group_fit(self, resident: Resident) -> Phrase:
        """How big a room the resident's whole group may use, in words."""
        members = self.placement.groups.get(resident.group or "", [])
        common = np.ones(self.table.size, dtype=bool)
        for m in members:
            common &= self.table.allowed(self.table.own_rule_masks(m))
        if not common.any():
            return Phrase("group_fit_none", {"n": len(members)})
        biggest = int(self.table.capacity[common].max())
        return Phrase("group_fit", {"n": len(members), "beds": Count(biggest, "bed")})

    def _unhoused(
        self,
        resident: Resident,
        masks: Mapping[str, np.typing.NDArray[np.bool_]],
        allowed_order: np.typing.NDArray[np.int64],
        alts: Sequence[Alternative],
    ) -> tuple[Reason, ...]:
        me = (resident.id,)
        if len(allowed_order) == 0:
            why = no_room_phrase(self.table, resident)
            return (said("no_room", Phrase("no_room", {"resident": resident.id, "why": why}),
                         me, subject=resident.id),)
        if self.placement.personal_block(resident):
            # A lock or a group: say so once, not once per room.
            first = self.table.rooms[int(allowed_order[0])]
            personal = [
                r
                for r in self.placement.reasons(resident, first)
                if r.kind in ("locked", "group")
            ]
            out_reasons = []
            for r in personal:
                if r.kind == "group":
                    members = self.placement.groups.get(resident.group or "", [])
                    phrase = Phrase("group_unhoused", {
                        "resident": resident.id, "group": resident.group, "n": len(members),
                        "mates": tuple(m.id for m in members if m.id != resident.id),
                        "fit": self._group_fit(resident)})
                    out_reasons.append(said("group", phrase, r.residents, subject=resident.id))
                else:
                    out_reasons.append(r)
            return tuple(out_reasons)
        blocked: dict[str, int] = {}
        for i in allowed_order:
            room = self.table.rooms[int(i)]
            kinds = self.placement.room_blocks(resident, room)
            if not kinds and self.rules:
                kinds = {r.kind for r in self.placement.rule_reasons(resident, room)}
            if not kinds:
                return (self.objective_reason(resident, room),)
            for kind in kinds:
                key = kind if kind in _BLOCK_KEYS else "rule"
                blocked[key] = blocked.get(key, 0) + 1
        counts = tuple(
            Phrase(_BLOCK_KEYS[kind], {"rooms_n": Phrase("rooms_are", {"n": count})})
            for kind, count in sorted(blocked.items(), key=lambda kv: list(_BLOCK_KEYS).index(
                kv[0]))
        )
        first_alt = alts[0]
        total = len(allowed_order)
        params = {"resident": resident.id, "counts": counts, "n": total,
                  "why": first_alt.reasons[0].phrase}
        if total < self.table.size:
            # Name the requirements that leave so few rooms (the need for 'monitoring'...).
            params["limits"] = Phrase("limits", {"why": no_room_phrase(self.table, resident)})
        taken = said("taken", Phrase("taken" if "limits" in params else "taken_plain", params),
            tuple(sorted({x for reason in first_alt.reasons for x in reason.residents})),
            tuple(a.room for a in alts), subject=resident.id, allowed=len(allowed_order))
        swap = self._swap_in(resident, alts)
        return (taken, swap) if swap is not None else (taken,)

    def _swap_in(self, resident: Resident, alts: Sequence[Alternative]) -> Reason | None:
        """The closest call: housing ``resident`` in a full room in place of one occupant.

        Over the rooms shown (``alts``) and their occupants who may lose their place alone,
        the exchange that loses least: a tie, or a trade-off with what it would cost.
        """
        best: tuple[float, Reason] | None = None
        for alt in alts:
            room = self.problem.rooms_by_id[alt.room]
            if {r.kind for r in alt.reasons} != {"full"}:
                continue
            for other in self.placement.occupants(room.id):
                if (not other.overlaps(resident) or other.locked or other.required
                        or self.placement.personal_block(other)):
                    continue
                if self.placement.room_blocks(resident, room, without=(other.id,)):
                    continue
                moves = {resident.id: room.id, other.id: None}
                what = effects(self.problem, self.assignments, moves, self.meter)
                if what.verdict == "better" or (best is not None and what.total <= best[0]):
                    continue
                base = {"resident": resident.id, "room": room.id, "other": other.id}
                phrase = (Phrase("taken_tie", base) if what.verdict == "tie"
                          else Phrase("taken_trade", {**base, "effects": what.words()}))
                best = (what.total, said(
                    "tie" if what.verdict == "tie" else "objective", phrase,
                    (resident.id, other.id), (room.id,), loss=-what.total, moves=moves,
                    verdict=what.verdict, subject=resident.id,
                    lost_pairs=[list(p) for p in what.lost_pairs]))
        return best[1] if best is not None else None


_BLOCK_KEYS = {
    "full": "taken_full",
    "gender_mixing": "taken_gender_mixing",
    "private": "taken_private",
    "avoid": "taken_avoid",
    "group": "taken_group",
    "locked": "taken_locked",
    "rule": "taken_rule",
}
