"""The driver checks every allocation it returns, and checks it once: `offer` and `result`.

At 50,000 residents a check costs seconds, so `result` reuses the report of the allocation
`offer` checked; an allocation offered as valid by construction (a CP-SAT solution) is checked
by `result` itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roomalloc import Problem, Resident, Room
from roomalloc.solver import driver
from roomalloc.solver.driver import Run
from roomalloc.verify.verifier import check

PROBLEM = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
                  residents=[Resident(id="a"), Resident(id="b")])


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, str | None]]]:
    """Every allocation the driver checks, in order."""
    seen: list[dict[str, str | None]] = []

    def counting(problem: Problem, assignments: dict[str, str | None], **kw: object) -> object:
        seen.append(dict(assignments))
        return check(problem, assignments, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(driver, "check", counting)
    yield seen


def test_an_offered_allocation_is_checked_once_and_its_objective_is_the_check_s(
        checks: list[dict[str, str | None]]) -> None:
    run = Run(PROBLEM)
    assert run.offer({"a": "A", "b": None})
    result = run.result()
    assert checks == [{"a": "A", "b": None}]
    assert result.objective == run.value == check(PROBLEM, {"a": "A", "b": None}).objective


def test_a_better_offer_is_checked_and_the_result_reports_it(
        checks: list[dict[str, str | None]]) -> None:
    run = Run(PROBLEM)
    run.offer({"a": "A", "b": None})
    assert run.offer({"a": "A", "b": "B"})
    result = run.result()
    assert len(checks) == 2 and result.assignments == {"a": "A", "b": "B"}


def test_a_broken_offer_is_refused_and_never_reaches_the_result(
        checks: list[dict[str, str | None]]) -> None:
    run = Run(PROBLEM)
    run.offer({"a": "A", "b": None})
    assert not run.offer({"a": "A", "b": "A"})  # two in a one-bed room
    assert run.result().assignments == {"a": "A", "b": None}


def test_an_allocation_offered_as_valid_is_checked_by_the_result(
        checks: list[dict[str, str | None]]) -> None:
    run = Run(PROBLEM)
    assert run.offer({"a": "B", "b": "A"}, valid=True)
    assert checks == []
    assert run.result().status == "feasible"
    assert checks == [{"a": "B", "b": "A"}]
