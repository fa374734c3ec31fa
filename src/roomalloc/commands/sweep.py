"""``roomalloc sweep PROBLEM.json SCENARIOS.json -o OUTDIR``: solve every what-if scenario.

Each scenario's result goes to ``OUTDIR/NNN-<name>.json`` as soon as it finishes (written
atomically), then ``OUTDIR/summary.csv`` and ``OUTDIR/summary.md`` hold one row per scenario.
Scenarios run in parallel on local processes (``--jobs``), or on a Dask cluster with
``--scheduler ADDRESS`` (needs ``pip install 'roomalloc[distributed]'``). A progress bar on
stderr counts scenarios done. Exit status 0 when every scenario was solved (whatever its status),
1 when one failed (its error is in the summary), 2 when an input is malformed or an output would
replace an input (nothing is solved then).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

from roomalloc.commands.options import MAX_SEED, MAX_WORKERS, Seconds, WholeNumber
from roomalloc.commands.outputs import check_outputs
from roomalloc.domain.errors import RoomallocError


def register(subparsers: Any) -> None:
    """Add the ``sweep`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sweep",
        help="solve many what-if scenarios of one problem",
        description="Apply each scenario of SCENARIOS.json (a list of {\"name\", \"edits\"}) to "
        "PROBLEM.json and solve it; one result file per scenario and a summary table in OUTDIR.",
    )
    parser.add_argument("problem", help="the problem (JSON, format roomalloc/1)")
    parser.add_argument("scenarios", help="the scenarios (JSON list, see docs/whatif.md)")
    parser.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                        help="directory for the result files and the summary")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on this Dask scheduler (e.g. tcp://10.0.0.5:8786)")
    parser.add_argument("--jobs", type=WholeNumber(1, MAX_WORKERS), default=None, metavar="N",
                        help="scenarios solved at once on this machine (default: one per core)")
    parser.add_argument("--time-limit", type=Seconds(), default=60.0, metavar="S",
                        help="seconds per scenario, a number > 0 (default 60)")
    parser.add_argument("--workers", type=WholeNumber(0, MAX_WORKERS), default=1, metavar="N",
                        help=f"CP-SAT search workers per scenario, 0 to {MAX_WORKERS} (default 1)")
    parser.add_argument("--seed", type=WholeNumber(0, MAX_SEED), default=0, metavar="N",
                        help=f"random seed, 0 to {MAX_SEED} (default 0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def file_name(index: int, name: str) -> str:
    """The result file of a scenario: its position and a file-safe form of its name.

    >>> file_name(3, "close building C; roommates x2")
    '003-close-building-c-roommates-x2.json'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "scenario"
    return f"{index:03d}-{slug}.json"


def run(args: argparse.Namespace) -> int:
    """Load, sweep, write the files; 0 when every scenario was solved."""
    from roomalloc.analysis.scenarios import load_scenarios
    from roomalloc.analysis.sweep import Outcome, summary, summary_markdown, sweep
    from roomalloc.domain.io import atomic_write_text, load_problem, save_result

    problem = load_problem(args.problem)
    scenarios = load_scenarios(args.scenarios)
    out = Path(args.output)
    names = [file_name(i, s.name) for i, s in enumerate(scenarios)]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RoomallocError(f"cannot create {out}: {err.strerror}") from None
    check_outputs({f"-o {n}": str(out / n) for n in [*names, "summary.csv", "summary.md"]},
                  {"PROBLEM.json": args.problem, "SCENARIOS.json": args.scenarios})

    def save(outcome: Outcome) -> None:
        if outcome.result is not None:
            save_result(outcome.result, out / names[outcome.index])

    executor = _cluster(args.scheduler) if args.scheduler else None
    outcomes = sweep(problem, scenarios, executor, max_workers=args.jobs,
                     progress=not args.quiet, on_outcome=save,
                     time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    rows = summary(outcomes)
    for row in rows:
        row["file"] = names[row["index"]] if row["status"] != "error" else ""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]) if rows else ["scenario"])
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(out / "summary.csv", text.getvalue())
    table = summary_markdown(rows)
    atomic_write_text(out / "summary.md", table + "\n")
    print(table)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        print(f"scenario {o.index} ({o.scenario.name}) failed: {o.error}", file=sys.stderr)
    return 1 if failed else 0


def _cluster(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise RoomallocError("--scheduler needs Dask's distributed: "
                             "pip install 'roomalloc[distributed]'") from None
    try:
        return Client(address, timeout=30)  # type: ignore[no-untyped-call]
    except OSError as err:
        raise RoomallocError(f"cannot reach the Dask scheduler at {address}: {err}") from None
