"""sweep: a local process pool and a Dask LocalCluster give the same results, in order, with
failing scenarios reported; the sweep and compare commands write and print what they say."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from roomalloc import Problem, check, cohort, load_result
from roomalloc.analysis.scenarios import Scenario, capacity, close, remove_rooms, weight
from roomalloc.analysis.sweep import Outcome, summary, sweep
from roomalloc.cli import main
from roomalloc.domain.io import save_problem

OPTIONS = {"time_limit": 20.0, "workers": 1, "seed": 3}


@pytest.fixture(scope="module")
def problem() -> Problem:
    return cohort(30, seed=2)


@pytest.fixture(scope="module")
def scenarios(problem: Problem) -> list[Scenario]:
    building = problem.rooms[0].building
    return [
        Scenario(),
        close(building),
        remove_rooms("no-such-room"),  # fails: the error is reported, the others are kept
        weight(roommates=3) | capacity({problem.rooms[1].id: 3}),
    ]


def _same(a: list[Outcome], b: list[Outcome]) -> None:
    assert [o.scenario for o in a] == [o.scenario for o in b]
    assert [o.error for o in a] == [o.error for o in b]
    for x, y in zip(a, b, strict=True):
        if x.result is not None:
            assert y.result is not None
            assert (x.result.status, x.result.assignments, x.result.objective) == (
                y.result.status, y.result.assignments, y.result.objective)


def test_local_pool_and_dask_cluster_agree(problem: Problem, scenarios: list[Scenario]) -> None:
    distributed = pytest.importorskip("distributed")
    local = sweep(problem, scenarios, max_workers=2, progress=False, **OPTIONS)
    assert [o.index for o in local] == [0, 1, 2, 3]
    assert [o.ok for o in local] == [True, True, False, True]
    assert local[2].error is not None and "no room 'no-such-room'" in local[2].error
    for o in local:
        if o.result is not None:
            edited = o.scenario.apply(problem)
            assert o.result.status == "optimal" and check(edited, o.result).ok
    closed = {k.id for k in problem.rooms if k.building == problem.rooms[0].building}
    assert local[1].result is not None
    assert not closed & set(local[1].result.assignments.values())

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        seen: list[int] = []
        on_dask = sweep(problem, scenarios, client, progress=False,
                        on_outcome=lambda o: seen.append(o.index), **OPTIONS)
    assert sorted(seen) == [0, 1, 2, 3]
    _same(local, on_dask)


def test_options_that_cannot_travel_are_refused(problem: Problem) -> None:
    with pytest.raises(Exception, match="cannot send rules"):
        sweep(problem, [Scenario()], rules=[object()])


def test_summary_rows(problem: Problem, scenarios: list[Scenario]) -> None:
    failed = Outcome(0, scenarios[2], error="1 mistake in the scenario:\n  bad")
    row = summary([failed])[0]
    assert row["status"] == "error" and row["error"] == "1 mistake in the scenario:   bad"


def test_sweep_and_compare_commands(problem: Problem, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    save_problem(problem, tmp_path / "problem.json")
    building = problem.rooms[0].building
    (tmp_path / "scenarios.json").write_text(json.dumps([
        {"name": "as is", "edits": []},
        {"edits": [{"edit": "close", "building": building}]},
        {"name": "typo", "edits": [{"edit": "close", "building": "ZZ"}]},
    ]))
    out = tmp_path / "out"
    status = main(["sweep", str(tmp_path / "problem.json"), str(tmp_path / "scenarios.json"),
                   "-o", str(out), "--jobs", "2", "--time-limit", "20", "--seed", "3", "-q"])
    assert status == 1  # the typo failed
    err = capsys.readouterr().err
    assert "scenario 2 (typo) failed" in err and "no building 'ZZ'" in err
    files = sorted(p.name for p in out.iterdir())
    first, second = "000-as-is.json", f"001-close-building-{building.lower()}.json"
    assert files == [first, second, "summary.csv", "summary.md"]
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert [r["status"] for r in rows] == ["optimal", "optimal", "error"]
    assert [r["file"] for r in rows] == [first, second, ""]
    assert "| as is | optimal |" in (out / "summary.md").read_text()
    a, b = load_result(out / first), load_result(out / second)
    assert str(rows[1]["objective"]) == str(b.objective)

    assert main(["compare", str(tmp_path / "problem.json"), str(out / first),
                 str(out / second)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"objective {a.objective:,.0f} -> {b.objective:,.0f}")
    assert main(["compare", str(tmp_path / "problem.json"), str(out / first),
                 str(out / second), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["objective"]["delta"] == pytest.approx(b.objective - a.objective)


def test_sweep_command_never_replaces_an_input(problem: Problem, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    save_problem(problem, tmp_path / "summary.md")
    (tmp_path / "s.json").write_text("[]")
    status = main(["sweep", str(tmp_path / "summary.md"), str(tmp_path / "s.json"), "-o",
                   str(tmp_path), "-q"])
    assert status == 2 and "is the same file as PROBLEM.json" in capsys.readouterr().err
