"""Time and memory of each stage of the path that scales, one stage at a time.

    python -m benchmarks.bench_stages campus 50000 --time-limit 120

Prints, after each stage that runs, its seconds (and CPU seconds: the machine may be shared),
the process's resident memory and peak, the incumbent's objective, the bound and how many
required residents are still out; then the result's status, objective and bound, when the
first valid allocation came and the whole call's wall and CPU time (the result's check
included), and the sparse candidates' pair and arc counts. Cap the address space first
(``ulimit -v``) above 10,000 residents.
"""

from __future__ import annotations

import argparse
import resource
import time

from benchmarks.problems import synthetic
from roomalloc.solver.driver import Stage, drive
from roomalloc.solver.scale.stages import SCALE_STAGES, ScaleRun


def _megabytes() -> tuple[float, float]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux
    with open("/proc/self/statm") as statm:  # Linux, like the suite's children
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1e6, peak


def _cpu_seconds() -> float:
    """This process's CPU time: on a shared machine, closer to an idle one's wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Measured:
    """A stage of the path that prints its time and memory once it has run."""

    def __init__(self, stage: Stage[ScaleRun]) -> None:
        self.stage = stage
        self.name = stage.name
        self.essential = stage.essential

    def accepts(self, run: ScaleRun) -> bool:
        return self.stage.accepts(run)

    def run(self, run: ScaleRun) -> None:
        at, cpu = time.perf_counter(), _cpu_seconds()
        self.stage.run(run)
        rss, peak = _megabytes()
        print(f"{self.name}: {time.perf_counter() - at:.1f} s (cpu {_cpu_seconds() - cpu:.1f} s),"
              f" rss {rss:.0f} MB, peak "
              f"{peak:.0f} MB, objective {run.objective}, bound {run.proved}, required out "
              f"{len(run.missing_required)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the stages on one synthetic problem and print a line per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="a preset of benchmarks.problems.synthetic (or pure)")
    parser.add_argument("residents", type=int)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    problem = synthetic(args.preset, args.residents, args.seed).build()
    print(f"cohort: {time.perf_counter() - began:.1f} s, {len(problem.rooms)} rooms, "
          f"rss {_megabytes()[0]:.0f} MB", flush=True)
    began, cpu = time.perf_counter(), _cpu_seconds()
    run = ScaleRun(problem, time_limit=args.time_limit, workers=2)
    with run.stopping(run.stop_search):  # as solve_at_scale runs them
        result = drive(run, [_Measured(stage) for stage in SCALE_STAGES])
    print(f"result: {result.status}, objective {result.objective}, bound {result.bound}, "
          f"first valid at {run.first_valid and round(run.first_valid, 1)} s, "
          f"call {time.perf_counter() - began:.1f} s (cpu {_cpu_seconds() - cpu:.1f} s), "
          f"peak {_megabytes()[1]:.0f} MB")
    if run.candidates is not None:
        print(f"candidate pairs {run.candidates.pair_count:,}, "
              f"class arcs {len(run.candidates.arc_class):,}, "
              f"classes {run.candidates.classes.count:,} (exact: {run.candidates.classes.exact})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
