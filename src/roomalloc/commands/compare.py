"""``roomalloc compare PROBLEM.json A.json B.json``: what changed from allocation A to B.

Prints the objective and term deltas, rooms used, and who moved, became housed or unhoused, or
is better or worse off. ``--problem-b`` gives the (edited) problem B was solved for; ``--json``
prints everything as JSON. Exit status 0, or 2 when a file is malformed.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``compare`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "compare",
        help="compare two allocations",
        description="Compare allocation A.json with B.json, both of PROBLEM.json (or B of "
        "--problem-b): who moved, who became housed or unhoused, the terms' deltas.",
    )
    parser.add_argument("problem", help="the problem of A (JSON, format roomalloc/1)")
    parser.add_argument("a", help="the first result (JSON)")
    parser.add_argument("b", help="the second result (JSON)")
    parser.add_argument("--problem-b", metavar="PROBLEM.json",
                        help="the problem of B when it differs (a what-if scenario)")
    parser.add_argument("--limit", type=int, default=10, metavar="N",
                        help="residents listed per kind of change (default 10)")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load the files, compare, print."""
    from roomalloc.analysis.compare import compare
    from roomalloc.domain.io import load_problem, load_result

    problem = load_problem(args.problem)
    problem_b = load_problem(args.problem_b) if args.problem_b else None
    c = compare(problem, load_result(args.a), load_result(args.b), problem_b=problem_b)
    print(json.dumps(c.to_dict(), indent=2) if args.json else c.to_text(limit=args.limit))
    return 0
