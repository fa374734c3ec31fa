"""``roomalloc solve PROBLEM.json -o RESULT.json``: find the best allocation, say who got what.

Live progress (objective, bound, gap, elapsed) goes to stderr when it is a terminal; the
summary, who got which room (with the wishes met) and the term breakdown go to stdout. The
result file is written atomically. ``--example NAME`` solves a bundled example instead of a
file. Exit status 0 when an allocation was found, 1 when the problem is infeasible or nothing
was found in time.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from roomalloc.model import Problem, Resident, Result, Room

#: Above this many residents the per-resident list is printed only with ``--list``.
LIST_LIMIT = 60


def register(subparsers: Any) -> None:
    """Add the ``solve`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "solve",
        help="find the best allocation of a problem",
        description="Solve PROBLEM.json (or a bundled example) with CP-SAT: every hard rule "
        "holds and the objective is as high as it can be. Ctrl-C stops the search and keeps "
        "the best allocation found so far.",
    )
    parser.add_argument("problem", nargs="?", help="the problem (JSON, format roomalloc/1)")
    parser.add_argument("--example", metavar="NAME",
                        help="solve a bundled example instead (e.g. campus_small)")
    parser.add_argument("-o", "--output", metavar="RESULT.json",
                        help="write the result here (atomically)")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                        help="stop after S seconds (default 60)")
    parser.add_argument("--workers", type=int, default=0, metavar="N",
                        help="CP-SAT search workers (default 0: one per core)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="random seed")
    parser.add_argument("--hint", metavar="RESULT.json",
                        help="a previous result to start from (warm start)")
    parser.add_argument("--list", action="store_true",
                        help=f"list every resident even when there are more than {LIST_LIMIT}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress, no listing")
    parser.set_defaults(func=run)


def _load(args: argparse.Namespace) -> tuple[Problem, str]:
    from roomalloc.errors import Issue, ProblemError

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
    from roomalloc.io import load_problem

    return load_problem(args.problem), str(args.problem)


def _gap(objective: float, bound: float | None) -> str:
    if bound is None:
        return "-"
    return f"{abs(bound - objective) / max(1.0, abs(objective)):.2%}"


class _Ticker:
    """One rewritten status line on a terminal."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.shown = False

    def __call__(self, elapsed: float, objective: float, bound: float | None) -> None:
        bound_text = "-" if bound is None else f"{bound:g}"
        self.out.write(f"\r  {elapsed:7.1f}s  objective {objective:g}  bound {bound_text}  "
                       f"gap {_gap(objective, bound)}   ")
        self.out.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
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
    from roomalloc.io import load_result, save_result
    from roomalloc.solver import solve

    problem, label = _load(args)
    hint = load_result(args.hint) if args.hint else None
    live = not args.quiet and sys.stderr.isatty()
    ticker = _Ticker(sys.stderr)
    print(f"solving {label}: {len(problem.residents)} residents, {len(problem.rooms)} rooms",
          file=sys.stderr)
    started = time.perf_counter()
    try:
        result = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                       hint=hint, progress=ticker if live else None)
    finally:
        ticker.close()
    if args.output:
        save_result(result, args.output)
    out = sys.stdout
    housed = sum(1 for k in result.assignments.values() if k is not None)
    print(f"{result.status} in {time.perf_counter() - started:.2f} s", file=out)
    if result.status in ("infeasible", "unknown"):
        if result.status == "unknown":
            print("no allocation found in the time limit; try a longer --time-limit", file=out)
        for line in result.diagnosis:
            print(f"  {line}", file=out)
        if args.output:
            print(f"result written to {args.output}", file=out)
        return 1
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
    return 0
