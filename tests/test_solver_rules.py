"""One focused test per hard rule: dropping the rule would give a better objective.

Each problem is built so that the best allocation *without* the rule breaks it; the test
checks the solver's allocation obeys the rule, passes the independent check, and has the
(lower) optimum that the rule leaves.
"""

from __future__ import annotations

import datetime as dt

import roomalloc
from roomalloc import Interval, Preference, Problem, Resident, Room, Roommates, Rules, TermSpec

HOUSED = (TermSpec(term="housed", weight=1000), TermSpec(term="preferences", weight=1))


def _stay(first: int, last_excluded: int) -> Interval:
    base = dt.date(2026, 9, 1)
    return Interval(start=base + dt.timedelta(first), end=base + dt.timedelta(last_excluded))


def _solve(problem: Problem) -> roomalloc.Result:
    result = roomalloc.solve(problem, workers=1, seed=0, time_limit=10, diagnose=False)
    assert result.status == "optimal"
    assert roomalloc.check(problem, result).ok
    return result


def _housed(result: roomalloc.Result) -> set[str]:
    return {r for r, k in result.assignments.items() if k is not None}


def test_capacity_limits_a_room_on_every_night() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1)],
        residents=[Resident(id="a"), Resident(id="b")],
        objective=HOUSED,
    )
    result = _solve(p)
    assert len(_housed(result)) == 1
    assert result.objective == 1000


def test_capacity_counts_only_residents_present_on_the_same_night() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1)],
        residents=[
            Resident(id="early", stay=_stay(0, 3)),
            Resident(id="late", stay=_stay(3, 6)),
            Resident(id="middle", stay=_stay(2, 4), priority=1.5),
        ],
        objective=HOUSED,
    )
    result = _solve(p)
    # middle overlaps both; early + late (2.0) beat middle alone (1.5).
    assert _housed(result) == {"early", "late"}
    assert result.objective == 2000


def test_room_gender_keeps_other_genders_out() -> None:
    p = Problem(
        rooms=[Room(id="F", capacity=2, gender="female")],
        residents=[Resident(id="m", gender="male"), Resident(id="f", gender="female")],
        objective=HOUSED,
    )
    assert _solve(p).assignments == {"m": None, "f": "F"}


def test_gender_mixing_forbid_keeps_overlapping_genders_apart() -> None:
    residents = [Resident(id="m", gender="male"), Resident(id="f", gender="female")]
    p = Problem(rooms=[Room(id="A", capacity=2)], residents=residents, objective=HOUSED)
    assert len(_housed(_solve(p))) == 1
    allowed = p.model_copy(update={"rules": Rules(gender_mixing="allow")})
    assert len(_housed(_solve(allowed))) == 2


def test_gender_mixing_allows_sharing_when_stays_do_not_overlap() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2)],
        residents=[
            Resident(id="m", gender="male", stay=_stay(0, 3)),
            Resident(id="f", gender="female", stay=_stay(3, 6)),
            Resident(id="x", gender="female", stay=_stay(2, 4), priority=0.5),
        ],
        objective=HOUSED,
    )
    result = _solve(p)
    # x overlaps m (different gender): m + f (2.0), sharing at different times, beat f + x.
    assert _housed(result) == {"m", "f"}


def test_unavailable_room_is_not_used_during_a_closure() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1, unavailable=(_stay(2, 4),)), Room(id="B", capacity=1)],
        residents=[
            Resident(id="a", stay=_stay(3, 5), preferences=(Preference(room="A", weight=5),)),
            Resident(id="b", stay=_stay(4, 6), preferences=(Preference(room="A", weight=1),)),
        ],
        objective=HOUSED,
    )
    result = _solve(p)
    assert result.assignments == {"a": "B", "b": "A"}
    assert result.objective == 2001


def test_needs_are_met() -> None:
    p = Problem(
        rooms=[Room(id="plain", capacity=1), Room(id="acc", capacity=1, features=("accessible",))],
        residents=[
            Resident(id="a", needs=("accessible",),
                     preferences=(Preference(room="plain", weight=9),)),
        ],
        objective=HOUSED,
    )
    result = _solve(p)
    assert result.assignments == {"a": "acc"}
    assert result.objective == 1000


def test_private_resident_shares_with_nobody_overlapping() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2)],
        residents=[Resident(id="p", private=True, priority=2), Resident(id="o")],
        objective=HOUSED,
    )
    result = _solve(p)
    assert _housed(result) == {"p"}
    assert result.objective == 2000


def test_budget_is_respected() -> None:
    p = Problem(
        rooms=[Room(id="dear", capacity=1, cost=600), Room(id="cheap", capacity=1, cost=300)],
        residents=[Resident(id="a", budget=400, preferences=(Preference(room="dear", weight=9),))],
        objective=HOUSED,
    )
    assert _solve(p).assignments == {"a": "cheap"}


def test_excluded_rooms_are_never_used() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id="a", excluded_rooms=("A",),
                            preferences=(Preference(room="A", weight=9),))],
        objective=HOUSED,
    )
    result = _solve(p)
    assert result.assignments == {"a": "B"}
    assert result.objective == 1000


def test_avoid_keeps_two_residents_apart_either_side() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2)],
        residents=[Resident(id="a"), Resident(id="b", roommates=Roommates(avoid=("a",)))],
        objective=HOUSED,
    )
    assert len(_housed(_solve(p))) == 1


def test_avoid_does_not_apply_when_stays_do_not_overlap() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2)],
        residents=[
            Resident(id="a", stay=_stay(0, 2)),
            Resident(id="b", stay=_stay(2, 4), roommates=Roommates(avoid=("a",))),
        ],
        objective=HOUSED,
    )
    assert len(_housed(_solve(p))) == 2


def test_group_lives_together_or_not_at_all() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[Resident(id=f"g{i}", group="trio") for i in range(3)],
        objective=HOUSED,
    )
    result = _solve(p)
    assert _housed(result) == set()
    bigger = Problem(rooms=[Room(id="A", capacity=3)], residents=p.residents, objective=HOUSED)
    assert _solve(bigger).assignments == {"g0": "A", "g1": "A", "g2": "A"}


def test_required_resident_is_housed_even_when_worth_less() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1)],
        residents=[Resident(id="low", required=True), Resident(id="high", priority=3)],
        objective=HOUSED,
    )
    result = _solve(p)
    assert result.assignments == {"low": "A", "high": None}
    assert result.objective == 1000


def test_locked_resident_stays_in_the_current_room() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id="a", current_room="B", locked=True,
                            preferences=(Preference(room="A", weight=9),))],
        objective=HOUSED,
    )
    result = _solve(p)
    assert result.assignments == {"a": "B"}
    assert result.objective == 1000


def test_locked_into_a_room_the_resident_may_not_use_is_infeasible() -> None:
    p = Problem(
        rooms=[Room(id="A", capacity=1, gender="female")],
        residents=[Resident(id="a", gender="male", current_room="A", locked=True)],
        objective=HOUSED,
    )
    result = roomalloc.solve(p, workers=1, diagnose=False)
    assert result.status == "infeasible"
    assert result.assignments == {}
