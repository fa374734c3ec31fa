"""Plain-text rendering of explanations, for people, in a phrasebook's language.

The plain text speaks housing: rooms, nights, wishes, requirements, people. The table of
objective terms is for the verbose form only (:func:`breakdown_text`).

Example
-------
>>> from roomalloc.explanation.types import Breakdown, TermShare
>>> b = Breakdown("optimal", 1000.0, (TermShare("housed", "maximize", 1000, 1, 1000, 1.0),),
...               1000.0, 0.0, 0.0)
>>> print(breakdown_text(b))
objective 1,000 (optimal; bound 1,000, gap 0 = 0%)
  term     sense     weight  value  contribution   share
  housed   maximize   1,000      1         1,000  100.0%
"""

from __future__ import annotations

from .types import Breakdown, Price, ResidentExplanation, StabilityReport
from .words import ENGLISH, Phrase, Phrasebook, number


def breakdown_text(b: Breakdown) -> str:
    """The objective line and one row per term (the verbose, technical table)."""
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


def price_text(p: Price, language: Phrasebook = ENGLISH) -> str:
    """One sentence: what forcing the placement would cost and who else would change rooms."""
    if p.phrase is not None:
        return language.render(p.phrase)
    return p.text or f"placing {p.resident} in {p.room}: {p.status}"


def resident_text(
    e: ResidentExplanation, language: Phrasebook = ENGLISH, *, verbose: bool = False
) -> str:
    """The lines about one resident: their room, each wish and why an unmet one is unmet."""
    name = f"{e.resident} ({e.name})" if e.name else e.resident
    say = language.say
    lines: list[str] = []
    if e.room is not None:
        lines.append(say("line_housed", who=name, room=e.room))
        if e.best_score is not None and any(w.kind == "room" for w in e.wishes):
            lines.append("  " + say("line_score", score=e.score or 0.0, best=e.best_score))
    else:
        lines.append(say("line_unhoused", who=name))
    for reason in e.unhoused:
        lines.append("  " + say("line_why_unhoused", why=reason.in_words(language)))
    for wish in e.wishes:
        key = "line_met" if wish.met else "line_unmet"
        lines.append("  " + say(key, wish=wish.in_words(language)))
        for reason in wish.reasons:
            lines.append("    " + say("line_why", why=reason.in_words(language)))
    show = verbose or any(a.price is not None for a in e.alternatives)
    if show:
        for alt in e.alternatives:
            lines.append("  " + say("line_better", room=alt.room, score=alt.score))
            lines.extend(f"    - {r.in_words(language)}" for r in alt.reasons)
            if alt.price is not None:
                lines.append("    - " + say("line_price", price=price_text(alt.price, language)))
    return "\n".join(lines)


def stability_text(s: StabilityReport, language: Phrasebook = ENGLISH) -> str:
    """A verdict line and one line per blocking swap or move."""
    if s.stable:
        return language.say("stable")
    lines = [language.say("unstable", swaps=Phrase("swaps_n", {"n": len(s.swaps)}),
                          moves=Phrase("moves_n", {"n": len(s.moves)}))]
    lines += [f"  {language.render(x.phrase) if x.phrase else x.text}" for x in s.swaps]
    lines += [f"  {language.render(x.phrase) if x.phrase else x.text}" for x in s.moves]
    return "\n".join(lines)
