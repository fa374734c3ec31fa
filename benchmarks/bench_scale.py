"""Solve synthetic cohorts with ``roomalloc.solve`` and print one JSON line per cohort.

Usage::

    ulimit -v 12000000
    python benchmarks/bench_scale.py --residents 10000 --time-limit 60 --workers 2 \\
        campus staff_housing hostel ward reallocation

Each line: time to the first valid allocation (from the progress callback), status,
objective, bound, gap, wall time, peak RSS of the process so far and the verifier's verdict.
Problems of ``roomalloc.solver.scale.SCALE_FROM`` residents or more take the scalable path.
Run one preset per process for a clean peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import roomalloc
from roomalloc.synthetic import cohort


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="+")
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    failed = False
    for preset in args.presets:
        began = time.perf_counter()
        problem = cohort(residents=args.residents, seed=args.seed, preset=preset)
        generated = time.perf_counter() - began
        first: list[float] = []

        def progress(elapsed: float, objective: float, bound: float | None,
                     first: list[float] = first) -> None:
            if not first:
                first.append(elapsed)

        began = time.perf_counter()
        result = roomalloc.solve(problem, time_limit=args.time_limit, workers=args.workers,
                                 progress=progress)
        wall = time.perf_counter() - began
        ok = roomalloc.check(problem, result.assignments).ok if result.assignments else None
        failed |= ok is False
        gap = None
        if result.bound is not None and result.objective is not None:
            gap = round(100 * (result.bound - result.objective) / abs(result.bound), 3)
        print(json.dumps({
            "preset": preset, "residents": args.residents, "generate_s": round(generated, 2),
            "status": result.status, "objective": result.objective, "bound": result.bound,
            "gap_pct": gap, "first_valid_s": round(first[0], 2) if first else None,
            "wall_s": round(wall, 2),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "check": ok,
            "housed": sum(k is not None for k in result.assignments.values()),
        }), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
