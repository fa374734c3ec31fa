"""``roomalloc generate``: write a synthetic cohort, print its statistics.

Examples (shell)::

    roomalloc generate --residents 1000 --seed 1 --preset ward -o ward.json --stats
    roomalloc generate --residents 500 --set supply_ratio=0.8 --set period_days=30 -o p.json
    roomalloc generate --list-knobs --preset hostel
    roomalloc generate --stats-of problem.json
    roomalloc generate --residents 200 -o p.json --witness w.json   # then: roomalloc check

Example
-------
>>> import argparse, contextlib, io
>>> parser = argparse.ArgumentParser(prog="roomalloc")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["generate", "--residents", "20", "--seed", "1", "--stats"])
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = args.func(args)
>>> status, out.getvalue().splitlines()[0]
(0, 'residents 20, rooms 11 in 1 building(s), beds 19')
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from roomalloc.commands.options import MAX_SEED, WholeNumber
from roomalloc.commands.outputs import check_outputs

#: The most residents ``generate`` makes (the largest benchmark cohort has 50,000).
MAX_RESIDENTS = 1_000_000


def _knob_table(preset: str) -> str:
    from roomalloc.synthetic import PRESETS

    knobs = PRESETS[preset]
    lines = [f"knobs of preset {preset} (set with --set NAME=VALUE):"]
    for f in dataclasses.fields(knobs):
        value = getattr(knobs, f.name)
        if f.name == "features":
            value = ", ".join(s.name for s in value) + " (Python only)"
        lines.append(f"  {f.name} = {value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Carry out ``roomalloc generate``; returns the exit status."""
    from roomalloc.synthetic import cohort_and_witness, parse_knob, stats

    if args.list_knobs:
        print(_knob_table(args.preset))
        return 0
    if args.stats_of is not None:
        from roomalloc.domain.io import load_problem

        problem = load_problem(args.stats_of)
        print(_stats_text(stats(problem), args.json))
        return 0
    check_outputs({"-o": args.output, "--witness": args.witness}, {})
    overrides: dict[str, Any] = {}
    try:
        for item in args.set or ():
            name, value = parse_knob(item)
            overrides[name] = value
        if args.witness is not None and overrides.get("ensure_feasible") is False:
            raise ValueError("--witness needs ensure_feasible (the witness is what ensures it)")
        problem, witness = cohort_and_witness(residents=args.residents, seed=args.seed,
                                              preset=args.preset, **overrides)
    except (ValueError, TypeError) as err:
        print(f"roomalloc generate: {err}", file=sys.stderr)
        return 2
    if args.witness is not None:
        _save_witness(problem, witness, args.witness)
    if args.output is not None:
        from roomalloc.domain.io import atomic_write_text

        atomic_write_text(args.output, problem.model_dump_json(indent=args.indent) + "\n")
    elif not args.stats:
        sys.stdout.write(problem.model_dump_json(indent=args.indent) + "\n")
    if args.stats:
        print(_stats_text(stats(problem), args.json))
    return 0


def _save_witness(problem: Any, witness: dict[str, str | None], path: str) -> None:
    from roomalloc.domain.io import save_result
    from roomalloc.domain.model import Result
    from roomalloc.verify.evaluation import evaluate

    ev = evaluate(problem, witness)
    named = {t.term for t in problem.objective}
    save_result(Result(status="feasible", assignments=witness, objective=ev.objective,
                       terms={k: v for k, v in ev.terms.items() if k in named}), path)


def _stats_text(s: Any, as_json: bool) -> str:
    return json.dumps(s.as_dict(), indent=2) if as_json else str(s.format())


def register(subparsers: Any) -> None:
    """Add the ``generate`` sub-command to ``subparsers``."""
    from roomalloc.synthetic.presets import PRESETS

    p = subparsers.add_parser(
        "generate",
        help="write a synthetic cohort (a realistic, reproducible problem)",
        description="Generate a synthetic problem: the same residents, seed, preset and knobs "
        "give the same file, byte for byte. See docs/synthetic.md for the knobs.",
    )
    p.add_argument("--residents", type=WholeNumber(0, MAX_RESIDENTS), default=1000, metavar="N",
                   help=f"number of residents, 0 to {MAX_RESIDENTS} (default 1000)")
    p.add_argument("--seed", type=WholeNumber(0, MAX_SEED), default=0, metavar="S",
                   help=f"random seed, 0 to {MAX_SEED} (default 0)")
    p.add_argument("--preset", choices=sorted(PRESETS), default="campus",
                   help="family of problem (default campus)")
    p.add_argument("--set", action="append", metavar="KNOB=VALUE",
                   help="override one knob (repeatable), e.g. --set supply_ratio=0.8")
    p.add_argument("-o", "--output", metavar="PROBLEM.json",
                   help="write the problem here (default: standard output, unless --stats)")
    p.add_argument("--indent", type=WholeNumber(0, 16), default=None, metavar="N",
                   help="indent the JSON by N spaces, 0 to 16 (default: compact)")
    p.add_argument("--witness", metavar="RESULT.json",
                   help="also write the allocation that proves the cohort feasible (houses "
                   "exactly the locked, required, grouped and incumbent residents)")
    p.add_argument("--stats", action="store_true",
                   help="print the cohort's statistics (demand vs beds, needs, preferences, "
                   "room-mate ties)")
    p.add_argument("--json", action="store_true", help="print statistics as JSON")
    p.add_argument("--stats-of", metavar="PROBLEM.json",
                   help="print the statistics of an existing problem instead of generating")
    p.add_argument("--list-knobs", action="store_true",
                   help="list the knobs of the preset with their values and exit")
    p.set_defaults(func=run)
