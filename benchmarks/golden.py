"""Golden outputs: the JSON of ``solve``, ``check``, ``evaluate`` and ``explain`` on seeded cohorts.

A refactoring that must not change behaviour (issue #18) is checked by running this script on
the code before and after it and comparing the two directories byte for byte::

    python -m benchmarks.golden /tmp/golden/before      # on the old code
    python -m benchmarks.golden /tmp/golden/after       # on the new code
    diff -r /tmp/golden/before /tmp/golden/after        # nothing: the outputs are identical

For each case (a preset of :func:`roomalloc.synthetic.cohort` at 60-150 residents, fixed seed)
it writes one directory holding:

* ``candidates.json``: a digest of the static-rule and score matrices, the best allowed score
  of every resident (``best_scores``) and the greedy allocation (the solver's default hint);
* ``solve.json``: :func:`roomalloc.solve` with one worker and a fixed seed (CP-SAT is then
  deterministic), a generous time limit, the wall time zeroed;
* for each fixed allocation (``solve``'s, the generator's witness, greedy's and a deliberately
  broken one: residents moved to seeded random rooms, so most hard rules are broken somewhere)
  ``check-<name>.json`` (every violation and the recomputed terms), ``evaluate-<name>.json``
  and ``explain-<name>.json`` (``Explanation.to_dict()``) with ``explain-<name>.txt`` (the
  verbose text);
* ``diagnose.json`` for the variant with everyone required (infeasible when beds are short),
  its wall time zeroed.

A solve that stops on its time limit rather than on a proof would not be reproducible; the
script says so (``status`` in ``solve.json`` is then ``feasible`` with a different allocation
on a loaded machine): the limits below are far above what these sizes need on two cores.
Run it twice into two directories to see that it is reproducible before trusting a diff.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

import roomalloc
from roomalloc.solver.candidates import candidate_matrix
from roomalloc.solver.greedy import greedy_allocation
from roomalloc.synthetic import cohort_and_witness
from roomalloc.verify.evaluation import best_scores

#: (preset, residents, seed): small enough for the full model to finish with a proof.
CASES: tuple[tuple[str, int, int], ...] = (
    ("campus", 120, 1),
    ("staff_housing", 80, 2),
    ("hostel", 100, 3),
    ("ward", 60, 4),
    ("reallocation", 150, 5),
)
SOLVE_LIMIT = 300.0
DIAGNOSE_LIMIT = 3600.0


def _jsonable(value: Any) -> Any:
    """Plain JSON of dataclasses, tuples, dates and numpy scalars (sorted nothing: order counts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(_jsonable(data), indent=1, ensure_ascii=False) + "\n")


def _digest(array: np.ndarray[Any, Any]) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _broken(problem: roomalloc.Problem, base: Mapping[str, str | None], seed: int
            ) -> dict[str, str | None]:
    """``base`` with a fifth of the residents moved to seeded random rooms."""
    rng = random.Random(seed)
    rooms = [k.id for k in problem.rooms]
    out = dict(base)
    for r in problem.residents:
        if rng.random() < 0.2:
            out[r.id] = rng.choice(rooms)
    return out


def _infeasible(problem: roomalloc.Problem) -> roomalloc.Problem:
    """``problem`` with everyone required: more residents than beds cannot all be housed."""
    residents = [r.model_copy(update={"required": True}) for r in problem.residents]
    variant: roomalloc.Problem = problem.model_copy(update={"residents": residents})
    return variant


def run_case(out: Path, preset: str, size: int, seed: int) -> None:
    """Write every golden output of one cohort into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    problem, witness = cohort_and_witness(residents=size, seed=seed, preset=preset)
    c = candidate_matrix(problem)
    greedy = greedy_allocation(problem)
    _write(out / "candidates.json", {
        "allowed": _digest(c.allowed), "scores": _digest(c.scores), "pairs": c.pair_count,
        "unlocked": _digest(candidate_matrix(problem, lock=False).allowed),
        "best_scores": best_scores(problem), "greedy": greedy,
    })
    result = roomalloc.solve(problem, time_limit=SOLVE_LIMIT, workers=1, seed=0)
    solved = result.model_dump(mode="json")
    solved["solve_seconds"] = 0.0
    _write(out / "solve.json", solved)
    allocations = {
        "solve": dict(result.assignments), "witness": witness, "greedy": greedy,
        "broken": _broken(problem, witness, seed),
    }
    for name, assignments in allocations.items():
        report = roomalloc.check(problem, assignments)
        _write(out / f"check-{name}.json", {
            "ok": report.ok, "violations": report.violations, "terms": report.terms,
            "objective": report.objective, "text": report.to_text()})
        _write(out / f"evaluate-{name}.json", roomalloc.evaluate(problem, assignments))
        explanation = roomalloc.explain(problem, assignments)
        _write(out / f"explain-{name}.json", explanation.to_dict())
        (out / f"explain-{name}.txt").write_text(explanation.to_text(verbose=True) + "\n")
    # The whole diagnosis gets far more than it needs: on a loaded machine (load 6 on two
    # cores) campus-120's took over 300 s and its verification stopped, another output.
    diagnosis = roomalloc.diagnose(_infeasible(problem), time_limit=DIAGNOSE_LIMIT,
                                   step_limit=SOLVE_LIMIT)
    _write(out / "diagnose.json", dataclasses.replace(diagnosis, seconds=0.0))


def main(argv: list[str] | None = None) -> None:
    """Write the golden outputs of every case into the directory given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", default="", help="comma-separated presets (default: all)")
    args = parser.parse_args(argv)
    only = set(filter(None, args.only.split(",")))
    for preset, size, seed in CASES:
        if not only or preset in only:
            run_case(args.out / f"{preset}-{size}-{seed}", preset, size, seed)
            print(f"{preset} {size} seed {seed}: written", flush=True)


if __name__ == "__main__":
    main()
