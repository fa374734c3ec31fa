"""Run a named benchmark suite: ``python -m benchmarks.suite {smoke,standard,large,ihtc}``.

Every run is one peer on one problem in a child process of its own (:mod:`benchmarks.runner`);
the suite writes ``SUITE.json`` (every run, the machine, the load), ``SUITE.md`` (the table)
and the plots ``SUITE-progress.png``, ``SUITE-first-valid.png`` and ``SUITE-memory.png`` into
``--out`` (default ``benchmarks/results``). See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import roomalloc
from benchmarks.problems import ProblemSpec, is_pure_assignment, size_of, synthetic
from benchmarks.report import (
    markdown_table,
    plot_by_size,
    plot_progress,
    write_atomically,
    write_record,
)
from benchmarks.runner import DEFAULT_MEMORY_GB, Run, run_in_child

PRESETS = ("campus", "staff_housing", "hostel", "ward", "reallocation")
#: Threads (CP-SAT workers, HiGHS threads) per run, unless the suite says otherwise.
THREADS = 2


@dataclass(frozen=True)
class Suite:
    """A named set of problems, the peers to run on each and the default time limits."""

    name: str
    problems: Callable[[], list[ProblemSpec]]
    peers: tuple[str, ...]
    time_limit: float
    peer_time_limit: float | None = None  # None: the same as roomalloc's
    plugins: tuple[str, ...] = ()
    threads: int = THREADS


def _grid(presets: Sequence[str], sizes: Sequence[int]) -> Callable[[], list[ProblemSpec]]:
    return lambda: [synthetic(p, n) for n in sizes for p in presets]


SUITES = {
    # One thread per run, two runs at a time on two cores: CI's budget is a minute.
    "smoke": Suite("smoke", _grid(PRESETS, [100]), ("roomalloc", "greedy", "highs"), 10.0, 5.0,
                   threads=1),
    "standard": Suite("standard", _grid(PRESETS, [300, 2_000, 10_000]),
                      ("roomalloc", "greedy", "highs"), 60.0),
    "large": Suite("large", lambda: [synthetic("campus", 50_000),
                                     synthetic("staff_housing", 50_000),
                                     synthetic("pure", 10_000)],
                   ("roomalloc", "greedy", "highs", "mincostflow"), 120.0),
    "ihtc": Suite("ihtc", lambda: [], ("roomalloc", "greedy"), 60.0,
                  plugins=("benchmarks.ihtc",)),
}


def machine() -> dict[str, Any]:
    """What ran the suite: cores, memory, CPU model, Python and library versions, the load."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    with contextlib.suppress(OSError):
        memory = subprocess.run(["free", "-g"], capture_output=True, text=True,
                                check=False).stdout.strip()
    import highspy
    import ortools

    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs_version = f"{highs.versionMajor()}.{highs.versionMinor()}.{highs.versionPatch()}"
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "free_g": memory,
        "python": platform.python_version(), "roomalloc": roomalloc.__version__,
        "ortools": getattr(ortools, "__version__", ""), "highs": highs_version,
        "load": os.getloadavg(),
    }


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False, cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        return ""


def _ihtc_problems(only: Sequence[str] | None) -> list[tuple[str, roomalloc.Problem]]:
    from benchmarks import ihtc

    ihtc.register()
    names = list(only) if only else ihtc.instance_names()
    return [(name, ihtc.load(name)[0]) for name in names]


