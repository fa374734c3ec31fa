"""Notebook display: summary HTML and short reprs for Problem, Result, CheckReport, Explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

import roomalloc
from roomalloc import Problem, Resident, Result, Room

DATA = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "data"


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Result]:
    p = roomalloc.read_tables(DATA / "rooms.csv", DATA / "residents.csv")
    return p, roomalloc.solve(p, time_limit=20, workers=1)


def test_problem_shows_counts_buildings_and_terms(solved: tuple[Problem, Result]) -> None:
    p, _ = solved
    html = p._repr_html_()
    assert "<th>beds</th><td>16</td>" in html and "<th>residents</th><td>18</td>" in html
    assert "<td>North</td><td>5</td><td>8</td>" in html  # building, rooms, beds
    assert "<td>housed</td><td>1000</td><td>maximize</td>" in html
    assert repr(p) == str(p) == ("Problem(10 rooms, 16 beds, 18 residents; objective "
                                 "housed×1000 + preferences×1 + roommates×2)")
    assert "Li Wei" not in html  # a summary, not the data


def test_result_shows_status_gap_and_terms(solved: tuple[Problem, Result]) -> None:
    _, r = solved
    html = r._repr_html_()
    housed = sum(1 for k in r.assignments.values() if k is not None)
    assert f"<th>status</th><td>{r.status}</td>" in html
    assert f"<th>housed</th><td>{housed} of 18</td>" in html
    assert f"<td>preferences</td><td>{r.terms['preferences']:g}</td>" in html
    assert repr(r).startswith(f"Result(status='{r.status}', objective={r.objective:g}")
    assert len(repr(r)) < 120
    unknown = Result(status="infeasible", diagnosis=("r1 needs 'ensuite' and no room has it",))
    assert "no room has it" in unknown._repr_html_()
    assert repr(unknown) == "Result(status='infeasible')"


def test_check_report_shows_the_verdict_and_each_violation() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1"),
                                                             Resident(id="r2")])
    bad = roomalloc.check(p, {"r1": "A", "r2": "A"})
    assert repr(bad) == "CheckReport(ok=False, capacity×1)"
    assert "<td>capacity</td><td>A</td>" in bad._repr_html_()
    good = roomalloc.check(p, {"r1": "A", "r2": None})
    assert repr(good) == "CheckReport(ok=True, objective=1000)"
    assert "every hard rule holds" in good._repr_html_()


def test_explanation_shows_terms_unhoused_and_the_worst_served(
    solved: tuple[Problem, Result],
) -> None:
    p, r = solved
    ex = roomalloc.explain(p, r)
    html = ex._repr_html_()
    unhoused = [rid for rid, k in r.assignments.items() if k is None]
    for rid in unhoused:
        assert f"<td>{rid}</td>" in html
    served = [(e.score / e.best_score, rid) for rid, e in ex.residents.items()
              if e.room is not None and e.best_score and e.score is not None
              and e.score < e.best_score]
    worst = min(served)[1]
    assert f"<tr><td>{worst}</td><td>{r.assignments[worst]}</td>" in html
    assert "<td>housed</td><td>maximize</td><td>1000</td>" in html
    assert len(repr(ex)) < 120 and repr(ex).startswith("Explanation(objective ")
    assert len(html) < 20_000  # a summary, not every resident's full explanation
