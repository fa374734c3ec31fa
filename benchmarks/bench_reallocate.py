"""Re-allocation against solving from scratch: moves, objective loss and time.

Usage::

    python benchmarks/bench_reallocate.py --residents 2000 --seed 1 --time-limit 120 --workers 0

A ``reallocation`` cohort (incumbents, some locked) is solved once: that is where everybody
lives now (``previous``). Then mid-term changes arrive: a share of the rooms that hold no locked
resident close for good, some residents leave, and residents held out of the first solve
arrive. The changed problem is solved twice, with the same time limit:

* ``reallocate(problem, previous, changes)``: previous rooms as current rooms, ``moves`` weighed,
  the previous allocation as the warm start;
* from scratch: :func:`roomalloc.analysis.reallocate.from_scratch` of the changed problem (no
  current rooms but locks, no ``moves`` term), default start.

Moves count residents housed in ``previous`` who are still there and in another room (or
unhoused). Both allocations are valued on the from-scratch objective (the loss is what keeping
people in place costs in wishes and housing) and verified with :func:`roomalloc.check`; the
script exits 1 if one breaks a rule.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import roomalloc
from roomalloc.analysis.reallocate import from_scratch, reallocate
from roomalloc.analysis.scenarios import Scenario, arrive, close, depart, remove_residents


def changes_for(problem: roomalloc.Problem, newcomers: list[roomalloc.Resident],
                closed_share: float, leaving_share: float) -> Scenario:
    """Close ``closed_share`` of the rooms without a locked resident, let ``leaving_share`` of
    the unlocked residents leave, let ``newcomers`` arrive (no current room, no wishes for
    roommates, whom they do not know yet)."""
    locked_rooms = {r.current_room for r in problem.residents if r.locked}
    open_rooms = [k.id for k in problem.rooms if k.id not in locked_rooms]
    shut = open_rooms[:: max(1, round(1 / closed_share))]
    unlocked = [r.id for r in problem.residents if not r.locked]
    leavers = unlocked[1 :: max(1, round(1 / leaving_share))]
    arrivals = [r.model_dump(mode="json") | {"current_room": None, "roommates": {}}
                for r in newcomers]
    return close(rooms=shut) | depart(*leavers) | arrive(*arrivals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--closed", type=float, default=0.05, help="share of rooms closing")
    parser.add_argument("--leaving", type=float, default=0.03, help="share of residents leaving")
    parser.add_argument("--arriving", type=float, default=0.03,
                        help="share of residents arriving (held out of the first solve)")
    parser.add_argument("--previous", metavar="RESULT.json",
                        help="the first allocation: read from here when the file exists, "
                             "else solved and saved here")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"time_limit": args.time_limit, "workers": args.workers,
                               "seed": args.seed}

    full = roomalloc.cohort(args.residents, seed=args.seed, preset="reallocation")
    free = [r for r in full.residents if not r.locked and r.group is None]
    newcomers = free[-round(args.arriving * len(full.residents)):]
    base = remove_residents(*(r.id for r in newcomers)).apply(full)
    t = time.perf_counter()
    if args.previous and Path(args.previous).exists():
        previous = roomalloc.load_result(args.previous)
    else:
        previous = roomalloc.solve(base, **options)
        if args.previous:
            roomalloc.save_result(previous, args.previous)
    first_s = time.perf_counter() - t
    if not roomalloc.check(base, previous).ok:
        print("the first allocation breaks a rule", file=sys.stderr)
        return 1
    changes = changes_for(base, newcomers, args.closed, args.leaving)
    edited = changes.apply(base)
    scratch_problem = from_scratch(edited)

    t, cpu = time.perf_counter(), time.process_time()
    again = reallocate(base, previous, changes, **options)
    again_s, again_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    fresh = roomalloc.solve(scratch_problem, **options)
    fresh_s, fresh_cpu = time.perf_counter() - t, time.process_time() - cpu
    ok = (roomalloc.check(again.problem, again.result).ok
          and roomalloc.check(scratch_problem, fresh).ok)

    stayers = {r: k for r, k in previous.assignments.items()
               if k is not None and r in edited.residents_by_id}

    def moves(result: roomalloc.Result) -> int:
        return sum(1 for r, k in stayers.items() if result.assignments.get(r) != k)

    def value(result: roomalloc.Result) -> float:
        return roomalloc.evaluate(scratch_problem, result).objective

    report = {
        "residents": len(edited.residents), "rooms": len(edited.rooms),
        "closed_rooms": sum(1 for k in edited.rooms if k.unavailable),
        "left": len(base.residents) + len(newcomers) - len(edited.residents),
        "arrived": len(newcomers), "previously_housed_still_here": len(stayers),
        "housed": {"previous": sum(k is not None for k in previous.assignments.values()),
                   "reallocate": sum(k is not None for k in again.result.assignments.values()),
                   "from_scratch": sum(k is not None for k in fresh.assignments.values())},
        "first_solve": {"status": previous.status, "seconds": round(first_s, 1)},
        "reallocate": {"status": again.result.status, "moves": moves(again.result),
                       "objective": value(again.result), "seconds": round(again_s, 1),
                       "cpu_seconds": round(again_cpu, 1),
                       "reasons": dict(Counter(m.kind for m in again.moves).most_common())},
        "from_scratch": {"status": fresh.status, "moves": moves(fresh),
                         "objective": value(fresh), "bound": fresh.bound,
                         "seconds": round(fresh_s, 1), "cpu_seconds": round(fresh_cpu, 1)},
        "checked": ok,
        "machine": f"{platform.machine()} python {platform.python_version()}",
    }
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
