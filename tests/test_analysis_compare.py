"""compare: hand-made allocations, so every field's expected value is known."""

from __future__ import annotations

import pytest

from roomalloc import Preference, Problem, Resident, Result, Room, compare
from roomalloc.analysis.scenarios import add_residents, remove_residents


@pytest.fixture
def problem() -> Problem:
    return Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1), Room(id="C", capacity=2)],
        residents=[
            Resident(id="r1", preferences=[Preference(room="B", weight=4),
                                           Preference(room="A", weight=1)]),
            Resident(id="r2", preferences=[Preference(room="A", weight=2)]),
            Resident(id="r3"),
            Resident(id="r4"),
        ],
    )


def test_compare_hand_made(problem: Problem) -> None:
    a = Result(status="feasible", assignments={"r1": "A", "r2": "B", "r3": "C", "r4": None})
    b = {"r1": "B", "r2": "A", "r3": None, "r4": "C"}
    c = compare(problem, a, b)
    assert c.moved == ["r1", "r2"]
    assert c.newly_housed == ["r4"] and c.newly_unhoused == ["r3"]
    assert c.better_off == ["r1", "r2"] and c.worse_off == []
    r1 = next(ch for ch in c.changes if ch.resident == "r1")
    assert (r1.score_a, r1.score_b, r1.satisfaction_a, r1.satisfaction_b) == (1.0, 4.0, 0.25, 1.0)
    assert c.terms["preferences"] == (1.0, 6.0)
    assert c.terms["housed"] == (3.0, 3.0)
    assert c.objective == (3001.0, 3006.0)
    assert c.rooms_used == (3, 3) and c.rooms_opened == () and c.rooms_emptied == ()
    d = c.to_dict()
    assert d["terms"]["preferences"] == {"a": 1.0, "b": 6.0, "delta": 5.0}
    assert d["objective"]["delta"] == 5.0
    text = c.to_text()
    assert "moved: 2 (r1, r2)" in text and "newly unhoused: 1 (r3)" in text
    assert "preferences: 1 -> 6 (+5)" in text
    assert "<table>" in c._repr_html_()


def test_compare_identical_is_empty(problem: Problem) -> None:
    x = {"r1": "A", "r2": "B", "r3": "C", "r4": None}
    c = compare(problem, x, x)
    assert c.changes == () and c.objective[0] == c.objective[1]
    assert all(a == b for a, b in c.terms.values())


def test_compare_across_edited_problems(problem: Problem) -> None:
    edited = (remove_residents("r4") | add_residents({"id": "n1"})).apply(problem)
    a = {"r1": "A", "r2": "B", "r3": "C", "r4": "C"}
    b = {"r1": "A", "r2": "B", "r3": "C", "n1": "C"}
    c = compare(problem, a, b, problem_b=edited)
    assert [(ch.resident, ch.change) for ch in c.changes] == [("r4", "removed"), ("n1", "added")]
    assert c.newly_unhoused == ["r4"] and c.newly_housed == ["n1"]


def test_rooms_opened_and_emptied(problem: Problem) -> None:
    c = compare(problem, {"r3": "C", "r4": "C"}, {"r3": "A", "r4": "B"})
    assert c.rooms_opened == ("A", "B") and c.rooms_emptied == ("C",)
    assert c.rooms_used == (1, 2)


def test_frames(problem: Problem) -> None:
    pytest.importorskip("pandas")
    c = compare(problem, {"r1": "A"}, {"r1": "B"})
    frame = c.to_frame()
    assert list(frame["resident"]) == ["r1"] and list(frame["change"]) == ["moved"]
    terms = c.terms_frame().set_index("term")
    assert terms.loc["preferences", "delta"] == 3.0
