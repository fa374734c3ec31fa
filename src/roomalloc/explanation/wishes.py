"""Every wish of a resident, met or not, and for an unmet one the first reason in a fixed order.

A room wish (a preference) is unmet for the first of these reasons:

1. no room matches it (``no_such_room``: the hostel has no floor 2);
2. every matching room breaks one of the resident's own requirements, named (the need, the
   budget against the cost, the room's gender, the closure nights, an excluded room);
3. the resident is fixed to their room or lives with a group (``locked``, ``group``);
4. every matching room that fits them is taken: full on named nights with named occupants,
   or a sharing rule (genders, a private room, an avoid request) with whom;
5. a matching room has a free bed they may take, and moving them there alone would be worse
   overall (the trade-off, in words), exactly as good (a ``tie``), or better (the allocation
   is then not the best possible).

A roommate wish is unmet for the first of: no such resident; the stays do not overlap; an
avoid request; a private room; genders that may not share; no room with two or more beds fits
both (the other's requirement named); neither is housed; the one cannot join the other's room
(full, a sharing rule, a lock or a group, named); joining would be worse overall (the
trade-off), or a tie.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1, floor=1)],
...             residents=[Resident(id="r1", preferences=(Preference(floor=(2, 2), weight=1),))])
>>> from roomalloc.explanation.residents import ResidentExplainer
>>> w = ResidentExplainer(p, {"r1": "A"}).explain(p.resident("r1")).wishes[0]
>>> w.text, w.reasons[0].text
('a room on floor 2', 'no room here matches the wish for a room on floor 2')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from roomalloc.domain.model import Preference, Problem, Resident, Room

from .objective import ObjectiveMeter
from .reasons import Placement, own_rule_reasons
from .rooms import BoolArray, FloatArray, RoomTable
from .types import Reason, Wish, said
from .whatif import effects, wish_met, wish_phrase
from .words import ENGLISH, Nights, Phrase, span

Assignments = Mapping[str, "str | None"]


class WishExplainer:
    """Explains the wishes of residents of one allocation (shares its room table and rooms)."""

    def __init__(self, problem: Problem, assignments: Assignments, table: RoomTable,
                 placement: Placement, meter: ObjectiveMeter) -> None:
        self.problem = problem
        self.assignments = assignments
        self.table = table
        self.placement = placement
        self.meter = meter
        self._full_for: tuple[str, BoolArray] = ("", np.zeros(0, dtype=bool))

    def wishes(self, resident: Resident, scores: FloatArray, allowed: BoolArray) -> tuple[Wish,
                                                                                         ...]:
        """Every wish of ``resident``: room wishes by weight, then roommate wishes."""
        room_id = self.assignments.get(resident.id)
        room = self.problem.rooms_by_id.get(room_id) if room_id is not None else None
        out: list[Wish] = []
        order = sorted(range(len(resident.preferences)),
                       key=lambda i: -abs(resident.preferences[i].weight))
        for i in order:
            pref = resident.preferences[i]
            phrase = wish_phrase(pref)
            met = wish_met(pref, room)
            reasons = () if met else (self._room_wish(resident, pref, scores, allowed),)
            out.append(Wish("room", ENGLISH.render(phrase), met, pref.weight, reasons, phrase))
        for mate in resident.roommates.want:
            phrase = Phrase("wish_roommate", {"mate": mate})
            other = self.problem.residents_by_id.get(mate)
            met = (
                room_id is not None and other is not None
                and self.assignments.get(mate) == room_id and resident.overlaps(other)
            )
            reasons = () if met else (self._mate_wish(resident, mate),)
            out.append(Wish("roommate", ENGLISH.render(phrase), met, 0.0, reasons, phrase, mate))
        return tuple(out)

    # --- room wishes -----------------------------------------------------------------------

    def _ranked(self, mask: BoolArray, scores: FloatArray) -> list[int]:
        """Rooms of ``mask``, best score first, ties in problem order."""
        ix = np.flatnonzero(mask)
        return [int(i) for i in ix[np.lexsort((ix, -scores[ix]))]]

    def _room_wish(self, resident: Resident, pref: Preference, scores: FloatArray,
                   allowed: BoolArray) -> Reason:
        me = (resident.id,)
        wish = wish_phrase(pref)
        matching = self.table.selector_mask(pref)
        if pref.weight < 0:
            matching = ~matching
        if not matching.any():
            return said("no_such_room", Phrase("no_such_room", {"wish": wish}), me,
                        wish=pref.model_dump(exclude_none=True), subject=resident.id)
        fitting = matching & allowed
        if not fitting.any():
            ranked = self._ranked(matching, scores)
            first = self.table.rooms[ranked[0]]
            why = own_rule_reasons(resident, first)[0]
            key = "wish_room_own_rules" if pref.room is not None else "wish_own_rules"
            phrase = Phrase(key, {"n": len(ranked), "wish": wish, "resident": resident.id,
                                  "room": first.id, "why": why.phrase})
            return replace(why, phrase=phrase, text=ENGLISH.render(phrase),
                           facts={**why.facts, "matching": len(ranked)})
        ranked = self._ranked(fitting, scores)
        if self.placement.personal_block(resident):
            block = self.placement.reasons(resident, self.table.rooms[ranked[0]])[0]
            return block
        full = self._full_during(resident)
        for i in ranked:
            if full[i]:
                continue  # taken on some night of the stay: no need to look further
            room = self.table.rooms[i]
            if self._free_for(resident, room):
                return self._trade_off(resident, room)
        first = self.table.rooms[ranked[0]]
        why = self.placement.reasons(resident, first)[0]
        key = "wish_room_taken" if pref.room is not None else "wish_taken"
        phrase = Phrase(key, {"n": len(ranked), "wish": wish, "resident": resident.id,
                              "room": first.id, "why": why.phrase})
        return replace(why, phrase=phrase, text=ENGLISH.render(phrase),
                       facts={**why.facts, "fitting": len(ranked)})

    @cached_property
    def _spells(self) -> tuple[npt.NDArray[np.int64], ...]:
        """Every room's full spells as arrays: room index, first night, check-out (ordinals)."""
        rooms, starts, ends = [], [], []
        for i, room in enumerate(self.table.rooms):
            if len(self.placement.occupants(room.id)) < room.capacity:
                continue
            for a, b in self.placement.full_times(room):
                rooms.append(i)
                starts.append(a.toordinal())
                ends.append(b.toordinal())
        return (np.asarray(rooms, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                np.asarray(ends, dtype=np.int64))

    def _full_during(self, resident: Resident) -> BoolArray:
        """Rooms full on some night of ``resident``'s stay (with its occupants; vectorised)."""
        if self._full_for[0] == resident.id:
            return self._full_for[1]
        rooms, starts, ends = self._spells
        lo, hi = (d.toordinal() for d in span(resident))
        full = np.zeros(self.table.size, dtype=bool)
        full[rooms[(starts < hi) & (lo < ends)]] = True
        # The resident's own room counts them among its occupants: not "full" for them.
        here = self.assignments.get(resident.id)
        if here is not None and here in self.table.index:
            full[self.table.index[here]] = False
        self._full_for = (resident.id, full)
        return full

    def _free_for(self, resident: Resident, room: Room) -> bool:
        """Whether ``resident`` may move into ``room`` alone, everyone else staying."""
        if self.assignments.get(resident.id) == room.id:
            return False
        if self._full_during(resident)[self.table.index[room.id]]:
            return False
        if self.placement.room_blocks(resident, room):
            return False
        return not (self.placement.rules and self.placement.rule_reasons(resident, room))

    def _trade_off(self, resident: Resident, room: Room) -> Reason:
        """Moving (or housing) ``resident`` alone into ``room``, which has a free bed for them."""
        moves = {resident.id: room.id}
        what = effects(self.problem, self.assignments, moves, self.meter)
        housed = self.assignments.get(resident.id) is not None
        doing = Phrase("doing_move" if housed else "doing_house")
        key = {"worse": "move_free", "tie": "move_free_tie", "better": "move_free_gain"}
        phrase = Phrase(key[what.verdict], {"room": room.id, "resident": resident.id,
                                            "doing": doing, "effects": what.words()})
        kind = "tie" if what.verdict == "tie" else "objective"
        involved = tuple(sorted({x for pair in what.lost_pairs for x in pair} - {resident.id}))
        return said(kind, phrase, (resident.id, *involved), (room.id,), loss=-what.total,
                    moves=moves, lost_pairs=[list(p) for p in what.lost_pairs],
                    verdict=what.verdict, subject=resident.id)

    # --- roommate wishes -------------------------------------------------------------------

    def _mate_wish(self, resident: Resident, mate_id: str) -> Reason:
        me = (resident.id, mate_id)
        mate = self.problem.residents_by_id.get(mate_id)
        base = {"resident": resident.id, "mate": mate_id}
        if mate is None:
            return said("unknown", Phrase("mate_unknown", base), (resident.id,))
        if not resident.overlaps(mate):
            return said("stays_apart", Phrase("mate_stays_apart", {
                **base, "first": Nights(*span(resident)), "second": Nights(*span(mate))}), me)
        broken = self.placement.pair_rules(resident, mate)
        if "avoid" in broken:
            return said("avoid", Phrase("mate_avoid", base), me, pair=True)
        if "private" in broken:
            private = tuple(r.id for r in (resident, mate) if r.private)
            return said("private", Phrase("mate_private", {"who": private}), private, pair=True)
        if "gender_mixing" in broken:
            return said("gender_mixing", Phrase("mate_gender", {
                **base, "gender": resident.gender or "without a gender given",
                "mate_gender": mate.gender or "without a gender given"}), me, pair=True)
        shared = self.table.capacity >= 2
        mine = shared & self.table.allowed(self.table.own_rule_masks(resident))
        if not mine.any():
            return said("no_shared_room", Phrase("mate_no_room_self", base), (resident.id,))
        theirs = self.table.allowed(self.table.own_rule_masks(mate))
        if not (mine & theirs).any():
            ranked = self._ranked(mine, self.table.scores(resident))
            first = self.table.rooms[ranked[0]]
            why = own_rule_reasons(mate, first)[0]
            phrase = Phrase("mate_no_room", {**base, "n": len(ranked), "why": why.phrase})
            return replace(why, phrase=phrase, text=ENGLISH.render(phrase),
                           facts={**why.facts, "shared_rooms": len(ranked), "pair": True})
        here, there = self.assignments.get(resident.id), self.assignments.get(mate_id)
        if here is None and there is None:
            return said("unhoused", Phrase("mate_unhoused_both", base), me)
        options: list[tuple[Resident, Resident, Room]] = []
        if there is not None:
            options.append((resident, mate, self.problem.rooms_by_id[there]))
        if here is not None:
            options.append((mate, resident, self.problem.rooms_by_id[here]))
        blocked: list[tuple[Resident, Resident, Room, Reason]] = []
        for mover, host, room in options:
            why_not = own_rule_reasons(mover, room) or self.placement.reasons(mover, room)
            if not why_not:
                return self._join(mover, host, room)
            blocked.append((mover, host, room, why_not[0]))
        mover, host, room, why = blocked[0]
        phrase = Phrase("mate_join_blocked", {"mover": mover.id, "host": host.id,
                                              "room": room.id, "why": why.phrase})
        return replace(why, phrase=phrase, text=ENGLISH.render(phrase),
                       facts={**why.facts, "subject": mover.id})

    def _join(self, mover: Resident, host: Resident, room: Room) -> Reason:
        moves = {mover.id: room.id}
        what = effects(self.problem, self.assignments, moves, self.meter)
        key = {"worse": "mate_join_free", "tie": "mate_join_tie", "better": "mate_join_gain"}
        phrase = Phrase(key[what.verdict], {"mover": mover.id, "host": host.id, "room": room.id,
                                            "effects": what.words()})
        involved = tuple(sorted({x for pair in what.lost_pairs for x in pair}))
        return said("tie" if what.verdict == "tie" else "objective", phrase,
                    (mover.id, host.id, *[x for x in involved if x not in (mover.id, host.id)]),
                    (room.id,), loss=-what.total, moves=moves,
                    lost_pairs=[list(p) for p in what.lost_pairs], verdict=what.verdict,
                    subject=mover.id)


def first_reasons(wishes: Sequence[Wish]) -> list[Reason]:
    """The reason of every unmet wish, in order."""
    return [r for w in wishes for r in w.reasons]
