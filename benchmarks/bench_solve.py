"""Solve a synthetic cohort and report model size, time to first solution, status and gap.

Usage::

    python benchmarks/bench_solve.py --residents 1000 --seed 1 --time-limit 600 --workers 1

The cohort comes from :func:`roomalloc.synthetic.cohort` (preset ``campus`` by default:
preferences, roommate wishes, gender-designated rooms and ``gender_mixing: forbid``). The
allocation is verified with :func:`roomalloc.check`; the script exits 1 if it breaks a rule.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

import roomalloc
from roomalloc.domain.io import save_result
from roomalloc.solver import build_model
from roomalloc.synthetic import cohort
from roomalloc.synthetic.knobs import parse_knob


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--preset", default="campus")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--knob", action="append", default=[], metavar="NAME=VALUE",
                        help="override one knob of the preset (repeatable), e.g. supply_ratio=1.1")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of text")
    parser.add_argument("--save", metavar="RESULT.json",
                        help="also write the result (the allocation) there, atomically")
    parser.add_argument("--no-model-stats", action="store_true",
                        help="skip the separate model build that counts variables, so that "
                        "the peak RSS is the solve's own")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    knobs = dict(parse_knob(k) for k in args.knob)
    problem = cohort(residents=args.residents, seed=args.seed, preset=args.preset, **knobs)
    generated = time.perf_counter() - started

    stats: dict[str, int] = {}
    build_seconds = None
    if not args.no_model_stats:
        started = time.perf_counter()
        stats = build_model(problem).stats
        build_seconds = round(time.perf_counter() - started, 2)

    first: list[float] = []
    last: list[tuple[float, float, float | None]] = []

    def progress(elapsed: float, objective: float, bound: float | None) -> None:
        if not first:
            first.append(elapsed)
        last.append((elapsed, objective, bound))
        if not args.json:
            print(f"  {elapsed:8.1f}s objective {objective:.1f} bound {bound}", file=sys.stderr)

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    result = roomalloc.solve(problem, time_limit=args.time_limit, workers=args.workers,
                             seed=0, progress=progress)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    report = roomalloc.check(problem, result)
    if args.save:
        save_result(result, args.save)
    gap = None
    if result.objective is not None and result.bound is not None:
        gap = (result.bound - result.objective) / max(1.0, abs(result.objective))
    row = {
        "preset": args.preset,
        "knobs": args.knob,
        "residents": len(problem.residents),
        "rooms": len(problem.rooms),
        "beds": sum(k.capacity for k in problem.rooms),
        "seed": args.seed,
        "workers": args.workers,
        "time_limit": args.time_limit,
        "placement_variables": stats.get("placement_variables"),
        "variables": stats.get("variables"),
        "constraints": stats.get("constraints"),
        "generate_seconds": round(generated, 2),
        "build_seconds": build_seconds,
        "first_solution_seconds": round(first[0], 2) if first else None,
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": gap,
        "solve_seconds": round(result.solve_seconds, 2),
        "wall_seconds": round(wall, 2),
        "interrupted": result.interrupted,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "load_1min": [round(load_before, 2), round(load_after, 2)],
        "valid": report.ok,
        "housed": sum(k is not None for k in result.assignments.values()),
        "python": platform.python_version(),
    }
    if args.json:
        print(json.dumps(row))
    else:
        for key, value in row.items():
            print(f"{key:>22}: {value}")
    return 0 if report.ok or result.status in ("infeasible", "unknown") else 1


if __name__ == "__main__":
    sys.exit(main())
