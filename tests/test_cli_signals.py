"""SIGTERM and Ctrl-C on the command line: the best allocation so far is written, whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roomalloc.cli import main
from roomalloc.commands import stopping
from roomalloc.domain.io import load_result
from roomalloc.examples import example_path

ROOMALLOC = [sys.executable, "-m", "roomalloc.cli"]


@pytest.fixture(scope="module")
def campus_300(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort large enough that a 1-worker solve is still searching for minutes."""
    path = tmp_path_factory.mktemp("campus") / "campus300.json"
    subprocess.run([*ROOMALLOC, "generate", "--preset", "campus", "--residents", "300",
                    "--seed", "1", "-o", str(path)], check=True, timeout=300)
    return path


def test_sigterm_during_the_search_writes_the_best_allocation(
    campus_300: Path, tmp_path: Path
) -> None:
    # SIGTERM only: Ctrl-C takes the same path once SIGTERM has reached the search (the unit
    # tests below), and each run costs about a minute of a shared CPU.
    stop = signal.SIGTERM
    out = tmp_path / "result.json"
    run = subprocess.Popen(
        [*ROOMALLOC, "solve", str(campus_300), "-o", str(out), "--time-limit", "1000",
         "--workers", "1", "--progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert run.stderr is not None
        seen = []
        # The first progress line: an allocation exists and the search is on.
        while not seen or "objective" not in seen[-1]:
            line = run.stderr.readline()
            assert line, "solve ended before it reported progress:\n" + "".join(seen)
            seen.append(line)
        run.send_signal(stop)
        stdout, stderr = run.communicate(timeout=120)  # far less than the 1,000 s limit
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 128 + stop, stderr
    assert f"interrupted ({stop.name})" in stderr
    assert f"the best allocation found so far is in {out}" in stderr
    assert "(interrupted)" in stdout
    assert "Traceback" not in stderr
    result = load_result(out)
    assert result.status == "feasible"
    check = subprocess.run([*ROOMALLOC, "check", str(campus_300), str(out)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert check.returncode == 0, check.stderr
    assert "every hard rule holds" in check.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_sigterm_while_the_result_is_written_waits_until_the_file_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from roomalloc.domain import io

    real_write = io.atomic_write_text

    def write_slowly(path: Any, text: str, encoding: str = "utf-8") -> None:
        os.kill(os.getpid(), signal.SIGTERM)  # the scheduler's signal lands mid-write
        real_write(path, text, encoding)

    monkeypatch.setattr(io, "atomic_write_text", write_slowly)
    out = tmp_path / "r.json"
    example = str(example_path("campus_small"))
    status = main(["solve", example, "-o", str(out), "--workers", "1", "-q"])
    assert status == 143
    assert load_result(out).status == "optimal"
    assert "interrupted (SIGTERM)" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_sigterm_outside_a_search_raises_like_ctrl_c_once() -> None:
    # What they were: a shell's background job starts with SIGINT ignored.
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with stopping.handled():
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)  # a second one: recorded, not raised
        os.kill(os.getpid(), signal.SIGINT)
        assert stopping.stop_status() == 143
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_sigterm_during_a_search_goes_to_the_search_s_ctrl_c_handler() -> None:
    calls: list[int] = []
    with stopping.handled():
        outer = signal.signal(signal.SIGINT, lambda number, frame: calls.append(number))
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)  # taken by the search's handler: still logged
        finally:
            signal.signal(signal.SIGINT, outer)
        assert calls == [signal.SIGINT, signal.SIGINT]
        assert stopping.stop_status() == 143


def test_ctrl_c_taken_by_the_search_is_still_reported() -> None:
    with stopping.handled():
        outer = signal.signal(signal.SIGINT, lambda number, frame: None)
        try:
            os.kill(os.getpid(), signal.SIGINT)
        finally:
            signal.signal(signal.SIGINT, outer)
        assert stopping.stop_status() == 130


def test_sigterm_while_the_problem_loads_ends_with_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from roomalloc.domain import io

    real_load = io.load_problem

    def load_slowly(path: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)
        return real_load(path)

    monkeypatch.setattr(io, "load_problem", load_slowly)
    out = tmp_path / "r.json"
    assert main(["solve", str(example_path("campus_small")), "-o", str(out), "-q"]) == 143
    assert "interrupted (SIGTERM) before solving; nothing written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_search_inside_another_command_that_took_sigterm_makes_it_exit_143(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib

    from roomalloc.domain.io import load_problem, save_result
    from roomalloc.solver import solve

    explain_module = importlib.import_module("roomalloc.explanation")  # the package's name is taken
    problem = str(example_path("campus_small"))
    result = tmp_path / "r.json"
    save_result(solve(load_problem(problem), workers=1), result)
    real_explain = explain_module.explain

    def explain_with_a_search(*args: Any, **kwargs: Any) -> Any:
        stopped: list[int] = []
        outer = signal.signal(signal.SIGINT, lambda number, frame: stopped.append(number))
        try:  # as a pricing re-solve would: its Ctrl-C handler takes the SIGTERM
            os.kill(os.getpid(), signal.SIGTERM)
        finally:
            signal.signal(signal.SIGINT, outer)
        assert stopped == [signal.SIGINT]
        return real_explain(*args, **kwargs)

    monkeypatch.setattr(explain_module, "explain", explain_with_a_search)
    assert main(["explain", problem, str(result), "--resident", "amira", "--no-price"]) == 143
    captured = capsys.readouterr()
    assert "interrupted (SIGTERM); the output may be incomplete" in captured.err
    assert captured.out.strip()
