"""Plain-text rendering of explanations, for people.

Example
-------
>>> from roomalloc.explanation.types import Breakdown, TermShare
>>> b = Breakdown("optimal", 1000.0, (TermShare("housed", "maximize", 1000, 1, 1000, 1.0),),
...               1000.0, 0.0, 0.0)
>>> print(breakdown_text(b))
objective 1000 (optimal; bound 1000, gap 0 = 0%)
  term     sense     weight  value  contribution   share
  housed   maximize    1000      1          1000  100.0%
"""

from __future__ import annotations

from .types import Breakdown, Price, ResidentExplanation, StabilityReport
from .words import join_words, number


def breakdown_text(b: Breakdown) -> str:
    """The objective line and one row per term."""
    head = f"objective {number(b.objective)} ({b.status}"
    if b.bound is not None and b.gap is not None and b.relative_gap is not None:
        head += f"; bound {number(b.bound)}, gap {number(b.gap)} = {number(100 * b.relative_gap)}%"
    head += ")"
    width = max([len("term")] + [len(t.term) for t in b.terms])
    rows = [
        f"  {'term':<{width}}  {'sense':<8}  {'weight':>6}  {'value':>5}  "
        f"{'contribution':>12}  {'share':>6}"
    ]
    for t in b.terms:
        rows.append(
            f"  {t.term:<{width}}  {t.sense:<8}  {number(t.weight):>6}  {number(t.value):>5}  "
            f"{number(t.contribution):>12}  {100 * t.share:>5.1f}%"
        )
    return "\n".join([head, *rows])


def price_text(p: Price) -> str:
    """One paragraph: what forcing the placement costs and who else moves."""
    if p.text:
        return p.text
    return f"placing {p.resident} in {p.room}: {p.status}"


def _listed(items: tuple[str, ...]) -> str:
    return join_words(list(items)) if items else "-"


def resident_text(e: ResidentExplanation) -> str:
    """The lines about one resident."""
    name = f"{e.resident} ({e.name})" if e.name else e.resident
    lines: list[str] = []
    if e.room is not None:
        best = (
            f" (the best their own rules allow is {number(e.best_score)})"
            if e.best_score is not None
            else ""
        )
        lines.append(f"{name}: room {e.room}, preference score {number(e.score or 0.0)}{best}")
    else:
        lines.append(f"{name}: not housed")
    if e.preferences_met or e.preferences_unmet:
        lines.append(
            f"  preferences met: {_listed(e.preferences_met)}; "
            f"not met: {_listed(e.preferences_unmet)}"
        )
    if e.roommates_met or e.roommates_unmet:
        lines.append(
            f"  roommates with: {_listed(e.roommates_met)}; not with: {_listed(e.roommates_unmet)}"
        )
    for reason in e.unhoused:
        lines.append(f"  why not housed: {reason.text}")
    if e.alternatives:
        housed = e.room is not None
        lines.append("  rooms they score higher:" if housed else "  best rooms their rules allow:")
        for alt in e.alternatives:
            lines.append(f"    {alt.room} (score {number(alt.score)}):")
            lines.extend(f"      - {r.text}" for r in alt.reasons)
            if alt.price is not None:
                lines.append(f"      - price: {price_text(alt.price)}")
    return "\n".join(lines)


def stability_text(s: StabilityReport) -> str:
    """A verdict line and one line per blocking swap or move."""
    if s.stable:
        return "stability: no resident would gain by a legal swap or by taking a free bed"
    n, m = len(s.swaps), len(s.moves)
    lines = [
        f"stability: {n} blocking swap{'s' if n != 1 else ''}, "
        f"{m} blocking move{'s' if m != 1 else ''}"
    ]
    lines += [f"  {x.text}" for x in s.swaps]
    lines += [f"  {x.text}" for x in s.moves]
    return "\n".join(lines)
