"""Explain's reasons agree with the independent verifier, on many small random problems."""

from __future__ import annotations

from hypothesis import given, settings

from roomalloc import Problem
from roomalloc.explanation import stability
from roomalloc.explanation.residents import ResidentExplainer
from roomalloc.verify.verifier import check
from strategies import allocations, problems

ROOM_LEVEL = {"full", "gender_mixing", "private", "avoid"}
# The verifier calls the rule "capacity"; explain says the room is "full".
AS_RULE = {"full": "capacity"}


def make_valid(problem: Problem, assignments: dict[str, str | None]) -> dict[str, str | None]:
    """Unhouse everyone involved in a violation (and their group) until every rule holds."""
    groups: dict[str, list[str]] = {}
    for r in problem.residents:
        if r.group is not None:
            groups.setdefault(r.group, []).append(r.id)
    out = dict(assignments)
    while not (report := check(problem, out)).ok:
        for v in report.violations:
            for rid in v.residents:
                group = problem.resident(rid).group
                for x in groups.get(group, [rid]) if group else [rid]:
                    out[x] = None
    return out


valid_cases = problems(max_rooms=4, max_residents=6, required=False, locked=False).flatmap(
    lambda p: allocations(p).map(lambda a: (p, make_valid(p, a)))
)


@settings(max_examples=80)
@given(valid_cases)
def test_reasons_name_exactly_the_rules_the_verifier_finds_broken(
    case: tuple[Problem, dict[str, str | None]],
) -> None:
    problem, assignments = case
    explainer = ResidentExplainer(problem, assignments)
    for r in problem.residents:
        for room in problem.rooms:
            if assignments[r.id] == room.id:
                continue
            reasons = explainer.blocking(r, room)
            mine = {AS_RULE.get(x.kind, x.kind) for x in reasons}
            moved = {**assignments, r.id: room.id}
            broken = {v.rule for v in check(problem, moved).violations}
            assert mine == broken, (r.id, room.id, [x.text for x in reasons])
            quick = explainer.placement.room_blocks(r, room)
            assert quick == {x.kind for x in reasons} & ROOM_LEVEL


@settings(max_examples=80)
@given(valid_cases)
def test_every_blocking_case_keeps_every_hard_rule_and_gains(
    case: tuple[Problem, dict[str, str | None]],
) -> None:
    problem, assignments = case
    report = stability(problem, assignments)
    for s in report.swaps:
        assert s.first_gain > 0 and s.second_gain > 0
        swapped = {**assignments, s.first: s.second_room, s.second: s.first_room}
        assert check(problem, swapped).ok
    for m in report.moves:
        assert check(problem, {**assignments, m.resident: m.room_to}).ok
