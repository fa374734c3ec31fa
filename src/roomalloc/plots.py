"""Pictures of an allocation, each a function that returns a matplotlib ``Figure``.

matplotlib is the optional extra ``roomalloc[plot]``, imported only when a function here is
called. Nothing is shown or saved: a notebook displays the returned figure, a script calls
``fig.savefig("occupancy.png")``.

- :func:`plot_occupancy`: beds used and free, by building and floor.
- :func:`plot_satisfaction`: each housed resident's score as a share of the best their own
  rules allow, by group (a column of :func:`roomalloc.tables.result_frame`, or an attribute).
- :func:`plot_terms`: the objective's terms, their weighted contributions.
- :func:`plot_occupancy_over_time`: beds taken on each night, when residents have stays.
- :func:`plot_progress`: a solve's objective and bound over time, from a
  :class:`roomalloc.progress.ProgressRecorder`.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Result
>>> p = Problem(rooms=[Room(id="A", building="North", capacity=2)],
...             residents=[Resident(id="r1")])
>>> fig = plot_occupancy(p, Result(status="optimal", assignments={"r1": "A"}))
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['North · floor 0']
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from roomalloc.domain.errors import RoomallocError
from roomalloc.domain.model import Problem, Result
from roomalloc.verify.evaluation import best_scores, evaluate

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from roomalloc.progress import ProgressRecorder

__all__ = [
    "plot_occupancy",
    "plot_occupancy_over_time",
    "plot_progress",
    "plot_satisfaction",
    "plot_terms",
]

_USED, _FREE, _BOUND = "#2b6cb0", "#d9e2ec", "#c05621"
_GROUPINGS = ("building", "floor", "group", "gender")


@functools.cache
def _figure_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise RoomallocError("plots need matplotlib: pip install 'roomalloc[plot]'") from None

    class ShownFigure(Figure):
        """A Figure that shows itself in a notebook without pyplot (no global figure state)."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return ShownFigure


def _figure(width: float, height: float) -> Figure:
    return _figure_class()(figsize=(width, height), layout="constrained")


def plot_occupancy(problem: Problem, result: Result) -> Figure:
    """Beds used and free in each building and floor (horizontal stacked bars).

    A bed counts as used when some resident is placed in its room (for residents with stays,
    the beds taken on the busiest night: see :func:`plot_occupancy_over_time` for each night).

    >>> from roomalloc import Problem, Room, Resident, Result
    >>> p = Problem(rooms=[Room(id="A", capacity=3)], residents=[Resident(id="r1")])
    >>> fig = plot_occupancy(p, Result(status="optimal", assignments={"r1": "A"}))
    >>> [float(b.get_width()) for b in fig.axes[0].patches]
    [1.0, 2.0]
    """
    used_in_room = _peak_use(problem, result)
    beds: Counter[tuple[str, int]] = Counter()
    used: Counter[tuple[str, int]] = Counter()
    for room in problem.rooms:
        key = (room.building, room.floor)
        beds[key] += room.capacity
        used[key] += min(room.capacity, used_in_room.get(room.id, 0))
    keys = sorted(beds, reverse=True)  # the first building's ground floor ends on top
    labels = [f"{b or '(no building)'} · floor {f}" for b, f in keys]
    fig = _figure(7, 0.9 + 0.38 * len(keys))
    ax = fig.add_subplot()
    taken = [float(used[k]) for k in keys]
    free = [float(beds[k] - used[k]) for k in keys]
    ax.barh(labels, taken, color=_USED, label="used")
    ax.barh(labels, free, left=taken, color=_FREE, label="free")
    for y, (t, f) in enumerate(zip(taken, free, strict=True)):
        ax.text(t + f + 0.1, y, f"{t:g}/{t + f:g}", va="center", fontsize=8)
    ax.set_xlabel("beds")
    total_used, total = sum(taken), sum(taken) + sum(free)
    ax.set_title(f"Occupancy: {total_used:g} of {total:g} beds used")
    ax.set_xlim(0, max((t + f for t, f in zip(taken, free, strict=True)), default=1) * 1.15)
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _peak_use(problem: Problem, result: Result) -> dict[str, int]:
    """Residents in each room on its busiest night (all of them when nobody has a stay)."""
    by_room: dict[str, list[Any]] = defaultdict(list)
    for r in problem.residents:
        room = result.assignments.get(r.id)
        if room is not None:
            by_room[room].append(r)
    peak: dict[str, int] = {}
    for room, residents in by_room.items():
        if any(r.stay is None for r in residents) or len(residents) <= 1:
            peak[room] = len(residents)
            continue
        events = sorted([(r.stay.start, 1) for r in residents]
                        + [(r.stay.end, -1) for r in residents])
        now = best = 0
        for _, step in events:  # an end sorts before a start on the same day: half-open stays
            now += step
            best = max(best, now)
        peak[room] = best
    return peak


