"""Shared test set-up: hypothesis runs derandomized so every run tests the same examples;
a ``searches`` fixture that records each CP-SAT search ``roomalloc.solve`` runs."""

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "roomalloc",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("roomalloc")


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Each CP-SAT search that ``roomalloc.solve`` runs, as ``(solver, model)``, in order.

    The solver's parameters are those the search ran with (time limit, subsolvers).
    """
    from roomalloc.solver import search

    real_run = search._run_interruptibly
    seen: list[tuple[Any, Any]] = []

    def spy(solver: Any, model: Any, watcher: object) -> int:
        seen.append((solver, model))
        return real_run(solver, model, watcher)

    monkeypatch.setattr(search, "_run_interruptibly", spy)
    return seen
