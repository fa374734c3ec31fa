"""Every built-in term on a hand-computed example, with and without stays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from roomalloc import Interval, Preference, Problem, Resident, Room, Roommates, TermSpec, evaluate
from roomalloc.verify.evaluation import best_scores
from strategies import problems


def example(stays: bool = False, budget: float | None = None) -> Problem:
    s1 = Interval(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 10)) if stays else None
    s2 = Interval(start=dt.date(2026, 9, 10), end=dt.date(2026, 9, 20)) if stays else None
    return Problem(
        rooms=(
            Room(id="A1", building="A", floor=1, capacity=2, features=("quiet",), cost=100),
            Room(id="A2", building="A", floor=2, capacity=1, features=("ensuite",), cost=200),
            Room(id="B1", building="B", floor=0, capacity=2, cost=50),
        ),
        residents=(
            Resident(
                id="r1",
                priority=2,
                stay=s1,
                budget=budget,
                preferences=(
                    Preference(building="A", weight=3),
                    Preference(feature="quiet", weight=1),
                    Preference(room="A2", weight=5),
                    Preference(floor=(1, 2), weight=1),
                ),
                roommates=Roommates(want=("r2",)),
            ),
            Resident(
                id="r2",
                stay=s2,
                current_room="B1",
                preferences=(Preference(building="A", weight=2),),
                roommates=Roommates(want=("r1",)),
            ),
            Resident(
                id="r3",
                priority=1.5,
                current_room="A2",
                preferences=(Preference(building="B", weight=-2),),
            ),
            Resident(id="r4", current_room="B1"),
        ),
    )


ALLOCATION: dict[str, str | None] = {"r1": "A1", "r2": "A1", "r3": "B1", "r4": None}


def test_every_term_by_hand_without_stays() -> None:
    ev = evaluate(example(), ALLOCATION)
    assert ev.terms == {
        "housed": 4.5,  # 2 + 1 + 1.5
        "preferences": 5.0,  # r1: A 3 + quiet 1 + floor 1; r2: A 2; r3: B -2
        "roommates": 2.0,  # r1 -> r2 and r2 -> r1
        "cost": 250.0,  # 100 + 100 + 50
        "rooms_used": 2.0,  # A1, B1
        "moves": 3.0,  # r2 (B1 -> A1), r3 (A2 -> B1), r4 unhoused
        "fairness": pytest.approx(5 / 9),  # r1: 5 of best 9 (A2); r2: 2 of 2; r3 ignored
    }
    assert ev.objective == 1000 * 4.5 + 5 + 2 * 2
    assert ev.contributions == {"housed": 4500.0, "preferences": 5.0, "roommates": 4.0}


def test_stays_that_do_not_overlap_meet_no_roommate_wish() -> None:
    ev = evaluate(example(stays=True), ALLOCATION)
    assert ev.terms["roommates"] == 0.0
    assert ev.terms["housed"] == 4.5
    assert ev.objective == 4505.0


def test_fairness_best_respects_the_residents_own_rules() -> None:
    p = example(budget=150)  # A2 costs 200: r1's best allowed room is A1, score 5
    assert best_scores(p) == {"r1": 5.0, "r2": 2.0, "r3": 0.0, "r4": 0.0}
    assert evaluate(p, ALLOCATION).terms["fairness"] == 1.0


def test_minimise_terms_subtract_and_missing_residents_are_unhoused() -> None:
    p = example().model_copy(
        update={
            "objective": (
                TermSpec(term="housed", weight=10),
                TermSpec(term="cost", weight=0.5),
                TermSpec(term="rooms_used", weight=7),
                TermSpec(term="moves", weight=1),
                TermSpec(term="fairness", weight=9),
            )
        }
    )
    ev = evaluate(p, {"r1": "A1"})  # everyone else absent = unhoused
    assert ev.terms["housed"] == 2.0
    assert ev.terms["moves"] == 3.0
    assert ev.objective == pytest.approx(10 * 2 - 0.5 * 100 - 7 * 1 - 3 + 9 * 5 / 9)


def test_custom_term_in_objective_is_evaluated() -> None:
    from roomalloc.terms import Term, register_term, unregister_term

    class Quiet(Term):
        name = "quiet_residents"
        sense = "maximize"

        def value(self, problem: Problem, assignments: object) -> float:
            assert isinstance(assignments, dict)
            return float(
                sum(1 for k in assignments.values() if k and "quiet" in problem.room(k).features)
            )

        def add_to_model(self, ctx: object) -> object:
            raise NotImplementedError

    register_term(Quiet())
    try:
        p = example().model_copy(
            update={"objective": (TermSpec(term="quiet_residents", weight=3),)}
        )
        ev = evaluate(p, ALLOCATION)
        assert ev.terms["quiet_residents"] == 2.0
        assert ev.objective == 6.0
    finally:
        unregister_term("quiet_residents")


@given(problems(max_rooms=5, max_residents=6))
def test_best_scores_match_a_scan_of_every_room(problem: Problem) -> None:
    from roomalloc.verify.evaluation import allows

    expected = {}
    for r in problem.residents:
        scores = [r.score(k) for k in problem.rooms if allows(r, k)]
        top = max(scores, default=0.0)
        expected[r.id] = top if top > 0 else 0.0
    assert best_scores(problem) == expected
