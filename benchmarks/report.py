"""What a suite writes: the JSON record of every run, a Markdown table and the plots.

Failed runs (an allocation that breaks a rule, a crash, running out of memory or time) show
their status in the table, never a number, and are left out of the plots.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.runner import BROKEN, Run


def self_contradicting(run: Run) -> bool:
    """A bound equal to the run's own objective under a status that is not ``optimal``: had
    anything proved it, the run would be optimal, so it is not trusted as a limit."""
    return (run.status != "optimal" and run.bound is not None and run.objective is not None
            and abs(run.bound - run.objective) <= 1e-9 * max(1.0, abs(run.bound)))


def limit_of(runs: Sequence[Run]) -> tuple[float | None, str]:
    """The tightest proven bound on one problem's objective, and who proved it.

    Only runs whose allocation passed the check count; the min-cost flow's optimum is exact; a
    :func:`self_contradicting` bound does not count.
    """
    best: tuple[float | None, str] = (None, "")
    for run in runs:
        if run.status in BROKEN or run.bound is None or self_contradicting(run):
            continue
        if best[0] is None or run.bound < best[0]:
            best = (run.bound, run.peer)
    return best


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    value += 0.0  # -0.0 prints as "-0"
    if abs(value) >= 1000:
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return f"{value:.{digits + 2}g}"


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    if 0 < value < 0.0001:
        return "<0.01%"
    return f"{value:.2%}"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown_table(runs: Sequence[Run]) -> str:
    """One row per run, grouped by problem; ``vs limit`` is the gap to the tightest bound."""
    head = ("| problem | residents | rooms | beds | pairs | peer | status | objective | bound "
            "| gap | vs limit | first valid (s) | wall (s) | peak RSS (MB) |")
    lines = [head, "|" + "---|" * 14]
    by_problem: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_problem[run.problem].append(run)
    for name, group in by_problem.items():
        limit, _ = limit_of(group)
        for run in group:
            ok = run.status not in BROKEN
            vs = None
            if ok and run.objective is not None and limit is not None:
                vs = max(0.0, limit - run.objective) / max(abs(limit), 1.0)
            lines.append("| " + " | ".join([
                name, f"{run.residents:,}", f"{run.rooms:,}", f"{run.beds:,}", f"{run.pairs:,}",
                run.peer, f"**{run.status}**" if not ok else run.status,
                _number(run.objective) if ok else "–",
                (_number(run.bound) + (" †" if self_contradicting(run) else "")) if ok else "–",
                _percent(run.gap), _percent(vs),
                _seconds(run.first_seconds) if ok else "–",
                _seconds(run.process_seconds if run.wall_seconds is None else run.wall_seconds),
                "–" if run.peak_rss_mb is None else f"{run.peak_rss_mb:,.0f}",
            ]) + " |")
    if any(self_contradicting(r) for r in runs):
        lines += ["", "† the bound equals the run's own objective, yet the status is not "
                  "optimal: not counted as a limit."]
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def write_record(path: Path, meta: dict[str, Any], runs: Sequence[Run]) -> None:
    """The JSON record: the suite's metadata, each problem's limit, and every run."""
    problems: dict[str, dict[str, Any]] = {}
    by_problem: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_problem[run.problem].append(run)
    for name, group in by_problem.items():
        limit, source = limit_of(group)
        problems[name] = {"limit": limit, "limit_from": source}
    data = {"meta": meta, "problems": problems, "runs": [r.to_dict() for r in runs]}
    write_atomically(path, json.dumps(data, indent=1))


_COLORS = {"roomalloc": "tab:blue", "greedy": "tab:orange", "highs": "tab:green",
           "mincostflow": "tab:red"}
_MARKERS = "osD^vP*X"


def plot_progress(path: Path, runs: Sequence[Run], title: str) -> None:
    """Objective (solid) and bound (dashed) over time, one panel per problem."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_problem: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_problem[run.problem].append(run)
    n = len(by_problem)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, (name, group) in zip(axes.flat, by_problem.items(), strict=False):
        limit, source = limit_of(group)
        good = [r for r in group if r.status not in BROKEN and r.objective is not None]
        objectives = [r.objective for r in good if r.objective is not None]
        # The y-axis shows the allocations; a bound far above them (CP-SAT's before its LP) is
        # cut off, and the legend says so.
        low = min(objectives, default=0.0)
        high = max(objectives, default=1.0)
        pad = max((high - low) * 0.25, abs(high) * 1e-4, 1.0)
        top = high + pad if limit is None or limit > high + pad else limit + pad / 4
        for run in good:
            color = _COLORS.get(run.peer, "gray")
            end = max(run.wall_seconds or 0.0, run.first_seconds or 0.0)
            points = [(t, o) for t, o, _ in run.trace if o is not None]
            if points:
                ts, values = zip(*[*points, (end, run.objective)], strict=True)
                ax.step(ts, values, where="post", color=color, label=run.peer, linewidth=1.4)
                ax.plot(ts[:-1], values[:-1], ".", color=color, markersize=4)
            else:
                ax.plot([run.first_seconds or end], [run.objective], "o", color=color,
                        label=run.peer)
            bounds = [(t, b) for t, _, b in run.trace if b is not None]
            if run.bound is not None:
                bounds.append((end, run.bound))
            if bounds and run.peer != "mincostflow":
                tb, bb = zip(*bounds, strict=True)
                ax.step(tb, bb, where="post", color=color, linestyle="--", linewidth=0.9)
        if limit is not None:
            off = "" if limit <= top else f" = {limit:,.0f}, off scale"
            ax.axhline(min(limit, top), color="black", linewidth=0.6, linestyle=":",
                       label=f"limit ({source}){off}")
        ax.set_ylim(low - pad, top)
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("seconds", fontsize=8)
        ax.tick_params(labelsize=7)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=6, loc="lower right")
        else:
            ax.text(0.5, 0.5, "no valid allocation", ha="center", transform=ax.transAxes)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(f"{title}: objective (solid) and bound (dashed) over time", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def plot_by_size(path: Path, runs: Sequence[Run], field: str, label: str, title: str) -> None:
    """``field`` of every successful run against residents, a line per (peer, preset)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for run in runs:
        value = getattr(run, field)
        if run.status not in BROKEN and value is not None and run.check_ok:
            series[(run.peer, run.preset)].append((run.residents, float(value)))
    presets = sorted({p for _, p in series})
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for (peer, preset), points in sorted(series.items()):
        points.sort()
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, [max(y, 1e-3) for y in ys], marker=_MARKERS[presets.index(preset) % 8],
                color=_COLORS.get(peer, "gray"), label=f"{peer} / {preset}", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("residents")
    ax.set_ylabel(label)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)
