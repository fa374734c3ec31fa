"""Synthetic cohorts: determinism, validity, documented statistics, realism."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from roomalloc import Problem
from roomalloc.synthetic import PRESETS, Knobs, cohort, knobs_for, parse_knob, stats

# SHA-256 (first 16 hex digits) of cohort(residents=60, seed=42, preset=P).model_dump_json().
# These change only when the generator changes on purpose (then update them and say so in the
# commit); an unintended change means the same seed no longer gives the same problem.
PINNED = {
    "campus": "14c23be286ceec98",
    "staff_housing": "52a9ca8228b08c60",
    "hostel": "f32f2155b718fa42",
    "ward": "452e7e6a7dff9832",
    "reallocation": "04dc7e09ce367887",
}


@pytest.fixture(scope="module")
def thousand() -> dict[str, Problem]:
    return {name: cohort(residents=1000, seed=1, preset=name) for name in PRESETS}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_pinned_output(preset: str) -> None:
    text = cohort(residents=60, seed=42, preset=preset).model_dump_json()
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == PINNED[preset]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_same_seed_same_bytes_other_seed_other_problem(preset: str) -> None:
    a = cohort(residents=300, seed=5, preset=preset).model_dump_json()
    b = cohort(residents=300, seed=5, preset=preset).model_dump_json()
    c = cohort(residents=300, seed=6, preset=preset).model_dump_json()
    assert a == b
    assert a != c


def test_knobs_of_one_stage_leave_the_others_alone() -> None:
    # Each stage draws from its own stream: more preferences do not move rooms or stays.
    a = cohort(residents=200, seed=3, preset="hostel")
    b = cohort(residents=200, seed=3, preset="hostel", preferences_mean=5.0)
    assert a.rooms == b.rooms
    assert [r.stay for r in a.residents] == [r.stay for r in b.residents]
    assert [r.preferences for r in a.residents] != [r.preferences for r in b.residents]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_round_trips_through_full_validation(preset: str, thousand: dict[str, Problem]) -> None:
    problem = thousand[preset]
    text = problem.model_dump_json()
    loaded = Problem.model_validate_json(text)
    assert loaded == problem
    assert loaded.model_dump_json() == text


def test_ids_are_readable_and_unique(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    assert p.residents[0].id == "r00001" and p.residents[-1].id == "r01000"
    assert len({k.id for k in p.rooms}) == len(p.rooms)
    for room in p.rooms[:50]:
        building, number = room.id.split("-")
        assert building == room.building
        assert number.startswith(str(room.floor)) and len(number) == len(str(room.floor)) + 2


def test_small_and_empty_cohorts_are_valid() -> None:
    for n in (0, 1, 2, 7):
        p = cohort(residents=n, seed=0)
        assert len(p.residents) == n
        assert Problem.model_validate_json(p.model_dump_json()) == p


# Documented statistics (docs/synthetic.md) at 1,000 residents, seed 1, with tolerances wide
# enough for any seed: (demand per bed, needs share, preferences per resident, required share).
DOCUMENTED = {
    "campus": (1 / 0.95, 0.03, (2.3, 3.1), 0.05),
    "staff_housing": (1.0, 0.03, (1.9, 2.7), 0.20),
    "hostel": (1.0, 0.01, (1.4, 2.1), 0.10),
    "ward": (1 / 1.1, 0.30, (0.7, 1.1), 0.60),
    "reallocation": (1 / 0.95, 0.03, (2.3, 3.1), 0.05),
}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_documented_statistics(preset: str, thousand: dict[str, Problem]) -> None:
    s = stats(thousand[preset])
    demand, needs, (lo, hi), required = DOCUMENTED[preset]
    knobs = PRESETS[preset]
    assert s.residents == 1000
    assert s.demand_per_bed == pytest.approx(demand, abs=0.01)
    assert s.needs_share == pytest.approx(needs, abs=max(0.015, needs * 0.2))
    assert lo <= s.preferences_per_resident <= hi
    assert required * 0.9 - 0.01 <= s.required_share <= required + 0.02
    assert s.private_share == pytest.approx(knobs.private_share, abs=0.02)
    assert s.budget_share == pytest.approx(knobs.budget_share, abs=0.04)
    # Dislikes of a feature kind nobody dislikes (no FeatureSpec.dislike) are dropped.
    assert 0 < s.dislike_share <= knobs.dislike_share + 0.03
    assert s.group_share <= knobs.group_share + 0.005
    if knobs.clique_share > 0:  # cliques of 2-4 who all want each other
        assert s.mutual_pairs >= 1000 * knobs.clique_share * 0.4
    if knobs.period_days:
        assert s.stay_share == 1.0
        assert s.closed_rooms <= s.rooms * knobs.maintenance_share * 2 + 2
        if s.rooms * knobs.maintenance_share >= 5:
            assert s.closed_rooms > 0
    else:
        assert s.stay_share == 0.0 and s.closed_rooms == 0


def test_reallocation_has_incumbents_and_locked(thousand: dict[str, Problem]) -> None:
    s = stats(thousand["reallocation"])
    assert s.incumbent_share == pytest.approx(0.7 * 0.98, abs=0.05)  # group members excluded
    assert s.locked == pytest.approx(1000 * 0.7 * 0.15, rel=0.25)
    assert stats(thousand["campus"]).incumbent_share == 0


def test_ten_thousand_campus_statistics() -> None:
    s = stats(cohort(residents=10_000, seed=2))
    assert s.demand_per_bed == pytest.approx(1 / 0.95, abs=0.001)
    assert 2.5 <= s.preferences_per_resident <= 3.0
    assert s.needs_share == pytest.approx(0.03, abs=0.006)
    assert s.required_share == pytest.approx(0.05, abs=0.006)
    assert 35 <= s.buildings <= 60  # about 100 rooms each
    assert s.room_features["accessible"] == pytest.approx(0.04, abs=0.01)
    assert s.dislike_share == pytest.approx(0.12, abs=0.03)


def test_supply_ratio_makes_under_and_over_subscribed_cohorts() -> None:
    tight = stats(cohort(residents=500, seed=1, supply_ratio=0.8))
    loose = stats(cohort(residents=500, seed=1, supply_ratio=1.25))
    assert tight.beds == 400 and loose.beds == 625
    assert tight.demand_per_bed > 1 > loose.demand_per_bed


def test_stay_demand_counts_the_busiest_night(thousand: dict[str, Problem]) -> None:
    s = stats(thousand["hostel"])
    assert s.peak_demand == s.beds  # supply_ratio 1 of the busiest night
    assert s.mean_demand < s.peak_demand
    assert 1 <= s.mean_stay_nights <= 10


def test_rooms_look_like_housing(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    caps = Counter(k.capacity for k in p.rooms)
    assert set(caps) <= {1, 2, 3, 4} and caps[2] > caps[4]
    by_cap: dict[int, list[float]] = {}
    for k in p.rooms:
        by_cap.setdefault(k.capacity, []).append(k.cost)
    mean = {c: sum(v) / len(v) for c, v in by_cap.items()}
    assert mean[1] > mean[2] > mean[4]  # a bed in a single costs more
    ensuite = [k.cost for k in p.rooms if "ensuite" in k.features and k.capacity == 2]
    plain = [k.cost for k in p.rooms if not k.features and k.capacity == 2]
    assert sum(ensuite) / len(ensuite) > sum(plain) / len(plain)
    # Quiet is a floor-wide feature: every room of a quiet floor is quiet.
    floors: dict[tuple[str, int], set[bool]] = {}
    for k in p.rooms:
        floors.setdefault((k.building, k.floor), set()).add("quiet" in k.features)
    assert all(len(v) == 1 for v in floors.values())
    assert all(k.cost % 5 == 0 for k in p.rooms)


def test_gender_designation_is_per_floor(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    floors: dict[tuple[str, int], set[str | None]] = {}
    for k in p.rooms:
        floors.setdefault((k.building, k.floor), set()).add(k.gender)
    assert all(len(v) == 1 for v in floors.values())
    assert 0.15 < stats(p).designated_rooms < 0.45


def test_preferences_are_correlated_and_of_every_kind(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    s = stats(p)
    assert all(count > 0 for count in s.preference_kinds.values())
    liked = Counter(pref.building for r in p.residents for pref in r.preferences
                    if pref.building and pref.weight > 0)
    ranked = liked.most_common()
    assert ranked[0][1] > 2 * ranked[-1][1]  # popular buildings are popular for everyone
    weights = {pref.weight for r in p.residents for pref in r.preferences}
    assert weights <= {-2.0, -1.0, 1.0, 2.0, 3.0, 4.0, 5.0}


def test_social_ties(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    by_id = p.residents_by_id
    groups: dict[str, list[str]] = {}
    for r in p.residents:
        if r.group:
            groups.setdefault(r.group, []).append(r.id)
        for s in r.roommates.want:
            assert s != r.id and s in by_id
        for s in r.roommates.avoid:
            assert s != r.id and s not in r.roommates.want
    assert groups
    for members in groups.values():
        assert 2 <= len(members) <= 4
        assert len({by_id[m].gender for m in members}) == 1  # forbid: one gender per group
        assert len({by_id[m].stay for m in members}) == 1
    assert stats(p).avoid_pairs > 0


def test_stays_and_maintenance_fall_in_the_period(thousand: dict[str, Problem]) -> None:
    import datetime as dt

    first, last = dt.date(2026, 9, 1), dt.date(2026, 9, 1) + dt.timedelta(days=60)
    p = thousand["hostel"]
    for r in p.residents:
        assert r.stay is not None and first <= r.stay.start < r.stay.end <= last
    for k in p.rooms:
        for w in k.unavailable:
            assert first <= w.start < w.end <= last


def test_parse_knob_and_bad_knobs() -> None:
    assert parse_knob("supply_ratio=1.2") == ("supply_ratio", 1.2)
    assert parse_knob("ensure_feasible=false") == ("ensure_feasible", False)
    assert parse_knob("stay_days=1,7") == ("stay_days", (1, 7))
    assert parse_knob("objective=housed,1000;moves,5") == (
        "objective", (("housed", 1000.0), ("moves", 5.0)))
    with pytest.raises(ValueError, match="expected one of forbid, allow"):
        parse_knob("gender_mixing=sometimes")
    with pytest.raises(ValueError, match="unknown knob"):
        parse_knob("colour=red")
    with pytest.raises(ValueError, match="unknown knob"):
        cohort(residents=10, colour="red")
    with pytest.raises(ValueError, match="required_share must be in"):
        knobs_for("campus", required_share=1.5)
    with pytest.raises(ValueError, match="unknown preset"):
        cohort(residents=10, preset="palace")
    with pytest.raises(ValueError, match="residents must be >= 0"):
        cohort(residents=-1)
    Knobs().check()  # the defaults are consistent


def test_objective_knob() -> None:
    p = cohort(residents=20, seed=0, preset="reallocation")
    assert [(t.term, t.weight) for t in p.objective] == [
        ("housed", 1000.0), ("preferences", 1.0), ("roommates", 2.0), ("moves", 5.0)]


def test_staff_housing_roles_follow_stays(thousand: dict[str, Problem]) -> None:
    p = thousand["staff_housing"]
    roles = Counter(r.attributes["role"] for r in p.residents)
    assert roles["staff"] == pytest.approx(550, abs=60) and roles["visitor"] > 350
    whole = [r for r in p.residents if r.attributes["role"] == "staff"]
    assert all(r.stay is not None and (r.stay.end - r.stay.start).days == 120 for r in whole)
    assert all(r.attributes["grade"] in (1, 2) for r in p.residents)


def test_friends_like_the_same_building(thousand: dict[str, Problem]) -> None:
    p = thousand["campus"]
    by_id = p.residents_by_id
    same = pairs = 0
    for r in p.residents:
        mine = {q.building for q in r.preferences if q.building and q.weight > 0}
        for s in r.roommates.want:
            if r.id in by_id[s].roommates.want and r.id < s:  # a mutual (clique) pair
                theirs = {q.building for q in by_id[s].preferences if q.building and q.weight > 0}
                if mine and theirs:
                    pairs += 1
                    same += bool(mine & theirs)
    assert pairs > 20 and same / pairs > 0.8


def test_stats_of_a_hand_made_problem() -> None:
    import datetime as dt

    from roomalloc import Interval, Preference, Resident, Room, Roommates

    def stay(a: int, b: int) -> Interval:
        return Interval(start=dt.date(2026, 1, a), end=dt.date(2026, 1, b))

    p = Problem(
        rooms=(Room(id="A", capacity=2, features=("quiet",), gender="female"),
               Room(id="B", capacity=1, unavailable=(stay(1, 2),))),
        residents=(
            Resident(id="a", stay=stay(1, 4), roommates=Roommates(want=("b",), avoid=("c",)),
                     preferences=(Preference(building="X", weight=2),
                                  Preference(feature="quiet", weight=-1))),
            Resident(id="b", stay=stay(3, 6), roommates=Roommates(want=("a",))),
            Resident(id="c", stay=stay(4, 6), roommates=Roommates(avoid=("a",)),
                     required=True, group="g"),
            Resident(id="d", needs=("quiet",), private=True, budget=10.0, group="g",
                     current_room="B", locked=True),
        ),
    )
    s = stats(p)
    assert (s.beds, s.rooms, s.buildings) == (3, 2, 1)
    assert s.peak_demand == 3  # d always, and on night 3 both a and b; c arrives when a leaves
    assert s.mean_demand == pytest.approx(1 + (3 + 3 + 2) / 5)
    assert s.stay_share == 0.75 and s.mean_stay_nights == pytest.approx(8 / 3)
    assert (s.want_pairs, s.mutual_pairs, s.avoid_pairs) == (2, 1, 1)
    assert (s.groups, s.group_share, s.locked, s.incumbent_share) == (1, 0.5, 1, 0.25)
    assert (s.needs_share, s.private_share, s.budget_share, s.required_share) == (
        0.25, 0.25, 0.25, 0.25)
    assert s.preference_kinds == {"room": 0, "building": 1, "feature": 1, "floor": 0}
    assert s.dislike_share == 0.5 and s.preferences_per_resident == 0.5
    assert s.room_features == {"quiet": 0.5} and s.designated_rooms == 0.5
    assert s.closed_rooms == 1 and s.genders == {"(none)": 1.0}
    assert "peak 3 residents" in s.format()
