"""The local objective changes of explain's what-ifs equal a full re-evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roomalloc import Problem, TermSpec
from roomalloc.explanation.edit import with_changes
from roomalloc.explanation.objective import ObjectiveMeter, main_loss
from roomalloc.verify.evaluation import evaluate
from strategies import BUILTIN_TERMS, allocations, problems

WEIGHTS = (7, 1, 2, 0.5, 3, 4, 5)
EVERY_TERM = tuple(
    TermSpec(term=t, weight=w) for t, w in zip(BUILTIN_TERMS, WEIGHTS, strict=True)
)


@st.composite
def what_ifs(draw: st.DrawFn) -> tuple[Problem, dict[str, str | None], dict[str, str | None]]:
    problem = draw(problems(max_rooms=4, max_residents=6, objective=EVERY_TERM))
    before = draw(allocations(problem))
    ids = [r.id for r in problem.residents]
    movers = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
    choices: list[str | None] = [None, *(k.id for k in problem.rooms)]
    moves = {m: draw(st.sampled_from(choices)) for m in movers}
    return problem, before, moves


@given(what_ifs())
def test_local_change_equals_full_recomputation(
    case: tuple[Problem, dict[str, str | None], dict[str, str | None]],
) -> None:
    problem, before, moves = case
    after = {**before, **moves}
    full_before = evaluate(problem, before).contributions
    full_after = evaluate(problem, after).contributions
    local = ObjectiveMeter(problem, before).change(moves)
    for term in full_after:
        assert local[term] == pytest.approx(full_after[term] - full_before[term], abs=1e-9), term


def test_the_main_loss_of_a_change() -> None:
    changes = {"housed": 0.0, "preferences": 2.0, "roommates": -4.0}
    assert main_loss(changes) == "roommates"
    assert main_loss({"housed": 1.0}) is None


def test_objective_with_no_terms() -> None:
    from roomalloc import Problem as P
    from roomalloc import Resident, Room

    p = with_changes(P(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r")]),
                     objective=())
    assert ObjectiveMeter(p, {"r": None}).change({"r": "A"}) == {}
