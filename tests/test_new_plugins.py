"""A new hard rule is one `Rule` subclass, a new term one `Term` subclass (issue #18).

Both plug-ins below are written against the typed boundary `roomalloc.plugins.BuildContext`
only, and work end to end: `solve` obeys the rule and optimises the term, `check` reports the
rule's violations, `evaluate` reports the term when the objective names it. The last tests keep
the boundary, the solver's context and `docs/plugins.md` in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import roomalloc
from roomalloc import Preference, Problem, Resident, Room, TermSpec, Violation
from roomalloc.plugins import BuildContext, Expression
from roomalloc.rules import Rule
from roomalloc.solver import build_model
from roomalloc.terms import Term, register_term, unregister_term
from rule_cases import Case
from test_bruteforce import brute_force
from test_rule_cases import CHECKERS

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"

# --- the two plug-ins: one class each ---------------------------------------------------------


class NobodyOnFloor13(Rule):
    """No resident lives in a room on floor 13."""

    name = "nobody_on_floor_13"

    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
        rooms = problem.rooms_by_id
        return [
            Violation(self.name, f"{rid} is in room {room_id} on floor 13", residents=(rid,),
                      room=room_id)
            for rid, room_id in assignments.items()
            if room_id is not None and rooms[room_id].floor == 13
        ]

    def add_to_model(self, ctx: BuildContext) -> None:
        for room in ctx.problem.rooms:
            if room.floor == 13:
                for x in ctx.occupants[room.id].values():
                    ctx.enforce(ctx.model.add(x == 0))


class Stairs(Term):
    """Floors climbed: the sum of the floor of each housed resident's room (minimise)."""

    name = "stairs"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Mapping[str, str | None]) -> float:
        rooms = problem.rooms_by_id
        return float(sum(rooms[k].floor for k in assignments.values() if k is not None))

    def add_to_model(self, ctx: BuildContext) -> Expression:
        return ctx.linear((x, float(ctx.room(k).floor))
                          for rooms in ctx.placements.values() for k, x in rooms.items())


@pytest.fixture(autouse=True)
def _stairs_registered() -> Iterator[None]:
    register_term(Stairs())
    yield
    unregister_term("stairs")


# --- the rule ---------------------------------------------------------------------------------


# Its rows in the case table: one that breaks it, one that keeps it, judged by the checkers that
# take custom rules (the verifier and the CP-SAT model with the placements fixed).
_ROOMS = [Room(id="12-A", capacity=1, floor=12), Room(id="13-A", capacity=1, floor=13)]
FLOOR_13_CASES = (
    Case("nobody_on_floor_13", "on_floor_13",
         Problem(rooms=_ROOMS, residents=[Resident(id="r1")]), {"r1": "13-A"},
         "nobody_on_floor_13", ("r1", "13-A"), plugins=(NobodyOnFloor13(),)),
    Case("nobody_on_floor_13", "on_floor_12",
         Problem(rooms=_ROOMS, residents=[Resident(id="r1")]), {"r1": "12-A"},
         None, ("r1", "12-A"), plugins=(NobodyOnFloor13(),)),
)


@pytest.mark.parametrize("checker", ["verifier", "cp_sat"])
@pytest.mark.parametrize("case", FLOOR_13_CASES, ids=[c.id for c in FLOOR_13_CASES])
def test_the_new_rule_s_rows_in_the_case_table(case: Case, checker: str) -> None:
    CHECKERS[checker](case)



def _floor_13_wanted() -> Problem:
    """Three residents who all want floor 13, which has the only two-bed room."""
    rooms = [Room(id="12-A", capacity=1, floor=12), Room(id="13-A", capacity=2, floor=13),
             Room(id="14-A", capacity=1, floor=14)]
    wish = (Preference(floor=(13, 13), weight=5),)
    residents = [Resident(id=f"r{i}", preferences=wish) for i in (1, 2, 3)]
    return Problem(rooms=rooms, residents=residents,
                   objective=[TermSpec(term="housed", weight=1000),
                              TermSpec(term="preferences", weight=1)])


