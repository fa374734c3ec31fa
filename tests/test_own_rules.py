"""The own-rule kernel: each rule forbids and allows, and it agrees with the verifier."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings

from roomalloc import Interval, Preference, Problem, Resident, Room
from roomalloc.explanation.reasons import own_rule_reasons
from roomalloc.explanation.rooms import RoomTable
from roomalloc.rules.own import LOCK_RULE, OWN_RULES, OwnRules, broken_rules
from roomalloc.solver.candidates import allowed_matrix
from roomalloc.synthetic import cohort
from roomalloc.verify.evaluation import best_scores
from roomalloc.verify.verifier import RULE_CHECKS
from strategies import problems

SEPT = Interval(start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
OCT = Interval(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 15))

#: (rule, resident, room, allowed): one case forbidding and one allowing per rule.
CASES: list[tuple[str, Resident, Room, bool]] = [
    ("needs", Resident(id="r", needs=("lift", "quiet")),
     Room(id="A", capacity=1, features=("lift",)), False),
    ("needs", Resident(id="r", needs=("lift",)),
     Room(id="A", capacity=1, features=("quiet", "lift")), True),
    ("budget", Resident(id="r", budget=400), Room(id="A", capacity=1, cost=400.5), False),
    ("budget", Resident(id="r", budget=400), Room(id="A", capacity=1, cost=400), True),
    ("room_gender", Resident(id="r", gender="male"),
     Room(id="A", capacity=1, gender="female"), False),
    ("room_gender", Resident(id="r"), Room(id="A", capacity=1, gender="female"), False),
    ("room_gender", Resident(id="r", gender="female"),
     Room(id="A", capacity=1, gender="female"), True),
    ("room_gender", Resident(id="r", gender="male"), Room(id="A", capacity=1), True),
    ("unavailable", Resident(id="r", stay=SEPT), Room(id="A", capacity=1, unavailable=(
        OCT, Interval(start=dt.date(2026, 9, 29), end=dt.date(2026, 10, 1)))), False),
    ("unavailable", Resident(id="r"), Room(id="A", capacity=1, unavailable=(OCT,)), False),
    # Half-open: a closure from the check-out day on does not overlap the stay.
    ("unavailable", Resident(id="r", stay=SEPT), Room(id="A", capacity=1, unavailable=(
        Interval(start=dt.date(2026, 9, 30), end=dt.date(2026, 10, 2)),)), True),
    ("excluded_rooms", Resident(id="r", excluded_rooms=("B", "A")), Room(id="A", capacity=1),
     False),
    ("excluded_rooms", Resident(id="r", excluded_rooms=("B",)), Room(id="A", capacity=1), True),
    (LOCK_RULE, Resident(id="r", current_room="B", locked=True), Room(id="A", capacity=1),
     False),
    (LOCK_RULE, Resident(id="r", locked=True), Room(id="A", capacity=1), False),
    (LOCK_RULE, Resident(id="r", current_room="A", locked=True), Room(id="A", capacity=1), True),
    (LOCK_RULE, Resident(id="r", current_room="B"), Room(id="A", capacity=1), True),
]


@pytest.mark.parametrize(("rule", "resident", "room", "allowed"), CASES)
def test_each_rule_forbids_or_allows(rule: str, resident: Resident, room: Room,
                                     allowed: bool) -> None:
    masks = OwnRules([room]).masks([resident], lock=True)
    assert list(masks) == [*OWN_RULES, LOCK_RULE]
    assert bool(masks[rule][0, 0]) is allowed
    # The case breaks no other rule, so the AND is the rule's own verdict.
    assert [name for name, mask in masks.items() if not mask[0, 0]] == ([] if allowed else [rule])
    assert broken_rules(resident, room, lock=True) == (() if allowed else (rule,))


def test_a_rule_forbids_only_its_rooms_among_many() -> None:
    rooms = [Room(id="A", capacity=1, cost=100, features=("lift",)),
             Room(id="B", capacity=1, cost=900, gender="male"),
             Room(id="C", capacity=1, unavailable=(OCT,))]
    residents = [Resident(id="x", needs=("lift",), stay=OCT),
                 Resident(id="y", budget=500, gender="male", excluded_rooms=("A",)),
                 Resident(id="z", locked=True, current_room="B", gender="male")]
    masks = {k: v.tolist() for k, v in OwnRules(rooms).masks(residents, lock=True).items()}
    assert masks == {
        "needs": [[True, False, False], [True, True, True], [True, True, True]],
        "budget": [[True, True, True], [True, False, True], [True, True, True]],
        "room_gender": [[True, False, True], [True, True, True], [True, True, True]],
        "unavailable": [[True, True, False], [True, True, False], [True, True, False]],
        "excluded_rooms": [[True, True, True], [False, True, True], [True, True, True]],
        "locked": [[True, True, True], [True, True, True], [False, True, False]],
    }
    assert OwnRules(rooms).allowed(residents).tolist() == [
        [True, False, False], [False, False, False], [False, True, False]]


def test_allowed_is_the_and_of_the_masks_and_blocks_agree() -> None:
    problem = cohort(residents=300, seed=4, preset="reallocation")
    rules = OwnRules(problem.rooms)
    masks = rules.masks(problem.residents, lock=True)
    together = np.logical_and.reduce(list(masks.values()))
    assert np.array_equal(rules.allowed(problem.residents), together)
    assert np.array_equal(allowed_matrix(problem), together)
    blocks = [rules.allowed(problem.residents[i:i + 64]) for i in range(0, 300, 64)]
    assert np.array_equal(np.vstack(blocks), together)


def test_no_rooms_or_no_residents() -> None:
    assert OwnRules([]).allowed([Resident(id="r", needs=("x",))]).shape == (1, 0)
    assert OwnRules([Room(id="A", capacity=1)]).allowed([]).shape == (0, 1)
    masks = OwnRules([]).masks([])
    assert list(masks) == list(OWN_RULES)
    assert all(mask.shape == (0, 0) for mask in masks.values())


def _verifier_allows(problem: Problem, resident: Resident, room: Room, rule: str) -> bool:
    """Whether the verifier's ``rule`` accepts ``resident`` alone in ``room``."""
    alone = {r.id: None for r in problem.residents} | {resident.id: room.id}
    return not any(resident.id in v.residents for v in RULE_CHECKS[rule](problem, alone))


