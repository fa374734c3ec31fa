"""Why a resident is not (or cannot be put) in a given room, in housing words.

Two kinds of reason: the resident's *own* rules (:func:`own_rule_reasons`: needs, budget,
room gender, closures, excluded rooms), which hold whatever anybody else does; and what the
*current* allocation blocks (:class:`Placement`: the resident is locked or in a group, the room
is full with named residents on named nights, would mix genders, a private room, an avoid
wish, a custom rule). When neither applies, only the objective keeps them out.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1)],
...             residents=[Resident(id="r1"), Resident(id="r2", priority=2)])
>>> place = Placement(p, {"r1": None, "r2": "A"})
>>> [r.text for r in place.reasons(p.resident("r1"), p.room("A"))]
['A (1 bed) is full on every night with r2']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from itertools import pairwise

from roomalloc.domain.model import Problem, Resident, Room
from roomalloc.rules.base import Rule
from roomalloc.rules.own import broken_rules
from roomalloc.rules.sharing import SharingRules

from .rooms import RoomTable
from .types import Reason, said
from .words import AnyOf, Count, Nights, Phrase, span, who

Assignments = Mapping[str, "str | None"]


def own_rule_reasons(resident: Resident, room: Room) -> list[Reason]:
    """Every own rule of ``resident`` that ``room`` fails, in the fixed order, in words.

    Which rules fail is :func:`roomalloc.rules.own.broken_rules`'s decision; the order is
    theirs: needs, budget, the room's gender, closures, excluded rooms.

    >>> from roomalloc import Resident, Room
    >>> r = Resident(id="r1", needs=("accessible",), budget=300)
    >>> [x.text for x in own_rule_reasons(r, Room(id="A", capacity=1, cost=400))]
    ["A lacks 'accessible', which r1 needs", "A costs 400 a bed, above r1's budget of 300"]
    """
    broken = broken_rules(resident, room)
    out: list[Reason] = []
    ids = (resident.id,)
    rooms = (room.id,)
    base = {"room": room.id, "resident": resident.id}
    if "needs" in broken:
        missing = tuple(f"'{f}'" for f in resident.needs if f not in room.features)
        out.append(said("needs", Phrase("needs", {**base, "features": missing}), ids, rooms,
                        features=[f.strip("'") for f in missing]))
    if "budget" in broken:
        out.append(said("budget", Phrase("budget", {**base, "cost": room.cost,
                                                    "budget": resident.budget}), ids, rooms,
                        cost=room.cost, budget=resident.budget))
    if "room_gender" in broken:
        key = "room_gender" if resident.gender is not None else "room_gender_unknown"
        out.append(said("room_gender", Phrase(key, {**base, "room_gender": room.gender,
                                                     "gender": resident.gender or ""}),
                        ids, rooms, room_gender=room.gender))
    if "unavailable" in broken:
        # The words name the closures that fall in the stay.
        nights = tuple(Nights(c.start, c.end) for c in room.unavailable
                       if c.overlaps(resident.stay))
        out.append(said("unavailable", Phrase("unavailable", {**base, "closed": nights}), ids,
                        rooms, closed=[n.to_dict() for n in nights]))
    if "excluded_rooms" in broken:
        out.append(said("excluded_rooms", Phrase("excluded_rooms", base), ids, rooms))
    return [_about(r, resident) for r in out]


def _about(reason: Reason, resident: Resident) -> Reason:
    """The reason, noting whom it is about (the checkable facts name the resident placed)."""
    return replace(reason, facts={**reason.facts, "subject": resident.id})


def full_spells(
    resident: Resident, capacity: int, others: Sequence[Resident]
) -> list[tuple[dt.date, dt.date, tuple[Resident, ...]]]:
    """Maximal spells of ``resident``'s stay when ``others`` fill every one of ``capacity`` beds.

    >>> import datetime as dt
    >>> from roomalloc import Resident, Interval
    >>> d = dt.date
    >>> me = Resident(id="me", stay=Interval(start=d(2026, 1, 1), end=d(2026, 3, 1)))
    >>> o = Resident(id="o", stay=Interval(start=d(2026, 2, 1), end=d(2026, 5, 1)))
    >>> [(a.isoformat(), b.isoformat(), [x.id for x in w]) for a, b, w in full_spells(me, 1, [o])]
    [('2026-02-01', '2026-03-01', ['o'])]
    """
    lo, hi = span(resident)
    spans = [(o, *span(o)) for o in others]
    spans = [(o, max(s, lo), min(e, hi)) for o, s, e in spans if s < hi and lo < e]
    points = sorted({lo, hi} | {s for _, s, _ in spans} | {e for _, _, e in spans})
    out: list[tuple[dt.date, dt.date, tuple[Resident, ...]]] = []
    for a, b in pairwise(points):
        present = tuple(o for o, s, e in spans if s <= a and b <= e)
        if len(present) < capacity:
            continue
        if out and out[-1][1] == a:
            prev = out[-1]
            merged = prev[2] + tuple(o for o in present if o not in prev[2])
            out[-1] = (prev[0], b, merged)
        else:
            out.append((a, b, present))
    return out


# Stands in for "every night" when a room's full spells are computed once for everyone.
_ALL_TIME = Resident.model_construct(id="")


class Placement:
    """The current allocation seen room by room, to say what blocks putting someone elsewhere."""

    def __init__(
        self, problem: Problem, assignments: Assignments, rules: Sequence[Rule] = ()
    ) -> None:
        self.problem = problem
        self.assignments = assignments
        self.rules = tuple(rules)
        self.by_room: dict[str, list[Resident]] = defaultdict(list)
        self.groups: dict[str, list[Resident]] = defaultdict(list)
        for r in problem.residents:
            room = assignments.get(r.id)
            if room is not None:
                self.by_room[room].append(r)
            if r.group is not None:
                self.groups[r.group].append(r)
        self._full: dict[str, list[tuple[dt.date, dt.date]]] = {}
        self._position = {r.id: i for i, r in enumerate(problem.residents)}

    @cached_property
    def sharing(self) -> SharingRules:
        """The problem's sharing rules (built on first use: most callers never need them)."""
        return SharingRules.of(self.problem)

    def pair_rules(self, resident: Resident, other: Resident) -> tuple[str, ...]:
        """The sharing rules that keep the two from sharing a room while their stays overlap.

        >>> from roomalloc import Problem, Resident
        >>> p = Problem(residents=[Resident(id="a", private=True), Resident(id="b")])
        >>> Placement(p, {}).pair_rules(*p.residents)
        ('private',)
        """
        return self.sharing.pair_rules(self._position[resident.id], self._position[other.id])

    def occupants(self, room_id: str, without: Sequence[str] = ()) -> list[Resident]:
        """Residents placed in the room now, except ``without``."""
        return [r for r in self.by_room.get(room_id, ()) if r.id not in without]

    def place(self, resident: Resident, room_id: str) -> None:
        """Put an unhoused ``resident`` in ``room_id`` (for callers that grow an allocation)."""
        self.by_room[room_id].append(resident)
        self._full.pop(room_id, None)

    def full_times(self, room: Room) -> list[tuple[dt.date, dt.date]]:
        """The spells on which the room's occupants fill every bed (computed once per room)."""
        spells = self._full.get(room.id)
        if spells is None:
            occupants = self.by_room.get(room.id, [])
            spells = (
                [(a, b) for a, b, _ in full_spells(_ALL_TIME, room.capacity, occupants)]
                if len(occupants) >= room.capacity
                else []
            )
            self._full[room.id] = spells
        return spells

    def personal_block(self, resident: Resident) -> bool:
        """Whether a lock or a group keeps ``resident`` from moving alone to any other room."""
        if resident.locked:
            return True
        return resident.group is not None and len(self.groups.get(resident.group, ())) > 1

    def room_blocks(
        self, resident: Resident, room: Room, without: Sequence[str] = ()
    ) -> set[str]:
        """The kinds of room-level reason :meth:`reasons` would give, without the words.

        Quick: the bulk scans of unhoused residents and of stability call it for many rooms.
        Custom rules are not included (see :meth:`rule_reasons`). The sharing rules decide
        (:meth:`SharingRules.blocking`); a broken ``capacity`` is said ``full``.
        """
        occupants = self.by_room.get(room.id)
        if not occupants:
            return set()
        position = self._position
        here = [position[o.id] for o in occupants if o.id not in without]
        kinds = self.sharing.blocking(room.capacity, here, position[resident.id])
        if "capacity" in kinds:
            kinds.remove("capacity")
            kinds.add("full")
        return kinds

    def reasons(
        self, resident: Resident, room: Room, without: Sequence[str] = ()
    ) -> list[Reason]:
        """What in the current allocation blocks moving ``resident`` alone into ``room``.

        ``without`` are residents assumed gone from the room (e.g. a swap partner).
        """
        out: list[Reason] = []
        me = (resident.id,)
        here = (room.id,)
        current = self.assignments.get(resident.id)
        if resident.locked and resident.current_room != room.id:
            out.append(said("locked", Phrase("locked", {"resident": resident.id,
                                                        "current": resident.current_room}),
                            me, (resident.current_room or "",)))
        mates = [m for m in self.groups.get(resident.group or "", []) if m.id != resident.id]
        if resident.group is not None and mates:
            where = (
                Phrase("group_where_housed", {"room": current})
                if current is not None
                else Phrase("group_where_unhoused")
            )
            out.append(said("group", Phrase("group", {
                "resident": resident.id, "group": resident.group,
                "mates": tuple(m.id for m in mates), "where": where}),
                me + tuple(m.id for m in mates), here))
        others = [
            o
            for o in self.occupants(room.id, (resident.id, *without))
            if o.overlaps(resident)
        ]
        position = self._position
        broken = {o.id: self.sharing.pair_rules(position[resident.id], position[o.id])
                  for o in others}
        crowded = "capacity" in self.sharing.blocking(
            room.capacity, [position[o.id] for o in others], position[resident.id])
        # The rules say whether; the spells say when, and with whom, in words.
        spells = full_spells(resident, room.capacity, others) if crowded else []
        for a, b, present in spells:
            out.append(said("full", Phrase("room_full", {
                "room": room.id, "beds": Count(room.capacity, "bed"), "nights": Nights(a, b),
                "occupants": tuple(who(o) for o in present)}),
                tuple(o.id for o in present), here, nights=Nights(a, b).to_dict()))
        mixed = [o for o in others if "gender_mixing" in broken[o.id]]
        if mixed:
            out.append(said("gender_mixing", Phrase("gender_mixing", {
                "room": room.id, "resident": resident.id,
                "gender": resident.gender or "without a gender given",
                "occupants": tuple(
                    f"{who(o)} ({o.gender or 'no gender given'})" for o in mixed)}),
                tuple(o.id for o in mixed), here))
        private = [o for o in others if "private" in broken[o.id]]
        # Whose privacy it is only changes the words.
        if resident.private and private:
            out.append(said("private", Phrase("private_self", {
                "resident": resident.id, "room": room.id,
                "occupants": tuple(who(o) for o in private)}),
                tuple(o.id for o in private), here, who="self"))
        private_others = [o for o in private if o.private]
        if private_others:
            out.append(said("private", Phrase("private_other", {
                "room": room.id, "occupants": tuple(who(o) for o in private_others)}),
                tuple(o.id for o in private_others), here, who="others"))
        avoided = [o for o in others if "avoid" in broken[o.id]]
        if avoided:
            out.append(said("avoid", Phrase("avoid", {
                "resident": resident.id, "room": room.id,
                "occupants": tuple(who(o) for o in avoided)}),
                tuple(o.id for o in avoided), here))
        if self.rules:
            out.extend(self.rule_reasons(resident, room))
        return [_about(r, resident) for r in out]

    @cached_property
    def _rule_baseline(self) -> dict[str, set[str]]:
        return {
            rule.name: {str(v) for v in rule.check(self.problem, self.assignments)}
            for rule in self.rules
        }

    def rule_reasons(self, resident: Resident, room: Room) -> list[Reason]:
        """New violations custom rules report when ``resident`` moves alone to ``room``."""
        moved = dict(self.assignments)
        moved[resident.id] = room.id
        out: list[Reason] = []
        for rule in self.rules:
            before = self._rule_baseline[rule.name]
            for v in rule.check(self.problem, moved):
                if str(v) in before:
                    continue
                out.append(said(f"rule:{rule.name}", Phrase("custom_rule", {"message": v.message}),
                                v.residents, (room.id,)))
        return out


