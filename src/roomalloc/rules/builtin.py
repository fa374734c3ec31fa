"""The contract's hard rules as :class:`Rule` plug-ins, written with the public API.

Each rule's :meth:`check` is the independent verifier's
(:data:`roomalloc.verify.verifier.RULE_CHECKS`); its :meth:`add_to_model` adds its constraints
through the solver's build context. The static rules (needs, budget, excluded rooms, room
gender, closures) add nothing: the candidate matrix (:mod:`roomalloc.solver.candidates`)
already leaves out every pair they forbid, so no placement variable exists for it. Every other
rule wraps its constraints with ``ctx.enforce(..., requirement)`` so that a guarded model (for
diagnosis) can switch each requirement off.

Example
-------
>>> [rule.name for rule in BUILTIN_RULES][:4]
['capacity', 'room_gender', 'gender_mixing', 'unavailable']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from roomalloc.rules.base import Rule
from roomalloc.rules.requirements import Requirement

if TYPE_CHECKING:
    from roomalloc.domain.model import Problem
    from roomalloc.plugins import BuildContext
    from roomalloc.verify.violations import Violation


class _BuiltinRule(Rule):
    """A contract rule: checked by the independent verifier."""

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> Iterable[Violation]:
        from roomalloc.verify.verifier import RULE_CHECKS

        return list(RULE_CHECKS[self.name](problem, assignments))

    def add_to_model(self, ctx: BuildContext) -> None:
        """Static rule: enforced by the candidate matrix, nothing to add."""


class Capacity(_BuiltinRule):
    """On every night a room holds at most ``capacity`` residents (checked on binding segments)."""

    name = "capacity"

    def add_to_model(self, ctx: BuildContext) -> None:
        for room in ctx.problem.rooms:
            ctx.in_time()
            occupants = ctx.occupants[room.id]
            if len(occupants) <= room.capacity:
                continue
            beds = "bed" if room.capacity == 1 else "beds"
            req = Requirement("capacity", (room.id,), f"room {room.id} has {room.capacity} {beds}")
            for seg in ctx.segments(room.id, binding=True):
                if len(seg.residents) > room.capacity:
                    ctx.enforce(
                        ctx.model.add(
                            cp_model.LinearExpr.sum([occupants[r] for r in seg.residents])
                            <= room.capacity
                        ),
                        req,
                    )


class RoomGender(_BuiltinRule):
    """A designated room takes only residents of its gender (static)."""

    name = "room_gender"


class GenderMixing(_BuiltinRule):
    """With ``gender_mixing: forbid``, residents sharing a room while their stays overlap match.

    Per binding segment with two or more genders among its candidates, one literal per gender
    ("this segment is g's"), at most one of them true, implied by each placement.
    """

    name = "gender_mixing"

    def add_to_model(self, ctx: BuildContext) -> None:
        if ctx.problem.rules.gender_mixing != "forbid":
            return
        for room in ctx.problem.rooms:
            ctx.in_time()
            occupants = ctx.occupants[room.id]
            if len({ctx.resident(r).gender for r in occupants}) <= 1:
                continue
            req = Requirement(
                "gender_mixing",
                (room.id,),
                f"residents of different genders may not share room {room.id}",
            )
            guard = ctx.guard(req)
            for n, seg in enumerate(ctx.segments(room.id, binding=True)):
                by_gender: dict[str | None, list[str]] = defaultdict(list)
                for r in seg.residents:
                    by_gender[ctx.resident(r).gender].append(r)
                if len(by_gender) <= 1:
                    continue
                flags = []
                for g, members in by_gender.items():
                    flag = ctx.model.new_bool_var(f"gender[{room.id}|{n}|{g}]")
                    flags.append(flag)
                    if guard is None:
                        # Unguarded, capacity holds too, so "at most `beds` of g, and only if
                        # the segment is g's" is valid; with the per-placement implications it
                        # gives the LP relaxation a far better bound than either family alone
                        # (a 400-resident campus: proven in 29 s instead of a gap after 60 s).
                        beds = min(room.capacity, len(members))
                        ctx.model.add(
                            cp_model.LinearExpr.sum([occupants[r] for r in members])
                            <= beds * flag
                        )
                        if beds > 1:
                            for r in members:
                                ctx.model.add_implication(occupants[r], flag)
                        continue
                    for r in members:
                        ctx.model.add_implication(occupants[r], flag).only_enforce_if(guard)
                ctx.model.add_at_most_one(flags)


class Unavailable(_BuiltinRule):
    """Nobody whose stay overlaps a room's closure is placed there (static)."""

    name = "unavailable"


class Needs(_BuiltinRule):
    """The room has every feature the resident needs (static)."""

    name = "needs"


