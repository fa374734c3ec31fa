"""Shortlists: a first search over each resident's best rooms, then the full model.

The shortlist search only finds a starting allocation: status and bound come from the search
over the full model, which may use any allowed room.
"""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest
from ortools.sat.python import cp_model

import roomalloc
from roomalloc import Preference, Problem, Resident, Room, Roommates
from roomalloc.solver import search
from roomalloc.solver.candidates import candidate_matrix
from roomalloc.solver.shortlist import shortlist
from roomalloc.synthetic import cohort


def _rooms_of(c: object, resident: str) -> set[str]:
    return set(c.rooms_for(resident))  # type: ignore[attr-defined]


def test_a_shortlist_holds_the_best_rooms_partners_rooms_and_the_start() -> None:
    rooms = [Room(id=f"R{i}", capacity=2, building=f"B{i}") for i in range(6)]
    p = Problem(
        rooms=rooms,
        residents=[
            Resident(id="a", preferences=[Preference(building="B0", weight=3),
                                          Preference(building="B1", weight=2)],
                     roommates=Roommates(want=("b",))),
            Resident(id="b", preferences=[Preference(building="B5", weight=2),
                                          Preference(building="B4", weight=1)]),
            Resident(id="g1", group="G", preferences=[Preference(building="B2", weight=1)]),
            Resident(id="g2", group="G", preferences=[Preference(building="B3", weight=1)]),
            Resident(id="s", budget=0, excluded_rooms=("R0",),
                     preferences=[Preference(building="B1", weight=1)]),
        ],
    )
    c = candidate_matrix(p)
    short = shortlist(p, c, {"a": "R3", "s": None}, size=2)
    # a's best two, b's best two (a wants b), a's room in the start
    assert _rooms_of(short, "a") == {"R0", "R1", "R4", "R5", "R3"}
    assert {"R0", "R1"} <= _rooms_of(short, "b")  # a wants b: b sees a's shortlist too
    assert {"R2", "R3"} <= _rooms_of(short, "g1") & _rooms_of(short, "g2")
    assert "R0" not in _rooms_of(short, "s")  # never a room the static rules forbid
    assert (short.allowed <= c.allowed).all()
    assert short.allowed.sum(axis=1).max() < c.allowed.sum(axis=1).max()


def test_ties_are_shortlisted_at_random_so_residents_spread_over_equal_rooms() -> None:
    p = Problem(rooms=[Room(id=f"R{i}", capacity=1) for i in range(40)],
                residents=[Resident(id=f"r{i}") for i in range(20)])
    c = candidate_matrix(p)
    short = shortlist(p, c, {}, size=3, seed=1)
    assert (short.allowed.sum(axis=1) == 3).all()
    assert int(short.allowed.any(axis=0).sum()) > 10  # not everyone's first three rooms
    assert np.array_equal(short.allowed, shortlist(p, c, {}, size=3, seed=1).allowed)


Searches = list[tuple[cp_model.CpSolver, cp_model.CpModel]]


def _shortlist_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shortlists of one room, and a shortlist search for every problem, however small."""
    monkeypatch.setattr(search, "SHORTLIST_SIZE", 1)
    monkeypatch.setattr(search, "_SHORTLIST_FROM", 0)


def _sizes(searches: Searches) -> list[int]:
    """The variables of each search's model."""
    return [len(model.proto.variables) for _, model in searches]


def _limits(searches: Searches) -> list[float]:
    """Each search's time limit."""
    return [solver.parameters.max_time_in_seconds for solver, _ in searches]


def test_the_full_search_houses_residents_the_shortlists_left_out(
    monkeypatch: pytest.MonkeyPatch, searches: Searches
) -> None:
    # Both shortlist only room A (the start houses nobody): the shortlist model houses one of
    # them; the full model puts the other in B and proves that optimal.
    _shortlist_every_problem(monkeypatch)
    p = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id=r, preferences=[Preference(room="A", weight=1)])
                   for r in ("r1", "r2")],
    )
    result = roomalloc.solve(p, workers=1, seed=0, hint={"r1": None, "r2": None})
    sizes = _sizes(searches)
    assert len(sizes) == 2 and sizes[0] < sizes[1]
    assert result.status == "optimal"
    assert sorted(result.assignments.values()) == ["A", "B"]
    assert result.bound == result.objective


def test_the_shortlist_search_reports_progress_without_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _shortlist_every_problem(monkeypatch)
    calls: list[tuple[float, float, float | None]] = []
    p = cohort(residents=40, seed=3)
    result = roomalloc.solve(p, workers=1, seed=0, time_limit=30,
                             progress=lambda t, obj, bound: calls.append((t, obj, bound)))
    unbounded = [c for c in calls if c[2] is None]
    assert unbounded and calls[0][2] is None  # the shortlist search comes first
    assert all(b is None or b >= obj - 1e-6 for _, obj, b in calls)
    assert [t for t, _, _ in calls] == sorted(t for t, _, _ in calls)
    assert result.status == "optimal"
    assert roomalloc.check(p, result).ok


def test_ctrl_c_in_the_shortlist_search_returns_its_best_allocation(
    monkeypatch: pytest.MonkeyPatch, searches: Searches
) -> None:
    _shortlist_every_problem(monkeypatch)
    p = cohort(residents=150, seed=1)

    def interrupt(elapsed: float, objective: float, bound: float | None) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    result = roomalloc.solve(p, workers=1, seed=0, time_limit=300, progress=interrupt)
    assert len(searches) == 1  # the full search never starts after the Ctrl-C
    assert result.status == "feasible" and result.interrupted
    assert set(result.assignments) == {r.id for r in p.residents}
    assert roomalloc.check(p, result).ok


def test_the_shortlist_search_gets_a_quarter_of_the_time_left_at_most_the_cap(
    monkeypatch: pytest.MonkeyPatch, searches: Searches
) -> None:
    _shortlist_every_problem(monkeypatch)
    p = cohort(residents=20, seed=3)
    roomalloc.solve(p, workers=1, seed=0, time_limit=40)
    roomalloc.solve(p, workers=1, seed=0, time_limit=None)
    limits = _limits(searches)
    assert 9.0 < limits[0] <= 10.0  # a quarter of 40 s, less the build
    assert search._SHORTLIST_CAP - 1.0 < limits[2] <= search._SHORTLIST_CAP  # no limit: the cap