# What an own rule rules out, for a resident no room fits.
_NO_ROOM_KEYS = {
    "needs": "no_room_needs",
    "budget": "no_room_budget",
    "room_gender": "no_room_gender",
    "unavailable": "no_room_closed",
    "excluded_rooms": "no_room_excluded",
}


def no_room_phrase(table: RoomTable, resident: Resident) -> Phrase:
    """How many rooms each of ``resident``'s own rules rules out, in words.

    >>> from roomalloc import Problem, Room, Resident
    >>> from roomalloc.explanation.words import ENGLISH
    >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=900)],
    ...             residents=[Resident(id="r1", needs=("hoist",), budget=500)])
    >>> ENGLISH.render(no_room_phrase(RoomTable(p), p.residents[0]))
    "1 room lacks 'hoist' and 1 room costs more than the budget of 500"
    """
    parts = []
    for rule, mask in table.own_rule_masks(resident).items():
        out = int((~mask).sum())
        if not out:
            continue
        params: dict[str, object] = {"n": out}
        if rule == "needs":
            params["features"] = AnyOf(tuple(f"'{f}'" for f in resident.needs))
        if rule == "budget":
            params["budget"] = resident.budget
        parts.append(Phrase(_NO_ROOM_KEYS[rule], params))
    return Phrase("list", {"items": tuple(parts)}) if parts else Phrase("no_room_none")