class Private(_BuiltinRule):
    """A private resident shares the room with nobody whose stay overlaps theirs.

    Unguarded, one constraint per room and binding segment holding a private candidate:
    ``sum(x) + (capacity - 1) * q <= capacity``, where ``q`` ("a private resident is here")
    is implied by each private candidate's placement. Any overlapping pair is present together
    in some binding segment, so this forbids exactly what the rule forbids. Guarded, one
    constraint per private resident and candidate room, so each resident has its own guard.
    """

    name = "private"

    def add_to_model(self, ctx: BuildContext) -> None:
        private = [r.id for r in ctx.problem.residents if r.private]
        if not private:
            return
        if ctx.guarded:
            self._per_resident(ctx, private)
        else:
            self._per_room(ctx, set(private))

    @staticmethod
    def _per_room(ctx: BuildContext, private: set[str]) -> None:
        for room in ctx.problem.rooms:
            ctx.in_time()
            occupants = ctx.occupants[room.id]
            here = [r for r in occupants if r in private]
            if not here or len(occupants) < 2:
                continue
            for n, seg in enumerate(ctx.segments(room.id, binding=True)):
                inside = [r for r in seg.residents if r in private]
                if not inside or len(seg.residents) < 2:
                    continue
                q = ctx.model.new_bool_var(f"private_here[{room.id}|{n}]")
                for r in inside:
                    ctx.model.add_implication(occupants[r], q)
                ctx.model.add(
                    cp_model.LinearExpr.sum([occupants[r] for r in seg.residents])
                    + (room.capacity - 1) * q
                    <= room.capacity
                )

    @staticmethod
    def _per_resident(ctx: BuildContext, private: list[str]) -> None:
        c = ctx.candidates
        for rid in private:
            req = Requirement("private", (rid,), f"{rid} must have a room to themselves")
            i = c.resident_index[rid]
            overlapping = (c.starts < c.ends[i]) & (c.starts[i] < c.ends)
            for room_id, x in ctx.placements[rid].items():
                others = [
                    var
                    for s, var in ctx.occupants[room_id].items()
                    if s != rid and overlapping[c.resident_index[s]]
                ]
                if others:
                    ct = ctx.model.add(cp_model.LinearExpr.sum(others) == 0).only_enforce_if(x)
                    ctx.enforce(ct, req)


class Budget(_BuiltinRule):
    """The room's bed cost is within the resident's budget (static)."""

    name = "budget"


class ExcludedRooms(_BuiltinRule):
    """Never in an excluded room (static)."""

    name = "excluded_rooms"


class Avoid(_BuiltinRule):
    """Residents who avoid each other (either side) never share a room while stays overlap."""

    name = "avoid"

    def add_to_model(self, ctx: BuildContext) -> None:
        pairs: set[tuple[str, str]] = set()
        known = {r.id for r in ctx.problem.residents}
        for r in ctx.problem.residents:
            for s in r.roommates.avoid:
                if s in known and s != r.id and ctx.overlaps(r.id, s):
                    pairs.add((min(r.id, s), max(r.id, s)))
        for a, b in sorted(pairs):
            req = Requirement("avoid", (a, b), f"{a} and {b} must not share a room")
            rooms_b = ctx.placements[b]
            for room_id, xa in ctx.placements[a].items():
                xb = rooms_b.get(room_id)
                if xb is not None:
                    ctx.enforce(ctx.model.add_bool_or([~xa, ~xb]), req)


class Group(_BuiltinRule):
    """A group lives in one room together, or none of its members is housed."""

    name = "group"

    def add_to_model(self, ctx: BuildContext) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        for r in ctx.problem.residents:
            if r.group is not None:
                groups[r.group].append(r.id)
        for label, members in groups.items():
            if len(members) < 2:
                continue
            req = Requirement(
                "group",
                (label, *members),
                f"group {label} ({', '.join(members)}) must live together in one room, "
                "or none of them be housed",
            )
            common = set(ctx.placements[members[0]])
            for m in members[1:]:
                common &= set(ctx.placements[m])
            first = ctx.placements[members[0]]
            for m in members:
                for room_id, x in ctx.placements[m].items():
                    if room_id not in common:
                        ctx.enforce(ctx.model.add(x == 0), req)
                    elif m != members[0]:
                        ctx.enforce(ctx.model.add(x == first[room_id]), req)


class Required(_BuiltinRule):
    """A required resident is housed."""

    name = "required"

    def add_to_model(self, ctx: BuildContext) -> None:
        for r in ctx.problem.residents:
            if r.required:
                req = Requirement("required", (r.id,), f"{r.id} must be housed")
                ctx.enforce(ctx.model.add_bool_or([ctx.housed(r.id)]), req)


class Locked(_BuiltinRule):
    """A locked resident is housed in their current room."""

    name = "locked"

    def add_to_model(self, ctx: BuildContext) -> None:
        for r in ctx.problem.residents:
            if not r.locked:
                continue
            req = Requirement(
                "locked", (r.id,), f"{r.id} must stay in their current room {r.current_room}"
            )
            x = ctx.placement(r.id, r.current_room) if r.current_room is not None else None
            if x is None:
                ctx.forbid(req)
            else:
                ctx.enforce(ctx.model.add_bool_or([x]), req)


BUILTIN_RULES: tuple[Rule, ...] = (
    Capacity(),
    RoomGender(),
    GenderMixing(),
    Unavailable(),
    Needs(),
    Private(),
    Budget(),
    ExcludedRooms(),
    Avoid(),
    Group(),
    Required(),
    Locked(),
)
