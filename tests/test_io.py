"""Problem and result files: exact round trips, clear errors, atomic writes; validate command."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from roomalloc import Interval, Problem, ProblemError, Resident, Result, Room, RoomallocError
from roomalloc.commands import validate as validate_command
from roomalloc.domain.io import (
    atomic_write_text,
    load_problem,
    load_result,
    save_problem,
    save_result,
)
from roomalloc.examples import example_names, example_path, load_example
from strategies import problems


def annotated_problem() -> Problem:
    data: dict[str, Any] = {
        "_source": {"export": "housing-office", "rows": [1, 2.5, None, True]},
        "rooms": [
            {"id": "A-1", "capacity": 2, "cost": 410.5, "features": ["quiet"],
             "unavailable": [{"start": "2026-08-01", "end": "2026-08-20", "_why": "paint"}],
             "attributes": {"wing": "east", "beds_new": True, "size": 14.5, "level": 3},
             "_note": "corner room"},
            {"id": "B-1", "capacity": 1, "gender": "female", "floor": -1},
        ],
        "residents": [
            {"id": "r1", "name": "Zoë", "stay": {"start": "2026-09-01", "end": "2027-06-30"},
             "priority": 1.25, "budget": 0, "needs": ["quiet"],
             "preferences": [{"floor": [-1, 0], "weight": -0.5, "_from": "form"},
                             {"room": "A-1", "weight": 2}],
             "roommates": {"want": ["r2"], "_asked": "2026-05-01"}, "group": "g"},
            {"id": "r2", "stay": {"start": "2026-09-01", "end": "2026-09-02"}, "group": "g",
             "current_room": "A-1", "locked": True, "_tags": []},
            {"id": "r3", "excluded_rooms": ["B-1"], "roommates": {"avoid": ["r1"]}},
        ],
        "objective": [{"term": "housed", "weight": 1000}, {"term": "cost", "weight": 0.01,
                                                          "_why": "cheap rooms first"}],
    }
    return Problem.model_validate(data)


def test_round_trip_is_exact_with_annotations_and_stays(tmp_path: Path) -> None:
    problem = annotated_problem()
    path = tmp_path / "problem.json"
    save_problem(problem, path)
    again = load_problem(path)
    assert again == problem
    assert again.annotations == {"_source": {"export": "housing-office",
                                             "rows": [1, 2.5, None, True]}}
    assert again.rooms[0].unavailable[0].annotations == {"_why": "paint"}
    assert again.residents[0].stay == Interval(start=dt.date(2026, 9, 1), end=dt.date(2027, 6, 30))
    assert again.rooms[0].attributes == {"wing": "east", "beds_new": True, "size": 14.5,
                                         "level": 3}
    assert type(again.rooms[0].attributes["level"]) is int
    assert type(again.rooms[0].attributes["beds_new"]) is bool
    save_problem(again, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == path.read_text()


def test_saved_file_is_readable_json(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    save_problem(annotated_problem(), path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\n  " in text
    data = json.loads(text)
    assert data["format"] == "roomalloc/1"
    assert data["residents"][0]["preferences"][0] == {"floor": [-1, 0], "weight": -0.5,
                                                       "_from": "form"}
    assert data["residents"][0]["stay"] == {"start": "2026-09-01", "end": "2027-06-30"}


@pytest.mark.parametrize("name", ["contract_example", "campus_small"])
def test_examples_round_trip(tmp_path: Path, name: str) -> None:
    problem = load_example(name)
    save_problem(problem, tmp_path / "p.json")
    assert load_problem(tmp_path / "p.json") == problem


@given(problems(max_rooms=4, max_residents=6))
def test_generated_problems_round_trip(problem: Problem) -> None:
    # Through the same text a file would hold, without touching the disk on every example.
    from roomalloc.domain.validation import validate_json

    assert validate_json(problem.model_dump_json(indent=2) + "\n") == problem


def test_examples_are_listed_and_found() -> None:
    assert example_names() == ["campus_small", "contract_example"]
    assert example_path("campus_small.json") == example_path("campus_small")
    with pytest.raises(KeyError, match="no example 'nope'; there are: campus_small"):
        example_path("nope")


def test_contract_example_is_the_contract_text() -> None:
    data = json.loads(example_path("contract_example").read_text())
    assert data["rooms"][0]["unavailable"] == [{"start": "2026-09-01", "end": "2026-09-15"}]
    assert data["residents"][0]["preferences"][4] == {"feature": "shared_bathroom", "weight": -2}
    assert data["objective"] == [{"term": "housed", "weight": 1000},
                                 {"term": "preferences", "weight": 1},
                                 {"term": "roommates", "weight": 2}]


def test_campus_example_is_feasible_and_proven_optimal_quickly() -> None:
    from roomalloc import check, solve

    problem = load_example("campus_small")
    result = solve(problem, workers=1, time_limit=20, seed=0)
    assert result.status == "optimal"
    assert check(problem, result).ok
    housed = {r for r, room in result.assignments.items() if room is not None}
    must = {r.id for r in problem.residents if r.required or r.locked}
    assert must <= housed
    assert result.assignments["ben"] == "N-202"  # the locked incumbent stays


# -- errors ------------------------------------------------------------------------------------


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(RoomallocError) as caught:
        load_problem(path)
    assert str(caught.value) == f"cannot read {path}: no such file"
    with pytest.raises(RoomallocError, match="no such file"):
        load_result(str(path))


def test_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RoomallocError) as caught:
        load_problem(tmp_path)
    assert str(caught.value) == f"cannot read {tmp_path}: it is a directory"


def test_bad_file_lists_every_mistake(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"rooms": [{"id": "A", "capactiy": 1}], "residents": [{"id": "r1", '
                    '"current_room": "B"}]}')
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert [str(i) for i in caught.value.issues] == [
        "rooms[0].capactiy: unknown field; did you mean 'capacity'?",
        "rooms[0].capacity: missing; every room needs a capacity",
        "residents[0].current_room: no room 'B'",
    ]


def test_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "rooms": [\n}\n')
    with pytest.raises(ProblemError) as caught:
        load_problem(path)
    assert str(caught.value) == (
        "1 mistake in the problem:\n  malformed JSON at line 3, column 1: expecting value"
    )


# -- results -----------------------------------------------------------------------------------


def test_result_round_trip(tmp_path: Path) -> None:
    result = Result(status="feasible", assignments={"r1": "A-1", "r2": None}, objective=1002.5,
                    bound=1010.0, terms={"housed": 1.0, "preferences": 2.5}, solve_seconds=0.25)
    save_result(result, tmp_path / "r.json")
    assert load_result(tmp_path / "r.json") == result
    infeasible = Result(status="infeasible", diagnosis=("r1 needs an accessible room",))
    save_result(infeasible, tmp_path / "i.json")
    assert load_result(tmp_path / "i.json") == infeasible


def test_bad_result_file(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"status": "done", "assignments": {"r1": 3}}')
    with pytest.raises(ProblemError) as caught:
        load_result(path)
    assert caught.value.what == "result"
    assert [i.path for i in caught.value.issues] == ["status", "assignments.r1"]


# -- atomic writes -----------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_atomic_write_gives_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "out.json"
    atomic_write_text(target, "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "out.json"
    target.write_text("the old content")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(RoomallocError) as caught:
        atomic_write_text(target, "the new content")
    monkeypatch.undo()
    assert str(caught.value) == f"cannot write {target}: no space left on device"
    assert target.read_text() == "the old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("the old content")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "the new content")
    monkeypatch.undo()
    assert target.read_text() == "the old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_unencodable_text_never_touches_the_disk(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "Zoë", encoding="ascii")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_write_into_a_missing_directory(tmp_path: Path) -> None:
    target = tmp_path / "no" / "out.json"
    with pytest.raises(RoomallocError) as caught:
        save_problem(Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r")]),
                     target)
    assert str(caught.value) == f"cannot write {target}: no such directory"


# -- roomalloc validate ------------------------------------------------------------------------


def run_validate(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="roomalloc")
    validate_command.register(parser.add_subparsers())
    args = parser.parse_args(["validate", *argv])
    status: int = args.func(args)
    return status


def test_validate_command_on_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = example_path("campus_small")
    assert run_validate(str(path)) == 0
    out, err = capsys.readouterr()
    assert out == (
        f"{path}: valid - 8 rooms (14 beds), 15 residents (15 with stays, 2 required, "
        "1 locked)\n"
    )
    assert err == ""


def test_validate_command_prints_every_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({
        "rooms": [{"id": "A", "capacity": 0}],
        "residents": [{"id": "r1", "roommates": {"want": ["r1"]}, "prioity": 2}],
    }))
    assert run_validate(str(path)) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"{path}: 3 mistakes in the problem:\n"
        "  rooms[0].capacity: must be at least 1, got 0\n"
        "  residents[0].roommates.want[0]: 'r1' is this resident; nobody can want or avoid "
        "themself\n"
        "  residents[0].prioity: unknown field; did you mean 'priority'?\n"
    )


def test_validate_command_on_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nope.json"
    assert run_validate(str(path)) == 1
    assert capsys.readouterr().err == f"{path}: cannot read {path}: no such file\n"


def test_validate_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate("--json", str(example_path("contract_example"))) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"ok": True, "issues": [], "summary": {
        "rooms": 3, "beds": 5, "residents": 3, "with_stays": 2, "required": 1, "locked": 1}}
    path = tmp_path / "bad.json"
    path.write_text('{"rooms": [{"id": "A"}]}')
    assert run_validate(str(path), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {"ok": False, "summary": None, "issues": [
        {"path": "rooms[0].capacity", "message": "missing; every room needs a capacity"}]}
