"""The whole explanation of an allocation: breakdown, every resident, stability.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Result
>>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1"), Resident(id="r2")])
>>> ex = explain(p, Result(status="optimal", assignments={"r1": "A", "r2": None}))
>>> print(ex.residents["r2"].unhoused[0].text)  # doctest: +NORMALIZE_WHITESPACE
every bed r2's own rules allow is taken or barred: of the 1 room their rules allow,
1 are full during the stay; e.g. A is taken by r1 (priority 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from roomalloc.errors import Issue, ProblemError, RoomallocError
from roomalloc.model import Problem, Resident, Result, Room
from roomalloc.rules.base import Rule
from roomalloc.validation import as_problem, as_result

from .breakdown import breakdown
from .price import Pricer
from .residents import ResidentExplainer
from .stability import stability
from .text import breakdown_text, resident_text, stability_text
from .types import Breakdown, Price, ResidentExplanation, StabilityReport


@dataclass(frozen=True)
class Explanation:
    """Why an allocation is what it is: the objective's parts, each resident, stability.

    ``residents`` maps resident id to :class:`ResidentExplanation` (every resident, or only the
    ones asked for); ``stability`` is None when it was not asked for.
    """

    breakdown: Breakdown
    residents: dict[str, ResidentExplanation]
    stability: StabilityReport | None

    def to_text(self, resident: str | None = None) -> str:
        """Readable text for people; with ``resident``, only that resident's part."""
        if resident is not None:
            return resident_text(self.residents[resident])
        parts = [breakdown_text(self.breakdown), ""]
        parts += [resident_text(e) for e in self.residents.values()]
        if self.stability is not None:
            parts += ["", stability_text(self.stability)]
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for housing systems."""
        return {
            "breakdown": self.breakdown.to_dict(),
            "residents": {k: v.to_dict() for k, v in self.residents.items()},
            "stability": self.stability.to_dict() if self.stability is not None else None,
        }


def _known_ids(problem: Problem, assignments: Mapping[str, str | None]) -> None:
    """Every id the allocation names is the problem's, or one error lists every stranger."""
    issues = []
    for rid, room in assignments.items():
        if rid not in problem.residents_by_id:
            issues.append(Issue(f"assignments.{rid}", f"{rid!r} is not a resident of the problem"))
        elif room is not None and room not in problem.rooms_by_id:
            issues.append(Issue(f"assignments.{rid}", f"{room!r} is not a room of the problem"))
    if issues:
        raise ProblemError(issues, what="result")


def explain(
    problem: Problem,
    result: Result | Mapping[str, str | None],
    *,
    residents: Iterable[str] | None = None,
    alternatives: int = 3,
    price_alternatives: bool = False,
    with_stability: bool = True,
    rules: Sequence[Rule] = (),
    time_limit: float = 10.0,
    workers: int = 1,
) -> Explanation:
    """Explain ``result`` (a :class:`Result` or an assignments mapping) of ``problem``.

    ``residents`` limits the per-resident part to those ids (default: everyone).
    ``alternatives`` is how many of the rooms a resident scores higher than their own are
    explained. With ``price_alternatives`` each of those rooms that the resident's own rules
    allow is priced by a re-solve with that placement forced (``time_limit`` seconds each),
    which is slow: off by default, meant for a few residents at a time.
    """
    problem, result = as_problem(problem), as_result(result)  # mistakes: a ProblemError
    if result.status in ("infeasible", "unknown"):
        raise RoomallocError(
            f"the result has status {result.status} and no allocation, so there is nothing to "
            "explain; roomalloc.explain.diagnose says why an infeasible problem cannot be solved"
        )
    assignments = dict(result.assignments)
    _known_ids(problem, assignments)
    pricer = None
    if price_alternatives:
        shared = Pricer(problem, result, rules=rules, time_limit=time_limit, workers=workers)

        def pricer(resident: Resident, room: Room) -> Price:
            return shared.price(resident.id, room.id)

    explainer = ResidentExplainer(
        problem, assignments, rules=rules, alternatives=alternatives, pricer=pricer
    )
    wanted = list(residents) if residents is not None else [r.id for r in problem.residents]
    per_resident = {rid: explainer.explain(problem.resident(rid)) for rid in wanted}
    report = stability(problem, assignments, rules=rules) if with_stability else None
    return Explanation(
        breakdown=breakdown(problem, result, explainer.meter),
        residents=per_resident,
        stability=report,
    )
