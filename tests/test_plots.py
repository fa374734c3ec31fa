"""Plots return Figures drawn from the allocation's own numbers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import roomalloc
from roomalloc import Problem, Resident, Result, Room, plots
from roomalloc.progress import ProgressRecorder

DATA = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "data"


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Result]:
    p = roomalloc.read_tables(DATA / "rooms.csv", DATA / "residents.csv")
    return p, roomalloc.solve(p, time_limit=20, workers=1)


def test_occupancy_bars_are_beds_used_and_free_per_building_and_floor(
    solved: tuple[Problem, Result],
) -> None:
    p, r = solved
    fig = plots.plot_occupancy(p, r)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    n = len(labels)
    used = [float(b.get_width()) for b in ax.patches[:n]]
    free = [float(b.get_width()) for b in ax.patches[n:]]
    beds: Counter[str] = Counter()
    for k in p.rooms:
        beds[f"{k.building} · floor {k.floor}"] += k.capacity
    assert {lab: u + f for lab, u, f in zip(labels, used, free, strict=True)} == beds


def test_occupancy_counts_the_busiest_night_not_every_short_stay() -> None:
    import datetime as dt

    from roomalloc import Interval

    def stay(a: int, b: int) -> Interval:
        return Interval(start=dt.date(2026, 9, a), end=dt.date(2026, 9, b))

    p = Problem(rooms=[Room(id="A", capacity=1)],
                residents=[Resident(id="r1", stay=stay(1, 5)), Resident(id="r2", stay=stay(5, 9))])
    fig = plots.plot_occupancy(p, Result(status="feasible", assignments={"r1": "A", "r2": "A"}))
    assert [float(b.get_width()) for b in fig.axes[0].patches] == [1.0, 0.0]
    over_time = plots.plot_occupancy_over_time(
        p, Result(status="feasible", assignments={"r1": "A", "r2": "A"}))
    assert {int(y) for y in over_time.axes[0].lines[0].get_ydata()[:-1]} == {1}


def test_satisfaction_boxes_hold_each_groups_score_over_best(
    solved: tuple[Problem, Result],
) -> None:
    p, r = solved
    frame = r.to_frame(p)
    fig = plots.plot_satisfaction(p, r, by="department")
    ticks = [t.get_text().split("\n")[0] for t in fig.axes[0].get_xticklabels()]
    expected = frame.dropna(subset=["satisfaction"]).groupby("department")["satisfaction"]
    assert ticks == sorted(expected.groups)
    points = [sorted(float(y) for _, y in c.get_offsets()) for c in fig.axes[0].collections]
    assert points == [sorted(expected.get_group(g).tolist()) for g in ticks]


def test_terms_bars_are_the_weighted_contributions(solved: tuple[Problem, Result]) -> None:
    p, r = solved
    fig = plots.plot_terms(p, r)
    ev = roomalloc.evaluate(p, r)
    assert [float(b.get_width()) for b in fig.axes[0].patches] == list(ev.contributions.values())


def test_occupancy_over_time_needs_stays() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    with pytest.raises(ValueError, match="no resident has a stay"):
        plots.plot_occupancy_over_time(p, Result(status="optimal", assignments={"r1": "A"}))


def test_progress_plot_draws_the_recorded_objective_bound_and_gap() -> None:
    rec = ProgressRecorder([0.5, 1.0, 3.0], [800.0, 900.0, 990.0], [5000.0, 1000.0, 1000.0])
    fig = plots.plot_progress(rec)
    objective, bound = fig.axes[0].lines[:2]
    assert list(objective.get_ydata()) == rec.objectives
    assert list(bound.get_ydata()) == [5000.0, 1000.0, 1000.0]
    gap_line = fig.axes[1].lines[0]
    assert [round(float(g), 6) for g in gap_line.get_ydata()] == [84.0, 10.0, 1.0]
    assert fig.axes[0].get_ylim()[1] < 5000  # a far first bound does not flatten the line
    assert "gap 1.00%" in fig.axes[0].get_title()


def test_figures_show_themselves_in_a_notebook_as_png(solved: tuple[Problem, Result]) -> None:
    p, r = solved
    png = plots.plot_occupancy(p, r)._repr_png_()  # type: ignore[attr-defined]
    assert png.startswith(b"\x89PNG")


def test_satisfaction_by_an_unknown_grouping_says_what_there_is(
    solved: tuple[Problem, Result],
) -> None:
    p, r = solved
    with pytest.raises(ValueError, match=r"a resident attribute \(department\)"):
        plots.plot_satisfaction(p, r, by="departement")