def plot_satisfaction(problem: Problem, result: Result, by: str | None = "building") -> Figure:
    """Each housed resident's score / best score, as a box per group.

    ``by`` is a column of :func:`roomalloc.tables.result_frame` (``building``, ``group``,
    ``floor``) or a resident attribute (``department``); ``None`` makes one box. Residents whose
    best score is 0 (no positive wish any room can meet) are left out; the unhoused are counted
    in the title.

    >>> from roomalloc import Problem, Room, Resident, Result, Preference
    >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="r1", preferences=(Preference(room="A", weight=2),
    ...                                                       Preference(room="B", weight=1)))])
    >>> fig = plot_satisfaction(p, Result(status="feasible", assignments={"r1": "B"}), by=None)
    >>> fig.axes[0].get_title()
    'Satisfaction: score / best score (1 resident)'
    """
    attributes = {name for r in problem.residents for name in r.attributes}
    if by is not None and by not in _GROUPINGS and by not in attributes:
        raise ValueError(f"by must be one of {', '.join(_GROUPINGS)}, a resident attribute "
                         f"({', '.join(sorted(attributes)) or 'there are none'}) or None, "
                         f"not {by!r}")
    best = best_scores(problem)
    groups: dict[str, list[float]] = defaultdict(list)
    unhoused = 0
    for r in problem.residents:
        room_id = result.assignments.get(r.id)
        if room_id is None:
            unhoused += 1
            continue
        if best.get(r.id, 0.0) <= 0:
            continue
        room = problem.room(room_id)
        value = _group_of(r, room, by)
        groups[value].append(r.score(room) / best[r.id])
    names = sorted(groups)
    counted = sum(len(v) for v in groups.values())
    fig = _figure(7, 3.6)
    ax = fig.add_subplot()
    if names:
        ax.boxplot([groups[n] for n in names],
                   tick_labels=[f"{n}\n({len(groups[n])})" for n in names], showmeans=True,
                   medianprops={"color": "black"},
                   meanprops={"marker": "D", "markerfacecolor": _BOUND, "markeredgecolor": _BOUND})
        for i, n in enumerate(names, start=1):
            ax.scatter([i + 0.18] * len(groups[n]), groups[n], s=8, alpha=0.35, color=_USED)
    ax.set_ylim(-0.05, 1.08)
    ax.set_ylabel("score / best score")
    if by is not None:
        ax.set_xlabel(by)
    title = f"Satisfaction: score / best score ({counted} resident{'s' if counted != 1 else ''})"
    if unhoused:
        title += f"; {unhoused} unhoused"
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _group_of(resident: Any, room: Any, by: str | None) -> str:
    if by is None:
        return "all"
    if by in ("building", "floor"):
        return str(getattr(room, by)) or "(none)"
    if by in ("group", "gender"):
        return str(getattr(resident, by) or "(none)")
    if by in resident.attributes:
        return str(resident.attributes[by])
    return "(none)"


