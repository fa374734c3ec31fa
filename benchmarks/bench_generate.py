"""Benchmark: generation time and statistics of every preset at 100, 1k, 10k and 50k residents.

Run from the repository root::

    python benchmarks/bench_generate.py            # all presets, all sizes
    python benchmarks/bench_generate.py --sizes 100 1000 --presets campus ward

For each preset and size it prints the wall time of ``cohort(...)`` (best of ``--repeat``
runs, pydantic objects included) and its CPU time (the process's, which a machine shared with
other jobs inflates less than the wall time), the wall time to serialise the problem to JSON
and to load it back through the full validation (``Problem.model_validate_json``), and the
statistics documented in docs/synthetic.md: demand per bed, share with needs, preferences
per resident, room-mate pairs (mutual) and avoid pairs, required share, locked residents.
"""

from __future__ import annotations

import argparse
import platform
import time

from roomalloc.domain.model import Problem
from roomalloc.synthetic import PRESETS, cohort, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 50_000])
    parser.add_argument("--presets", nargs="+", default=list(PRESETS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-validate", action="store_true",
                        help="skip the JSON round trip through the full validation")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, seed {args.seed}")
    header = (f"{'preset':<14}{'residents':>10}{'gen s':>8}{'cpu s':>8}{'dump s':>8}{'load s':>8}"
              f"{'rooms':>8}{'beds':>8}{'dem/bed':>8}{'needs':>7}{'prefs':>6}"
              f"{'mutual':>8}{'wants':>8}{'avoid':>7}{'req':>7}{'locked':>7}")
    print(header)
    for preset in args.presets:
        for n in args.sizes:
            best = cpu = float("inf")
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                problem = cohort(residents=n, seed=args.seed, preset=preset)
                best = min(best, time.perf_counter() - t0)
                cpu = min(cpu, time.process_time() - c0)
            dump = load = float("nan")
            if not args.no_validate:
                t0 = time.perf_counter()
                text = problem.model_dump_json()
                dump = time.perf_counter() - t0
                t0 = time.perf_counter()
                loaded = Problem.model_validate_json(text)
                load = time.perf_counter() - t0
                assert loaded == problem, "round trip changed the problem"
            s = stats(problem)
            print(f"{preset:<14}{n:>10}{best:>8.2f}{cpu:>8.2f}{dump:>8.2f}{load:>8.2f}"
                  f"{s.rooms:>8}{s.beds:>8}{s.demand_per_bed:>8.3f}{s.needs_share:>7.3f}"
                  f"{s.preferences_per_resident:>6.2f}{s.mutual_pairs:>8}{s.want_pairs:>8}"
                  f"{s.avoid_pairs:>7}{s.required_share:>7.3f}{s.locked:>7}", flush=True)


if __name__ == "__main__":
    main()
