"""``roomalloc check PROBLEM.json RESULT.json``: verify an allocation against every hard rule.

Exit status 0 when every rule holds, 1 when a rule is violated (a resident or room the problem
does not have included), 2 when a file cannot be read or is malformed.
Violations go to stderr; the terms and objective to stdout. A hand-made allocation is a result
file too: ``{"status": "feasible", "assignments": {"r1": "A-101", "r2": null}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``check`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="verify an allocation against every hard rule",
        description="Verify RESULT.json against every hard rule of PROBLEM.json, independently "
        "of the solver, and recompute its terms and objective.",
    )
    parser.add_argument("problem", help="the problem (JSON, format roomalloc/1)")
    parser.add_argument("result", help="the result or hand-made allocation (JSON)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load both files, check, print; 0 when every rule holds."""
    from roomalloc.domain.io import load_problem, load_result
    from roomalloc.verify.verifier import check

    problem = load_problem(args.problem)
    result = load_result(args.result)
    report = check(problem, result)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return 0 if report.ok else 1
    if report.ok:
        print(report.to_text())
        return 0
    n = len(report.violations)
    print(f"{n} violation{'s' if n != 1 else ''} in {args.result}:", file=sys.stderr)
    for v in report.violations:
        print(f"  {v}", file=sys.stderr)
    if report.objective is not None:
        print(f"objective {report.objective:g} (the allocation breaks hard rules)")
    return 1