def test_the_new_rule_binds_solve_and_check_reports_what_breaks_it() -> None:
    p, rule = _floor_13_wanted(), NobodyOnFloor13()
    free = roomalloc.solve(p, workers=1)
    assert free.status == "optimal" and free.objective == 3010  # two of them on floor 13
    broken = roomalloc.check(p, free, rules=[rule])
    assert sorted(v.residents[0] for v in broken.violations) == sorted(
        r for r, k in free.assignments.items() if k == "13-A")
    assert {v.rule for v in broken.violations} == {"nobody_on_floor_13"}
    assert roomalloc.check(p, free).ok  # without the rule the same allocation is fine

    result = roomalloc.solve(p, workers=1, rules=[rule])
    assert result.status == "optimal" and result.objective == 2000  # one bed each on 12, 14
    assert "13-A" not in result.assignments.values()
    assert roomalloc.check(p, result, rules=[rule]).ok


def test_a_diagnosis_names_the_new_rule() -> None:
    p = Problem(rooms=[Room(id="13-A", capacity=1, floor=13)],
                residents=[Resident(id="r1", required=True)])
    rule = NobodyOnFloor13()
    assert roomalloc.solve(p, workers=1, rules=[rule], diagnose=False).status == "infeasible"
    messages = [str(m) for m in roomalloc.diagnose(p, rules=[rule]).messages]
    assert any("nobody_on_floor_13" in m for m in messages), messages


# --- the term ---------------------------------------------------------------------------------


def _two_floors(objective: list[TermSpec]) -> Problem:
    rooms = [Room(id="low", capacity=2, floor=1), Room(id="high", capacity=2, floor=3)]
    return Problem(rooms=rooms, residents=[Resident(id=r) for r in "abc"], objective=objective)


def test_the_new_term_is_optimised_by_solve_and_reported_by_evaluate() -> None:
    p = _two_floors([TermSpec(term="housed", weight=1000), TermSpec(term="stairs", weight=1)])
    result = roomalloc.solve(p, workers=1)
    assert result.status == "optimal"
    assert sorted(result.assignments.values()) == ["high", "low", "low"]
    assert result.terms["stairs"] == 5.0 and result.objective == 2995.0
    assert brute_force(p) == 2995.0  # check + evaluate over every allocation agree
    worse = roomalloc.evaluate(p, {"a": "high", "b": "high", "c": "low"})
    assert worse.terms["stairs"] == 7.0
    assert worse.contributions == {"housed": 3000.0, "stairs": -7.0}
    assert roomalloc.check(p, {"a": "high", "b": "high", "c": "low"}).terms["stairs"] == 7.0


def test_evaluate_leaves_the_new_term_out_when_the_objective_does_not_name_it() -> None:
    p = _two_floors([TermSpec(term="housed", weight=1000)])
    assert "stairs" not in roomalloc.evaluate(p, {"a": "high"}).terms


def test_the_new_rule_and_term_together() -> None:
    rooms = [Room(id=f"{f}-A", capacity=1, floor=f) for f in (12, 13, 14)]
    p = Problem(rooms=rooms, residents=[Resident(id="a"), Resident(id="b")],
                objective=[TermSpec(term="housed", weight=1000),
                           TermSpec(term="stairs", weight=1)])
    rule = NobodyOnFloor13()
    assert roomalloc.solve(p, workers=1).terms["stairs"] == 25.0  # floors 12 and 13
    result = roomalloc.solve(p, workers=1, rules=[rule])
    assert sorted(result.assignments.values()) == ["12-A", "14-A"]
    report = roomalloc.check(p, result, rules=[rule])
    assert report.ok and report.terms["stairs"] == 26.0 and report.objective == 1974.0


# --- the boundary, the solver's context and the docs stay in step ------------------------------


def _protocol_members() -> set[str]:
    return {name for name in vars(BuildContext) if not name.startswith("_")}


def test_the_solver_s_context_offers_every_member_of_the_protocol() -> None:
    ctx = build_model(_two_floors([TermSpec(term="stairs", weight=1)])).context
    assert isinstance(ctx, BuildContext)
    assert {m for m in _protocol_members() if not hasattr(ctx, m)} == set()
    assert type(ctx).__name__ == "BuildContext"  # the concrete class keeps its name


def _documented_members() -> set[str]:
    """The names in the first column of the context table of docs/plugins.md."""
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    top = lines.index("| `ctx.` | type | what |")
    names: set[str] = set()
    for row in lines[top + 2:]:
        if not row.startswith("|"):
            break
        names.update(re.findall(r"`(\w+)", row.split("|")[1]))
    return names


def test_docs_list_every_context_member_and_nothing_else() -> None:
    assert _documented_members() == _protocol_members()
