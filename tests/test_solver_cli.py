"""``roomalloc solve`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roomalloc import Problem, Resident, Room
from roomalloc.cli import main
from roomalloc.domain.io import load_result, save_problem


def test_solve_the_bundled_example_prints_rooms_and_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "result.json"
    status = main(["solve", "--example", "campus_small", "-o", str(out_file), "--workers", "1"])
    assert status == 0
    result = load_result(out_file)
    assert result.status == "optimal"
    printed = capsys.readouterr().out
    assert "Who lives where:" in printed
    assert "Objective terms:" in printed
    for resident, room in result.assignments.items():
        line = next(line for line in printed.splitlines() if line.split()[:1] == [resident])
        assert (room or "not housed") in line
    assert f"{result.objective:g}" in printed


def test_an_infeasible_problem_exits_1_and_still_writes_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "p.json"
    save_problem(Problem(rooms=[Room(id="A", capacity=1)],
                         residents=[Resident(id="a", required=True),
                                    Resident(id="b", required=True)]), problem)
    out_file = tmp_path / "r.json"
    assert main(["solve", str(problem), "-o", str(out_file), "--workers", "1"]) == 1
    assert json.loads(out_file.read_text())["status"] == "infeasible"
    assert "infeasible" in capsys.readouterr().out


def test_problem_file_or_example_but_not_neither(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve"]) == 2
    assert "PROBLEM.json or --example" in capsys.readouterr().err


def test_an_unknown_example_names_the_ones_there_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "--example", "nope"]) == 2
    assert "campus_small" in capsys.readouterr().err
