"""``roomalloc explain``: the command line over explain and diagnose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roomalloc import Preference, Problem, Resident, Result, Room
from roomalloc.cli import main
from roomalloc.domain.io import save_problem, save_result


def write(tmp_path: Path, problem: Problem, result: Result) -> tuple[str, str]:
    p, r = tmp_path / "problem.json", tmp_path / "result.json"
    save_problem(problem, p)
    save_result(result, r)
    return str(p), str(r)


def small() -> tuple[Problem, Result]:
    problem = Problem(
        rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        residents=[Resident(id="r1", preferences=(Preference(room="A", weight=5),)),
                   Resident(id="r2", preferences=(Preference(room="A", weight=1),))],
    )
    result = Result(status="optimal", assignments={"r1": "A", "r2": "B"}, objective=2005.0,
                    bound=2005.0)
    return problem, result


def test_explain_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, r = write(tmp_path, *small())
    assert main(["explain", p, r]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 of 2 housed; 1 of the 2 housed residents with wishes got their "
                          "first choice")
    assert "r2: room B\n" in out
    assert "A (1 bed) is full on every night with r1" in out
    assert "nobody would gain by a legal swap" in out


def test_explain_one_resident_with_price(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    p, r = write(tmp_path, *small())
    assert main(["explain", p, r, "--resident", "r2", "--time-limit", "10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("r2: room B")
    assert "placing r2 in A would lower the allocation's score by 4 (proven" in out
    assert "r1 from A to B would change rooms" in out


def test_explain_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, r = write(tmp_path, *small())
    assert main(["explain", p, r, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["residents"]["r2"]["alternatives"][0]["reasons"][0]["kind"] == "full"


def test_unknown_resident(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, r = write(tmp_path, *small())
    assert main(["explain", p, r, "--resident", "nobody"]) == 2
    assert "no resident 'nobody'" in capsys.readouterr().err


def test_infeasible_result_is_diagnosed(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1)],
        residents=[Resident(id="r1", required=True), Resident(id="r2", required=True)],
    )
    p, r = write(tmp_path, problem, Result(status="infeasible"))
    assert main(["explain", p, r]) == 0
    out = capsys.readouterr().out
    assert "cannot be solved" in out
    assert "r1 and r2 must be housed; the rooms that allow them (A) have 1 bed in all" in out


def test_malformed_problem_names_the_mistake(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rooms": [{"id": "A", "capactiy": 1}], "residents": []}))
    _, r = write(tmp_path, *small())
    assert main(["explain", str(bad), r]) == 2
    assert "capactiy" in capsys.readouterr().err
