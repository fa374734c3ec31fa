"""The example notebooks are committed without outputs (CI runs them: pytest --nbmake)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "docs" / "notebooks").glob("*.ipynb"))


def test_there_is_a_quickstart_notebook() -> None:
    assert "quickstart.ipynb" in [n.name for n in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path.name}: clear the outputs before committing (docs/notebooks.md)"
            )


def test_the_quickstart_does_the_whole_job_in_under_ten_lines() -> None:
    notebook = json.loads((NOTEBOOKS[0].parent / "quickstart.ipynb").read_text("utf-8"))
    first = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    lines = [line for line in "".join(first["source"]).splitlines() if line.strip()]
    assert len(lines) < 10
    text = "\n".join(lines)
    for step in ("read_tables(", "solve(", "explain("):
        assert step in text
    plotted = "".join("".join(c["source"]) for c in notebook["cells"][:6])
    assert "plots.plot_" in plotted