def plot_terms(problem: Problem, result: Result) -> Figure:
    """The objective's terms: each one's weighted contribution (maximised up, minimised down).

    >>> from roomalloc import Problem, Room, Resident, Result
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> fig = plot_terms(p, Result(status="optimal", assignments={"r1": "A"}))
    >>> [float(b.get_width()) for b in fig.axes[0].patches]
    [1000.0, 0.0, 0.0]
    """
    ev = evaluate(problem, result)
    names = list(ev.contributions)
    values = [ev.contributions[n] for n in names]
    weights: dict[str, float] = defaultdict(float)
    for spec in problem.objective:
        weights[spec.term] += spec.weight
    fig = _figure(7, 0.9 + 0.42 * len(names))
    ax = fig.add_subplot()
    labels = [f"{n} (×{weights[n]:g}, value {ev.terms[n]:g})" for n in names]
    ax.barh(labels, values, color=[_USED if v >= 0 else _BOUND for v in values])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.6)
    span = max((abs(v) for v in values), default=1.0) or 1.0
    low = min(0.0, min(values, default=0.0))
    high = max(0.0, max(values, default=0.0))
    small = min((abs(v) for v in values if v), default=span)
    logarithmic = span / small > 50  # one term dwarfs the others: a log scale shows them all
    for y, v in enumerate(values):
        x = v * 1.2 if logarithmic else v + (0.01 * span if v >= 0 else -0.01 * span)
        ax.text(x, y, f"{v:+,.6g}", va="center", ha="left" if v >= 0 else "right", fontsize=8)
    xlabel = "contribution to the objective (weight × value)"
    if logarithmic:
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlim(-span * 8 if low < 0 else 0, span * 8 if high > 0 else 1)
        xlabel += ", symmetric log scale"
    else:
        ax.set_xlim(low - 0.25 * span * (low < 0), high + 0.25 * span)
    ax.set_xlabel(xlabel)
    ax.set_title(f"Objective {ev.objective:,.6g}: the terms")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_occupancy_over_time(problem: Problem, result: Result) -> Figure:
    """Beds taken on each night, against the beds open (rooms closed for a night count as shut).

    Residents without a stay take their bed on every night shown. Raises ``ValueError`` when no
    resident has a stay (there is no time to plot).

    >>> import datetime as dt
    >>> from roomalloc import Problem, Room, Resident, Result, Interval
    >>> p = Problem(rooms=[Room(id="A", capacity=2)],
    ...             residents=[Resident(id="r1", stay=Interval(start=dt.date(2026, 9, 1),
    ...                                                       end=dt.date(2026, 9, 3)))])
    >>> fig = plot_occupancy_over_time(p, Result(status="optimal", assignments={"r1": "A"}))
    >>> [int(y) for y in fig.axes[0].lines[0].get_ydata()]
    [1, 1, 0]
    """
    stays = [r.stay for r in problem.residents if r.stay is not None]
    if not stays:
        raise ValueError("no resident has a stay: occupancy does not change over time")
    first = min(s.start for s in stays)
    last = max(s.end for s in stays)
    nights = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    index = {night: i for i, night in enumerate(nights)}
    delta = [0] * (len(nights) + 1)
    for r in problem.residents:
        if result.assignments.get(r.id) is None:
            continue
        start, end = (r.stay.start, r.stay.end) if r.stay is not None else (first, last)
        delta[index[start]] += 1
        delta[index[end]] -= 1
    taken, now = [], 0
    for i in range(len(nights)):
        now += delta[i]
        taken.append(now)
    open_beds = []
    for night in nights:
        open_beds.append(sum(
            k.capacity for k in problem.rooms
            if not any(w.start <= night < w.end for w in k.unavailable)
        ))
    fig = _figure(8, 3.4)
    ax = fig.add_subplot()
    from matplotlib.ticker import MaxNLocator

    days = np.array(nights, dtype="datetime64[D]")
    ax.step(days, taken, where="post", color=_USED, label="beds taken")
    ax.fill_between(days, taken, step="post", color=_USED, alpha=0.2)
    ax.step(days, open_beds, where="post", color=_BOUND, linestyle="--", label="beds open")
    ax.set_ylim(0, max(open_beds + taken) * 1.1 + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("beds")
    ax.set_title(f"Occupancy over time: at most {max(taken)} of {max(open_beds)} beds")
    ax.legend(loc="lower right", fontsize=8)
    fig.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_progress(recorder: ProgressRecorder) -> Figure:
    """A solve's objective (each improving allocation) and proven bound against time.

    >>> from roomalloc.progress import ProgressRecorder
    >>> rec = ProgressRecorder([0.5, 2.0], [900.0, 990.0], [None, 1000.0])
    >>> fig = plot_progress(rec)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['objective', 'bound']
    """
    fig = _figure(7, 4.6)
    ax, gap_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.4))
    ax.step(recorder.times, recorder.objectives, where="post", marker="o", markersize=3,
            color=_USED, label="objective")
    bounded = [(t, b) for t, b in zip(recorder.times, recorder.bounds, strict=True)
               if b is not None]
    best = recorder.objectives[-1] if recorder.objectives else None
    if bounded and recorder.objectives:
        ax.step([t for t, _ in bounded], [b for _, b in bounded], where="post",
                color=_BOUND, linestyle="--", label="bound")
        # A first bound far above every allocation would flatten the objective's line: the
        # axis stops a little above the objectives and says where the bound is.
        low, high = min(recorder.objectives), max(recorder.objectives)
        top = high + max(3 * (high - low), 0.05 * abs(high), 1.0)
        highest = max(b for _, b in bounded)
        if highest > top:
            ax.set_ylim(low - 0.25 * (top - low), top)
            ax.annotate(f"bound up to {highest:,.0f} (above the axis)", xy=(0.01, 0.97),
                        xycoords="axes fraction", va="top", fontsize=8, color=_BOUND)
        gaps = [(t, g) for t, g in zip(recorder.times, recorder.gaps, strict=True)
                if g is not None]
        gap_ax.step([t for t, _ in gaps], [100 * g for _, g in gaps], where="post",
                    color=_BOUND)
        gap_ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        gap_ax.set_ylim(0, max(100 * g for _, g in gaps) * 1.15 + 0.01)
        gap = f", gap {gaps[-1][1]:.2%}"
    else:
        gap = ", no bound proven"
    gap_ax.set_ylabel("gap %")
    gap_ax.set_xlabel("seconds since the solve started")
    ax.set_ylabel("objective")
    ax.set_title("Solve progress" + (f": objective {best:,.6g}{gap}" if best is not None
                                     else ": no allocation reported"))
    ax.legend(loc="center right", fontsize=8)
    for a in (ax, gap_ax):
        a.spines[["top", "right"]].set_visible(False)
    return fig
