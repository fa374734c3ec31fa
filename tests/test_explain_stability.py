"""Stability report (planted blocking swaps and moves) and price (forced re-solve)."""

from __future__ import annotations

import pytest

from roomalloc import Preference, Problem, ProblemError, Resident, Result, Room, Roommates, TermSpec
from roomalloc.explanation import explain, price, stability
from roomalloc.explanation.price import Pricer
from roomalloc.solver import solve
from roomalloc.verify.verifier import check


def test_planted_blocking_swap_is_found_and_shown_to_improve() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1), Room(id="C", capacity=1)],
        residents=[
            Resident(id="r1", preferences=(Preference(room="B", weight=3),)),
            Resident(id="r2", preferences=(Preference(room="A", weight=2),)),
            Resident(id="r3"),
        ],
    )
    report = stability(problem, {"r1": "A", "r2": "B", "r3": "C"})
    assert not report.stable
    (swap,) = report.swaps
    assert (swap.first, swap.second, swap.first_room, swap.second_room) == ("r1", "r2", "A", "B")
    assert (swap.first_gain, swap.second_gain) == (3.0, 2.0)
    assert swap.objective_change == pytest.approx(5.0)
    assert swap.outweighed_by is None
    assert "not the best possible" in swap.text
    assert report.moves == ()


def test_swap_that_breaks_a_hard_rule_is_not_blocking() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, features=("quiet",))],
        residents=[
            Resident(id="r1", preferences=(Preference(room="B", weight=3),)),
            Resident(id="r2", needs=("quiet",), preferences=(Preference(room="A", weight=2),)),
        ],
    )
    assert stability(problem, {"r1": "A", "r2": "B"}).stable


def test_swap_in_an_optimal_allocation_is_outweighed_by_a_named_term() -> None:
    # r1 and r2 would both like the other's room, but r1 shares A with a friend (roommates).
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[
            Resident(id="r1", preferences=(Preference(room="B", weight=1),),
                     roommates=Roommates(want=("f",))),
            Resident(id="f", roommates=Roommates(want=("r1",))),
            Resident(id="r2", preferences=(Preference(room="A", weight=1),)),
        ],
    )
    result = solve(problem, time_limit=10, workers=1)
    assert result.status == "optimal"
    assert result.assignments == {"r1": "A", "f": "A", "r2": "B"}
    (swap,) = stability(problem, result).swaps
    assert swap.objective_change == pytest.approx(-2.0)  # +2 preferences, -4 roommates
    assert swap.outweighed_by == "roommates"


def test_blocking_move_to_a_free_bed_and_for_an_unhoused_resident() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, cost=10),
               Room(id="C", capacity=1)],
        residents=[
            Resident(id="r1", preferences=(Preference(room="B", weight=2),)),
            Resident(id="r2"),
        ],
        objective=[TermSpec(term="housed", weight=5), TermSpec(term="preferences", weight=1),
                   TermSpec(term="cost", weight=1)],
    )
    report = stability(problem, {"r1": "A", "r2": None})
    by = {m.resident: m for m in report.moves}
    assert by["r1"].room_to == "B" and by["r1"].gain == 2.0
    assert by["r1"].objective_change == pytest.approx(2 - 10)
    assert by["r1"].outweighed_by == "cost"
    assert by["r2"].room_from is None and by["r2"].room_to in {"B", "C"}
    for m in report.moves:
        changed = {"r1": "A", "r2": None, m.resident: m.room_to}
        assert check(problem, changed).ok


def test_explain_includes_stability() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[
            Resident(id="r1", preferences=(Preference(room="B", weight=3),)),
            Resident(id="r2", preferences=(Preference(room="A", weight=2),)),
        ],
    )
    ex = explain(problem, {"r1": "A", "r2": "B"})
    assert ex.stability is not None and len(ex.stability.swaps) == 1
    assert "1 swap and 0 moves to a free bed would suit someone better" in ex.to_text()


