"""The command line's table options: ``--rooms R.csv --residents P.csv`` and ``--csv OUT``.

``roomalloc validate`` and ``roomalloc solve`` call these so that a problem can come from two
spreadsheets instead of a JSON file, and ``solve`` can write who got which room as a table.

Example
-------
>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_table_arguments(parser)
>>> args = parser.parse_args(["--rooms", "r.csv", "--residents", "p.csv"])
>>> (args.rooms, args.residents)
('r.csv', 'p.csv')
"""

from __future__ import annotations

import argparse
from pathlib import Path

from roomalloc.domain.errors import Issue, ProblemError
from roomalloc.domain.model import Problem, Result

_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls")


def add_table_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--rooms`` and ``--residents`` (CSV or Excel tables, ``docs/tables.md``)."""
    group = parser.add_argument_group("tables (instead of a JSON problem)")
    group.add_argument("--rooms", metavar="ROOMS.csv",
                       help="the rooms table (.csv or .xlsx; see docs/tables.md)")
    group.add_argument("--residents", metavar="RESIDENTS.csv",
                       help="the residents table (.csv or .xlsx)")


def add_csv_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--csv OUT`` (who got which room, one row per resident, .csv or .xlsx)."""
    parser.add_argument("--csv", metavar="OUT.csv",
                        help="also write one row per resident (room, building, floor, score, "
                        "best score, wishes met) to this .csv or .xlsx file")


def tables_requested(args: argparse.Namespace, *, others: tuple[str, ...] = ()) -> bool:
    """Whether ``--rooms`` and ``--residents`` are the problem; a usage mistake raises.

    Both must be given, and none of the ``others`` sources (``problem``, ``example``); a CSV or
    Excel file given as the JSON problem gets a hint instead of "malformed JSON". A mistake
    raises :class:`~roomalloc.ProblemError` (``what="command line"``) before anything is read.
    """
    rooms, residents = getattr(args, "rooms", None), getattr(args, "residents", None)
    if rooms is None and residents is None:
        problem = getattr(args, "problem", None)
        if problem is not None and Path(problem).suffix.lower() in _TABLE_SUFFIXES:
            raise ProblemError([Issue("", f"{problem} is a table, not a JSON problem: give "
                                          "the two tables as --rooms ROOMS.csv --residents "
                                          "RESIDENTS.csv")], what="command line")
        return False
    issues = []
    if rooms is None or residents is None:
        issues.append(Issue("", "give both --rooms and --residents"))
    given = [name for name in others if getattr(args, name, None) is not None]
    if given:
        issues.append(Issue("", f"give either the tables or {' or '.join(given)}, not both"))
    if issues:
        raise ProblemError(issues, what="command line")
    return True


def read_table_arguments(args: argparse.Namespace) -> Problem:
    """The problem read from ``--rooms`` and ``--residents`` (see :func:`tables_requested`);
    ``args.problem`` becomes a label for messages (``rooms.csv + residents.csv``)."""
    from roomalloc.tables.read import read_tables

    args.problem = f"{args.rooms} + {args.residents}"
    return read_tables(args.rooms, args.residents)


def write_result_table(args: argparse.Namespace, problem: Problem, result: Result) -> str | None:
    """Write ``--csv OUT`` when asked; the path written, or None.

    ``roomalloc solve`` checks OUT with its other outputs before solving
    (:func:`roomalloc.commands.outputs.check_outputs`: never over an input).
    """
    target = getattr(args, "csv", None)
    if target is None:
        return None
    from roomalloc.tables.write import result_frame, write_table

    write_table(result_frame(problem, result), target)
    return str(target)
