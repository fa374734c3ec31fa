"""Every command on bad input: one plain message and a non-zero exit status, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roomalloc import Problem, Resident, Room
from roomalloc.cli import EXIT_STATUSES, main
from roomalloc.domain.io import save_problem, save_result
from roomalloc.domain.model import Result


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """A good problem and result, and a set of bad files to hand to every command."""
    problem = Problem(rooms=[Room(id="A-1", capacity=2)],
                      residents=[Resident(id="ann"), Resident(id="bo")])
    other = Problem(rooms=[Room(id="Z-9", capacity=1)], residents=[Resident(id="zed")])
    paths = {name: tmp_path / f"{name}.json" for name in
             ("problem", "result", "other_result", "malformed", "empty", "binary", "list")}
    save_problem(problem, paths["problem"])
    save_result(Result(status="feasible", assignments={"ann": "A-1", "bo": "A-1"}),
                paths["result"])
    save_result(Result(status="optimal", assignments={"zed": "Z-9"}), paths["other_result"])
    assert other.residents[0].id == "zed"
    paths["malformed"].write_text('{"rooms": [', encoding="utf-8")
    paths["empty"].write_text("", encoding="utf-8")
    paths["binary"].write_bytes(b"\xff\xfe\x00garbage")
    paths["list"].write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    named = {name: str(path) for name, path in paths.items()}
    named["missing"] = str(tmp_path / "missing.json")
    named["folder"] = str(tmp_path / "folder")
    named["out"] = str(tmp_path / "out.json")
    return named


BAD_FILES = ("missing", "folder", "malformed", "empty", "binary", "list")


def _commands(f: dict[str, str]) -> list[list[str]]:
    """Each command with one bad file or one bad option."""
    runs: list[list[str]] = []
    for bad in BAD_FILES:
        runs += [
            ["validate", f[bad]],
            ["check", f[bad], f["result"]],
            ["check", f["problem"], f[bad]],
            ["explain", f[bad], f["result"]],
            ["explain", f["problem"], f[bad]],
            ["solve", f[bad], "-o", f["out"], "--workers", "1", "--time-limit", "5"],
            ["solve", f["problem"], "--hint", f[bad], "--workers", "1", "--time-limit", "5"],
            ["generate", "--stats-of", f[bad]],
        ]
    runs += [
        ["check", f["problem"], f["problem"]],  # a problem where a result belongs
        ["explain", f["problem"], f["problem"]],
        ["solve", f["result"], "-q"],  # a result where a problem belongs
        ["explain", f["problem"], f["other_result"]],  # a result for another problem
        ["check", f["problem"], f["other_result"]],
        ["explain", f["problem"], f["result"], "--resident", "nobody"],
        ["solve"],
        ["solve", "--example", "no-such-example"],
        ["generate", "--residents", "10", "--set", "no_such_knob=1", "--stats"],
        ["generate", "--residents", "10", "--set", "supply_ratio=-4", "--stats"],
    ]
    return runs


#: Each command's arguments, then each bad value of each of its numeric options.
BAD_VALUES = {
    ("solve", "--example", "campus_small"): {
        "--workers": ("-1", "100000", "two"),
        "--seed": ("1e20", "-5", "99999999999"),
        "--time-limit": ("0", "-1", "nan", "inf", "soon"),
    },
    ("explain", "p.json", "r.json"): {"--alternatives": ("-2",), "--time-limit": ("0",)},
    ("generate",): {
        "--residents": ("-3", "1e9", "10000000"),
        "--seed": ("-1", "1e20"),
        "--indent": ("-2",),
    },
}
BAD_OPTIONS = [[*command, option, value] for command, options in BAD_VALUES.items()
               for option, values in options.items() for value in values]


def test_every_command_on_every_bad_file_fails_plainly(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in _commands(files):
        status = main(argv)  # an exception escaping here would be a traceback for the user
        err = capsys.readouterr().err
        assert status in (1, 2), (argv, status, err)
        assert err.strip(), argv
        assert "Traceback" not in err, argv


@pytest.mark.parametrize("argv", BAD_OPTIONS, ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_a_bad_numeric_option_is_a_usage_error_naming_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    option, value = argv[-2], argv[-1]
    assert f"roomalloc {argv[0]}: error: argument {option}: must be" in err
    assert repr(value) in err


def test_workers_names_its_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["solve", "--example", "campus_small", "--workers", "-1"])
    assert "--workers: must be a whole number from 0 to 256, got '-1'" in capsys.readouterr().err


def test_a_result_for_another_problem_names_its_residents(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", files["problem"], files["other_result"]]) == 2
    assert "'zed' is not a resident of the problem" in capsys.readouterr().err
    assert main(["check", files["problem"], files["other_result"]]) == 1
    assert "'zed' is not a resident of the problem" in capsys.readouterr().err


def test_exit_statuses_are_documented_in_docs_cli() -> None:
    table = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for status in EXIT_STATUSES:
        assert f"| {status} |" in table, status


def test_the_installed_command_prints_no_traceback_on_a_bad_seed(files: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "roomalloc.cli", "solve", files["problem"], "--seed", "1e20"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--seed: must be a whole number" in done.stderr


def test_a_hint_for_another_problem_is_named_and_the_rest_of_it_used(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["solve", files["problem"], "--hint", files["other_result"], "--workers", "1",
                 "-q"]) == 0
    err = capsys.readouterr().err
    assert "names 1 resident(s) (zed) and 1 room(s) (Z-9) not in the problem" in err
