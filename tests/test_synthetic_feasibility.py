"""Feasible by construction: every generated cohort comes with an allocation that passes check."""

from __future__ import annotations

from typing import Any

import pytest

from roomalloc import Problem, check
from roomalloc.synthetic import PRESETS, cohort, witness_allocation


def _both(n: int, seed: int, preset: str, **knobs: Any) -> tuple[Problem, dict[str, str | None]]:
    return (cohort(residents=n, seed=seed, preset=preset, **knobs),
            witness_allocation(residents=n, seed=seed, preset=preset, **knobs))


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("seed", [0, 1])
def test_witness_passes_every_hard_rule(preset: str, seed: int) -> None:
    problem, witness = _both(400, seed, preset)
    report = check(problem, witness)
    assert report.ok, report.to_text()
    # It houses exactly the residents whose placement is hard, and the incumbents.
    for r in problem.residents:
        if r.required or r.locked or r.group:
            assert witness[r.id] is not None
        if r.current_room is not None:
            assert witness[r.id] == r.current_room


# Knobs that push towards infeasibility: with ensure_feasible the generator drops hard flags it
# cannot honour instead, so the witness still passes.
STRESS = [
    ("campus", {"required_share": 1.0, "supply_ratio": 0.7}),
    ("ward", {"required_share": 1.0, "supply_ratio": 0.8, "needs_share": 0.9,
              "private_share": 0.3}),
    ("hostel", {"required_share": 0.8, "group_share": 0.3, "avoid_share": 0.2}),
    ("reallocation", {"incumbent_share": 1.0, "locked_share": 1.0, "supply_ratio": 0.9}),
    ("staff_housing", {"required_share": 0.9, "budget_share": 1.0, "maintenance_share": 0.5}),
    ("campus", {"gender_designation": "building", "designated_share": 1.0,
                "required_share": 0.5, "group_share": 0.2}),
    ("staff_housing", {"capacity_mix": (1.0,), "group_share": 0.2, "required_share": 0.5}),
]


@pytest.mark.parametrize(("preset", "knobs"), STRESS)
def test_stressed_cohorts_stay_feasible(preset: str, knobs: dict[str, Any]) -> None:
    problem, witness = _both(300, 4, preset, **knobs)
    report = check(problem, witness)
    assert report.ok, report.to_text()


def test_flags_are_dropped_only_when_beds_run_out() -> None:
    problem = cohort(residents=500, seed=2, required_share=1.0, supply_ratio=0.6)
    required = sum(r.required for r in problem.residents)
    beds = sum(k.capacity for k in problem.rooms)
    assert 0.8 * beds <= required <= beds


def test_locked_residents_alone_are_housable() -> None:
    # The lead's check: the locked residents of a reallocation cohort, each in their current
    # room and nobody else housed, break no rule but "required" (others are required too).
    problem = cohort(residents=1000, seed=3, preset="reallocation")
    locked = {r.id: r.current_room for r in problem.residents if r.locked}
    assert len(locked) > 50
    only = {r.id: locked.get(r.id) for r in problem.residents}
    rules = {v.rule for v in check(problem, only).violations}
    assert rules <= {"required"}


def test_groups_always_have_a_room_that_fits_them() -> None:
    problem = cohort(residents=600, seed=5, preset="staff_housing", group_share=0.15)
    groups: dict[str, list[str]] = {}
    for r in problem.residents:
        if r.group:
            groups.setdefault(r.group, []).append(r.id)
    assert groups
    for members in groups.values():
        people = [problem.resident(m) for m in members]
        assert any(
            k.capacity >= len(people)
            and all(set(p.needs) <= set(k.features) for p in people)
            and all(p.budget is None or k.cost <= p.budget for p in people)
            and (k.gender is None or all(p.gender == k.gender for p in people))
            for k in problem.rooms
        )


def test_blind_flags_can_make_a_cohort_infeasible() -> None:
    # ensure_feasible=False draws hard flags blindly: more required residents than beds.
    problem = cohort(residents=300, seed=1, required_share=1.0, supply_ratio=0.5,
                     ensure_feasible=False)
    required = sum(r.required for r in problem.residents)
    assert required > sum(k.capacity for k in problem.rooms)
    assert not any(witness_allocation(residents=300, seed=1, required_share=1.0,
                                      supply_ratio=0.5, ensure_feasible=False).values())
