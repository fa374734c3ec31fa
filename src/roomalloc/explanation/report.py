"""The whole explanation of an allocation: breakdown, every resident, stability.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Result
>>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1"), Resident(id="r2")])
>>> ex = explain(p, Result(status="optimal", assignments={"r1": "A", "r2": None}))
>>> print(ex.to_text())  # doctest: +NORMALIZE_WHITESPACE
1 of 2 housed; the allocation is proven best
<BLANKLINE>
r1: room A
r2: not housed
  why not housed: the one room is taken during r2's stay: A (1 bed) is full on every night
    with r1
  why not housed: a tie: housing r2 in A instead of r1 would be exactly as good overall;
    the tie went to r1
<BLANKLINE>
nobody would gain by a legal swap or by taking a free bed
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from roomalloc.domain.errors import Issue, ProblemError, RoomallocError
from roomalloc.domain.model import Problem, Resident, Result, Room
from roomalloc.domain.validation import as_problem, as_result
from roomalloc.rules.base import Rule

from .breakdown import breakdown
from .price import Pricer
from .residents import ResidentExplainer
from .rooms import RoomTable
from .stability import stability
from .text import breakdown_text, resident_text, stability_text
from .types import Breakdown, Price, ResidentExplanation, StabilityReport, Summary
from .words import ENGLISH, Phrase, Phrasebook

# A stated objective this far from the allocation's is another allocation's (hand-edited).
_SAME = 1e-6


@dataclass(frozen=True)
class Explanation:
    """Why an allocation is what it is: the header, each resident, the objective's parts.

    ``residents`` maps resident id to :class:`ResidentExplanation` (every resident, or only the
    ones asked for); ``stability`` is None when it was not asked for; ``summary`` is the header
    as data (housed, first choices, proof, broken rules).
    """

    breakdown: Breakdown
    residents: dict[str, ResidentExplanation]
    stability: StabilityReport | None
    summary: Summary | None = None

    def header_text(self, language: Phrasebook = ENGLISH) -> str:
        """The header: broken rules first (if any), then housed, first choices and proof."""
        if self.summary is None:
            return ""
        lines = []
        if self.summary.violations:
            lines.append(language.say("header_broken", n=len(self.summary.violations)))
            lines += [f"  - {v}" for v in self.summary.violations]
        lines.append("; ".join(language.render(p) for p in self.summary.phrases))
        return "\n".join(lines)

    def to_text(
        self, resident: str | None = None, *, language: Phrasebook = ENGLISH,
        verbose: bool = False,
    ) -> str:
        """Readable text for people; with ``resident``, only that resident's part.

        ``language`` is the phrasebook to speak (English by default); ``verbose`` adds the
        table of objective terms and, per resident, every room they like better.
        """
        if resident is not None:
            return resident_text(self.residents[resident], language, verbose=verbose)
        parts = [self.header_text(language)]
        if verbose:
            parts.append(breakdown_text(self.breakdown))
        parts.append("")
        parts += [resident_text(e, language, verbose=verbose) for e in self.residents.values()]
        if self.stability is not None:
            parts += ["", stability_text(self.stability, language)]
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for housing systems (with the table of terms, ``breakdown``)."""
        return {
            "summary": self.summary.to_dict() if self.summary is not None else None,
            "breakdown": self.breakdown.to_dict(),
            "residents": {k: v.to_dict() for k, v in self.residents.items()},
            "stability": self.stability.to_dict() if self.stability is not None else None,
        }

    def to_frame(
        self, what: Literal["residents", "wishes", "reasons", "terms"] = "residents"
    ) -> Any:
        """A table (needs pandas): see :func:`roomalloc.tables.explanation_frame`."""
        from roomalloc.tables.write import explanation_frame

        return explanation_frame(self, what)

    # Notebook and REPL display (roomalloc.display builds both).
    def __repr__(self) -> str:
        from roomalloc.display import explanation_repr

        return explanation_repr(self)

    def _repr_html_(self) -> str:
        from roomalloc.display import explanation_html

        return explanation_html(self)


def summarize(problem: Problem, result: Result, objective: float) -> Summary:
    """The header of ``result``: counts, first choices, and what is proven about it."""
    from roomalloc.verify.verifier import check

    assignments = result.assignments
    report = check(problem, dict(assignments))
    broken = tuple(v.message for v in report.violations)
    table = RoomTable(problem)
    housed = with_wishes = first = 0
    for r in problem.residents:
        room = assignments.get(r.id)
        if room is None or room not in table.index:
            continue
        housed += 1
        scores = table.scores(r)
        allowed = table.allowed(table.own_rule_masks(r))
        best = float(scores[allowed].max()) if allowed.any() else 0.0
        if best <= 0:
            continue
        with_wishes += 1
        first += int(scores[table.index[room]] >= best - 1e-9)
    stated = result.objective
    same = stated is None or abs(stated - objective) <= _SAME * max(1.0, abs(objective))
    trusted = not broken and same
    proven = trusted and result.status == "optimal"
    gap = None
    if trusted and not proven and result.bound is not None:
        gap = max(0.0, result.bound - objective) / max(1.0, abs(result.bound))
    phrases = [Phrase("header_housed", {"housed": housed, "total": len(problem.residents)})]
    if with_wishes:
        key = "header_first"
        if with_wishes == 1:
            key = "header_first_one" if first else "header_first_none"
        elif first == with_wishes:
            key = "header_first_all"
        phrases.append(Phrase(key, {"n": first, "with_wishes": with_wishes}))
    if not broken:
        if proven:
            phrases.append(Phrase("header_optimal"))
        elif gap is not None:
            phrases.append(Phrase("header_gap", {"gap": round(100 * gap, 3 if gap < 0.001
                                                               else 1)}))
        else:
            phrases.append(Phrase("header_unproven"))
    return Summary(housed, len(problem.residents), first, with_wishes, proven, gap,
                   broken, tuple(phrases))


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
            "explain; roomalloc.diagnose(problem) says why an infeasible problem cannot be solved"
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
    parts = breakdown(problem, result, explainer.meter)
    return Explanation(
        breakdown=parts,
        residents=per_resident,
        stability=report,
        summary=summarize(problem, result, parts.objective),
    )
