"""How problems, results, check reports and explanations show in a notebook and a REPL.

Every ``_repr_html_`` and short ``__repr__`` of those classes is built here, from the object
alone, in plain HTML (no pandas, no styling library): a few summary tables — counts, status,
bound and gap, the objective's terms, the worst-served residents — never a wall of JSON.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Result
>>> p = Problem(rooms=[Room(id="A", capacity=2)], residents=[Resident(id="r1")])
>>> problem_repr(p)
'Problem(1 room, 2 beds, 1 resident; objective housed×1000 + preferences×1 + roommates×2)'
>>> result_repr(Result(status="optimal", assignments={"r1": "A"}, objective=1000.0,
...                    bound=1000.0))
"Result(status='optimal', objective=1000, bound=1000, gap 0%, 1 of 1 housed)"
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from roomalloc.domain.model import Problem, Result
    from roomalloc.explanation.report import Explanation
    from roomalloc.verify.verifier import CheckReport

__all__ = [
    "check_html",
    "check_repr",
    "explanation_html",
    "explanation_repr",
    "problem_html",
    "problem_repr",
    "result_html",
    "result_repr",
]

#: How many rows a table shows before it says "… and N more".
ROWS = 10
#: How many of the worst-served residents an explanation shows.
WORST = 5


def _n(value: float | None) -> str:
    """A number as people write it: ``3`` not ``3.0``, all the digits of a large objective."""
    if value is None:
        return "–"
    return f"{value:.8g}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _gap_text(objective: float | None, bound: float | None) -> str:
    if objective is None or bound is None:
        return "–"
    gap = max(0.0, bound - objective) / max(1.0, abs(bound))
    return f"{gap:.2%}".replace(".00%", "%")


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, limit: int = ROWS) -> str:
    rows = list(rows)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
        for row in rows[:limit]
    )
    more = ""
    if len(rows) > limit:
        more = (f'<tr><td colspan="{len(header)}"><i>… and {len(rows) - limit} more</i>'
                "</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}{more}</tbody></table>"


def _facts(pairs: Iterable[tuple[str, Any]]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in pairs)
    return f'<table style="text-align:left"><tbody>{rows}</tbody></table>'


def _box(title: str, *parts: str) -> str:
    return (f'<div class="roomalloc"><b>{escape(title)}</b>'
            + "".join(f'<div style="margin-top:0.4em">{p}</div>' for p in parts) + "</div>")


# -- Problem ------------------------------------------------------------------------------------


def _objective_text(problem: Problem) -> str:
    return " + ".join(f"{s.term}×{_n(s.weight)}" for s in problem.objective) or "nothing"


def problem_repr(problem: Problem) -> str:
    """``Problem(8 rooms, 14 beds, 15 residents; objective housed×1000 + …)``."""
    beds = sum(k.capacity for k in problem.rooms)
    return (f"Problem({_plural(len(problem.rooms), 'room')}, {_plural(beds, 'bed')}, "
            f"{_plural(len(problem.residents), 'resident')}; "
            f"objective {_objective_text(problem)})")


def problem_html(problem: Problem) -> str:
    """Counts of rooms, beds and residents, beds per building, and the objective's terms.

    >>> from roomalloc.examples import load_example
    >>> "<td>14</td>" in problem_html(load_example("campus_small"))
    True
    """
    from roomalloc.terms import get_term

    residents = problem.residents
    groups = {r.group for r in residents if r.group is not None}
    facts = _facts([
        ("rooms", len(problem.rooms)),
        ("beds", sum(k.capacity for k in problem.rooms)),
        ("residents", len(residents)),
        ("with a stay", sum(1 for r in residents if r.stay is not None)),
        ("required", sum(1 for r in residents if r.required)),
        ("locked", sum(1 for r in residents if r.locked)),
        ("groups", len(groups)),
        ("gender mixing", problem.rules.gender_mixing),
    ])
    beds: Counter[str] = Counter()
    rooms: Counter[str] = Counter()
    for k in problem.rooms:
        beds[k.building or "(no building)"] += k.capacity
        rooms[k.building or "(no building)"] += 1
    buildings = _table(["building", "rooms", "beds"],
                       [(b, rooms[b], beds[b]) for b in sorted(beds)])
    terms = _table(["term", "weight", "sense"],
                   [(s.term, _n(s.weight), _sense(get_term, s.term)) for s in problem.objective])
    return _box(problem_repr(problem), facts, buildings, terms)


def _sense(get_term: Any, name: str) -> str:
    try:
        return str(get_term(name).sense)
    except Exception:  # an unregistered custom term: the problem still shows
        return "?"


# -- Result -------------------------------------------------------------------------------------


def result_repr(result: Result) -> str:
    """``Result(status='optimal', objective=…, bound=…, gap 0%, 14 of 15 housed)``."""
    housed = sum(1 for k in result.assignments.values() if k is not None)
    parts = [f"status={result.status!r}"]
    if result.objective is not None:
        parts.append(f"objective={_n(result.objective)}")
    if result.bound is not None:
        parts.append(f"bound={_n(result.bound)}")
        parts.append(f"gap {_gap_text(result.objective, result.bound)}")
    if result.assignments:
        parts.append(f"{housed} of {len(result.assignments)} housed")
    return f"Result({', '.join(parts)})"


def result_html(result: Result) -> str:
    """Status, objective, bound and gap, how many are housed, and each term's raw value.

    >>> from roomalloc import Result
    >>> html = result_html(Result(status="feasible", assignments={"r1": None}, objective=0.0))
    >>> "<td>0 of 1</td>" in html
    True
    """
    housed = sum(1 for k in result.assignments.values() if k is not None)
    facts = _facts([
        ("status", result.status),
        ("objective", _n(result.objective)),
        ("bound", _n(result.bound)),
        ("gap", _gap_text(result.objective, result.bound)),
        ("housed", f"{housed} of {len(result.assignments)}"),
        ("solve time", f"{result.solve_seconds:.2f} s"),
    ])
    parts = [facts]
    if result.terms:
        parts.append(_table(["term", "raw value"],
                            [(t, _n(v)) for t, v in result.terms.items()]))
    if result.diagnosis:
        parts.append(_table(["why it cannot be solved"], [(line,) for line in result.diagnosis]))
    return _box(result_repr(result), *parts)


# -- CheckReport --------------------------------------------------------------------------------


def check_repr(report: CheckReport) -> str:
    """``CheckReport(ok=True, objective=…)`` or ``CheckReport(ok=False, capacity×2, needs×1)``."""
    if report.ok:
        objective = f", objective={_n(report.objective)}" if report.objective is not None else ""
        return f"CheckReport(ok=True{objective})"
    counts = Counter(v.rule for v in report.violations)
    return "CheckReport(ok=False, " + ", ".join(f"{r}×{n}" for r, n in counts.items()) + ")"


def check_html(report: CheckReport) -> str:
    """The verdict, each violation (rule, room, night, residents, words) and the terms.

    >>> from roomalloc import Problem, Room, Resident, check
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="r1"), Resident(id="r2")])
    >>> "<td>capacity</td>" in check_html(check(p, {"r1": "A", "r2": "A"}))
    True
    """
    parts = []
    if report.violations:
        parts.append(_table(
            ["rule", "room", "night", "residents", "what"],
            [(v.rule, v.room or "", v.night.isoformat() if v.night else "",
              ", ".join(v.residents), v.message) for v in report.violations],
        ))
    else:
        parts.append("every hard rule holds")
    if report.objective is not None:
        parts.append(_table(["term", "value"], [(t, _n(v)) for t, v in report.terms.items()]
                            + [("objective", _n(report.objective))]))
    return _box(check_repr(report), *parts)


# -- Explanation --------------------------------------------------------------------------------


def explanation_repr(explanation: Explanation) -> str:
    """``Explanation(objective 1000 (optimal), 15 residents, 1 unhoused, stable)``."""
    b = explanation.breakdown
    unhoused = sum(1 for e in explanation.residents.values() if e.room is None)
    parts = [f"objective {_n(b.objective)} ({b.status})",
             _plural(len(explanation.residents), "resident"), f"{unhoused} unhoused"]
    s = explanation.stability
    if s is not None:
        parts.append("stable" if s.stable else
                     f"{_plural(len(s.swaps), 'blocking swap')}, "
                     f"{_plural(len(s.moves), 'blocking move')}")
    return f"Explanation({', '.join(parts)})"


def explanation_html(explanation: Explanation) -> str:
    """The term breakdown with bound and gap, the worst-served residents, stability.

    >>> from roomalloc import Problem, Room, Resident, Result, explain
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1"),
    ...                                                          Resident(id="r2")])
    >>> html = explanation_html(explain(p, Result(status="optimal",
    ...                                           assignments={"r1": "A", "r2": None})))
    >>> "<td>r2</td>" in html and "<td>housed</td>" in html
    True
    """
    b = explanation.breakdown
    head = _facts([("status", b.status), ("objective", _n(b.objective)),
                   ("bound", _n(b.bound)), ("gap", _gap_text(b.objective, b.bound))])
    terms = _table(["term", "sense", "weight", "value", "contribution", "share"],
                   [(t.term, t.sense, _n(t.weight), _n(t.value), _n(t.contribution),
                     f"{t.share:.0%}") for t in b.terms])
    parts = [head, terms]
    unhoused = [e for e in explanation.residents.values() if e.room is None]
    if unhoused:
        parts.append(_table(["unhoused", "why not"],
                            [(e.resident, e.unhoused[0].text if e.unhoused else "")
                             for e in unhoused]))
    housed = [e for e in explanation.residents.values()
              if e.room is not None and e.score is not None and (e.best_score or 0) > 0]
    housed.sort(key=lambda e: (e.score or 0.0) / (e.best_score or 1.0))
    worst = [e for e in housed if (e.score or 0.0) < (e.best_score or 0.0)][:WORST]
    if worst:
        parts.append(_table(
            ["worst served", "room", "score", "best", "a better room", "why not there"],
            [(e.resident, e.room, _n(e.score), _n(e.best_score),
              e.alternatives[0].room if e.alternatives else "",
              e.alternatives[0].reasons[0].text if e.alternatives and e.alternatives[0].reasons
              else "") for e in worst],
            limit=WORST,
        ))
    s = explanation.stability
    if s is not None:
        parts.append("stable: nobody gains by a legal swap or a free bed" if s.stable else
                     _table(["blocking", "what"],
                            [("swap", w.text) for w in s.swaps]
                            + [("move", m.text) for m in s.moves]))
    return _box(explanation_repr(explanation), *parts)
