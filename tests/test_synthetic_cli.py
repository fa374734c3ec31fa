"""``roomalloc generate``: files, statistics, errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from roomalloc import Problem
from roomalloc.commands.generate import register
from roomalloc.synthetic import cohort


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="roomalloc")
    register(parser.add_subparsers())
    args = parser.parse_args(["generate", *argv])
    status: int = args.func(args)
    return status


def test_writes_the_same_file_twice(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    argv = ["--residents", "150", "--seed", "9", "--preset", "ward"]
    assert run([*argv, "-o", str(a)]) == 0
    assert run([*argv, "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    problem = Problem.model_validate_json(a.read_bytes())
    assert problem == cohort(residents=150, seed=9, preset="ward")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_knob_overrides_and_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.json"
    status = run(["--residents", "100", "--set", "supply_ratio=0.5", "--set",
                  "gender_mixing=allow", "-o", str(out), "--stats"])
    assert status == 0
    text = capsys.readouterr().out
    assert text.startswith("residents 100,") and "beds 50" in text and "mixing allow" in text
    problem = Problem.model_validate_json(out.read_bytes())
    assert problem.rules.gender_mixing == "allow"


def test_stdout_and_stats_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["--residents", "10", "--seed", "2"]) == 0
    printed = capsys.readouterr().out
    assert Problem.model_validate_json(printed) == cohort(residents=10, seed=2)
    path = tmp_path / "p.json"
    path.write_text(printed)
    assert run(["--stats-of", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["residents"] == 10 and "demand_per_bed" in data


def test_bad_knob_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--set", "colour=red"]) == 2
    assert "unknown knob 'colour'" in capsys.readouterr().err
    assert run(["--set", "supply_ratio=-1"]) == 2
    assert "supply_ratio must be > 0" in capsys.readouterr().err


def test_list_knobs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--list-knobs", "--preset", "hostel"]) == 0
    text = capsys.readouterr().out
    assert "period_days = 60" in text and "supply_ratio = 1.0" in text


def test_stats_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    from roomalloc import RoomallocError

    with pytest.raises(RoomallocError, match=r"nothing\.json"):
        run(["--stats-of", str(tmp_path / "nothing.json")])


def test_witness_file_passes_check(tmp_path: Path) -> None:
    from roomalloc import check
    from roomalloc.domain.io import load_result

    problem_path, witness_path = tmp_path / "p.json", tmp_path / "w.json"
    assert run(["--residents", "200", "--preset", "ward", "-o", str(problem_path),
                "--witness", str(witness_path)]) == 0
    problem = Problem.model_validate_json(problem_path.read_bytes())
    result = load_result(witness_path)
    assert result.status == "feasible"
    assert check(problem, result).ok


def test_witness_refuses_blind_cohorts(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    assert run(["--set", "ensure_feasible=false", "--witness", str(tmp_path / "w.json")]) == 2
    assert "--witness needs ensure_feasible" in capsys.readouterr().err
