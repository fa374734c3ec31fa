"""Sweeps: solve many scenarios of one problem in parallel, on this machine or a Dask cluster.

:func:`sweep` sends each scenario to any :class:`concurrent.futures.Executor`: by default a
local :class:`~concurrent.futures.ProcessPoolExecutor`; for a Dask cluster pass a
``distributed.Client`` (or its ``client.get_executor()``; ``pip install
'roomalloc[distributed]'``). What travels is JSON text: the problem, the scenario and the solve
options go to :func:`solve_scenario_json`, which applies the scenario, solves and returns the
result as JSON, so a worker needs roomalloc installed, never the caller's objects. Custom terms
must therefore be registered by a module the workers import too.

Results come back in the order of the scenarios, each with its scenario; a scenario that fails
(an edit naming a room the problem lacks, a worker that died) carries its error and the others
are kept. A progress bar (tqdm, on stderr) counts scenarios done.

Example
-------
>>> from concurrent.futures import ThreadPoolExecutor
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.analysis.scenarios import Scenario, close, remove_rooms
>>> p = Problem(rooms=[Room(id="A", building="A", capacity=1),
...                    Room(id="B", building="B", capacity=1)],
...             residents=[Resident(id="r1"), Resident(id="r2")])
>>> with ThreadPoolExecutor(2) as pool:
...     out = sweep(p, [Scenario(), close("A"), remove_rooms("Z")], pool, progress=False,
...                 time_limit=10, workers=1)
>>> for o in out:
...     print(o.scenario.name, "|", o.result.terms["housed"] if o.ok else o.error)
baseline | 2.0
close building A | 1.0
remove room Z | 1 mistake in the scenario:
  edits[0].rooms[0]: no room 'Z'
"""

from __future__ import annotations

import concurrent.futures as cf
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roomalloc.analysis.scenarios import Scenario
from roomalloc.domain.errors import RoomallocError
from roomalloc.domain.model import Problem, Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Outcome", "solve_scenario_json", "summary", "summary_frame", "summary_markdown",
           "sweep"]

#: Solve options that can travel as JSON (``rules`` plug-ins and ``progress`` callbacks cannot).
TRAVELLING_OPTIONS = ("time_limit", "workers", "seed", "diagnose", "parameters", "shortlists",
                      "configurations")


