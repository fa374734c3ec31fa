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
['A is full (1 bed) at all times with r2']
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cached_property
from itertools import pairwise

from roomalloc.model import Problem, Resident, Room
from roomalloc.rules.base import Rule

from .types import Reason
from .words import join_words, number, span, spell_words, who

Assignments = Mapping[str, "str | None"]


def own_rule_reasons(resident: Resident, room: Room) -> list[Reason]:
    """Every own rule of ``resident`` that ``room`` fails.

    >>> from roomalloc import Resident, Room
    >>> r = Resident(id="r1", needs=("accessible",), budget=300)
    >>> [x.kind for x in own_rule_reasons(r, Room(id="A", capacity=1, cost=400))]
    ['needs', 'budget']
    """
    out: list[Reason] = []
    ids = (resident.id,)
    rooms = (room.id,)
    missing = [f for f in resident.needs if f not in room.features]
    if missing:
        feats = join_words([repr(f) for f in missing])
        out.append(
            Reason("needs", f"{room.id} lacks {feats}, which {resident.id} needs", ids, rooms)
        )
    if resident.budget is not None and room.cost > resident.budget:
        out.append(
            Reason(
                "budget",
                f"{room.id} costs {number(room.cost)} a bed, over {resident.id}'s budget "
                f"of {number(resident.budget)}",
                ids,
                rooms,
            )
        )
    if room.gender is not None and resident.gender != room.gender:
        out.append(
            Reason(
                "room_gender",
                f"{room.id} is designated for {room.gender} residents"
                + (f" and {resident.id} is {resident.gender}" if resident.gender else ""),
                ids,
                rooms,
            )
        )
    closed = [c for c in room.unavailable if c.overlaps(resident.stay)]
    if closed:
        when = join_words([spell_words(c.start, c.end) for c in closed])
        out.append(
            Reason(
                "unavailable",
                f"{room.id} is closed {when}, during {resident.id}'s stay",
                ids,
                rooms,
            )
        )
    if room.id in resident.excluded_rooms:
        out.append(
            Reason(
                "excluded_rooms", f"{room.id} is one of {resident.id}'s excluded rooms", ids, rooms
            )
        )
    return out


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
        # Avoid is symmetric: either side's wish counts.
        self.avoids: dict[str, set[str]] = defaultdict(set)
        for r in problem.residents:
            for other in r.roommates.avoid:
                self.avoids[r.id].add(other)
                self.avoids[other].add(r.id)

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
        Custom rules are not included (see :meth:`rule_reasons`).
        """
        occupants = self.by_room.get(room.id)
        if not occupants:
            return set()
        others = [
            o
            for o in occupants
            if o.id != resident.id and o.id not in without and o.overlaps(resident)
        ]
        if not others:
            return set()
        kinds: set[str] = set()
        if len(others) >= room.capacity:
            if without or any(o.id == resident.id for o in occupants):
                full = bool(full_spells(resident, room.capacity, others))
            else:
                lo, hi = span(resident)
                full = any(a < hi and lo < b for a, b in self.full_times(room))
            if full:
                kinds.add("full")
        if self.problem.rules.gender_mixing == "forbid" and any(
            o.gender != resident.gender for o in others
        ):
            kinds.add("gender_mixing")
        if resident.private or any(o.private for o in others):
            kinds.add("private")
        avoids = self.avoids.get(resident.id)
        if avoids and any(o.id in avoids for o in others):
            kinds.add("avoid")
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
            out.append(
                Reason(
                    "locked",
                    f"{resident.id} is locked in their current room {resident.current_room}",
                    me,
                    (resident.current_room or "",),
                )
            )
        mates = [m for m in self.groups.get(resident.group or "", []) if m.id != resident.id]
        if resident.group is not None and mates:
            where = (
                f"housed together in {current}"
                if current is not None
                else "none of them housed"
            )
            out.append(
                Reason(
                    "group",
                    f"{resident.id} is in group {resident.group!r} with "
                    f"{join_words([m.id for m in mates])} ({where}); the group shares one room "
                    f"or is not housed, so {resident.id} cannot move alone",
                    me + tuple(m.id for m in mates),
                    here,
                )
            )
        others = [
            o
            for o in self.occupants(room.id, (resident.id, *without))
            if o.overlaps(resident)
        ]
        crowded = len(others) >= room.capacity
        spells = full_spells(resident, room.capacity, others) if crowded else []
        for a, b, present in spells:
            beds = f"{room.capacity} bed{'s' if room.capacity != 1 else ''}"
            out.append(
                Reason(
                    "full",
                    f"{room.id} is full ({beds}) {spell_words(a, b)} with "
                    f"{join_words([who(o) for o in present])}",
                    tuple(o.id for o in present),
                    here,
                )
            )
        if self.problem.rules.gender_mixing == "forbid":
            mixed = [o for o in others if o.gender != resident.gender]
            if mixed:
                gender = resident.gender or "no gender given"
                listed = join_words([f"{who(o)} ({o.gender or 'no gender given'})" for o in mixed])
                out.append(
                    Reason(
                        "gender_mixing",
                        f"placing {resident.id} ({gender}) in {room.id} would mix genders with "
                        f"{listed}",
                        tuple(o.id for o in mixed),
                        here,
                    )
                )
        if resident.private and others:
            out.append(
                Reason(
                    "private",
                    f"{resident.id} needs a private room but {room.id} is shared with "
                    f"{join_words([who(o) for o in others])} during the stay",
                    tuple(o.id for o in others),
                    here,
                )
            )
        private_others = [o for o in others if o.private]
        if private_others:
            out.append(
                Reason(
                    "private",
                    f"{join_words([who(o) for o in private_others])} must have {room.id} to "
                    "themselves (private) during the stay",
                    tuple(o.id for o in private_others),
                    here,
                )
            )
        avoided = [o for o in others if o.id in self.avoids.get(resident.id, ())]
        if avoided:
            out.append(
                Reason(
                    "avoid",
                    f"{resident.id} and {join_words([who(o) for o in avoided])} in {room.id} "
                    "must not share a room (an avoid wish)",
                    tuple(o.id for o in avoided),
                    here,
                )
            )
        if self.rules:
            out.extend(self.rule_reasons(resident, room))
        return out

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
                out.append(Reason(f"rule:{rule.name}", v.message, v.residents, (room.id,)))
        return out
