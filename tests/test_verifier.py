"""The independent verifier: every hard rule, broken once, is reported with the right names.

Besides one focused test per rule, a night-by-night reference checker written here (the
obvious, slow way) must agree with :func:`roomalloc.check` on random problems and random
allocations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roomalloc import (
    Interval,
    Problem,
    Resident,
    Result,
    Room,
    Roommates,
    Rules,
    Violation,
    check,
)
from roomalloc.verify.verifier import RULE_CHECKS
from strategies import allocations, problems

D = dt.date


def stay(a: int, b: int) -> Interval:
    return Interval(start=D(2026, 9, a), end=D(2026, 9, b))


def base_problem() -> Problem:
    """A small valid problem with one instance of every rule; ``GOOD`` keeps all of them."""
    return Problem(
        rooms=(
            Room(id="A1", building="A", capacity=2, features=("accessible",), cost=400),
            Room(id="A2", building="A", capacity=2, gender="female", cost=300),
            Room(id="B1", building="B", capacity=1, cost=200, unavailable=(stay(1, 5),)),
            Room(id="B2", building="B", capacity=3, cost=100),
        ),
        residents=(
            Resident(id="ana", gender="female", needs=("accessible",), required=True),
            Resident(id="bea", gender="female", budget=350, roommates=Roommates(avoid=("cy",))),
            Resident(id="cy", gender="male", stay=stay(10, 20)),
            Resident(
                id="dan",
                gender="male",
                private=True,
                current_room="B1",
                locked=True,
                stay=stay(6, 9),
            ),
            Resident(id="eli", gender="male", group="fam"),
            Resident(id="fin", gender="male", group="fam", excluded_rooms=("A1",)),
        ),
    )


GOOD: dict[str, str | None] = {
    "ana": "A1",
    "bea": "A2",
    "cy": "B1",
    "dan": "B1",
    "eli": "B2",
    "fin": "B2",
}


def only(report_violations: tuple[Violation, ...], rule: str) -> Violation:
    rules = [v.rule for v in report_violations]
    assert rules == [rule], rules
    return report_violations[0]


def test_valid_allocation_reports_nothing() -> None:
    report = check(base_problem(), GOOD)
    assert report.ok
    assert report.violations == ()
    assert report.objective is not None


@pytest.mark.parametrize(
    ("change", "rule", "residents", "room"),
    [
        ({"fin": None}, "group", ("eli", "fin"), None),
        ({"ana": "B2"}, "needs", ("ana",), "B2"),
        ({"bea": "A1"}, "budget", ("bea",), "A1"),
        ({"fin": "A1", "eli": "A1"}, "excluded_rooms", ("fin",), "A1"),
        ({"ana": None}, "required", ("ana",), None),
        ({"dan": "B2"}, "locked", ("dan",), "B1"),
    ],
)
def test_each_static_rule_broken_once(
    change: dict[str, str | None], rule: str, residents: tuple[str, ...], room: str | None
) -> None:
    report = check(base_problem(), {**GOOD, **change})
    found = [v for v in report.violations if v.rule == rule]
    assert len(found) == 1, report.violations
    assert found[0].residents == residents
    assert found[0].room == room


def test_room_gender_names_each_resident() -> None:
    report = check(base_problem(), {**GOOD, "bea": None, "eli": "A2", "fin": "A2"})
    assert {v.rule for v in report.violations} == {"room_gender"}
    found = list(report.violations)
    assert sorted(v.residents for v in found) == [("eli",), ("fin",)]
    assert "for female residents only" in found[0].message


def test_capacity_names_room_night_and_residents() -> None:
    p = base_problem()
    # Three all-time residents in a room of two: over capacity on every night.
    report = check(p, {**GOOD, "bea": "A1", "ana": "A1", "eli": "A1", "fin": None})
    cap = [v for v in report.violations if v.rule == "capacity"]
    assert len(cap) == 1
    assert cap[0].room == "A1"
    assert cap[0].night is None
    assert set(cap[0].residents) == {"ana", "bea", "eli"}
    assert "every night" in cap[0].message


def test_capacity_with_stays_counts_only_nights_that_overlap() -> None:
    p = Problem(
        rooms=(Room(id="K", capacity=1),),
        residents=(
            Resident(id="a", stay=stay(1, 5)),
            Resident(id="b", stay=stay(5, 8)),  # arrives the day a leaves: no overlap
            Resident(id="c", stay=stay(7, 9)),  # overlaps b on the 7th
        ),
    )
    ok = check(p, {"a": "K", "b": "K", "c": None})
    assert ok.ok
    bad = check(p, {"a": "K", "b": "K", "c": "K"})
    v = only(bad.violations, "capacity")
    assert v.night == D(2026, 9, 7)
    assert set(v.residents) == {"b", "c"}
    assert "until 2026-09-08" in v.message


def test_unavailable_window_overlap() -> None:
    p = base_problem()
    report = check(p, {**GOOD, "dan": None, "cy": None, "bea": "B1"})
    # bea has no stay, so she overlaps B1's closure.
    found = [v for v in report.violations if v.rule == "unavailable"]
    assert [(v.residents, v.room, v.night) for v in found] == [(("bea",), "B1", D(2026, 9, 1))]


def test_gender_mixing_only_when_stays_overlap() -> None:
    p = Problem(
        rooms=(Room(id="K", capacity=2),),
        residents=(
            Resident(id="f", gender="female", stay=stay(1, 5)),
            Resident(id="m", gender="male", stay=stay(5, 9)),
            Resident(id="n", gender="male", stay=stay(4, 6)),
        ),
    )
    assert check(p, {"f": "K", "m": "K", "n": None}).ok
    v = only(check(p, {"f": "K", "m": None, "n": "K"}).violations, "gender_mixing")
    assert set(v.residents) == {"f", "n"}
    assert v.room == "K"
    assert v.night == D(2026, 9, 4)
    allowed = p.model_copy(update={"rules": Rules(gender_mixing="allow")})
    assert check(allowed, {"f": "K", "m": None, "n": "K"}).ok


def test_null_gender_equals_only_null() -> None:
    p = Problem(
        rooms=(Room(id="K", capacity=2),),
        residents=(Resident(id="x"), Resident(id="y"), Resident(id="f", gender="female")),
    )
    assert check(p, {"x": "K", "y": "K", "f": None}).ok
    only(check(p, {"x": "K", "y": None, "f": "K"}).violations, "gender_mixing")


def test_private_and_avoid() -> None:
    p = base_problem()
    # dan (private) shares B1 with cy? their stays (6-9 and 10-20) do not overlap: fine.
    assert check(p, GOOD).ok
    report = check(p, {**GOOD, "eli": "B1", "fin": "B1", "dan": "B1", "cy": None})
    private = [v for v in report.violations if v.rule == "private"]
    assert {v.residents for v in private} == {("dan", "eli"), ("dan", "fin")}
    avoid2 = check(p, {**GOOD, "cy": "B2", "bea": "B2"}).violations
    found2 = [v for v in avoid2 if v.rule == "avoid"]
    assert [set(v.residents) for v in found2] == [{"bea", "cy"}]
    assert found2[0].room == "B2"


def test_avoid_counts_either_side_and_respects_stays() -> None:
    p = Problem(
        rooms=(Room(id="K", capacity=3),),
        residents=(
            Resident(id="a", stay=stay(1, 3)),
            Resident(id="b", stay=stay(3, 6), roommates=Roommates(avoid=("a",))),
            Resident(id="c", stay=stay(2, 4)),
        ),
    )
    assert check(p, {"a": "K", "b": "K", "c": None}).ok  # no shared night
    p2 = p.model_copy(
        update={
            "residents": (*p.residents[:2], Resident(id="c", roommates=Roommates(avoid=("b",))))
        }
    )
    v = only(check(p2, {"a": None, "b": "K", "c": "K"}).violations, "avoid")
    assert set(v.residents) == {"b", "c"}
    assert v.night == D(2026, 9, 3)


def test_group_split_and_partly_housed() -> None:
    p = base_problem()
    split = check(p, {**GOOD, "fin": "B1", "dan": None, "cy": None}).violations
    g = [v for v in split if v.rule == "group"]
    assert len(g) == 1 and "split" in g[0].message
    partial = check(p, {**GOOD, "fin": None}).violations
    g2 = [v for v in partial if v.rule == "group"]
    assert len(g2) == 1 and "fin is not" in g2[0].message
    assert check(p, {**GOOD, "eli": None, "fin": None}).ok


def test_every_rule_has_a_check_and_all_are_run() -> None:
    assert set(RULE_CHECKS) == {
        "capacity",
        "room_gender",
        "gender_mixing",
        "unavailable",
        "needs",
        "private",
        "budget",
        "excluded_rooms",
        "avoid",
        "group",
        "required",
        "locked",
    }


def test_unknown_ids_and_missing_residents() -> None:
    p = base_problem()
    bad = {**GOOD, "zed": "A1", "ana": "Z9"}
    del bad["eli"]
    rules = sorted(v.rule for v in check(p, bad).violations)
    assert "unknown_resident" in rules
    assert "unknown_room" in rules
    assert "missing_resident" in rules
    missing = next(v for v in check(p, bad).violations if v.rule == "missing_resident")
    assert missing.residents == ("eli",)
    # partial: absent residents count as unhoused, not as missing
    partial = dict(GOOD)
    del partial["bea"]
    assert check(p, partial, partial=True).ok


def test_result_statements_are_checked() -> None:
    p = base_problem()
    true = check(p, GOOD)
    assert true.objective is not None
    honest = Result(
        status="feasible",
        assignments=GOOD,
        objective=true.objective,
        bound=true.objective + 5,
        terms=true.terms,
    )
    assert check(p, honest).ok
    lying = honest.model_copy(update={"objective": true.objective + 1, "bound": 0.0})
    msgs = [v.message for v in check(p, lying).violations]
    assert any("states objective" in m for m in msgs)
    assert any("bound" in m for m in msgs)
    wrong_term = honest.model_copy(update={"terms": {**true.terms, "housed": 1.0}})
    assert [v.rule for v in check(p, wrong_term).violations] == ["result"]
    assert check(p, Result(status="infeasible")).ok
    # Result(...) refuses this; the verifier still catches a result made without validation.
    assert not check(p, Result.model_construct(status="infeasible", assignments=GOOD)).ok


def test_custom_rule_reported_beside_builtins() -> None:
    from roomalloc.rules import Rule

    class NoOneInB2(Rule):
        name = "no_b2"

        def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> list[Violation]:
            return [
                Violation(self.name, f"{r} is in B2", residents=(r,), room="B2")
                for r, k in assignments.items()
                if k == "B2"
            ]

        def add_to_model(self, ctx: object) -> None:
            raise NotImplementedError

    report = check(base_problem(), GOOD, rules=[NoOneInB2()])
    assert sorted(v.residents for v in report.violations) == [("eli",), ("fin",)]
    assert check(base_problem(), GOOD).ok


def test_report_text_and_dict() -> None:
    report = check(base_problem(), {**GOOD, "ana": None})
    text = report.to_text()
    assert text.startswith("1 violation:")
    assert "ana must be housed" in text
    d = report.to_dict()
    assert d["ok"] is False
    assert d["violations"][0]["rule"] == "required"


# --- agreement with a night-by-night reference checker --------------------------------------

FAR = D(2000, 1, 1)  # a night outside every stay: only residents without a stay are there


def _nights(r: Resident) -> set[dt.date]:
    if r.stay is None:
        return ALL
    n = (r.stay.end - r.stay.start).days
    return {r.stay.start + dt.timedelta(days=i) for i in range(n)}


ALL: set[dt.date] = {D(2026, 8, 25) + dt.timedelta(days=i) for i in range(30)} | {FAR}


def reference(problem: Problem, a: Mapping[str, str | None]) -> set[tuple[object, ...]]:
    """Every violation as a comparable key, computed the slow and obvious way."""
    out: set[tuple[object, ...]] = set()
    rooms = problem.rooms_by_id
    placed = {r.id: a.get(r.id) for r in problem.residents}
    res = problem.residents
    for k in problem.rooms:
        occ = [r for r in res if placed[r.id] == k.id]
        for night in ALL:
            if sum(1 for r in occ if night in _nights(r)) > k.capacity:
                out.add(("capacity", k.id))
        for i, r in enumerate(occ):
            for s in occ[i + 1 :]:
                if not (_nights(r) & _nights(s)):
                    continue
                pair = frozenset((r.id, s.id))
                if problem.rules.gender_mixing == "forbid" and r.gender != s.gender:
                    out.add(("gender_mixing", pair))
                if r.id in s.roommates.avoid or s.id in r.roommates.avoid:
                    out.add(("avoid", pair))
                if r.private or s.private:
                    out.add(("private", pair))
    for r in res:
        k_id = placed[r.id]
        if k_id is None:
            if r.required:
                out.add(("required", r.id))
        else:
            k = rooms[k_id]
            if not set(r.needs) <= set(k.features):
                out.add(("needs", r.id))
            if r.budget is not None and k.cost > r.budget:
                out.add(("budget", r.id))
            if k_id in r.excluded_rooms:
                out.add(("excluded_rooms", r.id))
            if k.gender is not None and r.gender != k.gender:
                out.add(("room_gender", r.id))
            if any(
                _nights(r) & {w.start + dt.timedelta(days=i) for i in range((w.end - w.start).days)}
                for w in k.unavailable
            ):
                out.add(("unavailable", r.id))
        if r.locked and k_id != r.current_room:
            out.add(("locked", r.id))
    groups: dict[str, list[Resident]] = {}
    for r in res:
        if r.group is not None:
            groups.setdefault(r.group, []).append(r)
    for name, members in groups.items():
        where = {placed[m.id] for m in members}
        if len(where) > 1 and where != {None}:
            out.add(("group", name))
    return out


def as_keys(problem: Problem, violations: tuple[Violation, ...]) -> set[tuple[object, ...]]:
    out: set[tuple[object, ...]] = set()
    by_id = problem.residents_by_id
    for v in violations:
        if v.rule == "capacity":
            out.add(("capacity", v.room))
        elif v.rule in ("gender_mixing", "avoid", "private"):
            out.add((v.rule, frozenset(v.residents)))
        elif v.rule == "group":
            group = by_id[v.residents[0]].group
            out.add(("group", group))
        else:
            out.add((v.rule, v.residents[0]))
    return out


@given(st.data())
def test_check_agrees_with_night_by_night_reference(data: st.DataObject) -> None:
    problem = data.draw(problems(max_rooms=4, max_residents=7))
    assignments = data.draw(allocations(problem))
    report = check(problem, assignments)
    assert as_keys(problem, report.violations) == reference(problem, assignments)
