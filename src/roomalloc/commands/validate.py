"""``roomalloc validate PROBLEM.json``: check a problem file and name every mistake in it.

Exit status 0 with a one-line summary on stdout when the file is a valid problem; 1 with every
mistake (each with its JSON path) on stderr when it is not, or when it cannot be read (the
question validate answers is "is this file a valid problem?"; the other commands exit 2 on an
unreadable file).
``--json`` prints ``{"ok": ..., "summary": ..., "issues": [{"path": ..., "message": ...}]}``
on stdout instead.

Example
-------
>>> import argparse
>>> from roomalloc.examples import example_path
>>> run(argparse.Namespace(problem=example_path("contract_example"), json=False))
... # doctest: +ELLIPSIS
/.../contract_example.json: valid - 3 rooms (5 beds), 3 residents (2 with stays, 1 required,
1 locked)
0
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from roomalloc.domain.errors import Issue, ProblemError, RoomallocError
from roomalloc.domain.model import Problem
from roomalloc.tables.commandline import (
    add_table_arguments,
    read_table_arguments,
    tables_requested,
)


def register(subparsers: Any) -> None:
    """Add the ``validate`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check a problem file and name every mistake in it",
        description="Check PROBLEM.json against the roomalloc/1 format: types, required and "
        "unknown fields, ids and every reference between them. Prints every mistake at once, "
        "each with its JSON path.",
    )
    parser.add_argument("problem", nargs="?", help="the problem (JSON, format roomalloc/1)")
    add_table_arguments(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the outcome as JSON on stdout"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file; 0 when it is a valid problem, 1 otherwise."""
    from roomalloc.domain.io import load_problem

    tables = tables_requested(args, others=("problem",))  # a usage mistake: exit status 2
    if not tables and args.problem is None:
        raise RoomallocError("give PROBLEM.json, or --rooms R.csv --residents P.csv")
    try:
        problem = read_table_arguments(args) if tables else load_problem(args.problem)
    except ProblemError as err:
        return _fail(args, list(err.issues), str(err))
    except RoomallocError as err:  # unreadable file
        return _fail(args, [Issue("", str(err))], str(err))
    if args.json:
        print(json.dumps({"ok": True, "summary": summary(problem), "issues": []}, indent=2))
    else:
        print(f"{args.problem}: valid - {describe(problem)}")
    return 0


def _fail(args: argparse.Namespace, issues: list[Issue], text: str) -> int:
    if args.json:
        found = [{"path": i.path, "message": i.message} for i in issues]
        print(json.dumps({"ok": False, "summary": None, "issues": found}, indent=2))
    else:
        print(f"{args.problem or 'roomalloc validate'}: {text}", file=sys.stderr)
    return 1


def summary(problem: Problem) -> dict[str, int]:
    """Counts that say what a problem holds.

    Example
    -------
    >>> from roomalloc.examples import load_example
    >>> summary(load_example("contract_example"))["beds"]
    5
    """
    residents = problem.residents
    return {
        "rooms": len(problem.rooms),
        "beds": sum(room.capacity for room in problem.rooms),
        "residents": len(residents),
        "with_stays": sum(1 for r in residents if r.stay is not None),
        "required": sum(1 for r in residents if r.required),
        "locked": sum(1 for r in residents if r.locked),
    }


def describe(problem: Problem) -> str:
    """The one-line summary ``validate`` prints.

    Example
    -------
    >>> from roomalloc.examples import load_example
    >>> describe(load_example("campus_small"))
    '8 rooms (14 beds), 15 residents (15 with stays, 2 required, 1 locked)'
    """
    s = summary(problem)
    room_word = "room" if s["rooms"] == 1 else "rooms"
    bed_word = "bed" if s["beds"] == 1 else "beds"
    resident_word = "resident" if s["residents"] == 1 else "residents"
    return (
        f"{s['rooms']} {room_word} ({s['beds']} {bed_word}), {s['residents']} {resident_word} "
        f"({s['with_stays']} with stays, {s['required']} required, {s['locked']} locked)"
    )
