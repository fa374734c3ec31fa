"""``roomalloc explain PROBLEM.json RESULT.json [--resident ID]``: why the allocation is what it is.

Without ``--resident``: the objective's breakdown, every resident's explanation and the
stability report. With ``--resident ID``: that resident only, and each room they score higher
that their own rules allow is priced by a re-solve with the placement forced (``--no-price``
turns that off). When the result is ``infeasible`` the problem is diagnosed instead: a minimal
set of hard requirements that cannot hold together. ``--json`` prints the JSON form.

Exit status 0; 1 when there is nothing to explain (status ``unknown``); 2 when a file cannot be
read, is malformed or does not fit the problem, or the resident is unknown.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from roomalloc.commands.options import Seconds, WholeNumber


def register(subparsers: Any) -> None:
    """Add the ``explain`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "explain",
        help="explain an allocation, or diagnose an infeasible problem",
        description="Explain RESULT.json of PROBLEM.json in housing words: what drives the "
        "objective, why each resident got their room and not the rooms they prefer, why the "
        "unhoused are unhoused, and who would gain by a swap. An infeasible result is "
        "diagnosed: a minimal set of requirements that clash.",
    )
    parser.add_argument("problem", help="the problem (JSON, format roomalloc/1)")
    parser.add_argument("result", help="the result (JSON), e.g. from roomalloc solve")
    parser.add_argument("--resident", metavar="ID", help="explain this resident only")
    parser.add_argument(
        "--alternatives", type=WholeNumber(0, 1000), default=3, metavar="N",
        help="how many preferred rooms to explain per resident (default 3)",
    )
    parser.add_argument(
        "--no-price", action="store_true",
        help="with --resident: do not price the preferred rooms by re-solving",
    )
    parser.add_argument(
        "--time-limit", type=Seconds(), default=10.0, metavar="S",
        help="seconds per re-solve (price) or per diagnosis step (default 10)",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON form")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Load both files, explain or diagnose, print; 0 unless something is wrong."""
    from roomalloc.domain.io import load_problem, load_result
    from roomalloc.explanation import diagnose, explain

    problem = load_problem(args.problem)
    result = load_result(args.result)
    if result.status in ("infeasible", "unknown") or not result.assignments:
        if result.status != "infeasible":
            print(
                f"roomalloc explain: the result has status {result.status} and no allocation; "
                "nothing to explain",
                file=sys.stderr,
            )
            return 1
        diagnosis = diagnose(problem, step_limit=args.time_limit)
        if args.json:
            print(json.dumps(diagnosis.to_dict(), indent=2))
        else:
            print(f"{args.problem} cannot be solved:")
            print(diagnosis.to_text())
        return 0
    if args.resident is not None and args.resident not in problem.residents_by_id:
        print(f"roomalloc explain: no resident {args.resident!r} in {args.problem}",
              file=sys.stderr)
        return 2
    single = args.resident is not None
    explanation = explain(
        problem,
        result,
        residents=[args.resident] if single else None,
        alternatives=args.alternatives,
        price_alternatives=single and not args.no_price,
        with_stability=not single,
        time_limit=args.time_limit,
    )
    if args.json:
        print(json.dumps(explanation.to_dict(), indent=2))
    else:
        print(explanation.to_text(args.resident))
    return 0
