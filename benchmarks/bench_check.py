"""How long does the independent verifier take on a large allocation with stays?

By default it builds a visitor-housing problem (rooms of 1-4 beds, residents with stays over a
year, genders, preferences, roommate wishes, avoid pairs, groups) and places residents greedily
so that most hard rules hold and a few do not. With ``--preset`` it takes a synthetic cohort
(:func:`roomalloc.synthetic.cohort_and_witness`) and its feasible witness allocation instead.
Then it times :func:`roomalloc.check` (which includes :func:`roomalloc.evaluate`).

    python benchmarks/bench_check.py --residents 50000 --seed 1
    python benchmarks/bench_check.py --residents 50000 --seed 1 --preset staff_housing
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np

from roomalloc import Interval, Preference, Problem, Resident, Room, Roommates, check


def build(residents: int, seed: int) -> tuple[Problem, dict[str, str | None]]:
    rng = np.random.default_rng(seed)
    n_rooms = max(1, residents // 5)
    caps = rng.choice([1, 2, 3, 4], size=n_rooms, p=[0.3, 0.4, 0.2, 0.1])
    buildings = rng.integers(0, max(1, n_rooms // 200), size=n_rooms)
    floors = rng.integers(0, 6, size=n_rooms)
    day0 = dt.date(2026, 1, 1)
    rooms = [
        Room(
            id=f"K{i:06d}",
            building=f"B{buildings[i]}",
            floor=int(floors[i]),
            capacity=int(caps[i]),
            features=("quiet",) if i % 7 == 0 else (),
            cost=float(100 + 50 * caps[i]),
            unavailable=(
                (Interval(start=day0 + dt.timedelta(days=300), end=day0 + dt.timedelta(days=310)),)
                if i % 50 == 0
                else ()
            ),
        )
        for i in range(n_rooms)
    ]
    starts = rng.integers(0, 330, size=residents)
    lengths = rng.integers(3, 60, size=residents)
    genders = rng.choice(["female", "male"], size=residents)
    people: list[Resident] = []
    for j in range(residents):
        want = (f"r{j + 1:06d}",) if j % 10 == 0 and j + 1 < residents else ()
        avoid = (f"r{j + 2:06d}",) if j % 97 == 0 and j + 2 < residents else ()
        people.append(
            Resident(
                id=f"r{j:06d}",
                gender=str(genders[j]),
                stay=Interval(
                    start=day0 + dt.timedelta(days=int(starts[j])),
                    end=day0 + dt.timedelta(days=int(starts[j] + lengths[j])),
                ),
                preferences=(
                    Preference(building=f"B{rng.integers(0, max(1, n_rooms // 200))}", weight=2),
                    Preference(feature="quiet", weight=1),
                ),
                roommates=Roommates(want=want, avoid=avoid),
                group=f"g{j // 2}" if j % 500 in (0, 1) else None,
            )
        )
    problem = Problem(rooms=rooms, residents=people)
    # Greedy: each room takes residents of one gender whose stays fit its beds.
    order = np.argsort(starts, kind="stable")
    free_from: list[list[int]] = [[0] * int(c) for c in caps]
    room_gender: list[str | None] = [None] * n_rooms
    assignments: dict[str, str | None] = {}
    cursor = 0
    for j in order:
        placed = None
        for step in range(8):
            k = (cursor + step) % n_rooms
            if room_gender[k] not in (None, genders[j]):
                continue
            beds = free_from[k]
            b = min(range(len(beds)), key=beds.__getitem__)
            if beds[b] <= starts[j]:
                beds[b] = int(starts[j] + lengths[j])
                room_gender[k] = str(genders[j])
                placed = rooms[k].id
                break
        cursor = (cursor + 1) % n_rooms
        assignments[people[j].id] = placed
    return problem, assignments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preset", default=None, help="a synthetic preset instead of the greedy")
    args = parser.parse_args()
    t0 = time.perf_counter()
    if args.preset is None:
        problem, assignments = build(args.residents, args.seed)
    else:
        from roomalloc.synthetic import cohort_and_witness

        problem, assignments = cohort_and_witness(args.residents, args.seed, args.preset)
    stays = sum(1 for r in problem.residents if r.stay is not None)
    built = time.perf_counter() - t0
    housed = sum(1 for v in assignments.values() if v is not None)
    print(
        f"{args.residents} residents ({stays} with stays), {len(problem.rooms)} rooms, "
        f"{housed} housed "
        f"(built in {built:.1f} s)"
    )
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        report = check(problem, assignments)
        times.append(time.perf_counter() - t0)
    by_rule = {k: len(v) for k, v in report.by_rule().items()}
    print(f"violations: {len(report.violations)} {by_rule}")
    print(f"check: best {min(times):.2f} s, worst {max(times):.2f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
