"""The driver of ``solve``: one owner of the clock, the best allocation and the one bound.

A solve is a chain of :class:`Stage` objects (cvxpy's ``Chain`` of reductions is the model):
the driver asks each in turn whether it ``accepts`` the :class:`Run` and, if so, runs it. A
stage *offers* allocations (:meth:`Run.offer`) and *reports proofs* (:meth:`Run.prove`,
:meth:`Run.prove_optimal`, :meth:`Run.prove_infeasible`); it never decides the bound it
reports and never builds a :class:`Result`. :meth:`Run.result` is the one place where the
status and the bound are decided and where the allocation is verified by
:func:`roomalloc.check` before it is returned:

* ``bound`` is the least upper bound some stage *proved* (CP-SAT's best bound of a search
  over the whole problem, or over a model proven to hold every better allocation, when that
  search found an allocation; the room configurations' ``L``), or ``None``: never the
  allocation's own value, except when its optimality is proven;
* a proven bound below the allocation's objective (beyond float noise) is a bug and raises.

The driver also catches Ctrl-C and SIGTERM for the whole call, on both paths of ``solve``
(main thread only): the stage running stops and the best allocation so far is returned,
marked ``interrupted``. A stop raises ``KeyboardInterrupt`` in the stage, unless the stage
runs a step under :meth:`Run.stopping`: then the step's own stop is called (a CP-SAT
search's ``stop_search``, or nothing for a step that polls :attr:`Run.done`).

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
>>> class Everyone:
...     name = "everyone in A"
...     essential = True
...     def accepts(self, run: Run) -> bool:
...         return True
...     def run(self, run: Run) -> None:
...         run.offer({"r1": "A"})
>>> result = drive(Run(p), [Everyone()])
>>> result.status, result.objective, result.bound   # nothing proved: no bound
('feasible', 1000.0, None)
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from roomalloc.domain.errors import PluginError
from roomalloc.domain.model import Problem, Result
from roomalloc.rules.base import Rule
from roomalloc.verify.evaluation import evaluate
from roomalloc.verify.verifier import RULE_CHECKS, CheckReport, check

#: ``progress(elapsed_seconds, objective, bound)``, called on each improving solution.
Progress = Callable[[float, float, float | None], None]

#: The signals that stop a solve and return the best allocation so far.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


#: Relative differences below this are float noise: the last bits of float sums, the descaling
#: of CP-SAT's integers. A bound computed in floats carries a margin of one ``NOISE`` above its
#: value, so an allocation meets it within two.
NOISE = 1e-9


def within_noise(low: float, high: float, noise: float = NOISE) -> bool:
    """Whether ``low`` is below ``high`` by no more than ``noise`` (relative; float noise).

    >>> within_noise(1e6 - 1e-5, 1e6), within_noise(999_999.0, 1e6)
    (True, False)
    """
    return low >= high - noise * max(1.0, abs(high))


class Run:
    """One ``solve`` call: its clock, its best allocation (the incumbent) and its one bound.

    ``deadline`` is on :func:`time.perf_counter`'s clock (``None``: no limit). Stages read
    ``incumbent`` / ``value`` and the clock, and write only through :meth:`offer` and the
    ``prove`` methods. ``start`` is where the next search starts from: the incumbent, or
    before any valid allocation is known, a hint that may break a rule.
    """

    def __init__(self, problem: Problem, *, rules: Sequence[Rule] = (),
                 time_limit: float | None = None, progress: Progress | None = None,
                 started: float | None = None) -> None:
        self.problem = problem
        self.rules = tuple(rules)
        self.progress = progress
        self.started = time.perf_counter() if started is None else started
        self.deadline = None if time_limit is None else self.started + time_limit
        self.start: dict[str, str | None] = {}
        self.incumbent: dict[str, str | None] | None = None
        self.value = -math.inf
        self._checked: tuple[Mapping[str, str | None] | None, CheckReport | None] = (None, None)
        self.interrupted = False
        self.diagnose: Callable[[], tuple[str, ...]] | None = None
        #: ``"<stage name>: <seconds> s"`` for each stage run, in order.
        self.log: list[str] = []
        self._stops: list[Callable[[], None]] = []
        self._bound = math.inf
        self._optimal = False
        self._infeasible = False

    # --- the clock ----------------------------------------------------------------------------

    def elapsed(self) -> float:
        """Seconds since the call started."""
        return time.perf_counter() - self.started

    def time_left(self) -> float | None:
        """Seconds left until the deadline (never negative), ``None`` without a limit."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.perf_counter())

    def share_of_time_left(self, share: float, cap: float) -> float:
        """Seconds for one step: ``share`` of the time left, at most ``cap`` (no limit: ``cap``)."""
        left = self.time_left()
        return cap if left is None else min(cap, share * left)

    def until(self, seconds: float) -> float | None:
        """The deadline of a step of ``seconds``, never past the call's own deadline."""
        end = time.perf_counter() + seconds
        return end if self.deadline is None else min(end, self.deadline)

    @property
    def done(self) -> bool:
        """Nothing left to do: proven, interrupted or out of time."""
        left = self.time_left()
        return self._optimal or self._infeasible or self.interrupted or left == 0.0

    # --- stop signals ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def stopping(self, stop: Callable[[], None] = lambda: None) -> Iterator[None]:
        """While inside, a stop signal marks the run interrupted and calls ``stop`` instead of
        raising ``KeyboardInterrupt``: for a step that must not be cut in the middle (a CP-SAT
        search, stopped by ``stop_search``; a loop that polls :attr:`done`).

        >>> from roomalloc import Problem
        >>> run = Run(Problem())
        >>> with run.stopping(lambda: print("stop")):
        ...     run.stop()
        stop
        >>> run.interrupted
        True
        """
        self._stops.append(stop)
        try:
            yield
        finally:
            self._stops.pop()

    def stop(self) -> None:
        """A stop signal: mark the run interrupted; stop the step under :meth:`stopping`, or
        raise ``KeyboardInterrupt`` inside a stage."""
        self.interrupted = True
        if self._stops:
            self._stops[-1]()
        elif getattr(_raising, "on", False):
            raise KeyboardInterrupt

    # --- the incumbent ------------------------------------------------------------------------

    def offer(self, assignments: Mapping[str, str | None], *, valid: bool = False) -> bool:
        """Keep ``assignments`` if it is better than the incumbent: whether it was kept.

        ``valid`` says it keeps every rule by construction (a CP-SAT solution of a model of
        the problem); otherwise :func:`roomalloc.check` must accept it first. Either way
        :meth:`result` verifies the final allocation again.
        """
        allocation = {r.id: assignments.get(r.id) for r in self.problem.residents}
        # check() scores the allocation too: one evaluation, not two (seconds at 50,000).
        report = None if valid else check(self.problem, allocation, rules=self.rules)
        if report is not None and not report.ok:
            return False
        value = evaluate(self.problem, allocation).objective if report is None else report.objective
        assert value is not None
        if self.incumbent is not None and value <= self.value:
            return False
        # One assignment, so that an interruption cannot separate the allocation from its value
        # (nor from the check of it that :meth:`result` then need not repeat).
        self.incumbent, self.value, self.start = allocation, value, allocation
        self._checked = (allocation, report)
        return True

    # --- proofs -------------------------------------------------------------------------------

    def prove(self, bound: float) -> None:
        """Record an upper bound on the objective of every allocation, proved by a stage.

        A bound that is not finite proves nothing and is ignored.
        """
        if math.isfinite(bound):
            self._bound = min(self._bound, bound)

    def prove_optimal(self, *, exact: bool = True) -> None:
        """The incumbent is proven optimal: nothing is better (``exact``), or nothing is
        better by more than the bound proved beside it (a model whose objective is rounded)."""
        assert self.incumbent is not None, "only an allocation can be optimal"
        self._optimal = True
        if exact:
            self._bound = min(self._bound, self.value)

    def prove_infeasible(self) -> None:
        """No allocation keeps every hard rule."""
        self._infeasible = True

    @property
    def optimal(self) -> bool:
        """Whether the incumbent is proven optimal."""
        return self._optimal

    @property
    def proved(self) -> float | None:
        """The least bound proved so far, whatever the incumbent (``None``: none yet)."""
        return self._bound if math.isfinite(self._bound) else None

    def bound(self) -> float | None:
        """The one bound: the least proven one; the incumbent's value if it is proven optimal.

        Raises ``RuntimeError`` when a proven bound is below the incumbent's value by more than
        float noise: some proof is wrong, and reporting either number would be a lie.
        """
        proved = self._bound if math.isfinite(self._bound) else None
        if self.incumbent is None:
            return proved
        if proved is not None and proved < self.value:
            if not within_noise(proved, self.value):
                raise RuntimeError(
                    f"roomalloc proved a bound of {proved:g} below an allocation worth "
                    f"{self.value:g} (a bug in roomalloc or a plug-in's model)"
                )
            proved = self.value  # the noise of descaling CP-SAT's integers, nothing more
        if self._optimal and proved is None:
            return self.value
        return proved

    def bound_with(self, search_bound: float | None) -> float | None:
        """The bound to show beside a solution of a search whose own proven bound is
        ``search_bound`` (``None``: it proves nothing of the problem), for progress reports."""
        known = self._bound
        if search_bound is not None and math.isfinite(search_bound):
            known = min(known, search_bound)
        return known if math.isfinite(known) else None

    # --- the result ---------------------------------------------------------------------------

    def result(self) -> Result:
        """The :class:`Result` of the call, its allocation verified by :func:`roomalloc.check`.

        Raises :class:`PluginError` naming the custom rules whose check rejects the allocation
        (their model allowed it), ``RuntimeError`` if a built-in rule's check does.
        """
        if self.incumbent is None:
            status = "infeasible" if self._infeasible else "unknown"
            diagnosis = self.diagnose() if status == "infeasible" and self.diagnose else ()
            return Result(status=status, solve_seconds=self.elapsed(), diagnosis=diagnosis,
                          interrupted=self.interrupted)
        # The allocation offer() checked, unchanged since: its report (at 50,000 residents a
        # check costs seconds). Any other incumbent (a CP-SAT solution) is checked now.
        checked, report = self._checked
        if checked is not self.incumbent or report is None:
            report = check(self.problem, self.incumbent, rules=self.rules)
        if not report.ok:
            _refuse(report.by_rule(), self.rules)
        assert report.objective is not None
        bound = self.bound()
        return Result(
            status="optimal" if self._optimal else "feasible",
            assignments=dict(self.incumbent),
            objective=report.objective,
            bound=bound,
            terms=report.terms,
            solve_seconds=self.elapsed(),
            interrupted=self.interrupted,
        )


