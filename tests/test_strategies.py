"""The shared hypothesis strategies draw well-formed problems, and their knobs work."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from roomalloc import Problem
from roomalloc.domain.model import TermSpec
from strategies import (
    BUILTIN_TERMS,
    WINDOW_NIGHTS,
    WINDOW_START,
    allocations,
    first,
    problem_with_allocation,
    problems,
    room_allows,
    tiny_problems,
)


def assert_well_formed(p: Problem) -> None:
    """Every well-formedness rule of the contract, checked by hand."""
    room_ids = [k.id for k in p.rooms]
    res_ids = [r.id for r in p.residents]
    assert len(set(room_ids)) == len(room_ids)
    assert len(set(res_ids)) == len(res_ids)
    assert p.rules.gender_mixing in ("forbid", "allow")
    for k in p.rooms:
        assert k.capacity >= 1
        assert k.cost >= 0 and math.isfinite(k.cost)
        for iv in k.unavailable:
            assert iv.end > iv.start
    for r in p.residents:
        assert r.priority > 0 and math.isfinite(r.priority)
        assert r.budget is None or (r.budget >= 0 and math.isfinite(r.budget))
        if r.stay is not None:
            assert r.stay.end > r.stay.start
        assert set(r.excluded_rooms) <= set(room_ids)
        assert r.current_room is None or r.current_room in room_ids
        assert not r.locked or r.current_room is not None
        want, avoid = r.roommates.want, r.roommates.avoid
        assert set(want) | set(avoid) <= set(res_ids)
        assert r.id not in want and r.id not in avoid
        assert not set(want) & set(avoid)
        assert len(set(want)) == len(want) and len(set(avoid)) == len(avoid)
        for pref in r.preferences:
            assert len(pref.selectors()) == 1
            assert math.isfinite(pref.weight)
            assert pref.room is None or pref.room in room_ids
            assert pref.floor is None or pref.floor[0] <= pref.floor[1]
    names = [t.term for t in p.objective]
    assert set(names) <= set(BUILTIN_TERMS) and len(set(names)) == len(names)
    assert all(t.weight >= 0 and math.isfinite(t.weight) for t in p.objective)


@given(problems())
def test_problems_are_well_formed(p: Problem) -> None:
    assert_well_formed(p)
    assert 1 <= len(p.rooms) <= 4 and 1 <= len(p.residents) <= 6
    groups = Counter(r.group for r in p.residents if r.group is not None)
    assert all(2 <= size <= 3 for size in groups.values())
    for r in p.residents:
        for iv in [r.stay] + [u for k in p.rooms for u in k.unavailable]:
            if iv is not None:
                assert iv.start >= WINDOW_START and (iv.end - WINDOW_START).days <= WINDOW_NIGHTS


@given(problems(max_rooms=5, max_residents=7))
def test_problems_pass_full_validation_and_round_trip(p: Problem) -> None:
    assert Problem.model_validate_json(p.model_dump_json()) == p
    assert Problem.model_validate(p.model_dump(mode="json")) == p


@given(
    problems(
        stays=False,
        gender=False,
        avoid=False,
        groups=False,
        private=False,
        locked=False,
        roommates=False,
        needs=False,
        budgets=False,
        required=False,
        unavailable=False,
        excluded=False,
        preferences=False,
    )
)
def test_knobs_off_remove_every_feature(p: Problem) -> None:
    assert all(k.gender is None and not k.unavailable for k in p.rooms)
    for r in p.residents:
        assert r.stay is None and r.gender is None and r.group is None
        assert not (r.private or r.locked or r.required)
        assert r.roommates.want == () and r.roommates.avoid == ()
        assert r.needs == () and r.budget is None and r.excluded_rooms == ()
        assert r.preferences == ()


FEATURE_SEEN: list[tuple[str, Callable[[Problem], bool]]] = [
    ("stays", lambda p: any(r.stay is not None for r in p.residents)),
    (
        "overlap-free stays",
        lambda p: any(
            r.stay and s.stay and not r.overlaps(s) for r in p.residents for s in p.residents
        ),
    ),
    (
        "overlapping stays",
        lambda p: any(
            r.stay and s.stay and r is not s and r.overlaps(s)
            for r in p.residents
            for s in p.residents
        ),
    ),
    ("resident without stay", lambda p: any(r.stay is None for r in p.residents)),
    ("resident gender", lambda p: any(r.gender is not None for r in p.residents)),
    ("room gender", lambda p: any(k.gender is not None for k in p.rooms)),
    ("gender_mixing allow", lambda p: p.rules.gender_mixing == "allow"),
    ("avoid", lambda p: any(r.roommates.avoid for r in p.residents)),
    ("want", lambda p: any(r.roommates.want for r in p.residents)),
    ("groups", lambda p: any(r.group is not None for r in p.residents)),
    ("group of 3", lambda p: 3 in Counter(r.group for r in p.residents if r.group).values()),
    ("private", lambda p: any(r.private for r in p.residents)),
    ("locked", lambda p: any(r.locked for r in p.residents)),
    (
        "locked, misfit",
        lambda p: any(
            r.locked and not room_allows(r, p.room(r.current_room or "")) for r in p.residents
        ),
    ),
    (
        "current_room, not locked",
        lambda p: any(r.current_room and not r.locked for r in p.residents),
    ),
    (
        "mixed-gender group",
        lambda p: any(
            r.group and r.group == s.group and r.gender != s.gender
            for r in p.residents
            for s in p.residents
        ),
    ),
    ("needs", lambda p: any(r.needs for r in p.residents)),
    ("budget", lambda p: any(r.budget is not None for r in p.residents)),
    ("required", lambda p: any(r.required for r in p.residents)),
    ("unavailable", lambda p: any(k.unavailable for k in p.rooms)),
    ("excluded", lambda p: any(r.excluded_rooms for r in p.residents)),
    ("half weight", lambda p: any(q.weight % 1 for r in p.residents for q in r.preferences)),
    ("negative weight", lambda p: any(q.weight < 0 for r in p.residents for q in r.preferences)),
    ("fractional priority", lambda p: any(r.priority % 1 for r in p.residents)),
    ("custom objective", lambda p: {t.term for t in p.objective} >= {"cost", "fairness"}),
]


@pytest.mark.parametrize(("feature", "seen"), FEATURE_SEEN, ids=[f for f, _ in FEATURE_SEEN])
def test_every_feature_is_drawn_by_default(feature: str, seen: Callable[[Problem], bool]) -> None:
    p = first(problems(), seen)
    assert_well_formed(p)
    assert seen(p)


def _draw_many(strategy: st.SearchStrategy[Problem], n: int) -> list[Problem]:
    """``n`` derandomized examples of ``strategy`` (not shrunk, no database)."""
    drawn: list[Problem] = []

    @settings(max_examples=n, derandomize=True, database=None, phases=[Phase.generate])
    @given(strategy)
    def collect(p: Problem) -> None:
        drawn.append(p)

    collect()
    return drawn


def test_locked_residents_both_fit_and_misfit_their_room() -> None:
    # Both kinds must be drawn (feasible and infeasible locks). How often each comes up depends
    # on hypothesis's own biases, which change between its releases, so no ratio is pinned.
    fits = misfits = 0
    for p in _draw_many(problems(), 150):
        for r in p.residents:
            if r.locked:
                assert r.current_room is not None
                fits += room_allows(r, p.room(r.current_room))
                misfits += not room_allows(r, p.room(r.current_room))
    assert fits > 0
    assert misfits > 0


@given(problems(extras=True))
def test_extras_add_attributes_and_annotations(p: Problem) -> None:
    assert all(k.attributes and set(k.annotations) == {"_note"} for k in p.rooms)
    assert all(r.attributes and set(r.annotations) == {"_note"} for r in p.residents)
    assert Problem.model_validate_json(p.model_dump_json()) == p


def test_fixed_objective_is_used() -> None:
    fixed = (TermSpec(term="cost", weight=2),)
    p = first(problems(objective=fixed), lambda p: True)
    assert p.objective == fixed


@given(tiny_problems())
def test_tiny_problems_fit_brute_force(p: Problem) -> None:
    assert_well_formed(p)
    assert len(p.rooms) <= 4 and len(p.residents) <= 6
    assert (len(p.rooms) + 1) ** len(p.residents) <= 15_625


@given(tiny_problems(max_allocations=200, groups=False))
def test_tiny_problems_knobs_and_cap(p: Problem) -> None:
    assert (len(p.rooms) + 1) ** len(p.residents) <= 200
    assert all(r.group is None for r in p.residents)


@given(problem_with_allocation())
def test_allocations_cover_every_resident(pa: tuple[Problem, dict[str, str | None]]) -> None:
    p, assignments = pa
    assert set(assignments) == {r.id for r in p.residents}
    assert set(assignments.values()) <= {None, *(k.id for k in p.rooms)}


def test_allocations_reach_every_room_and_unhoused() -> None:
    p = first(problems(min_rooms=3, min_residents=3), lambda p: True)
    for target in [None, *(k.id for k in p.rooms)]:
        a = first(allocations(p), lambda a: a["r2"] == target)  # noqa: B023 (used at once)
        assert a["r2"] == target and set(a) == {r.id for r in p.residents}


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        problems(max_rooms=1, min_rooms=2)
