"""The suite's record: every run has every field, and the table and plots are written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from benchmarks.problems import PURE_ASSIGNMENT_KNOBS, is_pure_assignment, synthetic
from benchmarks.runner import Run
from benchmarks.suite import SUITES, main


def test_the_smoke_suite_records_every_field_of_every_run(tmp_path: Path) -> None:
    # One preset of the smoke suite, every peer: the same code path as the whole suite.
    assert main(["smoke", "--only", "ward", "--out", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "smoke.json").read_text())
    fields = {f.name for f in dataclasses.fields(Run)}
    runs = record["runs"]
    assert {r["peer"] for r in runs} == set(SUITES["smoke"].peers)
    for run in runs:
        assert set(run) == fields
        assert run["problem"] == "ward-100" and run["residents"] == 100
        assert run["rooms"] > 0 and run["beds"] > 0 and run["pairs"] > 0
        assert run["peak_rss_mb"] > 0 and run["process_seconds"] > 0
        assert run["status"] in ("optimal", "feasible", "FAILED")
        assert (run["objective"] is None) == (run["status"] == "FAILED")
    roomalloc_run = next(r for r in runs if r["peer"] == "roomalloc")
    assert roomalloc_run["check_ok"] is True and roomalloc_run["first_seconds"] is not None
    meta = record["meta"]
    for key in ("command", "date", "commit", "time_limit", "threads", "machine", "load_after"):
        assert key in meta
    assert {"nproc", "cpu", "free_g", "load"} <= set(meta["machine"])
    assert set(record["problems"]) == {"ward-100"}
    table = (tmp_path / "smoke.md").read_text()
    assert "| ward-100 |" in table and meta["command"] in table
    for plot in ("progress", "first-valid", "memory"):
        assert (tmp_path / f"smoke-{plot}.png").stat().st_size > 1000


def test_the_pure_assignment_preset_is_pure_and_the_others_are_not() -> None:
    assert is_pure_assignment(synthetic("pure", 60).build())
    assert synthetic("pure", 60).knobs == PURE_ASSIGNMENT_KNOBS
    for preset in ("campus", "staff_housing", "hostel", "ward", "reallocation"):
        assert not is_pure_assignment(synthetic(preset, 60).build())
