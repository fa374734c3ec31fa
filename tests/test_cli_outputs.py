"""Output files are checked before any work: never an input replaced, never a solve wasted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from roomalloc.cli import main
from roomalloc.commands import outputs
from roomalloc.domain.io import load_result
from roomalloc.examples import example_path

#: Long enough that a run which solved before refusing would be obvious.
TIME_LIMIT = "60"


@pytest.fixture
def problem(tmp_path: Path) -> Path:
    path = tmp_path / "problem.json"
    path.write_bytes(Path(example_path("campus_small")).read_bytes())
    return path


@pytest.fixture
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any solve fail the test: a refused output must be refused before solving."""
    import roomalloc.solver

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("solve ran although the output was refused")

    monkeypatch.setattr(roomalloc.solver, "solve", refuse)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    started = time.perf_counter()
    assert main(argv) == 2
    assert time.perf_counter() - started < float(TIME_LIMIT) / 4  # generous: no solve ran
    return capsys.readouterr().err


def _solve(problem: Path, output: Path | str, *more: str) -> list[str]:
    return ["solve", str(problem), "-o", str(output), "--time-limit", TIME_LIMIT, *more]


@pytest.mark.usefixtures("no_solving")
def test_output_equal_to_the_problem_is_refused_and_the_problem_kept(
    problem: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = problem.read_bytes()
    err = _refused(_solve(problem, problem), capsys)
    assert "is the same file as PROBLEM.json" in err
    assert problem.read_bytes() == before


@pytest.mark.usefixtures("no_solving")
def test_the_same_file_by_another_path_a_symlink_or_a_hard_link_is_refused(
    problem: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = problem.read_bytes()
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(problem)
    os.link(problem, tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path / "sub")
    for output in ("../problem.json", str(tmp_path / "link.json"), str(tmp_path / "hard.json")):
        err = _refused(_solve(problem, output), capsys)
        assert "same file as PROBLEM.json" in err, output
    assert problem.read_bytes() == before


@pytest.mark.usefixtures("no_solving")
def test_output_equal_to_the_hint_is_refused(
    problem: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hint = tmp_path / "hint.json"
    hint.write_text('{"status": "unknown"}', encoding="utf-8")
    err = _refused(_solve(problem, hint, "--hint", str(hint)), capsys)
    assert "same file as --hint" in err
    assert hint.read_text(encoding="utf-8") == '{"status": "unknown"}'


@pytest.mark.usefixtures("no_solving")
def test_a_missing_folder_a_file_as_folder_or_a_folder_as_output_is_refused(
    problem: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "the folder" in _refused(_solve(problem, tmp_path / "nope" / "r.json"), capsys)
    assert "does not exist" in _refused(_solve(problem, tmp_path / "nope" / "r.json"), capsys)
    # Tests run as root, which ignores permission bits: a path under a regular file is a
    # folder that no one can write in.
    assert "is not a folder" in _refused(_solve(problem, problem / "r.json"), capsys)
    assert "it is a folder" in _refused(_solve(problem, tmp_path), capsys)


@pytest.mark.usefixtures("no_solving")
def test_a_folder_without_write_permission_is_refused(
    problem: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As root os.access says yes to everything; what matters is that its no is heeded.
    real_access = os.access
    folder = tmp_path / "locked"
    folder.mkdir()

    def access(path: object, mode: int, **kwargs: object) -> bool:
        return False if Path(str(path)) == folder else real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(outputs.os, "access", access)
    err = _refused(_solve(problem, folder / "r.json"), capsys)
    assert "cannot write in the folder" in err and "permission denied" in err


@pytest.mark.usefixtures("no_solving")
def test_generate_refuses_the_same_file_for_problem_and_witness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.json"
    assert main(["generate", "--residents", "5", "-o", str(target), "--witness", str(target)]) == 2
    assert "same file as -o" in capsys.readouterr().err
    assert not target.exists()
    assert main(["generate", "--residents", "5", "-o", str(tmp_path / "no" / "p.json")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_failed_write_after_solving_keeps_the_result_in_a_temporary_file(
    problem: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from roomalloc.commands import solve as solve_command

    monkeypatch.setattr(solve_command, "check_outputs", lambda *args: None)  # the folder vanishes
    target = tmp_path / "gone" / "r.json"
    assert main(["solve", str(problem), "-o", str(target), "--workers", "1", "-q"]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err
    saved = err.rsplit("the result is saved in ", 1)[1].split(" instead")[0]
    try:
        assert load_result(saved).status == "optimal"
    finally:
        os.unlink(saved)


@pytest.mark.usefixtures("no_solving")
def test_output_equal_to_the_bundled_example_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(example_path("campus_small"))
    before = example.read_bytes()
    err = _refused(["solve", "--example", "campus_small", "-o", str(example)], capsys)
    assert "same file as --example" in err
    assert example.read_bytes() == before
