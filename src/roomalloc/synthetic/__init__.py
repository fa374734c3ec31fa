"""Synthetic cohorts: realistic, reproducible allocation problems at any size.

:func:`cohort` makes a :class:`roomalloc.Problem` from a size, a seed, a preset and knob
overrides; the same arguments give the same problem byte for byte (``model_dump_json``) on any
machine with the same numpy major version. :data:`PRESETS` holds the named families,
:func:`stats` describes any problem, generated or not. See ``docs/synthetic.md``.

Example
-------
>>> from roomalloc.synthetic import cohort, stats
>>> p = cohort(residents=200, seed=7, preset="hostel")
>>> len(p.residents), p.rules.gender_mixing
(200, 'allow')
>>> cohort(residents=200, seed=7, preset="hostel") == p
True
>>> stats(p).residents
200
"""

from __future__ import annotations

from typing import Any

import numpy as np

from roomalloc.domain.model import Problem
from roomalloc.synthetic.assemble import assemble
from roomalloc.synthetic.knobs import KNOB_NAMES, FeatureSpec, Knobs, parse_knob
from roomalloc.synthetic.presets import PRESETS
from roomalloc.synthetic.residents import add_needs, add_preferences, make_people
from roomalloc.synthetic.rooms import make_rooms
from roomalloc.synthetic.social import add_social
from roomalloc.synthetic.stats import CohortStats, peak_demand, stats
from roomalloc.synthetic.witness import assign_hard_flags

#: Stages, each with its own random stream spawned from the seed: changing one stage's knobs
#: (say, preferences) leaves the draws of the others alone.
_STAGES = ("people", "social", "rooms", "needs", "preferences", "hard")


def knobs_for(preset: str = "campus", **overrides: Any) -> Knobs:
    """The knobs of ``preset`` with ``overrides`` applied and checked.

    >>> knobs_for("ward", required_share=0.2).required_share
    0.2
    >>> knobs_for("palace")
    Traceback (most recent call last):
    ...
    ValueError: unknown preset 'palace'; choose one of campus, staff_housing, hostel, ...
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    unknown = [k for k in overrides if k not in KNOB_NAMES]
    if unknown:
        raise ValueError(f"unknown knob(s) {', '.join(map(repr, unknown))}")
    knobs = PRESETS[preset].replace(**overrides)
    knobs.check()
    return knobs


def _generate(residents: int, seed: int, preset: str, knobs: dict[str, Any]
              ) -> tuple[Problem, dict[str, str | None]]:
    if residents < 0:
        raise ValueError(f"residents must be >= 0, got {residents}")
    k = knobs_for(preset, **knobs)
    streams = dict(zip(_STAGES, (np.random.default_rng(s) for s in
                                 np.random.SeedSequence(seed).spawn(len(_STAGES))), strict=True))
    labels = tuple(label for label, _ in k.genders)
    people = make_people(k, residents, streams["people"])
    max_capacity = max(i + 1 for i, share in enumerate(k.capacity_mix) if share > 0)
    add_social(k, people, max_capacity, streams["social"])
    demand = peak_demand(people.stay_start, people.stay_end)
    beds = max(1, round(k.supply_ratio * demand))
    rooms = make_rooms(k, beds, labels, streams["rooms"])
    add_needs(k, people, rooms, streams["needs"])
    add_preferences(k, people, rooms, streams["preferences"])
    place = assign_hard_flags(k, people, rooms, streams["hard"])
    problem = assemble(k, people, rooms, labels)
    witness = {r.id: rooms.ids[k] if k >= 0 else None
               for r, k in zip(problem.residents, place.tolist(), strict=True)}
    return problem, witness


def cohort(residents: int = 1000, seed: int = 0, preset: str = "campus",
           **knobs: Any) -> Problem:
    """A synthetic problem with ``residents`` residents, reproducible from ``seed``.

    ``preset`` picks a family (``campus``, ``staff_housing``, ``hostel``, ``ward``,
    ``reallocation``); keyword arguments override single knobs of :class:`Knobs`.
    With ``ensure_feasible`` (the default) the problem is feasible: see
    :func:`witness_allocation`.

    >>> p = cohort(residents=50, seed=3, preset="reallocation")
    >>> sum(r.locked for r in p.residents) > 0
    True
    >>> cohort(residents=50, seed=3, supply_ratio=2.0).rooms != p.rooms
    True
    """
    return _generate(residents, seed, preset, knobs)[0]


def cohort_and_witness(residents: int = 1000, seed: int = 0, preset: str = "campus",
                       **knobs: Any) -> tuple[Problem, dict[str, str | None]]:
    """``cohort(...)`` and ``witness_allocation(...)`` from one generation (half the work).

    >>> p, w = cohort_and_witness(residents=30, seed=1)
    >>> p == cohort(residents=30, seed=1) and set(w) == {r.id for r in p.residents}
    True
    """
    return _generate(residents, seed, preset, knobs)


def witness_allocation(residents: int = 1000, seed: int = 0, preset: str = "campus",
                       **knobs: Any) -> dict[str, str | None]:
    """The allocation that proves ``cohort(...)`` with the same arguments feasible.

    It houses every locked resident in their current room, every required resident, every
    group together and every incumbent in their current room, and nobody else; it satisfies
    every hard rule (a starting point or a baseline for solvers, not a good allocation).
    Empty of guarantees when ``ensure_feasible=False``: then it houses nobody.

    >>> from roomalloc import check
    >>> w = witness_allocation(residents=100, seed=2, preset="ward")
    >>> check(cohort(residents=100, seed=2, preset="ward"), w).ok
    True
    """
    return _generate(residents, seed, preset, knobs)[1]


__all__ = [
    "KNOB_NAMES",
    "PRESETS",
    "CohortStats",
    "FeatureSpec",
    "Knobs",
    "cohort",
    "cohort_and_witness",
    "knobs_for",
    "parse_knob",
    "stats",
    "witness_allocation",
]
