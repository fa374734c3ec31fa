"""diagnose(): finds the planted conflict; its set is verified minimal by independent re-solves.

The verification here does not use the guarded model: it rewrites the problem so that only the
diagnosed requirements remain (everyone else unrequired and unlocked, other groups, avoid pairs
and private wishes dropped, other rooms' capacities raised) and solves it with
:func:`roomalloc.solve`: that must be infeasible, and feasible with any one requirement dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from hypothesis import assume, given, settings

from roomalloc import Problem, Resident, Room, Roommates, TermSpec, Violation
from roomalloc.explanation import diagnose
from roomalloc.explanation.edit import with_changes
from roomalloc.rules import Rule
from roomalloc.solver import Requirement, solve
from strategies import problems


def keep_only(problem: Problem, keep: Iterable[Requirement]) -> Problem:
    """``problem`` with every requirement outside ``keep`` switched off (by editing it)."""
    keep = set(keep)
    kept = {(r.kind, r.subjects) for r in keep}
    kinds = {r.kind for r in keep}
    assert kinds <= {"required", "locked", "capacity", "avoid", "group", "private",
                     "gender_mixing"}
    n = len(problem.residents)
    rooms = tuple(
        k if ("capacity", (k.id,)) in kept else k.model_copy(update={"capacity": n})
        for k in problem.rooms
    )
    groups = {r.subjects[0] for r in keep if r.kind == "group"}
    residents = []
    for r in problem.residents:
        avoid = tuple(
            o for o in r.roommates.avoid if ("avoid", tuple(sorted((r.id, o)))) in kept
        )
        residents.append(r.model_copy(update={
            "required": r.required and ("required", (r.id,)) in kept,
            "locked": r.locked and ("locked", (r.id,)) in kept,
            "private": r.private and ("private", (r.id,)) in kept,
            "group": r.group if r.group in groups else None,
            "roommates": Roommates(want=r.roommates.want, avoid=avoid),
        }))
    mixing_rooms = {r.subjects[0] for r in keep if r.kind == "gender_mixing"}
    rules = problem.rules
    if not mixing_rooms:
        rules = rules.model_copy(update={"gender_mixing": "allow"})
    else:
        # Only a one-room problem can keep mixing forbidden for some rooms and not others.
        assert mixing_rooms == {k.id for k in problem.rooms}
    return with_changes(problem, rooms=rooms, residents=tuple(residents), rules=rules)


def status(problem: Problem) -> str:
    return solve(problem, time_limit=20, workers=1, diagnose=False).status


def assert_verified_minimal(problem: Problem, core: tuple[Requirement, ...]) -> None:
    assert status(keep_only(problem, core)) == "infeasible"
    for req in core:
        rest = [r for r in core if r != req]
        assert status(keep_only(problem, rest)) in ("optimal", "feasible"), f"{req} not needed"


def names(core: Iterable[Requirement]) -> set[tuple[str, tuple[str, ...]]]:
    return {(r.kind, r.subjects) for r in core}


def accessible_case() -> Problem:
    rooms = [Room(id="A1", capacity=1, features=("accessible",)),
             Room(id="A2", capacity=1, features=("accessible",))]
    rooms += [Room(id=f"P{i}", capacity=2) for i in range(6)]
    residents = [Resident(id=f"x{i}", required=True) for i in range(8)]
    residents += [Resident(id=r, required=True, needs=("accessible",)) for r in ("r1", "r4", "r9")]
    residents += [Resident(id="w", needs=("accessible",))]
    return Problem(rooms=rooms, residents=residents)


def test_planted_accessibility_clash() -> None:
    problem = accessible_case()
    d = diagnose(problem)
    assert d.feasible is False and d.minimal and d.verified
    assert names(d.requirements) == {
        ("required", ("r1",)), ("required", ("r4",)), ("required", ("r9",)),
        ("capacity", ("A1",)), ("capacity", ("A2",)),
    }
    assert d.messages[0] == (
        "r1, r4 and r9 must be housed and need 'accessible'; the rooms that allow them "
        "(A1, A2) have 2 beds in all"
    )
    assert "- r1 must be housed; their own rules allow A1, A2" in d.messages
    assert_verified_minimal(problem, d.requirements)


def test_planted_avoid_between_locked_residents() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=2)],
        residents=[
            Resident(id="a", current_room="A", locked=True, roommates=Roommates(avoid=("b",))),
            Resident(id="b", current_room="A", locked=True),
            Resident(id="c", required=True),
        ],
    )
    d = diagnose(problem)
    assert names(d.requirements) == {("locked", ("a",)), ("locked", ("b",)),
                                     ("avoid", ("a", "b"))}
    assert d.minimal and d.verified
    assert "- a and b must not share a room" in d.messages
    assert_verified_minimal(problem, d.requirements)


def test_planted_group_too_big_for_any_room() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        residents=[Resident(id=f"g{i}", group="trio", required=(i == 0)) for i in range(3)]
        + [Resident(id="z", required=True)],
    )
    d = diagnose(problem)
    assert names(d.requirements) == {("required", ("g0",)), ("group", ("trio", "g0", "g1", "g2")),
                                     ("capacity", ("A",)), ("capacity", ("B",))}
    assert d.minimal and d.verified
    assert d.messages[0].startswith("these 4 requirements cannot all hold together")
    assert (
        "- group trio (g0, g1, g2) must live together in one room, or none of them be housed; "
        "the rooms all 3 may use have at most 2 beds"
    ) in d.messages
    assert_verified_minimal(problem, d.requirements)


def test_planted_gender_mixing_clash() -> None:
    problem = Problem(
        rooms=[Room(id="only", capacity=2)],
        residents=[Resident(id="f", gender="female", required=True),
                   Resident(id="m", gender="male", required=True)],
    )
    d = diagnose(problem)
    assert names(d.requirements) == {("required", ("f",)), ("required", ("m",)),
                                     ("gender_mixing", ("only",))}
    assert d.messages[1:] == (
        "- f must be housed (female); their own rules allow only",
        "- m must be housed (male); their own rules allow only",
        "- residents of different genders may not share room only",
    )
    assert_verified_minimal(problem, d.requirements)


def test_required_resident_no_room_allows() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, cost=900)],
        residents=[Resident(id="r1", required=True, budget=500), Resident(id="r2")],
    )
    d = diagnose(problem)
    assert names(d.requirements) == {("required", ("r1",))}
    assert d.messages[0] == "r1 must be housed, but no room fits their own requirements"
    assert ("- r1 must be housed, but no room fits their own requirements: 1 room costs more "
            "than the budget of 500") in d.messages
    assert_verified_minimal(problem, d.requirements)


def test_locked_into_a_room_their_own_rules_forbid() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1, features=("quiet",))],
        residents=[Resident(id="r1", current_room="A", locked=True, needs=("quiet",))],
    )
    d = diagnose(problem)
    assert names(d.requirements) == {("locked", ("r1",))}
    assert d.messages[-1] == (
        "- r1 must stay in their current room A, but A lacks 'quiet', which r1 needs"
    )


def test_feasible_problem_has_nothing_to_diagnose() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)],
                      residents=[Resident(id="r1", required=True)])
    d = diagnose(problem)
    assert d.feasible is True and d.requirements == ()


def test_solve_attaches_the_diagnosis() -> None:
    result = solve(accessible_case(), time_limit=20, workers=1)
    assert result.status == "infeasible"
    assert result.diagnosis[0].startswith("r1, r4 and r9 must be housed and need 'accessible'")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_diagnosis_is_minimal_whatever_the_seed(seed: int) -> None:
    d = diagnose(accessible_case(), seed=seed)
    assert len(d.requirements) == 5 and d.minimal


@settings(max_examples=25)
@given(problems(max_rooms=3, max_residents=5, objective=[TermSpec(term="housed", weight=1)]))
def test_random_infeasible_problems_get_a_verified_minimal_diagnosis(problem: Problem) -> None:
    if status(problem) != "infeasible":
        d = diagnose(problem)
        assert d.feasible is True and d.requirements == ()
        return
    d = diagnose(problem)
    assert d.feasible is False and d.minimal and d.verified
    assert d.requirements
    mixing = {r.subjects[0] for r in d.requirements if r.kind == "gender_mixing"}
    assume(not mixing or mixing == {k.id for k in problem.rooms})
    assert_verified_minimal(problem, d.requirements)


class NobodyOnTop(Rule):
    """A custom rule: nobody lives on floor 2."""

    name = "nobody_on_top"

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
        return [
            Violation(self.name, f"{r} lives on floor 2", residents=(r,), room=k)
            for r, k in assignments.items()
            if k is not None and problem.room(k).floor == 2
        ]

    def add_to_model(self, ctx: Any) -> None:
        for r in ctx.problem.residents:
            for room_id, x in ctx.placements[r.id].items():
                if ctx.room(room_id).floor == 2:
                    ctx.enforce(ctx.model.add(x == 0))


def test_custom_rule_in_a_diagnosis() -> None:
    problem = Problem(
        rooms=[Room(id="top", capacity=1, floor=2, features=("view",)),
               Room(id="low", capacity=1)],
        residents=[Resident(id="r1", required=True, needs=("view",)), Resident(id="r2")],
    )
    assert solve(problem, time_limit=10, workers=1).status in ("optimal", "feasible")
    d = diagnose(problem, rules=[NobodyOnTop()])
    assert names(d.requirements) == {("required", ("r1",)), ("rule", ("nobody_on_top",))}
    assert d.minimal and d.verified
    assert solve(problem, time_limit=10, workers=1, rules=[NobodyOnTop()],
                 diagnose=False).status == "infeasible"
