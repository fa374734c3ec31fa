"""``roomalloc solve PROBLEM.json -o RESULT.json``: find the best allocation, say who got what.

Live progress (objective, bound, gap, elapsed) goes to stderr when it is a terminal (with
``--progress``: one line per improvement, for logs); the summary, who got which room (with the
wishes met) and the term breakdown go to stdout. ``--example NAME`` solves a bundled example
instead of a file.

Nothing is lost: ``-o`` is refused before any work when it is the problem or the hint (by any
path, links included) or when its folder does not exist or cannot be written in; the result is
written atomically; Ctrl-C (SIGINT) and SIGTERM stop the search, write the best allocation
found so far and say so on stderr. Exit status (docs/cli.md): 0 an allocation was found, 1 the
problem is infeasible or nothing was found in time, 2 bad input, 130 stopped by SIGINT, 143
stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from typing import Any, TextIO

from roomalloc.commands import stopping
from roomalloc.commands.options import MAX_SEED, MAX_WORKERS, Seconds, WholeNumber
from roomalloc.commands.outputs import check_outputs
from roomalloc.domain.model import Problem, Resident, Result, Room
from roomalloc.tables.commandline import (
    add_csv_argument,
    add_table_arguments,
    read_table_arguments,
    tables_requested,
    write_result_table,
)

#: Above this many residents the per-resident list is printed only with ``--list``.
LIST_LIMIT = 60


def register(subparsers: Any) -> None:
    """Add the ``solve`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "solve",
        help="find the best allocation of a problem",
        description="Solve PROBLEM.json (or a bundled example) with CP-SAT: every hard rule "
        "holds and the objective is as high as it can be. Ctrl-C or SIGTERM stops the search "
        "and writes the best allocation found so far (exit status 130 or 143).",
    )
    parser.add_argument("problem", nargs="?", help="the problem (JSON, format roomalloc/1)")
    parser.add_argument("--example", metavar="NAME",
                        help="solve a bundled example instead (e.g. campus_small)")
    parser.add_argument("-o", "--output", metavar="RESULT.json",
                        help="write the result here (atomically)")
    parser.add_argument("--time-limit", type=Seconds(), default=60.0, metavar="S",
                        help="stop after S seconds, a number > 0 (default 60)")
    parser.add_argument("--workers", type=WholeNumber(0, MAX_WORKERS), default=0, metavar="N",
                        help=f"CP-SAT search workers, 0 to {MAX_WORKERS} (default 0: one per "
                        "core)")
    parser.add_argument("--seed", type=WholeNumber(0, MAX_SEED), default=0, metavar="N",
                        help=f"random seed, 0 to {MAX_SEED} (default 0)")
    parser.add_argument("--hint", metavar="RESULT.json",
                        help="a previous result to start from (warm start)")
    parser.add_argument("--list", action="store_true",
                        help=f"list every resident even when there are more than {LIST_LIMIT}")
    parser.add_argument("--progress", action="store_true",
                        help="print a progress line on each better allocation even when stderr "
                        "is not a terminal (for logs)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, no listing")
    add_table_arguments(parser)
    add_csv_argument(parser)
    parser.set_defaults(func=run)


def _load(args: argparse.Namespace) -> tuple[Problem, str]:
    from roomalloc.domain.errors import Issue, ProblemError

    if tables_requested(args, others=("problem", "example")):
        return read_table_arguments(args), str(args.problem)
    if (args.problem is None) == (args.example is None):
        raise ProblemError([Issue("", "give either PROBLEM.json or --example NAME")],
                           what="command line")
    if args.example is not None:
        from roomalloc.examples import load_example

        try:
            return load_example(args.example), f"example {args.example}"
        except KeyError as err:
            raise ProblemError([Issue("--example", str(err.args[0]))],
                               what="command line") from None
    from roomalloc.domain.io import load_problem

    return load_problem(args.problem), str(args.problem)


def _example_file(name: str | None) -> str | None:
    """The bundled example's file (an input too), or ``None`` when there is no such example."""
    from roomalloc.examples import example_path

    if name is None:
        return None
    try:
        return str(example_path(name))
    except KeyError:
        return None  # _load says which examples there are


def _gap(objective: float, bound: float | None) -> str:
    if bound is None:
        return "-"
    return f"{abs(bound - objective) / max(1.0, abs(objective)):.2%}"


class _Ticker:
    """Progress on stderr: one rewritten line on a terminal, or one line per report (a log)."""

    def __init__(self, out: TextIO, *, rewrite: bool) -> None:
        self.out = out
        self.rewrite = rewrite
        self.shown = False

    def __call__(self, elapsed: float, objective: float, bound: float | None) -> None:
        bound_text = "-" if bound is None else f"{bound:g}"
        line = (f"  {elapsed:7.1f}s  objective {objective:g}  bound {bound_text}  "
                f"gap {_gap(objective, bound)}")
        self.out.write(f"\r{line}   " if self.rewrite else f"{line}\n")
        self.out.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.rewrite:
            self.out.write("\n")
            self.out.flush()


def _wishes(problem: Problem, resident: Resident, room: Room, result: Result) -> str:
    """The preferences and roommate wishes this placement meets, in a few words."""
    parts = []
    for p in resident.preferences:
        if p.matches(room):
            what = (f"room {p.room}" if p.room is not None
                    else f"building {p.building}" if p.building is not None
                    else f"{p.feature}" if p.feature is not None
                    else f"floor {p.floor[0]}-{p.floor[1]}" if p.floor is not None else "")
            parts.append(f"{what} {p.weight:+g}")
    with_friends = [
        s for s in resident.roommates.want
        if result.assignments.get(s) == room.id and s in problem.residents_by_id
        and resident.overlaps(problem.residents_by_id[s])
    ]
    if with_friends:
        parts.append("with " + ", ".join(with_friends))
    return "; ".join(parts)


def print_allocation(problem: Problem, result: Result, out: TextIO) -> None:
    """Who got which room, and why (the wishes met)."""
    rooms = {k.id: k for k in problem.rooms}
    width = max((len(r.id) for r in problem.residents), default=2)
    named = any(r.name for r in problem.residents)
    name_width = max((len(r.name or "") for r in problem.residents), default=0)
    print("Who lives where:", file=out)
    for r in problem.residents:
        room_id = result.assignments.get(r.id)
        label = f"  {r.id:<{width}}" + (f"  {r.name or '':<{name_width}}" if named else "")
        if room_id is None:
            print(f"{label}  -  not housed", file=out)
            continue
        why = _wishes(problem, r, rooms[room_id], result)
        print(f"{label}  {room_id}" + (f"  ({why})" if why else ""), file=out)


def print_terms(problem: Problem, result: Result, out: TextIO) -> None:
    """The objective's terms: weight, raw value and contribution."""
    from roomalloc.terms import get_term

    print("Objective terms:", file=out)
    print(f"  {'term':<12} {'weight':>8} {'value':>10} {'contribution':>13}", file=out)
    for spec in problem.objective:
        value = result.terms.get(spec.term, 0.0)
        sign = 1.0 if get_term(spec.term).sense == "maximize" else -1.0
        print(f"  {spec.term:<12} {spec.weight:>8g} {value:>10g} {sign * spec.weight * value:>13g}",
              file=out)
    print(f"  {'total':<12} {'':>8} {'':>10} {result.objective or 0.0:>13g}", file=out)


def run(args: argparse.Namespace) -> int:
    """Solve, write the result, print the summary; 0 when an allocation was found."""
    from roomalloc.domain.io import load_result
    from roomalloc.solver import solve

    check_outputs({"-o": args.output, "--csv": args.csv},
                  {"PROBLEM.json": args.problem, "--hint": args.hint,
                   "--example": _example_file(args.example), "--rooms": args.rooms,
                   "--residents": args.residents})
    try:
        problem, label = _load(args)
        hint = load_result(args.hint) if args.hint else None
    except KeyboardInterrupt:
        return _stopped("before solving; nothing written")
    if hint is not None:
        _warn_of_strangers(problem, hint, args.hint)
    ticker = _Ticker(sys.stderr, rewrite=sys.stderr.isatty())
    live = not args.quiet and (args.progress or sys.stderr.isatty())
    print(f"solving {label}: {len(problem.residents)} residents, {len(problem.rooms)} rooms",
          file=sys.stderr)
    started = time.perf_counter()
    try:
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                       hint=hint, progress=ticker if live else None)
    except KeyboardInterrupt:
        ticker.close()
        return _stopped("before any allocation was found; nothing written")
    ticker.close()
    if not _write(result, args.output):
        return 2
    with stopping.held():
        table = write_result_table(args, problem, result) if result.assignments else None
    stopped = stopping.stop_status()
    interrupted = stopped is not None or bool(getattr(result, "interrupted", False))
    _print_summary(problem, result, args, time.perf_counter() - started, interrupted)
    if table:
        print(f"table written to {table}", file=sys.stdout)
    if interrupted:
        stopped = stopped or 130
        kept = (f"the best allocation found so far is in {args.output}" if args.output
                else "no -o given: the best allocation found so far is not saved")
        if result.status in ("infeasible", "unknown"):
            kept = "no allocation had been found"
        print(f"roomalloc solve: interrupted ({stopping.signal_name(stopped)}); {kept}",
              file=sys.stderr)
        return stopped
    return 1 if result.status in ("infeasible", "unknown") else 0


def _warn_of_strangers(problem: Problem, hint: Result, path: str) -> None:
    """Say so when the hint names residents or rooms the problem does not have (it may be
    last term's result, or another problem's): the solver starts from the rest of it."""
    rooms = {room.id for room in problem.rooms}
    strangers = {
        "resident(s)": [r for r in hint.assignments if r not in problem.residents_by_id],
        "room(s)": sorted({k for k in hint.assignments.values() if k is not None} - rooms),
    }
    parts = [f"{len(ids)} {what} ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})"
             for what, ids in strangers.items() if ids]
    if parts:
        print(f"roomalloc solve: note: --hint {path} names {' and '.join(parts)} not in the "
              "problem; the search starts from the rest of the hint", file=sys.stderr)


def _write(result: Result, output: str | None) -> bool:
    """Write the result atomically; a stop signal meanwhile waits until the file is whole.

    The output was checked before solving, but the disk can still fill up or the folder go
    away: then the result goes to a new file in the temporary folder rather than being lost.
    """
    from roomalloc.domain.errors import RoomallocError
    from roomalloc.domain.io import save_result

    if output is None:
        return True
    with stopping.held():
        try:
            save_result(result, output)
            return True
        except RoomallocError as err:
            fallback = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept, by design)
                prefix="roomalloc-result-", suffix=".json", delete=False)
            fallback.close()
            save_result(result, fallback.name)
            print(f"roomalloc solve: {err}; the result is saved in {fallback.name} instead",
                  file=sys.stderr)
            return False


def _stopped(when: str) -> int:
    status = stopping.stop_status() or 130
    print(f"roomalloc solve: interrupted ({stopping.signal_name(status)}) {when}",
          file=sys.stderr)
    return status


def _print_summary(problem: Problem, result: Result, args: argparse.Namespace, seconds: float,
                   interrupted: bool) -> None:
    out = sys.stdout
    housed = sum(1 for k in result.assignments.values() if k is not None)
    print(f"{result.status}{' (interrupted)' if interrupted else ''} in {seconds:.2f} s",
          file=out)
    if result.status in ("infeasible", "unknown"):
        if result.status == "unknown" and not interrupted:
            print("no allocation found in the time limit; try a longer --time-limit", file=out)
        for line in result.diagnosis:
            print(f"  {line}", file=out)
        if args.output:
            print(f"result written to {args.output}", file=out)
        return
    assert result.objective is not None
    summary = f"{housed} of {len(problem.residents)} residents housed"
    summary += f"; objective {result.objective:g}"
    if result.bound is not None:
        summary += f", bound {result.bound:g}, gap {_gap(result.objective, result.bound)}"
    print(summary, file=out)
    if not args.quiet:
        if len(problem.residents) <= LIST_LIMIT or args.list:
            print(file=out)
            print_allocation(problem, result, out)
        else:
            print(f"({len(problem.residents)} residents: add --list to print who lives where)",
                  file=out)
        print(file=out)
        print_terms(problem, result, out)
    if args.output:
        print(f"result written to {args.output}", file=out)