def _ihtc_table(runs: Sequence[Run]) -> str:
    """S1 per instance: roomalloc's and greedy's against the best-known solution's."""
    from benchmarks import ihtc

    known = ihtc.best_known_s1()
    lines = ["| instance | patients + occupants | rooms | peer | status | S1 | S1 of best-known "
             "| proven S1 lower bound | first valid (s) | wall (s) |", "|" + "---|" * 10]
    for run in runs:
        ok = run.check_ok is True
        s1 = f"{0.0 - run.objective:g}" if ok and run.objective is not None else "–"
        bound = f"{0.0 - run.bound:g}" if ok and run.bound is not None else "–"
        wall = run.wall_seconds if ok else run.process_seconds
        lines.append(f"| {run.problem} | {run.residents} | {run.rooms} | {run.peer} | "
                     f"{run.status if ok or run.check_ok is None else '**' + run.status + '**'} "
                     f"| {s1} | {known.get(run.problem, float('nan')):g} | {bound} | "
                     f"{'–' if not ok or run.first_seconds is None else f'{run.first_seconds:.2f}'}"
                     f" | {'–' if wall is None else f'{wall:.2f}'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", choices=sorted(SUITES))
    parser.add_argument("--time-limit", type=float, help="seconds per run (roomalloc's; the "
                        "peers get the same unless the suite says otherwise)")
    parser.add_argument("--peer-time-limit", type=float, help="seconds per peer run")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--only", help="comma-separated presets (or IHTC instances) to run")
    parser.add_argument("--sizes", help="comma-separated resident counts to run")
    parser.add_argument("--peers", help="comma-separated peers (default: the suite's)")
    parser.add_argument("--memory-gb", type=float, default=DEFAULT_MEMORY_GB,
                        help=f"address-space cap of each run (default {DEFAULT_MEMORY_GB:g})")
    parser.add_argument("--jobs", type=int,
                        help="runs at a time (default: cores / threads per run)")
    parser.add_argument("--from", dest="records", help="comma-separated JSON records of earlier "
                        "runs of this suite: write their table and plots together, run nothing")
    args = parser.parse_args(argv)
    suite = SUITES[args.suite]
    if suite.name == "ihtc":
        from benchmarks import ihtc

        ihtc.register()
    if args.records:
        return _merge(suite.name, [Path(p) for p in args.records.split(",")], args.out)
    only = [s for s in (args.only or "").split(",") if s]
    sizes = {int(s) for s in (args.sizes or "").split(",") if s}
    peers = tuple(p for p in (args.peers or "").split(",") if p) or suite.peers
    time_limit = args.time_limit or suite.time_limit
    peer_limit = args.peer_time_limit or suite.peer_time_limit or time_limit
    jobs = args.jobs or max(1, (os.cpu_count() or 1) // suite.threads)

    if suite.name == "ihtc":
        problems = _ihtc_problems(only)
    else:
        specs = [s for s in suite.problems()
                 if (not only or s.preset in only or s.name.split("-")[0] in only)
                 and (not sizes or s.residents in sizes)]
        problems = [(s.name, s.build()) for s in specs]
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"suite": suite.name, "command": shlex.join(["python", "-m", "benchmarks.suite",
                                                        *(argv if argv is not None
                                                          else sys.argv[1:])]),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": _git_commit(), "time_limit": time_limit, "peer_time_limit": peer_limit,
            "threads": suite.threads, "jobs": jobs, "memory_gb": args.memory_gb,
            "machine": machine()}
    stem = args.out / suite.name

    def partial(done: list[Run]) -> None:
        # The record so far, after every run: a suite cut short keeps what it measured.
        write_record(stem.with_suffix(".json"), {**meta, "partial": True}, done)

    runs = _run_all(problems, peers, time_limit, peer_limit, args.memory_gb, jobs, suite,
                    partial)
    meta["load_after"] = os.getloadavg()
    write_record(stem.with_suffix(".json"), meta, runs)
    return _render(suite.name, stem, meta, runs)


def _render(name: str, stem: Path, meta: dict[str, Any], runs: list[Run]) -> int:
    """Write the table and the plots of ``runs`` next to ``stem``; print the table."""
    out = stem.parent
    table = markdown_table(runs)
    if name == "ihtc":
        table += "\n" + _ihtc_table(runs)
    write_atomically(stem.with_suffix(".md"), _header(meta) + table)
    plot_progress(out / f"{stem.name}-progress.png", runs, name)
    plot_by_size(out / f"{stem.name}-first-valid.png", runs, "first_seconds",
                 "seconds to the first valid allocation", f"{name}: first valid allocation")
    plot_by_size(out / f"{stem.name}-memory.png", runs, "peak_rss_mb", "peak RSS (MB)",
                 f"{name}: peak memory of the run's process")
    print(table)
    broken = [r for r in runs if r.peer == "roomalloc" and r.status in ("FAILED", "crashed")]
    return 1 if broken else 0


