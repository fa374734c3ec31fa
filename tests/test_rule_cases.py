"""Every row of the rule case table (``rule_cases``) against every checker that judges its rule.

The checkers: the verifier (reports exactly the broken rule, or nothing); the CP-SAT model with
the placements fixed (infeasible exactly when a rule breaks; a placement the candidate matrix
left out counts as forbidden); the explanation's reasons for the row's placement (exactly that
rule's reason, or none) and its quick ``room_blocks``; greedy's feasibility test (the candidate
matrix for a resident's own rules, the sharing kernel for the sharing rules). The test id says
rule, verdict, case and checker, e.g. ``capacity-broken-two_in_one_bed-verifier``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from ortools.sat.python import cp_model

from roomalloc import Problem, check
from roomalloc.explanation.reasons import Placement, own_rule_reasons
from roomalloc.rules.sharing import SHARING_RULES, SharingRules
from roomalloc.solver import build_model
from roomalloc.solver.candidates import allowed_matrix, stay_bounds
from roomalloc.verify.verifier import RULE_CHECKS
from rule_cases import CASES, PER_RESIDENT, REASON_KIND, SHARING, WHOLE, Case
from strategies import problem_with_allocation, tiny_problems
from test_architecture import SOLVER_SIDE, SRC, imported_modules

#: The reason kinds of the sharing rules (what ``room_blocks`` reports).
SHARING_KINDS = {REASON_KIND[rule] for rule in SHARING}


def verifier(case: Case) -> None:
    """The verifier reports the broken rule and no other, or nothing when every rule holds."""
    rules = {v.rule for v in check(case.problem, case.allocation, rules=case.plugins).violations}
    assert rules == ({case.broken} if case.broken else set())


def cp_sat(case: Case) -> None:
    """The full model with every placement fixed is feasible exactly when no rule breaks."""
    built = build_model(case.problem, rules=case.plugins)
    feasible = all(
        room is None or room in built.context.placements[r]
        for r, room in case.allocation.items()
    )
    if feasible:
        model = built.model
        for r, rooms in built.context.placements.items():
            for k, x in rooms.items():
                model.add_bool_or([x if case.allocation[r] == k else ~x])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 30.0
        status = solver.solve(model)
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE)
        feasible = status != cp_model.INFEASIBLE
    assert feasible == (case.broken is None)


def reasons(case: Case) -> None:
    """Putting the row's resident in its room, the rest as allocated: that rule's reason only."""
    assert case.placement is not None
    r_id, k_id = case.placement
    problem = case.problem
    resident, room = problem.resident(r_id), problem.room(k_id)
    place = Placement(problem, {**case.allocation, r_id: None})
    kinds = {x.kind for x in own_rule_reasons(resident, room)}
    kinds |= {x.kind for x in place.reasons(resident, room)}
    assert kinds == ({REASON_KIND[case.rule]} if case.broken else set())
    assert place.room_blocks(resident, room) == kinds & SHARING_KINDS


def greedy(case: Case) -> None:
    """Greedy's test: the candidate matrix allows the pair, and the room may take the resident."""
    assert case.placement is not None
    r_id, k_id = case.placement
    problem = case.problem
    i = [r.id for r in problem.residents].index(r_id)
    j = [k.id for k in problem.rooms].index(k_id)
    starts, ends = stay_bounds(problem)
    sharing = SharingRules.of(problem, starts.tolist(), ends.tolist())  # as greedy builds it
    here = [n for n, r in enumerate(problem.residents)
            if case.allocation[r.id] == k_id and r.id != r_id]
    capacity = problem.rooms[j].capacity
    blocked = sharing.blocking(capacity, here, i)
    allowed = bool(allowed_matrix(problem)[i, j])
    if case.rule in SHARING:
        assert allowed
        assert blocked == ({case.rule} if case.broken else set())
        assert sharing.may_join(capacity, here, [i]) == (case.broken is None)
    else:
        assert allowed == (case.broken is None)
        assert not blocked


CHECKERS: dict[str, Callable[[Case], None]] = {
    "verifier": verifier, "cp_sat": cp_sat, "reasons": reasons, "greedy": greedy,
}


def judges(checker: str, case: Case) -> bool:
    """Whether ``checker`` has a say on the row: reasons and greedy judge one placement.

    Neither judges ``group`` or ``required``: greedy places a group as one unit and never
    tests the rule, and the reasons say why a resident cannot move *alone* (so a group
    member always gets the group reason).
    """
    if checker in ("reasons", "greedy"):
        return case.placement is not None and case.rule not in WHOLE
    return True


ROWS = [(case, name) for case in CASES for name in CHECKERS if judges(name, case)]


@pytest.mark.parametrize(("case", "checker"), ROWS,
                         ids=[f"{case.id}-{name}" for case, name in ROWS])
def test_case(case: Case, checker: str) -> None:
    CHECKERS[checker](case)


def test_every_hard_rule_has_a_broken_and_a_holding_row() -> None:
    assert set(PER_RESIDENT + SHARING + WHOLE) == set(RULE_CHECKS)
    for rule in RULE_CHECKS:
        verdicts = {case.broken for case in CASES if case.rule == rule}
        assert verdicts == {rule, None}, rule
        placed = {case.broken for case in CASES if case.rule == rule and case.placement}
        assert rule in WHOLE or placed == {rule, None}, rule


def test_the_kernel_names_exactly_the_sharing_rules() -> None:
    assert set(SHARING_RULES) == set(SHARING)


def test_the_sharing_kernel_imports_nothing_of_the_solver() -> None:
    bad = {m for m in imported_modules(SRC / "rules" / "sharing.py") if m.startswith(SOLVER_SIDE)}
    assert not bad


def _sharing_broken(problem: Problem, room: str, members: list[str]) -> set[str]:
    """The sharing rules the verifier finds broken with only ``members`` housed, in ``room``."""
    only = {r.id: room if r.id in members else None for r in problem.residents}
    return {v.rule for v in check(problem, only).violations} & set(SHARING)


@settings(max_examples=150)
@given(problem_with_allocation(tiny_problems()))
def test_the_sharing_kernel_and_room_blocks_agree_with_the_verifier(
    drawn: tuple[Problem, dict[str, str | None]],
) -> None:
    """Adding a resident to a room's other occupants (who keep every sharing rule among
    themselves) breaks exactly the rules the kernel names, as room_blocks says them too."""
    problem, allocation = drawn
    sharing = SharingRules.of(problem)
    place = Placement(problem, allocation)
    position = {r.id: i for i, r in enumerate(problem.residents)}
    for r in problem.residents:
        room_id = allocation[r.id]
        if room_id is None:
            continue
        others = [s.id for s in problem.residents if allocation[s.id] == room_id and s != r]
        if _sharing_broken(problem, room_id, others):
            continue
        capacity = problem.room(room_id).capacity
        blocked = sharing.blocking(capacity, [position[s] for s in others], position[r.id])
        assert blocked == _sharing_broken(problem, room_id, [*others, r.id])
        assert sharing.may_join(capacity, [position[s] for s in others], [position[r.id]]) == (
            not blocked)
        said = {"full" if rule == "capacity" else rule for rule in blocked}
        assert place.room_blocks(r, problem.room(room_id), without=()) == said
