"""Compare two allocations: who moved, who became housed or unhoused, who is better or worse off.

``compare(problem, a, b)`` compares two results of one problem; ``problem_b=`` gives the edited
problem ``b`` was solved for (a what-if scenario), when it differs. Results do not carry their
problem, so it is always passed. Terms and objectives are recomputed with
:func:`roomalloc.evaluate` on each side's own problem; a resident's satisfaction is
``score / best`` (their preference score for their room over the best score any room their own
needs allow would give, :func:`roomalloc.verify.evaluation.best_scores`).

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=[Preference(room="B", weight=2)]),
...                        Resident(id="r2")])
>>> c = compare(p, {"r1": "A", "r2": None}, {"r1": "B", "r2": "A"})
>>> [(ch.resident, ch.change) for ch in c.changes]
[('r1', 'moved'), ('r2', 'housed')]
>>> c.better_off, c.terms["housed"]
(['r1'], (1.0, 2.0))
>>> print(c.to_text().splitlines()[0])
objective 1,000 -> 2,002 (+1,002)
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from roomalloc.domain.model import Problem, Result
from roomalloc.verify.evaluation import assignments_of, best_scores, evaluate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "ResidentChange", "compare"]

Change = Literal["moved", "housed", "unhoused", "added", "removed", "same room"]
Allocation = Result | Mapping[str, str | None]


@dataclass(frozen=True)
class ResidentChange:
    """One resident whose room or satisfaction differs between ``a`` and ``b``.

    ``change``: ``moved`` (housed in both, another room), ``housed`` / ``unhoused`` (in ``b``
    only / in ``a`` only), ``added`` / ``removed`` (in ``b``'s problem only / ``a``'s only),
    ``same room`` (their score changed, e.g. a scenario edited their wishes). ``score_*`` is the
    preference score of their room (``None`` when unhoused); ``satisfaction_*`` is score / best
    (``None`` when unhoused or when no allowed room scores above 0).
    """

    resident: str
    change: Change
    room_a: str | None
    room_b: str | None
    score_a: float | None
    score_b: float | None
    satisfaction_a: float | None
    satisfaction_b: float | None


@dataclass(frozen=True, repr=False)
class Comparison:
    """What differs between allocation ``a`` and allocation ``b`` (see :func:`compare`)."""

    objective: tuple[float, float]
    terms: dict[str, tuple[float, float]]
    changes: tuple[ResidentChange, ...]
    rooms_opened: tuple[str, ...]
    rooms_emptied: tuple[str, ...]
    rooms_used: tuple[int, int]

    def _who(self, change: Change) -> list[str]:
        return [c.resident for c in self.changes if c.change == change]

    @property
    def moved(self) -> list[str]:
        """Residents housed in both, in different rooms."""
        return self._who("moved")

    @property
    def newly_housed(self) -> list[str]:
        """Residents unhoused in ``a`` (or new in ``b``'s problem) and housed in ``b``."""
        return [c.resident for c in self.changes
                if c.room_b is not None and c.room_a is None]

    @property
    def newly_unhoused(self) -> list[str]:
        """Residents housed in ``a`` and unhoused in ``b`` (or gone from ``b``'s problem)."""
        return [c.resident for c in self.changes
                if c.room_a is not None and c.room_b is None]

    @property
    def better_off(self) -> list[str]:
        """Residents housed in both whose preference score rose."""
        return [c.resident for c in self.changes if _delta(c) > 0]

    @property
    def worse_off(self) -> list[str]:
        """Residents housed in both whose preference score fell."""
        return [c.resident for c in self.changes if _delta(c) < 0]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data."""
        return {
            "objective": {"a": self.objective[0], "b": self.objective[1],
                          "delta": self.objective[1] - self.objective[0]},
            "terms": {t: {"a": a, "b": b, "delta": b - a} for t, (a, b) in self.terms.items()},
            "rooms_used": {"a": self.rooms_used[0], "b": self.rooms_used[1]},
            "rooms_opened": list(self.rooms_opened),
            "rooms_emptied": list(self.rooms_emptied),
            "moved": self.moved,
            "newly_housed": self.newly_housed,
            "newly_unhoused": self.newly_unhoused,
            "better_off": self.better_off,
            "worse_off": self.worse_off,
            "changes": [asdict(c) for c in self.changes],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per changed resident (needs pandas: ``pip install 'roomalloc[tables]'``)."""
        import pandas as pd

        columns = list(ResidentChange.__dataclass_fields__)
        return pd.DataFrame([asdict(c) for c in self.changes], columns=columns)

    def terms_frame(self) -> pd.DataFrame:
        """One row per term with ``a``, ``b`` and ``delta`` (needs pandas)."""
        import pandas as pd

        rows = [{"term": t, "a": a, "b": b, "delta": b - a} for t, (a, b) in self.terms.items()]
        return pd.DataFrame(rows, columns=["term", "a", "b", "delta"])

    def to_text(self, limit: int = 10) -> str:
        """A plain-words summary, listing at most ``limit`` residents per kind of change."""
        a, b = self.objective
        lines = [f"objective {_num(a)} -> {_num(b)} ({_signed(b - a)})"]
        lines += [f"  {t}: {_num(x)} -> {_num(y)} ({_signed(y - x)})"
                  for t, (x, y) in self.terms.items() if x != y]
        lines.append(f"rooms used {self.rooms_used[0]} -> {self.rooms_used[1]}"
                     f" ({len(self.rooms_opened)} opened, {len(self.rooms_emptied)} emptied)")
        for title, who in (("moved", self.moved), ("newly housed", self.newly_housed),
                           ("newly unhoused", self.newly_unhoused),
                           ("better off", self.better_off), ("worse off", self.worse_off)):
            shown = ", ".join(who[:limit]) + (f", ... ({len(who) - limit} more)"
                                              if len(who) > limit else "")
            lines.append(f"{title}: {len(who)}" + (f" ({shown})" if who else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        a, b = self.objective
        return (f"<Comparison: objective {_num(a)} -> {_num(b)}, {len(self.moved)} moved, "
                f"{len(self.newly_housed)} newly housed, {len(self.newly_unhoused)} newly "
                "unhoused>")

    def _repr_html_(self) -> str:
        a, b = self.objective
        rows = [("objective", a, b)] + [(t, x, y) for t, (x, y) in self.terms.items()]
        body = "".join(
            f"<tr><td>{html.escape(t)}</td><td>{_num(x)}</td><td>{_num(y)}</td>"
            f"<td>{_signed(y - x)}</td></tr>" for t, x, y in rows)
        counts = "".join(
            f"<li>{title}: {len(who)}</li>"
            for title, who in (("moved", self.moved), ("newly housed", self.newly_housed),
                               ("newly unhoused", self.newly_unhoused),
                               ("better off", self.better_off), ("worse off", self.worse_off)))
        return ("<table><thead><tr><th>term</th><th>a</th><th>b</th><th>delta</th></tr>"
                f"</thead><tbody>{body}</tbody></table><ul>{counts}</ul>")


def compare(problem: Problem, a: Allocation, b: Allocation, *,
            problem_b: Problem | None = None) -> Comparison:
    """Compare allocation ``a`` (of ``problem``) with ``b`` (of ``problem_b``, default the same).

    ``a`` and ``b`` are :class:`roomalloc.Result` objects or ``{resident: room or None}`` maps.
    Residents only in one problem are ``added`` or ``removed``; terms are those either
    evaluation reports. See the module docstring for an example.
    """
    pb = problem if problem_b is None else problem_b
    ea, eb = evaluate(problem, a), evaluate(pb, b)
    xa, xb = assignments_of(a), assignments_of(b)
    best_a, best_b = best_scores(problem), best_scores(pb) if pb is not problem else None
    changes = []
    order = list(problem.residents_by_id) + [r for r in pb.residents_by_id
                                             if r not in problem.residents_by_id]
    for rid in order:
        ra, rb = problem.residents_by_id.get(rid), pb.residents_by_id.get(rid)
        ka = _room(problem, xa, rid) if ra is not None else None
        kb = _room(pb, xb, rid) if rb is not None else None
        sa = ra.score(problem.room(ka)) if ra is not None and ka is not None else None
        sb = rb.score(pb.room(kb)) if rb is not None and kb is not None else None
        kind: Change | None
        if ra is None:
            kind = "added"
        elif rb is None:
            kind = "removed"
        elif ka == kb:
            kind = "same room" if sa != sb else None
        elif ka is None:
            kind = "housed"
        elif kb is None:
            kind = "unhoused"
        else:
            kind = "moved"
        if kind is None:
            continue
        changes.append(ResidentChange(
            rid, kind, ka, kb, sa, sb,
            _ratio(sa, best_a.get(rid, 0.0)),
            _ratio(sb, (best_b if best_b is not None else best_a).get(rid, 0.0))))
    used_a = {k for k in xa.values() if k is not None and k in problem.rooms_by_id}
    used_b = {k for k in xb.values() if k is not None and k in pb.rooms_by_id}
    names = list(dict.fromkeys([*ea.terms, *eb.terms]))
    return Comparison(
        objective=(ea.objective, eb.objective),
        terms={t: (ea.terms.get(t, 0.0), eb.terms.get(t, 0.0)) for t in names},
        changes=tuple(changes),
        rooms_opened=tuple(sorted(used_b - used_a)),
        rooms_emptied=tuple(sorted(used_a - used_b)),
        rooms_used=(len(used_a), len(used_b)),
    )


def _room(problem: Problem, assignments: Mapping[str, str | None], rid: str) -> str | None:
    room = assignments.get(rid)
    return room if room is not None and room in problem.rooms_by_id else None


def _ratio(score: float | None, best: float) -> float | None:
    return None if score is None or best <= 0 else score / best


def _delta(c: ResidentChange) -> float:
    if c.change not in ("moved", "same room") or c.score_a is None or c.score_b is None:
        return 0.0
    return c.score_b - c.score_a


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"


def _signed(x: float) -> str:
    return ("+" if x > 0 else "") + _num(x)