def _merge(name: str, records: list[Path], out: Path) -> int:
    """The table and plots of several records of one suite (e.g. one per size), as one."""
    metas, runs = [], []
    for path in records:
        data = json.loads(path.read_text())
        metas.append(data["meta"])
        runs += [Run(**{**r, "trace": [tuple(t) for t in r["trace"]]}) for r in data["runs"]]
    meta = {**metas[-1], "command": " ; ".join(m["command"] for m in metas),
            "date": " / ".join(dict.fromkeys(m["date"] for m in metas))}
    out.mkdir(parents=True, exist_ok=True)
    stem = out / name
    write_record(stem.with_suffix(".json"), {**meta, "merged_from": [m["command"] for m in metas]},
                 runs)
    return _render(name, stem, meta, runs)


def _header(meta: dict[str, Any]) -> str:
    m = meta["machine"]
    mem = next((line.split()[1] for line in m["free_g"].splitlines()
                if line.startswith("Mem:")), "?")
    load = ", ".join(f"{x:.2f}" for x in m["load"])
    after = ", ".join(f"{x:.2f}" for x in meta["load_after"])
    return (f"`{meta['command']}` — {meta['date']}, commit {meta['commit']}; time limit "
            f"{meta['time_limit']:g} s (peers {meta['peer_time_limit']:g} s), {meta['threads']} "
            f"threads per run, {meta['jobs']} run(s) at a time, {meta['memory_gb']:g} GB "
            "address-space cap per run.\n"
            f"Machine: {m['nproc']} cores, {m['cpu']}, {mem} GiB (free -g); Python "
            f"{m['python']}, OR-Tools {m['ortools']}, HiGHS {m['highs']}; load average before "
            f"{load}, after {after}.\n\n")


def _run_all(problems: list[tuple[str, roomalloc.Problem]], peers: tuple[str, ...],
             time_limit: float, peer_limit: float, memory_gb: float, jobs: int,
             suite: Suite, partial: Callable[[list[Run]], None]) -> list[Run]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    work: list[tuple[Path, roomalloc.Problem, Run]] = []
    runs: list[Run] = []
    finished: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="roomalloc-suite-") as tmp:
        for name, problem in problems:
            path = Path(tmp) / f"{name}.json"
            roomalloc.save_problem(problem, path)
            size = size_of(problem)
            preset = name.rsplit("-", 1)[0] if suite.name != "ihtc" else "ihtc"
            for peer in peers:
                if peer == "mincostflow" and not is_pure_assignment(problem):
                    continue
                limit = time_limit if peer == "roomalloc" else peer_limit
                run = Run(problem=name, preset=preset, peer=peer, residents=size.residents,
                          rooms=size.rooms, beds=size.beds, pairs=size.pairs, time_limit=limit,
                          threads=suite.threads, status="pending")
                work.append((path, problem, run))
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn()) as bar:
            task = bar.add_task(f"{suite.name}", total=len(work))

            def one(job: tuple[Path, roomalloc.Problem, Run]) -> Run:
                path, problem, run = job
                done = run_in_child(path, problem, run, memory_gb=memory_gb,
                                    plugins=suite.plugins)
                objective = "–" if done.objective is None else f"{done.objective:g}"
                bar.console.log(f"{done.problem} {done.peer}: {done.status}, objective "
                                f"{objective}, {done.process_seconds:.1f} s, "
                                f"{done.peak_rss_mb or 0:.0f} MB")
                bar.advance(task)
                finished.append(done)
                partial(list(finished))
                return done

            with ThreadPoolExecutor(max_workers=jobs) as pool:
                runs = list(pool.map(one, work))
    return runs


if __name__ == "__main__":
    sys.exit(main())