def _refuse(broken: Mapping[str, Sequence[object]], rules: Sequence[Rule]) -> None:
    """Raise for an allocation that the model allowed and the verifier rejects."""
    custom = sorted(name for name in broken if name in {r.name for r in rules})
    first = next(iter(broken.values()))[0]
    if custom:
        raise PluginError(
            "custom rule " + ", ".join(repr(n) for n in custom) + " rejects in its check an "
            f"allocation that its add_to_model allowed (for example: {first}); make the two "
            "agree"
        )
    builtin = sorted(name for name in broken if name in RULE_CHECKS) or sorted(broken)
    raise RuntimeError(
        "roomalloc found an allocation that breaks " + ", ".join(builtin)
        + f" (a bug in roomalloc, please report it): {first}"
    )


RunT = TypeVar("RunT", bound=Run, contravariant=True)
R = TypeVar("R", bound=Run)


class Stage(Protocol[RunT]):
    """One step of a solve. The driver runs it when it ``accepts`` the run (a :class:`Run`,
    or a subclass carrying what a path's stages share).

    A stage improves ``run.incumbent`` through :meth:`Run.offer`, reports what it proved
    through :meth:`Run.prove` and friends, and keeps to ``run``'s clock. A Ctrl-C or SIGTERM
    that lands in it raises ``KeyboardInterrupt`` (outside CP-SAT) or stops its CP-SAT search;
    either way the driver keeps what it offered before.
    """

    #: What the stage is, in words (for logs and reports).
    name: str
    #: An essential stage runs even when the run is done (out of time or interrupted): the
    #: first allocation, so that every call returns one if it can.
    essential: bool

    def accepts(self, run: RunT) -> bool:
        """Whether this stage has something to do for ``run`` (cheap)."""
        ...

    def run(self, run: RunT) -> None:
        """Do the stage's work within ``run``'s time."""
        ...


