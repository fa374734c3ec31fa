"""Benchmark explain and diagnose at scale (run by hand; never part of the test suite).

    python benchmarks/bench_explain.py [--residents 2000] [--seed 1] [--preset campus]
                                       [--solve-seconds 60] [--workers 2]

1. explain: a synthetic cohort is solved (``--solve-seconds``, ``--workers``; 0 skips it) and
   the allocation explained; so are the cohort's witness allocation (feasible by construction,
   few housed) and a greedy fill of it (most rooms full, checked by the verifier), which stand
   in for a solved allocation when the solver finds none in time. Target: under 10 s at 2,000
   residents (bulk mode: no price re-solves).
2. diagnose: the same cohort with a planted clash: ``--sauna-rooms`` rooms (default 2) get a
   new feature ``sauna``, and
   one more resident than they have beds (same gender, stay all year, no other hard flags)
   becomes required and needs it. Target: under 30 s at 2,000 residents, with the planted
   clash found and the diagnosis minimal and verified.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from roomalloc import Problem, Result, check
from roomalloc.explanation import diagnose, explain
from roomalloc.explanation.edit import with_changes
from roomalloc.explanation.reasons import Placement
from roomalloc.explanation.rooms import RoomTable
from roomalloc.solver import solve
from roomalloc.synthetic import cohort, witness_allocation


def plant_clash(problem: Problem, count: int = 2) -> tuple[Problem, set[str], set[str]]:
    """``count`` plain rooms get ``sauna``; beds + 1 same-gender residents must live there."""
    rooms = [k for k in problem.rooms if not k.unavailable and k.gender is None][:count]
    beds = sum(k.capacity for k in rooms)
    gender = problem.residents[0].gender
    chosen = [r for r in problem.residents if r.gender == gender][: beds + 1]
    ids = {r.id for r in chosen}
    sauna = {k.id for k in rooms}
    new_rooms = tuple(
        k.model_copy(update={"features": (*k.features, "sauna")}) if k.id in sauna else k
        for k in problem.rooms
    )
    residents = tuple(
        r.model_copy(update={
            "required": True, "needs": ("sauna",), "stay": None, "budget": None,
            "excluded_rooms": (), "private": False, "locked": False, "group": None,
            "roommates": r.roommates.model_copy(update={"avoid": ()}),
        })
        if r.id in ids
        else r.model_copy(update={
            "roommates": r.roommates.model_copy(update={
                "avoid": tuple(x for x in r.roommates.avoid if x not in ids)})})
        for r in problem.residents
    )
    return with_changes(problem, rooms=new_rooms, residents=residents), ids, sauna


def greedy_fill(problem: Problem, start: dict[str, str | None]) -> dict[str, str | None]:
    """``start`` plus every resident (not in a group) put in their best legal free bed, in turn.

    A realistic stand-in for a solved allocation when the solver finds none in time: most
    rooms end up full, which is the expensive case for the unhoused and stability scans.
    """
    table = RoomTable(problem)
    assignments = dict(start)
    placement = Placement(problem, assignments)
    for r in sorted(problem.residents, key=lambda r: -r.priority):
        if assignments.get(r.id) is not None or r.group is not None or r.locked:
            continue
        scores = table.scores(r)
        allowed = np.flatnonzero(table.allowed(table.own_rule_masks(r)))
        for i in allowed[np.argsort(-scores[allowed], kind="stable")]:
            room = table.rooms[int(i)]
            if not placement.room_blocks(r, room):
                assignments[r.id] = room.id
                placement.place(r, room.id)
                break
    return assignments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--preset", default="campus")
    parser.add_argument("--solve-seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sauna-rooms", type=int, default=2,
                        help="rooms in the planted clash (default 2)")
    args = parser.parse_args()

    problem = cohort(residents=args.residents, seed=args.seed, preset=args.preset)
    print(f"cohort: {len(problem.residents)} residents, {len(problem.rooms)} rooms "
          f"(preset {args.preset}, seed {args.seed})")
    cases: list[tuple[str, Result]] = []
    if args.solve_seconds > 0:
        started = time.perf_counter()
        result = solve(problem, time_limit=args.solve_seconds, workers=args.workers)
        print(f"solve: {result.status} in {time.perf_counter() - started:.1f} s")
        if result.assignments:
            cases.append(("solved allocation", result))
    witness = witness_allocation(residents=args.residents, seed=args.seed, preset=args.preset)
    cases.append(("witness allocation", Result(status="feasible", assignments=witness)))
    greedy = greedy_fill(problem, witness)
    assert check(problem, greedy).ok, "the greedy allocation must keep every hard rule"
    cases.append(("greedy allocation", Result(status="feasible", assignments=greedy)))
    for label, res in cases:
        unhoused = sum(v is None for v in res.assignments.values())
        started = time.perf_counter()
        ex = explain(problem, res)
        seconds = time.perf_counter() - started
        assert ex.stability is not None
        print(f"explain ({label}, {unhoused} unhoused): {seconds:.2f} s; "
              f"{len(ex.stability.swaps)} blocking swaps, {len(ex.stability.moves)} moves")

    planted, ids, sauna = plant_clash(problem, args.sauna_rooms)
    started = time.perf_counter()
    d = diagnose(planted)
    seconds = time.perf_counter() - started
    found = {r.subjects[0] for r in d.requirements if r.kind == "required"}
    rooms = {r.subjects[0] for r in d.requirements if r.kind == "capacity"}
    print(f"diagnose (planted: {len(ids)} required residents for {len(sauna)} sauna rooms): "
          f"{seconds:.2f} s, {d.solves} solves, {len(d.requirements)} requirements, "
          f"minimal={d.minimal}, verified={d.verified}, "
          f"planted clash found={found == ids and rooms == sauna}")
    print("  " + "\n  ".join(d.messages[:3]))


if __name__ == "__main__":
    main()