def price_case() -> Problem:
    return Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1), Room(id="C", capacity=1)],
        residents=[
            Resident(id="r1", preferences=(Preference(room="A", weight=5),)),
            Resident(id="r2", preferences=(Preference(room="A", weight=1),
                                           Preference(room="B", weight=3))),
            Resident(id="r3", preferences=(Preference(room="B", weight=2),)),
        ],
    )


def test_price_reports_the_objective_change_and_who_moves() -> None:
    problem = price_case()
    result = solve(problem, time_limit=10, workers=1)
    assert result.assignments == {"r1": "A", "r2": "B", "r3": "C"}
    p = price(problem, result, "r3", "B", time_limit=10)
    assert p.status == "optimal" and p.proven
    # Best with r3 in B: r1 A (5), r2 C (0), r3 B (2) = 7 vs 8 before.
    assert p.change == pytest.approx(-1.0)
    assert [(m.resident, m.before, m.after) for m in p.moves] == [("r2", "B", "C")]
    assert p.term_changes["preferences"] == pytest.approx(-1.0)
    assert "r2 from B to C" in p.text


def test_price_of_an_impossible_placement() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id="r1", locked=True, current_room="A"), Resident(id="r2")],
    )
    p = price(problem, {"r1": "A", "r2": "B"}, "r2", "A", time_limit=10)
    assert p.status == "infeasible" and p.change is None
    assert p.text == (
        "placing r2 in A is impossible (proven): these 3 requirements cannot all hold together "
        "(dropping any one of them makes the rest possible): r2 must be housed; their own "
        "rules allow A; r1 must stay in their current room A; room A has 1 bed"
    )


def test_price_does_not_touch_current_room_or_moves() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id="r1", current_room="A", preferences=(Preference(room="B",
                                                                                weight=1),))],
        objective=[TermSpec(term="preferences", weight=1), TermSpec(term="moves", weight=3)],
    )
    result = solve(problem, time_limit=10, workers=1)
    assert result.assignments == {"r1": "A"}
    p = price(problem, result, "r1", "B", time_limit=10)
    assert p.change == pytest.approx(1 - 3)
    assert p.term_changes == {"preferences": 1.0, "moves": -3.0}


def test_explain_with_prices_for_one_resident() -> None:
    problem = price_case()
    result = solve(problem, time_limit=10, workers=1)
    ex = explain(problem, result, residents=["r3"], price_alternatives=True, time_limit=10,
                 with_stability=False)
    (alt,) = ex.residents["r3"].alternatives
    assert alt.room == "B"
    assert [r.kind for r in alt.reasons] == ["full"]
    assert alt.price is not None and alt.price.change == pytest.approx(-1.0)
    assert (
        "if they were placed there: placing r3 in B would lower the allocation's score by 1 "
        "(proven: the best allocation with that placement); r2 from B to C would change rooms"
    ) in ex.to_text("r3")


def test_result_object_and_mapping_give_the_same_residents() -> None:
    problem = price_case()
    result = Result(status="feasible", assignments={"r1": "A", "r2": "B", "r3": "C"})
    a = explain(problem, result, with_stability=False)
    b = explain(problem, dict(result.assignments), with_stability=False)
    assert a.residents == b.residents


def test_price_hint_makes_way_and_keeps_every_rule() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[
            Resident(id="new", gender="f", preferences=(Preference(room="A", weight=5),)),
            Resident(id="low", gender="f", priority=1),
            Resident(id="high", gender="f", priority=3),
            Resident(id="man", gender="m"),
        ],
    )
    given = {"new": "B", "low": "A", "high": "A", "man": None}
    hint = Pricer(problem, given).hint("new", "A")
    # The lowest priority occupant makes way and takes the newcomer's old bed.
    assert hint == {"new": "A", "low": "B", "high": "A", "man": None}
    assert check(problem, hint).ok
    # A newcomer who would mix genders clears the room of the other gender.
    assert Pricer(problem, given).hint("man", "A") == {
        "new": "B", "low": None, "high": None, "man": "A"}


def test_price_of_unknown_ids_is_a_clear_error() -> None:
    with pytest.raises(ProblemError, match="'nobody' is not a resident"):
        price(price_case(), {"r1": "A"}, "nobody", "nowhere")
