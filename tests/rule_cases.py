"""The shared case table of the hard rules (Timefold's ConstraintVerifier idea).

Each row is a tiny problem, a whole allocation, and the one rule it breaks (or ``None``: every
rule holds). ``test_rule_cases`` runs each row against every checker that has a say on its
rule -- the verifier, the CP-SAT model with the placements fixed, the explanation's reasons
and greedy's feasibility test -- so that the copies of a rule cannot drift apart. A new hard
rule is one class in ``rules/`` plus its rows here: at least one row that breaks it and one
that keeps it.

``placement`` names the (resident, room) the row is about: the placement that breaks the rule,
or the one that keeps it. Rows of a rule about an unhoused resident have none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from roomalloc import Interval, Problem, Resident, Room, Roommates, Rules
from roomalloc.rules import Rule

#: The hard rules whose verdict depends on one resident and one room.
PER_RESIDENT = ("needs", "budget", "excluded_rooms", "room_gender", "unavailable", "locked")
#: The hard rules that tie the residents of one room together (roomalloc.rules.sharing).
SHARING = ("capacity", "gender_mixing", "private", "avoid")
#: The hard rules about the allocation as a whole: who is housed, and where groups go.
WHOLE = ("group", "required")
#: The reason kind the explanation gives for each rule it explains.
REASON_KIND = {**{rule: rule for rule in PER_RESIDENT + SHARING}, "capacity": "full"}


@dataclass(frozen=True)
class Case:
    """One row: ``problem`` with ``allocation`` breaks ``broken`` (``None``: nothing)."""

    rule: str
    name: str
    problem: Problem
    allocation: dict[str, str | None]
    broken: str | None
    placement: tuple[str, str] | None = field(default=None)
    #: Custom rules (``roomalloc.rules.Rule``) the row's problem is checked and solved with.
    plugins: tuple[Rule, ...] = ()

    @property
    def id(self) -> str:
        """The test id: the rule, whether it breaks, and the case."""
        return f"{self.rule}-{'broken' if self.broken else 'holds'}-{self.name}"


def _day(n: int) -> dt.date:
    return dt.date(2026, 9, 1) + dt.timedelta(days=n)


def stay(first: int, end: int) -> Interval:
    """Nights ``first`` up to, not including, ``end`` (days after 2026-09-01)."""
    return Interval(start=_day(first), end=_day(end))


def _case(rule: str, name: str, rooms: list[Room], residents: list[Resident],
          allocation: dict[str, str | None], *, breaks: bool,
          placement: tuple[str, str] | None = None, **rules: Any) -> Case:
    problem = Problem(rooms=rooms, residents=residents, rules=Rules(**rules))
    full = {r.id: allocation.get(r.id) for r in residents}
    return Case(rule, name, problem, full, rule if breaks else None, placement)


def _room(room_id: str, capacity: int = 1, **fields: Any) -> Room:
    return Room(id=room_id, capacity=capacity, **fields)


def _r(resident_id: str, **fields: Any) -> Resident:
    return Resident(id=resident_id, **fields)


def _avoids(*ids: str) -> Roommates:
    return Roommates(avoid=ids)


CASES: tuple[Case, ...] = (
    # --- capacity -----------------------------------------------------------------------------
    _case("capacity", "two_in_one_bed", [_room("A")], [_r("a"), _r("b")],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("capacity", "two_in_two_beds", [_room("A", 2)], [_r("a"), _r("b")],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    _case("capacity", "stays_share_one_night", [_room("A")],
          [_r("a", stay=stay(0, 3)), _r("b", stay=stay(2, 5))],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("capacity", "one_leaves_the_day_the_other_comes", [_room("A")],
          [_r("a", stay=stay(0, 3)), _r("b", stay=stay(3, 5))],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    _case("capacity", "three_at_once_in_two_beds", [_room("A", 2)],
          [_r("a", stay=stay(0, 4)), _r("b", stay=stay(1, 5)), _r("c", stay=stay(3, 6))],
          {"a": "A", "b": "A", "c": "A"}, breaks=True, placement=("c", "A")),
    _case("capacity", "three_in_turn_in_two_beds", [_room("A", 2)],
          [_r("a", stay=stay(0, 3)), _r("b", stay=stay(1, 5)), _r("c", stay=stay(3, 6))],
          {"a": "A", "b": "A", "c": "A"}, breaks=False, placement=("c", "A")),
    _case("capacity", "full_before_the_stay_only", [_room("A", 2)],
          [_r("a", stay=stay(0, 3)), _r("b", stay=stay(0, 3)), _r("c", stay=stay(3, 6))],
          {"a": "A", "b": "A", "c": "A"}, breaks=False, placement=("c", "A")),
    _case("capacity", "all_time_and_a_stay_in_one_bed", [_room("A")],
          [_r("a"), _r("b", stay=stay(2, 5))],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    # --- gender_mixing -------------------------------------------------------------------------
    _case("gender_mixing", "female_and_male", [_room("A", 2)],
          [_r("a", gender="f"), _r("b", gender="m")],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("gender_mixing", "female_and_no_gender_given", [_room("A", 2)],
          [_r("a", gender="f"), _r("b")],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("gender_mixing", "same_gender", [_room("A", 2)],
          [_r("a", gender="f"), _r("b", gender="f")],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    _case("gender_mixing", "mixing_allowed", [_room("A", 2)],
          [_r("a", gender="f"), _r("b", gender="m")],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A"), gender_mixing="allow"),
    _case("gender_mixing", "a_group_of_two_genders", [_room("A", 2)],
          [_r("a", gender="f", group="g"), _r("b", gender="m", group="g")],
          {"a": "A", "b": "A"}, breaks=True),
    _case("gender_mixing", "stays_apart", [_room("A", 2)],
          [_r("a", gender="f", stay=stay(0, 3)), _r("b", gender="m", stay=stay(3, 5))],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    # --- private ------------------------------------------------------------------------------
    _case("private", "private_newcomer", [_room("A", 2)],
          [_r("a"), _r("b", private=True)],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("private", "private_occupant", [_room("A", 2)],
          [_r("a", private=True), _r("b")],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("private", "alone_in_two_beds", [_room("A", 2)], [_r("a", private=True)],
          {"a": "A"}, breaks=False, placement=("a", "A")),
    _case("private", "stays_apart", [_room("A", 2)],
          [_r("a", private=True, stay=stay(0, 3)), _r("b", stay=stay(3, 5))],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    # --- avoid --------------------------------------------------------------------------------
    _case("avoid", "newcomer_avoids", [_room("A", 2)],
          [_r("a"), _r("b", roommates=_avoids("a"))],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("avoid", "occupant_avoids", [_room("A", 2)],
          [_r("a", roommates=_avoids("b")), _r("b")],
          {"a": "A", "b": "A"}, breaks=True, placement=("b", "A")),
    _case("avoid", "other_rooms", [_room("A"), _room("B")],
          [_r("a", roommates=_avoids("b")), _r("b")],
          {"a": "A", "b": "B"}, breaks=False, placement=("b", "B")),
    _case("avoid", "stays_apart", [_room("A", 2)],
          [_r("a", roommates=_avoids("b"), stay=stay(0, 3)), _r("b", stay=stay(3, 5))],
          {"a": "A", "b": "A"}, breaks=False, placement=("b", "A")),
    # --- needs --------------------------------------------------------------------------------
    _case("needs", "room_lacks_the_feature", [_room("A")], [_r("a", needs=("hoist",))],
          {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("needs", "room_has_every_feature", [_room("A", features=("hoist", "quiet"))],
          [_r("a", needs=("hoist", "quiet"))], {"a": "A"}, breaks=False, placement=("a", "A")),
    # --- budget -------------------------------------------------------------------------------
    _case("budget", "room_too_dear", [_room("A", cost=500)], [_r("a", budget=400)],
          {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("budget", "locked_in_a_room_too_dear", [_room("A", cost=500), _room("B")],
          [_r("a", budget=400, current_room="A", locked=True)],
          {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("budget", "cost_equals_budget", [_room("A", cost=400)], [_r("a", budget=400)],
          {"a": "A"}, breaks=False, placement=("a", "A")),
    # --- excluded_rooms -----------------------------------------------------------------------
    _case("excluded_rooms", "in_an_excluded_room", [_room("A"), _room("B")],
          [_r("a", excluded_rooms=("A",))], {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("excluded_rooms", "in_another_room", [_room("A"), _room("B")],
          [_r("a", excluded_rooms=("A",))], {"a": "B"}, breaks=False, placement=("a", "B")),
    # --- room_gender --------------------------------------------------------------------------
    _case("room_gender", "male_in_a_female_room", [_room("A", gender="f")],
          [_r("a", gender="m")], {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("room_gender", "no_gender_given_in_a_female_room", [_room("A", gender="f")],
          [_r("a")], {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("room_gender", "female_in_a_female_room", [_room("A", gender="f")],
          [_r("a", gender="f")], {"a": "A"}, breaks=False, placement=("a", "A")),
    # --- unavailable --------------------------------------------------------------------------
    _case("unavailable", "stay_overlaps_the_closure", [_room("A", unavailable=(stay(2, 4),))],
          [_r("a", stay=stay(0, 3))], {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("unavailable", "no_stay_is_all_time", [_room("A", unavailable=(stay(2, 4),))],
          [_r("a")], {"a": "A"}, breaks=True, placement=("a", "A")),
    _case("unavailable", "leaves_the_day_it_closes", [_room("A", unavailable=(stay(3, 5),))],
          [_r("a", stay=stay(0, 3))], {"a": "A"}, breaks=False, placement=("a", "A")),
    # --- locked -------------------------------------------------------------------------------
    _case("locked", "moved_out_of_the_current_room", [_room("A"), _room("B")],
          [_r("a", current_room="A", locked=True)], {"a": "B"}, breaks=True,
          placement=("a", "B")),
    _case("locked", "unhoused", [_room("A"), _room("B")],
          [_r("a", current_room="A", locked=True)], {"a": None}, breaks=True),
    _case("locked", "in_the_current_room", [_room("A"), _room("B")],
          [_r("a", current_room="A", locked=True)], {"a": "A"}, breaks=False,
          placement=("a", "A")),
    # --- group --------------------------------------------------------------------------------
    _case("group", "split_over_two_rooms", [_room("A", 2), _room("B", 2)],
          [_r("a", group="g"), _r("b", group="g")], {"a": "A", "b": "B"}, breaks=True),
    _case("group", "one_housed_one_not", [_room("A", 2)],
          [_r("a", group="g"), _r("b", group="g")], {"a": "A", "b": None}, breaks=True),
    _case("group", "together", [_room("A", 2)],
          [_r("a", group="g"), _r("b", group="g")], {"a": "A", "b": "A"}, breaks=False),
    _case("group", "none_housed", [_room("A", 2)],
          [_r("a", group="g"), _r("b", group="g")], {"a": None, "b": None}, breaks=False),
    # --- required -----------------------------------------------------------------------------
    _case("required", "unhoused", [_room("A")], [_r("a", required=True)], {"a": None},
          breaks=True),
    _case("required", "housed", [_room("A")], [_r("a", required=True)], {"a": "A"},
          breaks=False),
)
