"""Progress of a long solve: a progress bar, a recorder for plots, and the ``roomalloc`` logger.

:func:`roomalloc.solve` calls ``progress(elapsed_seconds, objective, bound)`` on each improving
allocation. ``progress="bar"`` shows a :class:`ProgressBar` (``tqdm.auto``: a widget in a
notebook, one rewritten line in a terminal) with the objective, the bound and the gap; the bar
fills as the gap closes. :class:`ProgressRecorder` keeps every report, for
:func:`roomalloc.plots.plot_progress`. Library calls show nothing unless asked.

Every solve also logs to the ``roomalloc`` logger (silent unless the application configures
logging): its start (residents, rooms, time limit) and its end (status, objective, bound,
seconds) at INFO, each improving allocation at DEBUG.

Example
-------
>>> recorder = ProgressRecorder()
>>> recorder(0.5, 900.0, 1000.0); recorder(1.5, 990.0, 1000.0)
>>> recorder.objectives, recorder.gaps
([900.0, 990.0], [0.1, 0.01])
"""

from __future__ import annotations

import functools
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, ParamSpec, TypeVar

__all__ = ["ProgressBar", "ProgressRecorder", "as_progress", "logger", "relative_gap"]

#: The library's logger; configure it (``logging.basicConfig(level=logging.INFO)``) to see solves.
logger = logging.getLogger("roomalloc")

Progress = Callable[[float, float, "float | None"], None]
ProgressOption = Progress | Literal["bar"] | None

P = ParamSpec("P")
R = TypeVar("R")


def relative_gap(objective: float, bound: float | None) -> float | None:
    """How far the objective is below the bound, as a share of the bound (None: no bound).

    >>> relative_gap(990.0, 1000.0), relative_gap(5.0, None)
    (0.01, None)
    """
    if bound is None:
        return None
    return max(0.0, bound - objective) / max(1.0, abs(bound))


@dataclass
class ProgressRecorder:
    """A ``progress`` callback that keeps every report: times, objectives and bounds.

    >>> import roomalloc
    >>> p = roomalloc.Problem(rooms=[roomalloc.Room(id="A", capacity=1)],
    ...                       residents=[roomalloc.Resident(id="r1")])
    >>> recorder = ProgressRecorder()
    >>> _ = roomalloc.solve(p, time_limit=5, workers=1, progress=recorder)
    >>> recorder.objectives[-1]
    1000.0
    """

    times: list[float] = field(default_factory=list)
    objectives: list[float] = field(default_factory=list)
    bounds: list[float | None] = field(default_factory=list)

    def __call__(self, elapsed: float, objective: float, bound: float | None) -> None:
        self.times.append(elapsed)
        self.objectives.append(objective)
        self.bounds.append(bound)

    @property
    def gaps(self) -> list[float | None]:
        """The relative gap at each report (None where there was no bound)."""
        return [relative_gap(o, b) for o, b in zip(self.objectives, self.bounds, strict=True)]


class ProgressBar:
    """A ``tqdm.auto`` bar that fills as the gap closes; objective, bound and gap beside it.

    Needs ``tqdm`` (the extra ``roomalloc[progress]``). :func:`roomalloc.solve` closes it when
    the solve ends; used by hand, call :meth:`close`.

    >>> bar = ProgressBar(disable=True)
    >>> bar(1.0, 950.0, 1000.0); bar.close()
    """

    def __init__(self, *, disable: bool = False, **tqdm_options: Any) -> None:
        try:
            with warnings.catch_warnings():  # no ipywidgets: tqdm.auto falls back to text
                warnings.simplefilter("ignore")
                from tqdm.auto import tqdm
        except ImportError:
            raise ImportError(
                "progress='bar' needs tqdm: pip install 'roomalloc[progress]'"
            ) from None
        options: dict[str, Any] = {
            "total": 100, "desc": "solving", "unit": "%", "leave": True,
            "bar_format": "{desc}: {percentage:3.0f}% closed |{bar}| {elapsed}{postfix}",
            "disable": disable,
        }
        options.update(tqdm_options)
        self._bar = tqdm(**options)

    def __call__(self, elapsed: float, objective: float, bound: float | None) -> None:
        gap = relative_gap(objective, bound)
        closed = 0 if gap is None else round(100 * (1.0 - min(1.0, gap)))
        self._bar.n = closed
        self._bar.set_postfix_str(
            f"objective {objective:g}, bound {'-' if bound is None else f'{bound:g}'}, "
            f"gap {'-' if gap is None else f'{gap:.2%}'}", refresh=False
        )
        self._bar.refresh()

    def close(self) -> None:
        """End the bar (a terminal gets its newline)."""
        self._bar.close()


def as_progress(progress: ProgressOption) -> Progress | None:
    """The callable ``solve`` reports to: ``progress`` itself, a :class:`ProgressBar` for
    ``"bar"``, or None.

    >>> as_progress(None) is None
    True
    >>> as_progress("spinner")
    Traceback (most recent call last):
    ...
    ValueError: progress must be a callable, 'bar' or None, not 'spinner'
    """
    if progress is None or callable(progress):
        return progress
    if progress == "bar":
        return ProgressBar()
    raise ValueError(f"progress must be a callable, 'bar' or None, not {progress!r}")


def reported(solve: Callable[P, R]) -> Callable[P, R]:
    """Wrap ``solve``: ``progress="bar"`` becomes a bar closed at the end; start and end logged.

    >>> @reported
    ... def fake(problem, *, progress=None):
    ...     return progress
    >>> fake(None, progress=print) is print
    True
    """

    @functools.wraps(solve)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        made = ProgressBar() if kwargs.get("progress") == "bar" else None
        if made is not None:
            kwargs["progress"] = made
        if logger.isEnabledFor(logging.DEBUG):
            kwargs["progress"] = _logged(kwargs.get("progress"))  # type: ignore[arg-type]
        problem = args[0] if args else kwargs.get("problem")
        _log_start(problem, kwargs.get("time_limit", "default"))
        started = time.perf_counter()
        try:
            result = solve(*args, **kwargs)
            objective = getattr(result, "objective", None)
            if made is not None and objective is not None:  # the bar ends on the final figures
                made(time.perf_counter() - started, objective, getattr(result, "bound", None))
        finally:
            if made is not None:
                made.close()
        _log_end(result, time.perf_counter() - started)
        return result

    return wrapper


def _logged(progress: Progress | None) -> Progress:
    def report(elapsed: float, objective: float, bound: float | None) -> None:
        logger.debug("solve: %.1f s, objective %g, bound %s", elapsed, objective,
                     "none" if bound is None else f"{bound:g}")
        if progress is not None:
            progress(elapsed, objective, bound)

    return report


def _log_start(problem: Any, time_limit: Any) -> None:
    rooms, residents = getattr(problem, "rooms", ()), getattr(problem, "residents", ())
    logger.info("solve started: %d residents, %d rooms, time limit %s", len(residents),
                len(rooms), time_limit)


def _log_end(result: Any, seconds: float) -> None:
    bound = getattr(result, "bound", None)
    objective = getattr(result, "objective", None)
    logger.info("solve ended: %s, objective %s, bound %s, gap %s, %.2f s",
                getattr(result, "status", "?"),
                "none" if objective is None else f"{objective:g}",
                "none" if bound is None else f"{bound:g}",
                "none" if objective is None or bound is None
                else f"{relative_gap(objective, bound):.2%}", seconds)
