"""Run one peer on one problem in a child process, and judge what it returns.

The child (:mod:`benchmarks.child`) gets an address-space cap (``RLIMIT_AS``) and a hard wall
cap (``time_limit * 1.5 + 30`` s); its peak RSS comes from ``os.wait4``, so it is that run's
alone. The parent checks the allocation with :func:`roomalloc.check` and scores it with
:func:`roomalloc.evaluate`: an allocation that breaks a rule makes the run ``FAILED``, and a
failed run has no objective.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import roomalloc
from benchmarks.child import EXIT_NOT_APPLICABLE, EXIT_OUT_OF_MEMORY
from benchmarks.peers import Outcome

#: Default address-space cap of a child, in GB (``--memory-gb``).
DEFAULT_MEMORY_GB = 8.0
#: Statuses of a run that produced no usable allocation because the run itself went wrong.
BROKEN = ("FAILED", "crashed", "out of memory", "timed out")
_REPO = Path(__file__).resolve().parent.parent
_OOM_SIGNS = ("MemoryError", "bad_alloc", "Cannot allocate memory", "out of memory")


def wall_cap(time_limit: float) -> float:
    """Seconds after which a child is killed and its run reported as timed out."""
    return time_limit * 1.5 + 30.0


@dataclass
class Run:
    """One row of the record: a peer on a problem, and what the parent made of it."""

    problem: str
    preset: str
    peer: str
    residents: int
    rooms: int
    beds: int
    pairs: int
    time_limit: float
    threads: int
    status: str
    check_ok: bool | None = None
    violations: list[str] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    first_seconds: float | None = None
    wall_seconds: float | None = None
    process_seconds: float = 0.0
    peak_rss_mb: float | None = None
    trace: list[tuple[float, float | None, float | None]] = field(default_factory=list)
    note: str = ""
    terms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def gap(objective: float | None, bound: float | None) -> float | None:
    """Relative gap ``(bound - objective) / max(|bound|, 1)``, or None without both."""
    if objective is None or bound is None:
        return None
    return max(0.0, bound - objective) / max(abs(bound), 1.0)


def judge(problem: roomalloc.Problem, outcome: Outcome, run: Run) -> Run:
    """Fill ``run`` from ``outcome``: check the allocation, recompute its objective.

    >>> from benchmarks.peers import Outcome
    >>> p = roomalloc.Problem(rooms=[roomalloc.Room(id="A", capacity=1)],
    ...                       residents=[roomalloc.Resident(id="a"), roomalloc.Resident(id="b")])
    >>> run = Run("tiny", "hand", "broken", 2, 1, 1, 2, 1.0, 1, status="?")
    >>> judge(p, Outcome("feasible", {"a": "A", "b": "A"}), run).status
    'FAILED'
    """
    run.status = outcome.status
    run.note = outcome.note
    run.wall_seconds = outcome.seconds
    run.trace = outcome.trace
    if outcome.assignments is None:
        return run
    report = roomalloc.check(problem, outcome.assignments)
    run.check_ok = report.ok
    if not report.ok:
        run.status = "FAILED"
        run.violations = [str(v) for v in report.violations[:5]]
        run.note = f"{len(report.violations)} violations; claimed {outcome.status}"
        run.trace = []
        return run
    run.objective = report.objective
    run.terms = dict(report.terms)
    run.first_seconds = outcome.first_seconds
    run.bound = outcome.bound
    if run.bound is not None and run.objective is not None and run.bound < run.objective - 1e-6:
        run.note = f"bound {run.bound:g} below the objective: not a bound"
        run.bound = None
    run.gap = gap(run.objective, run.bound)
    return run


def _limit_memory(limit_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


def run_in_child(problem_path: Path, problem: roomalloc.Problem, run: Run, *,
                 memory_gb: float = DEFAULT_MEMORY_GB, plugins: tuple[str, ...] = (),
                 extra_path: tuple[str, ...] = ()) -> Run:
    """Run ``run.peer`` on the problem saved at ``problem_path`` in a capped child process.

    ``run.peer`` is a name of :data:`benchmarks.peers.PEERS` or ``module:function``;
    ``plugins`` are modules the child imports first; ``extra_path`` goes on its PYTHONPATH.
    """
    with tempfile.TemporaryDirectory(prefix="roomalloc-bench-") as tmp:
        job_path, out_path, err_path = (Path(tmp) / n for n in ("job.json", "out.json", "err"))
        job_path.write_text(json.dumps({
            "problem": str(problem_path), "peer": run.peer, "time_limit": run.time_limit,
            "threads": run.threads, "plugins": list(plugins), "out": str(out_path)}))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(_REPO), *extra_path, *filter(None, [env.get("PYTHONPATH")])])
        limit = int(memory_gb * 1024**3)
        started = time.perf_counter()
        with open(err_path, "wb") as err:
            child = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.child", str(job_path)],
                stdout=subprocess.DEVNULL, stderr=err, env=env,
                preexec_fn=lambda: _limit_memory(limit))
            killed = False
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                if not killed and time.perf_counter() - started > wall_cap(run.time_limit):
                    child.send_signal(signal.SIGKILL)
                    killed = True
                time.sleep(0.05)
            child.returncode = os.waitstatus_to_exitcode(status)
        run.process_seconds = time.perf_counter() - started
        run.peak_rss_mb = usage.ru_maxrss / 1024.0
        stderr = err_path.read_text(errors="replace")
        code = child.returncode
        if killed:
            run.status = "timed out"
            run.note = f"killed after {wall_cap(run.time_limit):g} s"
            return run
        if code in (0, EXIT_NOT_APPLICABLE, EXIT_OUT_OF_MEMORY) and out_path.exists():
            outcome = Outcome.from_dict(json.loads(out_path.read_text()))
            return judge(problem, outcome, run)
        tail = stderr.strip().splitlines()[-1:] or [""]
        run.status = "out of memory" if any(s in stderr for s in _OOM_SIGNS) else "crashed"
        run.note = f"exit {code}: {tail[0][:200]}"
        return run
