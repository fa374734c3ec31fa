"""explain(): every kind of reason on a constructed case, breakdown, unhoused, text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

import pytest

from roomalloc import (
    Interval,
    Preference,
    Problem,
    ProblemError,
    Resident,
    Result,
    Room,
    RoomallocError,
    Roommates,
    TermSpec,
    Violation,
)
from roomalloc.explanation import Explanation, Reason, explain
from roomalloc.rules import Rule
from roomalloc.verify.verifier import check

d = dt.date
FALL = Interval(start=d(2026, 9, 1), end=d(2026, 12, 20))


def stay(a: tuple[int, int, int], b: tuple[int, int, int]) -> Interval:
    return Interval(start=d(*a), end=d(*b))


def wants(room: str, weight: float = 5) -> tuple[Preference, ...]:
    return (Preference(room=room, weight=weight),)


def reasons_for(ex: Explanation, resident: str, room: str) -> list[Reason]:
    for alt in ex.residents[resident].alternatives:
        if alt.room == room:
            return list(alt.reasons)
    raise AssertionError(f"{room} is not among {resident}'s alternatives")


def kinds(reasons: Iterable[Reason]) -> set[str]:
    return {r.kind for r in reasons}


def moved(assignments: Mapping[str, str | None], resident: str, room: str) -> dict[str, str | None]:
    out = dict(assignments)
    out[resident] = room
    return out


def verifier_rules(problem: Problem, assignments: Mapping[str, str | None]) -> set[str]:
    return {v.rule for v in check(problem, assignments).violations}


# --- the resident's own rules ---------------------------------------------------------------


def own_rules_case() -> tuple[Problem, dict[str, str | None]]:
    rooms = [
        Room(id="plain", capacity=1),
        Room(id="noquiet", capacity=1, features=("ensuite",)),
        Room(id="pricey", capacity=1, features=("quiet",), cost=900),
        Room(id="men", capacity=1, features=("quiet",), gender="male"),
        Room(id="closed", capacity=1, features=("quiet",),
             unavailable=(stay((2026, 10, 1), (2026, 10, 15)),)),
        Room(id="banned", capacity=1, features=("quiet",)),
        Room(id="ok", capacity=1, features=("quiet",)),
    ]
    prefs = tuple(
        Preference(room=k, weight=w)
        for k, w in [("noquiet", 9), ("pricey", 8), ("men", 7), ("closed", 6), ("banned", 5)]
    )
    me = Resident(id="r1", gender="female", stay=FALL, needs=("quiet",), budget=500,
                  excluded_rooms=("banned",), preferences=prefs)
    return Problem(rooms=rooms, residents=[me]), {"r1": "ok"}


@pytest.mark.parametrize(
    ("room", "kind", "words"),
    [
        ("noquiet", "needs", "noquiet lacks 'quiet', which r1 needs"),
        ("pricey", "budget", "pricey costs 900 a bed, above r1's budget of 500"),
        ("men", "room_gender", "men is for male residents only and r1 is female"),
        ("closed", "unavailable",
         "closed is closed for the nights of 1–14 October 2026 (check-out 15 October), "
         "during r1's stay"),
        ("banned", "excluded_rooms", "r1 may not be placed in banned (an excluded room)"),
    ],
)
def test_own_rule_reasons_name_the_rule_and_agree_with_the_verifier(
    room: str, kind: str, words: str
) -> None:
    problem, assignments = own_rules_case()
    ex = explain(problem, assignments, alternatives=5, with_stability=False)
    reasons = reasons_for(ex, "r1", room)
    assert [(r.kind, r.text) for r in reasons] == [(kind, words)]
    assert kind in verifier_rules(problem, moved(assignments, "r1", room))


def test_score_and_best_score_and_preferences_met() -> None:
    problem, assignments = own_rules_case()
    ex = explain(problem, assignments, alternatives=5, with_stability=False)
    r1 = ex.residents["r1"]
    assert r1.room == "ok"
    assert r1.score == 0.0
    # Every room r1 likes fails one of their own rules, so the best they may have is 0.
    assert r1.best_score == 0.0
    assert r1.preferences_met == ()
    assert len(r1.preferences_unmet) == 5
    assert [a.room for a in r1.alternatives] == ["noquiet", "pricey", "men", "closed", "banned"]


def test_alternatives_are_limited_to_the_best_few() -> None:
    problem, assignments = own_rules_case()
    ex = explain(problem, assignments, alternatives=2, with_stability=False)
    assert [a.room for a in ex.residents["r1"].alternatives] == ["noquiet", "pricey"]


# --- what the other residents' placement blocks -------------------------------------------


def test_full_names_residents_and_nights() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[
            Resident(id="me", stay=FALL, preferences=wants("A")),
            Resident(id="x", name="Li Wei", stay=stay((2026, 8, 1), (2026, 10, 1))),
            Resident(id="y", stay=stay((2026, 9, 15), (2026, 11, 1))),
        ],
    )
    assignments: dict[str, str | None] = {"me": "B", "x": "A", "y": "A"}
    reasons = reasons_for(explain(problem, assignments, with_stability=False), "me", "A")
    assert [(r.kind, r.text, r.residents) for r in reasons] == [
        ("full", "A (2 beds) is full on the nights of 15–30 September 2026 (check-out "
                 "1 October) with x (Li Wei) and y",
         ("x", "y"))
    ]
    assert "capacity" in verifier_rules(problem, moved(assignments, "me", "A"))


def test_full_room_with_no_overlap_is_not_full() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[
            Resident(id="me", stay=FALL, preferences=wants("A")),
            Resident(id="x", stay=stay((2027, 1, 1), (2027, 2, 1))),
        ],
        objective=[TermSpec(term="housed", weight=1), TermSpec(term="cost", weight=1)],
    )
    reasons = reasons_for(explain(problem, {"me": "B", "x": "A"}, with_stability=False), "me", "A")
    assert kinds(reasons) == {"tie"}


def test_gender_mixing_private_and_avoid() -> None:
    problem = Problem(
        rooms=[Room(id=k, capacity=2) for k in ("mixed", "priv", "foe", "home")],
        residents=[
            Resident(id="me", gender="female", roommates=Roommates(avoid=("c",)),
                     preferences=(Preference(room="mixed", weight=3),
                                  Preference(room="priv", weight=2),
                                  Preference(room="foe", weight=1))),
            Resident(id="a", gender="male"),
            Resident(id="b", gender="female", private=True),
            Resident(id="c", gender="female"),
        ],
    )
    assignments: dict[str, str | None] = {"me": "home", "a": "mixed", "b": "priv", "c": "foe"}
    ex = explain(problem, assignments, with_stability=False)
    mixed = reasons_for(ex, "me", "mixed")
    assert [r.kind for r in mixed] == ["gender_mixing"]
    assert mixed[0].text == (
        "mixed is shared with a (male) of another gender (me is female), and genders do not "
        "share rooms here"
    )
    priv = reasons_for(ex, "me", "priv")
    assert [r.kind for r in priv] == ["private"]
    assert priv[0].residents == ("b",)
    foe = reasons_for(ex, "me", "foe")
    assert [r.kind for r in foe] == ["avoid"]
    assert foe[0].residents == ("c",)
    assert "gender_mixing" in verifier_rules(problem, moved(assignments, "me", "mixed"))
    assert "private" in verifier_rules(problem, moved(assignments, "me", "priv"))
    assert "avoid" in verifier_rules(problem, moved(assignments, "me", "foe"))


def test_avoid_counts_from_either_side_and_private_of_the_mover() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2), Room(id="home", capacity=1)],
        residents=[
            Resident(id="me", private=True, preferences=(Preference(room="A", weight=2),
                                                         Preference(room="B", weight=1))),
            Resident(id="x", roommates=Roommates(avoid=("me",))),
            Resident(id="y"),
        ],
    )
    ex = explain(problem, {"me": "home", "x": "A", "y": "B"}, with_stability=False)
    assert kinds(reasons_for(ex, "me", "A")) == {"avoid", "private"}
    b = reasons_for(ex, "me", "B")
    assert [r.kind for r in b] == ["private"]
    assert b[0].text == (
        "me must have a room to themselves, and B is shared with y during the stay"
    )


def test_group_and_locked() -> None:
    problem = Problem(
        rooms=[Room(id=k, capacity=2) for k in ("G", "L", "nice")],
        residents=[
            Resident(id="g1", group="team", preferences=wants("nice")),
            Resident(id="g2", group="team"),
            Resident(id="lk", current_room="L", locked=True, preferences=wants("nice")),
        ],
    )
    assignments: dict[str, str | None] = {"g1": "G", "g2": "G", "lk": "L"}
    ex = explain(problem, assignments, with_stability=False)
    group = reasons_for(ex, "g1", "nice")
    assert [r.kind for r in group] == ["group"]
    assert "team" in group[0].text and "g2" in group[0].residents
    lock = reasons_for(ex, "lk", "nice")
    assert [(r.kind, r.text) for r in lock] == [
        ("locked", "lk is fixed to their current room L")
    ]
    assert "group" in verifier_rules(problem, moved(assignments, "g1", "nice"))
    assert "locked" in verifier_rules(problem, moved(assignments, "lk", "nice"))


class NoFloorTwo(Rule):
    name = "no_floor_two"

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
        return [
            Violation(self.name, f"{r} may not live on floor 2", residents=(r,), room=k)
            for r, k in assignments.items()
            if k is not None and problem.room(k).floor == 2
        ]

    def add_to_model(self, ctx: object) -> None:
        raise NotImplementedError


def test_custom_rule_reason() -> None:
    problem = Problem(
        rooms=[Room(id="top", capacity=1, floor=2), Room(id="low", capacity=1)],
        residents=[Resident(id="me", preferences=wants("top"))],
    )
    ex = explain(problem, {"me": "low"}, rules=[NoFloorTwo()], with_stability=False)
    reasons = reasons_for(ex, "me", "top")
    assert [(r.kind, r.text) for r in reasons] == [
        ("rule:no_floor_two", "me may not live on floor 2")
    ]


def test_objective_reason_says_what_would_be_lost() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2)],
        residents=[
            Resident(id="me", preferences=wants("B", 1), roommates=Roommates(want=("pal",))),
            Resident(id="pal", roommates=Roommates(want=("me",))),
        ],
    )
    ex = explain(problem, {"me": "A", "pal": "A"}, with_stability=False)
    reasons = reasons_for(ex, "me", "B")
    assert [r.kind for r in reasons] == ["objective"]
    # Moving alone: preferences +1, roommates -2 pairs x weight 2 = -4, so 3 is lost.
    assert reasons[0].loss == pytest.approx(3.0)
    assert reasons[0].text == (
        "B has a free bed me may take, but moving them there would be worse overall: me would "
        "gain their wish for room B and me would no longer share a room with pal, as wished"
    )


# --- unhoused residents -------------------------------------------------------------------


def test_unhoused_because_no_room_passes_their_rules() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, cost=800), Room(id="B", capacity=1, gender="male"),
               Room(id="C", capacity=1, cost=100)],
        residents=[Resident(id="me", gender="female", needs=("accessible",), budget=500)],
    )
    ex = explain(problem, {"me": None}, with_stability=False)
    (reason,) = ex.residents["me"].unhoused
    assert reason.kind == "no_room"
    assert reason.text == (
        "no room fits me's own requirements: 3 rooms lack 'accessible', 1 room costs more "
        "than the budget of 500 and 1 room is for residents of another gender"
    )
    assert ex.residents["me"].best_score is None


def test_unhoused_because_every_allowed_bed_is_taken_by_whom_with_what_priority() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, features=("quiet",)), Room(id="B", capacity=1),
               Room(id="C", capacity=1, features=("quiet",))],
        residents=[
            Resident(id="me", needs=("quiet",)),
            Resident(id="vip", priority=3, needs=("quiet",)),
            Resident(id="x", priority=2),
            Resident(id="y"),
        ],
    )
    ex = explain(problem, {"me": None, "vip": "A", "x": "C", "y": "B"}, with_stability=False)
    reason, trade = ex.residents["me"].unhoused
    assert reason.kind == "taken"
    assert reason.text == (
        "all 2 rooms that fit me's requirements (of the others, 1 room lacks 'quiet') are "
        "taken during their stay (2 are full); for example, A (1 bed) is full on every night "
        "with vip"
    )
    assert reason.residents == ("vip",)
    assert trade.kind == "objective" and trade.residents == ("me", "x")
    assert trade.text == (
        "housing me in C in place of x would be worse overall: me (priority 1) would be "
        "housed and x (priority 2) would lose their place"
    )


def test_unhoused_with_a_free_bed_reports_the_objective() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, cost=50)],
        residents=[Resident(id="me")],
        objective=[TermSpec(term="housed", weight=10), TermSpec(term="cost", weight=1)],
    )
    (reason,) = explain(problem, {"me": None}, with_stability=False).residents["me"].unhoused
    assert reason.kind == "objective"
    assert reason.loss == pytest.approx(-(10 - 50))  # housing them loses 40
    assert reason.text == (
        "A has a free bed me may take, but housing them there would be worse overall: me "
        "would be housed and the beds would cost 50 more"
    )


# --- breakdown, text, JSON ----------------------------------------------------------------


def test_breakdown_shares_and_gap() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2, cost=30, building="N")],
        residents=[Resident(id="a", preferences=(Preference(building="N", weight=4),)),
                   Resident(id="b")],
        objective=[TermSpec(term="housed", weight=100), TermSpec(term="preferences", weight=5),
                   TermSpec(term="cost", weight=2)],
    )
    result = Result(status="feasible", assignments={"a": "A", "b": "A"}, bound=190.0)
    b = explain(problem, result, with_stability=False).breakdown
    rows = {t.term: (t.value, t.weight, t.contribution) for t in b.terms}
    assert rows == {"housed": (2.0, 100.0, 200.0), "preferences": (4.0, 5.0, 20.0),
                    "cost": (60.0, 2.0, -120.0)}
    assert b.objective == pytest.approx(100.0)
    assert [round(t.share, 4) for t in b.terms] == [round(200 / 340, 4), round(20 / 340, 4),
                                                   round(120 / 340, 4)]
    assert b.gap == pytest.approx(90.0)
    assert b.relative_gap == pytest.approx(90.0 / 190.0)


def test_text_and_json_forms() -> None:
    problem, assignments = own_rules_case()
    ex = explain(problem, Result(status="optimal", assignments=assignments))
    text = ex.to_text()
    assert text.splitlines()[0] == "1 of 1 housed; the allocation is proven best"
    assert "r1: room ok\n" in text
    assert "noquiet lacks 'quiet', which r1 needs" in text
    assert ex.to_text("r1").startswith("r1: room ok")
    verbose = ex.to_text(verbose=True)
    assert verbose.splitlines()[1].startswith("objective 1,000 (optimal)")
    assert "a room they like better: noquiet (score 9)" in verbose
    data = json.loads(json.dumps(ex.to_dict()))
    assert data["residents"]["r1"]["alternatives"][0]["reasons"][0]["kind"] == "needs"
    assert data["breakdown"]["status"] == "optimal"
    assert data["summary"]["proven"] is True
    assert data["residents"]["r1"]["wishes"][0]["reasons"][0]["kind"] == "needs"
    assert data["stability"]["stable"] is True


def test_explain_only_some_residents() -> None:
    problem, assignments = own_rules_case()
    ex = explain(problem, assignments, residents=["r1"], with_stability=False)
    assert list(ex.residents) == ["r1"]
    assert ex.stability is None


def test_a_result_without_an_allocation_is_refused() -> None:
    problem, _ = own_rules_case()
    with pytest.raises(RoomallocError, match="status unknown and no allocation"):
        explain(problem, Result(status="unknown"))


def test_unhoused_group_member_is_told_about_the_group() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[Resident(id=f"g{i}", group="trio") for i in range(3)],
    )
    ex = explain(problem, {"g0": None, "g1": None, "g2": None}, with_stability=False)
    (reason,) = ex.residents["g0"].unhoused
    assert reason.kind == "group"
    assert reason.text == (
        "g0 belongs to group 'trio' of 3 (g1 and g2), who share one room or are not housed; "
        "the biggest room all 3 may use has 2 beds"
    )


def test_preferences_and_roommates_met_and_not() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2, building="N", features=("quiet",)),
               Room(id="B", capacity=1)],
        residents=[
            Resident(id="me", roommates=Roommates(want=("pal", "far")),
                     preferences=(Preference(building="N", weight=3),
                                  Preference(feature="quiet", weight=-1),
                                  Preference(feature="pets", weight=-2),
                                  Preference(floor=(1, 2), weight=1))),
            Resident(id="pal"),
            Resident(id="far"),
        ],
    )
    me = explain(problem, {"me": "A", "pal": "A", "far": "B"}, with_stability=False).residents["me"]
    assert me.preferences_met == ("building 'N' (+3)", "not feature 'pets' (-2)")
    assert me.preferences_unmet == ("not feature 'quiet' (-1)", "floors 1-2 (+1)")
    assert (me.roommates_met, me.roommates_unmet) == (("pal",), ("far",))
    assert me.score == 2.0


def test_unknown_ids_in_the_allocation_are_named() -> None:
    problem, _ = own_rules_case()
    with pytest.raises(ProblemError) as err:
        explain(problem, {"r1": "nowhere", "ghost": None})
    assert [i.path for i in err.value.issues] == ["assignments.r1", "assignments.ghost"]
