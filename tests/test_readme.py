"""The README's Python example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs_and_its_printed_line_holds() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    code = blocks[0]
    expected = re.findall(r"^# (optimal .*)$", code, flags=re.M)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    printed = out.getvalue().splitlines()
    assert printed[0] == expected[0]
    assert any("li" in line for line in printed[1:])


def test_readme_commands_are_the_ci_commands() -> None:
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = (
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[dev]' && pytest"
    )
    assert test_command in text
    assert test_command in ci
    assert "roomalloc solve --example campus_small" in text