def drive(run: R, stages: Sequence[Stage[R]]) -> Result:
    """Run each stage that accepts ``run`` until it is done, then build the one result.

    Once ``run`` is done (proven, interrupted or out of time) only essential stages run.

    >>> from roomalloc import Problem, Room, Resident
    >>> class Nobody:
    ...     name, essential = "nobody housed", True
    ...     def accepts(self, run: Run) -> bool:
    ...         return True
    ...     def run(self, run: Run) -> None:
    ...         run.offer({})
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> drive(Run(p, time_limit=5.0), [Nobody()]).assignments
    {'r1': None}
    """
    with stop_signals(run):
        for stage in stages:
            if run.done and not stage.essential:
                continue
            if not stage.accepts(run):
                continue
            began = time.perf_counter()
            try:
                with _stoppable(run):
                    stage.run(run)
            except KeyboardInterrupt:
                run.interrupted = True
            run.log.append(f"{stage.name}: {time.perf_counter() - began:.2f} s")
    return run.result()


_raising = threading.local()


@contextlib.contextmanager
def _stoppable(run: Run) -> Iterator[None]:
    """While a stage runs, a stop signal raises ``KeyboardInterrupt`` in it."""
    _raising.on = True
    try:
        yield
    finally:
        _raising.on = False


@contextlib.contextmanager
def stop_signals(run: Run) -> Iterator[None]:
    """Ctrl-C and SIGTERM mark ``run`` interrupted (raising only inside a stage); the
    previous handlers come back afterwards. Off the main thread, nothing is installed.

    >>> from roomalloc import Problem
    >>> before = signal.getsignal(signal.SIGTERM)
    >>> with stop_signals(Run(Problem())):
    ...     signal.getsignal(signal.SIGTERM) is before
    False
    >>> signal.getsignal(signal.SIGTERM) is before
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum: int, frame: Any) -> None:
        run.stop()

    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            if handler is not None:  # None: set outside Python, cannot be put back
                signal.signal(s, handler)
