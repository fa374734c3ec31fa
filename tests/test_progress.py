"""Progress: the bar is a progress callable, the recorder keeps reports, solve logs."""

from __future__ import annotations

import io
import logging

import pytest

import roomalloc
from roomalloc import Problem, Resident, Room
from roomalloc.progress import ProgressBar, ProgressRecorder, as_progress


def small() -> Problem:
    return Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
                   residents=[Resident(id=f"r{i}") for i in range(4)])


def test_the_bar_shows_objective_bound_and_gap_and_fills_as_the_gap_closes() -> None:
    out = io.StringIO()
    bar = ProgressBar(file=out, mininterval=0)
    bar(1.0, 500.0, 1000.0)
    assert bar._bar.n == 50
    bar(2.0, 990.0, 1000.0)
    bar.close()
    text = out.getvalue()
    assert "objective 990, bound 1000, gap 1.00%" in text
    assert bar._bar.n == 99


def test_solve_with_progress_bar_reports_and_closes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ProgressBar] = []
    real = ProgressBar.__init__

    def spy(self: ProgressBar, **options: object) -> None:
        real(self, file=io.StringIO(), **options)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(ProgressBar, "__init__", spy)
    result = roomalloc.solve(small(), time_limit=5, workers=1, progress="bar")
    assert result.status == "optimal"
    (bar,) = made
    assert bar._bar.n == 100  # ended on the final objective and bound
    assert bar._bar.disable or bar._bar.fp.getvalue().endswith("\n")  # closed: line ended


def test_progress_must_be_a_callable_bar_or_none() -> None:
    assert as_progress(print) is print
    with pytest.raises(ValueError, match="progress must be a callable"):
        roomalloc.solve(small(), time_limit=5, progress="spinner")  # type: ignore[arg-type]


def test_the_recorder_keeps_every_report_of_a_solve() -> None:
    recorder = ProgressRecorder()
    result = roomalloc.solve(small(), time_limit=5, workers=1, progress=recorder)
    assert recorder.objectives and recorder.objectives[-1] == result.objective
    assert recorder.times == sorted(recorder.times)
    assert all(b is None or b >= o - 1e-6 for o, b in zip(recorder.objectives,
                                                           recorder.bounds, strict=True))


def test_solve_logs_its_start_and_end(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="roomalloc"):
        result = roomalloc.solve(small(), time_limit=5, workers=1)
    lines = [r.getMessage() for r in caplog.records if r.name == "roomalloc"]
    assert lines[0] == "solve started: 4 residents, 2 rooms, time limit 5"
    assert lines[-1].startswith(f"solve ended: optimal, objective {result.objective:g}, bound ")
