"""One run in a process of its own: ``python -m benchmarks.child JOB.json``.

The job names the problem file, the peer, the time limit, the threads, the plug-in modules
(each one's ``register()``, if any, registers its custom terms) and where to write the
outcome. The parent (:mod:`benchmarks.runner`) caps this process's memory and wall time and
reads its peak RSS; this process only runs the peer and writes what it found, atomically.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from pathlib import Path

#: Exit codes the parent turns into a run's status.
EXIT_NOT_APPLICABLE = 3
EXIT_OUT_OF_MEMORY = 4


def _write(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    """Run the job in ``argv[0]``; the exit code says what became of it."""
    job = json.loads(Path(argv[0]).read_text())
    out = Path(job["out"])
    for module in job.get("plugins", []):
        register = getattr(importlib.import_module(module), "register", None)
        if register is not None:
            register()
    import roomalloc
    from benchmarks.peers import NotApplicable, resolve_peer

    started = time.perf_counter()
    try:
        problem = roomalloc.load_problem(job["problem"])
        loaded = time.perf_counter() - started
        outcome = resolve_peer(job["peer"])(problem, float(job["time_limit"]), int(job["threads"]))
    except NotApplicable as why:
        _write(out, {"status": "n/a", "note": str(why)})
        return EXIT_NOT_APPLICABLE
    except MemoryError:
        _write(out, {"status": "out of memory"})
        return EXIT_OUT_OF_MEMORY
    data = outcome.to_dict()
    data["load_seconds"] = loaded
    _write(out, data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
