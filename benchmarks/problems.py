"""The problems a suite runs: synthetic cohorts by preset and size, and their sizes.

A *pure-assignment* problem is one whose best allocation is a min-cost flow: every room's
residents never interact (no stays, no gender mixing rule, no roommate wishes, no groups, no
private or avoid) and every objective term is a sum over (resident, room) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import roomalloc
from roomalloc.solver.candidates import allowed_matrix
from roomalloc.solver.scale.arrays import part_of

#: Knobs that turn the campus preset into a pure-assignment problem (see the module docstring).
PURE_ASSIGNMENT_KNOBS: dict[str, Any] = {
    "gender_mixing": "allow",
    "clique_share": 0.0,
    "one_sided_share": 0.0,
    "group_share": 0.0,
    "private_share": 0.0,
    "avoid_share": 0.0,
    "period_days": 0,
}

#: Terms whose value is a sum over (resident, room) pairs, plus a constant.
PAIRWISE_TERMS = frozenset({"housed", "preferences", "cost", "moves"})


@dataclass(frozen=True)
class ProblemSpec:
    """One synthetic problem: a preset at a size, with a seed and knob overrides.

    ``name`` is what tables and plots call it (``campus-300``, ``pure-10000``).
    """

    name: str
    preset: str
    residents: int
    seed: int = 1
    knobs: dict[str, Any] = field(default_factory=dict)

    def build(self) -> roomalloc.Problem:
        """The problem itself (the same spec gives the same problem, byte for byte)."""
        return roomalloc.cohort(residents=self.residents, seed=self.seed, preset=self.preset,
                                **self.knobs)


def synthetic(preset: str, residents: int, seed: int = 1) -> ProblemSpec:
    """A preset at a size; the preset ``pure`` is campus with :data:`PURE_ASSIGNMENT_KNOBS`."""
    if preset == "pure":
        return ProblemSpec(f"pure-{residents}", "campus", residents, seed,
                           dict(PURE_ASSIGNMENT_KNOBS))
    return ProblemSpec(f"{preset}-{residents}", preset, residents, seed)


def is_pure_assignment(problem: roomalloc.Problem) -> bool:
    """Whether the best allocation of ``problem`` is a min-cost flow (module docstring)."""
    terms = {spec.term for spec in problem.objective if spec.weight > 0}
    if not terms <= PAIRWISE_TERMS | {"roommates"}:
        return False
    if "roommates" in terms and any(r.roommates.want for r in problem.residents):
        return False
    if problem.rules.gender_mixing == "forbid" and len({r.gender for r in problem.residents}) > 1:
        return False
    return not any(
        r.stay is not None or r.group is not None or r.private or r.roommates.avoid
        for r in problem.residents
    )


@dataclass(frozen=True)
class ProblemSize:
    """How big a problem is: residents, rooms, beds and allowed (resident, room) pairs."""

    residents: int
    rooms: int
    beds: int
    pairs: int


#: Residents per block when counting pairs: the static rules of one resident and one room do
#: not depend on anyone else, so blocks keep the parent's memory at block x rooms.
_BLOCK = 2_000


def size_of(problem: roomalloc.Problem) -> ProblemSize:
    """The sizes reported beside every run (pairs: what the static rules allow)."""
    pairs = 0
    for first in range(0, len(problem.residents), _BLOCK):
        # Not model_copy: it validates, and a block names roommates outside it.
        block = part_of(problem, residents=problem.residents[first:first + _BLOCK])
        pairs += int(allowed_matrix(block).sum())
    return ProblemSize(
        residents=len(problem.residents),
        rooms=len(problem.rooms),
        beds=sum(k.capacity for k in problem.rooms),
        pairs=pairs,
    )