@dataclass(frozen=True)
class Outcome:
    """One scenario of a sweep: its result, or the error that stopped it."""

    index: int
    scenario: Scenario
    result: Result | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the scenario was solved (its status may still be ``infeasible``)."""
        return self.result is not None


def solve_scenario_json(problem_json: str, scenario_json: str, options_json: str) -> str:
    """The worker: apply a scenario to a problem and solve it, all as JSON text.

    Returns ``{"result": {...}}`` or ``{"error": "..."}`` (a bad edit, an invalid problem).

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> out = solve_scenario_json(p.model_dump_json(), '{"edits": []}', '{"workers": 1}')
    >>> json.loads(out)["result"]["assignments"]
    {'r1': 'A'}
    """
    from roomalloc.solver import solve

    try:
        problem = Problem.model_validate_json(problem_json)
        scenario = Scenario.from_dict(json.loads(scenario_json))
        result = solve(scenario.apply(problem), **json.loads(options_json))
    except RoomallocError as err:
        return json.dumps({"error": str(err)})
    return json.dumps({"result": result.model_dump(mode="json")})


def sweep(
    problem: Problem,
    scenarios: Iterable[Scenario],
    executor: Any = None,
    *,
    max_workers: int | None = None,
    progress: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
    **solve_options: Any,
) -> list[Outcome]:
    """Solve every scenario of ``problem``; the outcomes in the scenarios' order.

    ``executor``: any :class:`concurrent.futures.Executor`, or a ``distributed.Client``; by
    default a local process pool of ``max_workers`` processes (default: one per core).
    ``on_outcome`` is called in this process as each scenario finishes (to save it at once);
    ``solve_options`` go to :func:`roomalloc.solve` (``time_limit``, ``workers``, ``seed``,
    ...; give ``workers=1`` when several scenarios share the cores). After Ctrl-C the scenarios
    not finished carry the error ``"interrupted"`` and the finished ones are kept.
    """
    unknown = sorted(set(solve_options) - set(TRAVELLING_OPTIONS))
    if unknown:
        raise RoomallocError(f"sweep cannot send {', '.join(unknown)} to its workers "
                             f"(options that travel: {', '.join(TRAVELLING_OPTIONS)})")
    todo = list(scenarios)
    problem_json = problem.model_dump_json()
    options_json = json.dumps(solve_options)
    own = executor is None
    if own:
        executor = cf.ProcessPoolExecutor(max_workers=max_workers)
    elif hasattr(executor, "get_executor") and not isinstance(executor, cf.Executor):
        executor = executor.get_executor()  # a distributed.Client
    outcomes: list[Outcome | None] = [None] * len(todo)
    try:
        futures = {executor.submit(solve_scenario_json, problem_json, s.to_json(),
                                   options_json): i for i, s in enumerate(todo)}
        _collect(futures, todo, outcomes, progress, on_outcome)
    finally:
        if own:
            executor.shutdown(wait=True, cancel_futures=True)
    return [o if o is not None else Outcome(i, todo[i], error="interrupted")
            for i, o in enumerate(outcomes)]


def _collect(futures: Mapping[cf.Future[str], int], todo: Sequence[Scenario],
             outcomes: list[Outcome | None], progress: bool,
             on_outcome: Callable[[Outcome], None] | None) -> None:
    from tqdm import tqdm  # plain text: tqdm.auto warns in notebooks without ipywidgets

    with tqdm(total=len(todo), desc="scenarios", unit="scenario", disable=not progress) as bar:
        try:
            for future in cf.as_completed(futures):
                i = futures[future]
                outcome = _outcome(i, todo[i], future)
                outcomes[i] = outcome
                if on_outcome is not None:
                    on_outcome(outcome)
                bar.update()
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()


def _outcome(index: int, scenario: Scenario, future: cf.Future[str]) -> Outcome:
    err = future.exception()
    if err is not None:
        return Outcome(index, scenario, error=f"{type(err).__name__}: {err}")
    data = json.loads(future.result())
    if "error" in data:
        return Outcome(index, scenario, error=data["error"])
    return Outcome(index, scenario, result=Result.model_validate(data["result"]))


def summary(outcomes: Iterable[Outcome]) -> list[dict[str, Any]]:
    """One row per scenario: name, status, objective, bound, housed count, each term's value,
    solve seconds and the error (empty when solved).

    >>> from roomalloc import Result
    >>> rows = summary([Outcome(0, Scenario(), Result(status="optimal",
    ...                         assignments={"r1": "A", "r2": None}, objective=1000.0,
    ...                         terms={"housed": 1.0}))])
    >>> rows[0]["scenario"], rows[0]["residents_housed"], rows[0]["housed"]
    ('baseline', 1, 1.0)
    """
    done = list(outcomes)
    terms = list(dict.fromkeys(t for o in done if o.result for t in o.result.terms))
    rows = []
    for o in done:
        r = o.result
        row: dict[str, Any] = {
            "index": o.index, "scenario": o.scenario.name,
            "status": r.status if r else "error",
            "objective": r.objective if r else None, "bound": r.bound if r else None,
            "residents_housed": sum(v is not None for v in r.assignments.values()) if r else None,
        }
        row.update({t: r.terms.get(t) if r else None for t in terms})
        row["solve_seconds"] = round(r.solve_seconds, 2) if r else None
        row["error"] = (o.error or "").replace("\n", " ")
        rows.append(row)
    return rows


def summary_markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """The :func:`summary` rows as a Markdown table.

    >>> print(summary_markdown([{"scenario": "baseline", "objective": 1000.0}]))
    | scenario | objective |
    |---|---|
    | baseline | 1000 |
    """
    if not rows:
        return ""
    columns = list(rows[0])

    def cell(v: Any) -> str:
        text = "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def summary_frame(outcomes: Iterable[Outcome]) -> pd.DataFrame:
    """:func:`summary` as a pandas DataFrame (needs ``pip install 'roomalloc[tables]'``)."""
    import pandas as pd

    return pd.DataFrame(summary(outcomes))
