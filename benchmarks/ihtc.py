"""IHTC-2024 as a room-only allocation problem, and its room age-mix objective S1.

The Integrated Healthcare Timetabling Competition 2024 (dataset README: its last section)
admits patients, books theatres and rosters nurses. Its room part is a roomalloc problem once
the admission days are fixed from a best-known solution: every admitted patient is required,
with a stay from the admission day for the length of stay (cut at the horizon) and their
incompatible rooms excluded; every occupant (already in hospital on day 0) is locked in their
room; genders never mix in a room on a night (``gender_mixing: forbid``). The objective is S1,
the room age mix: a sum over rooms and nights of the widest gap between the age groups present,
written as a custom term (:class:`RoomAgeMix`) with the public plug-in API.

:func:`register` registers the term, so a problem file that names ``room_age_mix`` loads
(the suite's child processes call it for every plug-in module that has one).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import roomalloc
from roomalloc import Term, register_term

DATASET = Path("/work/shared/datasets/ihtc2024")
#: Night 0 of every instance (any date would do: only differences matter).
DAY_ZERO = dt.date(2026, 1, 1)


class RoomAgeMix(Term):
    """IHTC's S1: over rooms and nights, max minus min age group present (minimise).

    Every resident has a stay and their age group as the integer attribute ``age_group``.
    """

    name = "room_age_mix"
    sense = "minimize"

    def value(self, problem: Any, assignments: Mapping[str, str | None]) -> float:
        ages: dict[tuple[str, int], list[int]] = defaultdict(list)
        for r in problem.residents:
            room = assignments.get(r.id)
            if room is not None:
                for night in range(r.stay.start.toordinal(), r.stay.end.toordinal()):
                    ages[(room, night)].append(int(r.attributes["age_group"]))
        return float(sum(max(a) - min(a) for a in ages.values()))

    def add_to_model(self, ctx: Any) -> Any:
        # Between two consecutive stay starts or ends of a room's candidates the same ones may
        # be present every night: one spread variable per such stretch, times its nights.
        # has[a] is true when someone of age group a is in the room; the spread is at least
        # b - a when groups a and b both are. Minimising pushes it down to the true gap, so
        # the expression never undercuts the value and CP-SAT's bound stays a bound.
        age = {r.id: int(r.attributes["age_group"]) for r in ctx.problem.residents}
        parts = []
        for room in ctx.problem.rooms:
            x = ctx.occupants[room.id]
            nights = {r: (ctx.resident(r).stay.start.toordinal(),
                          ctx.resident(r).stay.end.toordinal()) for r in x}
            cuts = sorted({day for span in nights.values() for day in span})
            for start, end in itertools.pairwise(cuts):
                here = [r for r, (first, last) in nights.items() if first <= start < last]
                groups = sorted({age[r] for r in here})
                if len(groups) < 2:
                    continue
                has = {a: ctx.new_bool() for a in groups}
                for r in here:
                    ctx.model.add_implication(x[r], has[age[r]])
                spread = ctx.new_int(0, groups[-1] - groups[0])
                for i, a in enumerate(groups):
                    for b in groups[i + 1:]:
                        ctx.model.add(spread >= (b - a) * (has[a] + has[b] - 1))
                parts.append((spread, float(end - start)))
        return ctx.linear(parts)


ROOM_AGE_MIX = RoomAgeMix()


def register() -> None:
    """Register the S1 term so that problems naming ``room_age_mix`` load and score.

    Not done on import: a test that imports this module must not change the registry the
    other tests see.
    """
    register_term(ROOM_AGE_MIX, replace=True)


def instance_path(name: str, dataset: Path = DATASET) -> Path:
    """``i01`` -> instances/public/i01.json, ``m15`` -> instances/hidden/m15.json."""
    folder = "public" if name.startswith("i") else "hidden"
    return dataset / "instances" / folder / f"{name}.json"


def solution_path(name: str, dataset: Path = DATASET) -> Path:
    """The best-known solution of instance ``name``."""
    folder = "public" if name.startswith("i") else "hidden"
    return dataset / "best_known_solutions" / folder / f"sol_{name}.json"


def instance_names(dataset: Path = DATASET) -> list[str]:
    """The 60 competition instances: i01..i30, m01..m30."""
    with open(dataset / "best_known.csv", newline="") as f:
        return [row["instance"] for row in csv.DictReader(f)]


def best_known_s1(dataset: Path = DATASET) -> dict[str, float]:
    """S1 of each instance's best-known solution, as the dataset reports it."""
    with open(dataset / "best_known.csv", newline="") as f:
        return {row["instance"]: float(row["RoomAgeMix_raw"]) for row in csv.DictReader(f)}


def to_problem(instance: Mapping[str, Any], solution: Mapping[str, Any]
               ) -> tuple[roomalloc.Problem, dict[str, str | None]]:
    """The room-only problem of ``instance`` with admission days from ``solution``, and the
    solution's own rooms as an allocation of it (patients it postpones are left out)."""
    days = int(instance["days"])
    age = {name: i for i, name in enumerate(instance["age_groups"])}

    def stay(first: int, length: int) -> roomalloc.Interval:
        return roomalloc.Interval(start=DAY_ZERO + dt.timedelta(days=first),
                                  end=DAY_ZERO + dt.timedelta(days=min(first + length, days)))

    residents = [
        roomalloc.Resident(id=o["id"], gender=o["gender"], stay=stay(0, o["length_of_stay"]),
                           required=True, current_room=o["room_id"], locked=True,
                           attributes={"age_group": age[o["age_group"]]})
        for o in instance.get("occupants", [])
    ]
    admitted = {p["id"]: p for p in solution["patients"] if p["admission_day"] != "none"}
    allocation: dict[str, str | None] = {o.id: o.current_room for o in residents}
    for p in instance["patients"]:
        if p["id"] not in admitted:
            continue
        day = int(admitted[p["id"]]["admission_day"])
        residents.append(roomalloc.Resident(
            id=p["id"], gender=p["gender"], stay=stay(day, p["length_of_stay"]), required=True,
            excluded_rooms=tuple(p.get("incompatible_room_ids", ())),
            attributes={"age_group": age[p["age_group"]]}))
        allocation[p["id"]] = admitted[p["id"]]["room"]
    problem = roomalloc.Problem(
        rules=roomalloc.Rules(gender_mixing="forbid"),
        rooms=tuple(roomalloc.Room(id=r["id"], capacity=r["capacity"])
                    for r in instance["rooms"]),
        residents=tuple(residents),
        objective=(roomalloc.TermSpec(term=RoomAgeMix.name, weight=1),),
    )
    return problem, allocation


def load(name: str, dataset: Path = DATASET) -> tuple[roomalloc.Problem, dict[str, str | None]]:
    """:func:`to_problem` of the instance called ``name`` and its best-known solution."""
    instance = json.loads(instance_path(name, dataset).read_text())
    solution = json.loads(solution_path(name, dataset).read_text())
    return to_problem(instance, solution)