@settings(max_examples=150)
@given(problems(max_rooms=5, max_residents=6))
def test_the_kernel_agrees_with_the_verifier(problem: Problem) -> None:
    masks = OwnRules(problem.rooms).masks(problem.residents, lock=True)
    table = RoomTable(problem)
    for i, r in enumerate(problem.residents):
        own = table.own_rule_masks(r)
        for k, room in enumerate(problem.rooms):
            for rule, mask in masks.items():
                assert bool(mask[i, k]) is _verifier_allows(problem, r, room, rule), (rule, r, room)
            broken = [rule for rule in OWN_RULES if not masks[rule][i, k]]
            assert [x.kind for x in own_rule_reasons(r, room)] == broken
            assert [rule for rule in OWN_RULES if not own[rule][k]] == broken


@settings(max_examples=60)
@given(problems(max_rooms=5, max_residents=6))
def test_best_scores_are_the_best_room_the_verifier_accepts(problem: Problem) -> None:
    expected = {}
    for r in problem.residents:
        ok = [k for k in problem.rooms
              if all(_verifier_allows(problem, r, k, rule) for rule in OWN_RULES)]
        top = max((r.score(k) for k in ok), default=0.0)
        expected[r.id] = top if top > 0 else 0.0
    assert best_scores(problem) == expected
    assert RoomTable(problem).best_scores() == expected


def test_best_scores_skip_a_top_room_closed_during_the_stay() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, unavailable=(OCT,)), Room(id="B", capacity=1)],
        residents=[Resident(id=f"r{i}", stay=stay, preferences=(
            Preference(room="A", weight=3), Preference(room="B", weight=1)))
            for i, stay in enumerate((OCT, SEPT))],
    )
    assert best_scores(problem) == {"r0": 1.0, "r1": 3.0}
