"""roomalloc validate|solve --rooms R.csv --residents P.csv, and solve --csv OUT."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from roomalloc.cli import main

DATA = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "data"
TABLES = ["--rooms", str(DATA / "rooms.csv"), "--residents", str(DATA / "residents.csv")]


def test_validate_reads_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *TABLES]) == 0
    assert "valid - 10 rooms (16 beds), 18 residents" in capsys.readouterr().out


def test_validate_places_every_mistake_in_the_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rooms.csv").write_text("id,capacity\nA,two\n", encoding="utf-8")
    (tmp_path / "residents.csv").write_text("id,budget,want\nr1,abc,r9\n", encoding="utf-8")
    args = ["--rooms", str(tmp_path / "rooms.csv"), "--residents",
            str(tmp_path / "residents.csv")]
    assert main(["validate", *args]) == 1
    err = capsys.readouterr().err
    assert "3 mistakes in the tables" in err
    assert "rooms.csv row 2, column capacity: must be a whole number, got 'two'" in err
    assert "residents.csv row 2, column budget: must be a number, got 'abc'" in err
    assert "residents.csv row 2, column want: no resident 'r9'" in err
    assert main(["validate", "--json", *args]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {i["path"] for i in report["issues"]} == {
        "rooms.csv row 2, column capacity", "residents.csv row 2, column budget",
        "residents.csv row 2, column want"}


def test_solve_reads_tables_and_writes_the_allocation_as_csv_and_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "allocation.csv"
    result = tmp_path / "result.json"
    assert main(["solve", *TABLES, "--time-limit", "20", "--workers", "1", "-q",
                 "-o", str(result), "--csv", str(out)]) == 0
    assert f"table written to {out}" in capsys.readouterr().out
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assignments = json.loads(result.read_text())["assignments"]
    assert dict(zip(frame["resident"], frame["room"], strict=True)) == {
        k: v or "" for k, v in assignments.items()}
    assert main(["solve", *TABLES, "--time-limit", "20", "--workers", "1", "-q",
                 "--csv", str(tmp_path / "allocation.xlsx")]) == 0
    assert len(pd.read_excel(tmp_path / "allocation.xlsx")) == 18


def test_solve_never_writes_its_table_over_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rooms = tmp_path / "rooms.csv"
    shutil.copy(DATA / "rooms.csv", rooms)
    before = rooms.read_bytes()
    code = main(["solve", "--rooms", str(rooms), "--residents", str(DATA / "residents.csv"),
                 "--csv", str(rooms), "-q"])
    assert code == 2 and rooms.read_bytes() == before  # 2: bad input, refused before solving
    assert "is the same file as --rooms" in capsys.readouterr().err


def test_tables_and_a_json_problem_do_not_mix(capsys: pytest.CaptureFixture[str]) -> None:
    # usage mistakes: exit status 2 (docs/cli.md), before anything is read
    assert main(["solve", *TABLES, "--example", "campus_small"]) == 2
    assert "give either the tables or example, not both" in capsys.readouterr().err
    assert main(["validate", "--rooms", str(DATA / "rooms.csv")]) == 2
    assert "give both --rooms and --residents" in capsys.readouterr().err


def test_a_table_given_as_the_json_problem_gets_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(DATA / "rooms.csv")]) == 2
    assert "is a table, not a JSON problem: give the two tables as --rooms" in \
        capsys.readouterr().err
