"""The solvers a suite compares, each behind one signature: ``peer(problem, time_limit,
threads) -> Outcome``.

* ``roomalloc``: :func:`roomalloc.solve` with ``workers=threads``, its ``progress`` callback
  recorded;
* ``greedy``: residents in priority order, each to the best room their own rules still allow
  given who is already placed (what a housing office's spreadsheet does);
  :func:`roomalloc.solver.greedy.greedy_allocation`;
* ``highs``: the problem as a plain MIP in HiGHS (:mod:`benchmarks.highs_mip`);
* ``mincostflow``: the exact optimum of a pure-assignment problem (:mod:`benchmarks.flow`).

A peer never vouches for its own allocation: the parent process checks it with
:func:`roomalloc.check` and scores it with :func:`roomalloc.evaluate`.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import roomalloc


class NotApplicable(Exception):
    """The peer cannot express this problem (a custom term, stays for a flow, ...)."""


@dataclass
class Outcome:
    """What a peer found: an allocation (or none), its status and proven bound if any.

    ``trace`` holds ``(seconds, objective, bound)`` for each improving allocation the peer
    reported while it ran; ``first_seconds`` is when the first allocation appeared.
    """

    status: str
    assignments: dict[str, str | None] | None = None
    bound: float | None = None
    first_seconds: float | None = None
    seconds: float = 0.0
    trace: list[tuple[float, float | None, float | None]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the child writes it, the parent reads it)."""
        return {
            "status": self.status,
            "assignments": self.assignments,
            "bound": self.bound,
            "first_seconds": self.first_seconds,
            "seconds": self.seconds,
            "trace": [list(t) for t in self.trace],
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        """The inverse of :meth:`to_dict`."""
        return cls(
            status=data["status"],
            assignments=data.get("assignments"),
            bound=data.get("bound"),
            first_seconds=data.get("first_seconds"),
            seconds=float(data.get("seconds", 0.0)),
            trace=[(float(t), o, b) for t, o, b in data.get("trace", [])],
            note=data.get("note", ""),
        )


Peer = Callable[[roomalloc.Problem, float, int], Outcome]


def roomalloc_peer(problem: roomalloc.Problem, time_limit: float, threads: int) -> Outcome:
    """:func:`roomalloc.solve`, with every improving allocation it reports recorded."""
    trace: list[tuple[float, float | None, float | None]] = []

    def progress(elapsed: float, objective: float, bound: float | None) -> None:
        trace.append((float(elapsed), float(objective), None if bound is None else float(bound)))

    started = time.perf_counter()
    result = roomalloc.solve(problem, time_limit=time_limit, workers=threads, progress=progress)
    seconds = time.perf_counter() - started
    has_allocation = bool(result.assignments)
    first = trace[0][0] if trace else (seconds if has_allocation else None)
    return Outcome(
        status=result.status,
        assignments=dict(result.assignments) if has_allocation else None,
        bound=result.bound,
        first_seconds=first,
        seconds=seconds,
        trace=trace,
    )


def greedy_peer(problem: roomalloc.Problem, time_limit: float, threads: int) -> Outcome:
    """The housing office's spreadsheet: one pass in priority order, nothing proven."""
    from roomalloc.solver.greedy import greedy_allocation

    started = time.perf_counter()
    assignments = greedy_allocation(problem)
    seconds = time.perf_counter() - started
    return Outcome(status="feasible", assignments=assignments, first_seconds=seconds,
                   seconds=seconds)


def highs_peer(problem: roomalloc.Problem, time_limit: float, threads: int) -> Outcome:
    """A plain MIP in HiGHS (:func:`benchmarks.highs_mip.solve_with_highs`)."""
    from benchmarks.highs_mip import solve_with_highs

    return solve_with_highs(problem, time_limit=time_limit, threads=threads)


def mincostflow_peer(problem: roomalloc.Problem, time_limit: float, threads: int) -> Outcome:
    """The exact optimum of a pure-assignment problem (:func:`benchmarks.flow.solve_as_flow`)."""
    from benchmarks.flow import solve_as_flow

    return solve_as_flow(problem)


PEERS: dict[str, Peer] = {
    "roomalloc": roomalloc_peer,
    "greedy": greedy_peer,
    "highs": highs_peer,
    "mincostflow": mincostflow_peer,
}


def resolve_peer(name: str) -> Peer:
    """The peer called ``name`` in :data:`PEERS`, or ``module:function`` from anywhere."""
    if ":" in name:
        module, function = name.split(":", 1)
        peer: Peer = getattr(importlib.import_module(module), function)
        return peer
    return PEERS[name]
