"""What a rule or term plug-in sees while the CP-SAT model is built: :class:`BuildContext`.

This is the solver's implementation of the plug-in protocol :class:`roomalloc.plugins.BuildContext`
(plug-ins are typed against the protocol; mypy checks that this class satisfies it). A plug-in
gets one ``ctx`` argument. It offers:

* ``ctx.model``: the ``cp_model.CpModel``; ``ctx.problem``: the :class:`roomalloc.Problem`;
* placement variables, only for pairs the static rules allow (needs, budget, excluded rooms,
  room gender, closures, locks): ``ctx.placements[resident_id]`` is ``{room_id: BoolVar}``,
  ``ctx.occupants[room_id]`` is ``{resident_id: BoolVar}``, ``ctx.placement(r, k)`` one of them
  or ``None``;
* ``ctx.housed(resident_id)``: a literal, true exactly when the resident gets a room;
* ``ctx.segments(room_id)``: the room's stay segments (:class:`RoomSegment`), each with the
  residents who may be present on its first night, which includes everyone present on any
  later night of the segment (``binding=True``: only segments not contained in another);
* ``ctx.overlaps(r, s)``, ``ctx.resident(id)``, ``ctx.room(id)`` (with their ``attributes``),
  ``ctx.scores`` (numpy ``score(r, k)`` matrix), ``ctx.best_scores`` (``best(r)``);
* float expressions for terms: ``ctx.linear([(var, coef), ...], constant)``,
  ``ctx.constant(value)``, ``ctx.sum(parts)``; the builder scales them to integers
  (:mod:`roomalloc.solver.linear`); a term whose expression only approximates its value
  declares the worst error with ``ctx.declare_tolerance(amount)`` so bounds stay honest;
* guards for diagnosis: ``ctx.enforce(constraint)`` makes a constraint conditional on the
  guard of the requirement being added (a custom rule as a whole, or the ``requirement``
  given); ``ctx.guard(requirement)`` returns that literal, or ``None`` when the model is not
  guarded; ``ctx.forbid(requirement)`` states that a requirement cannot hold.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.solver import build_model
>>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1"), Resident(id="r2", excluded_rooms=("B",))])
>>> ctx = build_model(p).context
>>> sorted(ctx.placements["r2"]), sorted(ctx.occupants["A"])
(['A'], ['r1', 'r2'])
>>> [s.residents for s in ctx.segments("A")]
[('r1', 'r2')]
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from ortools.sat.python import cp_model

from roomalloc.domain.model import Problem, Resident, Room
from roomalloc.rules.requirements import Requirement
from roomalloc.solver.candidates import Candidates, FloatMatrix
from roomalloc.solver.linear import Linear, Operand
from roomalloc.solver.segments import binding_segments, room_segments

if TYPE_CHECKING:
    from roomalloc.plugins import BuildContext as PluginContext


@dataclass(frozen=True)
class RoomSegment:
    """Nights of one room from ``first_night`` to the next night a candidate's stay starts.

    ``residents``: the candidates of the room present on ``first_night`` (``None``: the room's
    only segment, covering all time). Every later night of the segment holds a subset of them.
    """

    room: str
    first_night: dt.date | None
    residents: tuple[str, ...]


class OutOfTime(Exception):
    """The model could not be built before its deadline (the partial model is dropped)."""


def in_time(deadline: float | None) -> None:
    """Raise :class:`OutOfTime` once ``deadline`` (on :func:`time.perf_counter`) has passed.

    >>> in_time(None), in_time(time.perf_counter() + 60)
    (None, None)
    """
    if deadline is not None and time.perf_counter() > deadline:
        raise OutOfTime


#: Placement variables created between two looks at the deadline.
_DEADLINE_EVERY = 50_000
#: The whole build takes about this many times its placements' time (13 of 33 s for a
#: 1,000-resident campus): the placements' pace tells early whether the build can fit.
BUILD_OVER_PLACEMENTS = 2.5


class BuildContext:
    """The model under construction and everything a plug-in needs (see the module docstring).

    It implements :class:`roomalloc.plugins.BuildContext`, the protocol plug-ins are typed
    against; its other members (``_current``, the tolerance so far) are the builder's.
    """

    def __init__(
        self,
        problem: Problem,
        model: cp_model.CpModel,
        candidates: Candidates,
        *,
        guarded: bool = False,
        deadline: float | None = None,
    ) -> None:
        self.problem = problem
        self.deadline = deadline
        self.model = model
        self.candidates = candidates
        self.guarded = guarded
        self.guards: dict[Requirement, cp_model.IntVar] = {}
        self.placements: dict[str, dict[str, cp_model.IntVar]] = {
            r.id: {} for r in problem.residents
        }
        self.occupants: dict[str, dict[str, cp_model.IntVar]] = {k.id: {} for k in problem.rooms}
        self._housed: dict[str, cp_model.IntVar] = {}
        #: Pair literals of :meth:`together`, by variable index: ``(resident, resident, room)``.
        self.pairs: dict[int, tuple[str, str, str]] = {}
        # Own lookups: a Problem made with model_copy(update=...) may carry stale cached ones.
        self._rooms = {k.id: k for k in problem.rooms}
        self._residents = {r.id: r for r in problem.residents}
        self._segments: dict[tuple[str, bool], tuple[RoomSegment, ...]] = {}
        self._tolerance = 0.0
        self._current: Requirement | None = None
        self.false = model.new_bool_var("false")
        model.add_bool_or([~self.false])
        self._create_placements()

    def in_time(self) -> None:
        """Raise :class:`OutOfTime` once the build's deadline has passed (long loops call it)."""
        in_time(self.deadline)

    def _create_placements(self) -> None:
        res_ids, room_ids = self.candidates.resident_ids, self.candidates.room_ids
        rows, cols = np.nonzero(self.candidates.allowed)
        new = self.model.new_bool_var
        pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
        began, total = time.perf_counter(), len(pairs)
        for n, (i, j) in enumerate(pairs):
            if n % _DEADLINE_EVERY == 0 and n and self.deadline is not None:
                # Give up as soon as the pace so far says the whole build cannot fit: a
                # partial model left at the deadline takes long to free (17 s at 2,000
                # residents on a loaded machine).
                projected = (time.perf_counter() - began) * total / n
                in_time(self.deadline - BUILD_OVER_PLACEMENTS * projected + projected * n / total)
            r, k = res_ids[i], room_ids[j]
            var = new(f"x[{r}|{k}]")
            self.placements[r][k] = var
            self.occupants[k][r] = var
        for r in res_ids:
            rooms = self.placements[r]
            if not rooms:
                self._housed[r] = self.false
                continue
            h = new(f"housed[{r}]")
            # Exactly one of "unhoused" and each room: at most one room, and h is their sum.
            self.model.add_exactly_one([*rooms.values(), ~h])
            self._housed[r] = h

    # --- placements and the problem ---------------------------------------------------------

    def placement(self, resident_id: str, room_id: str) -> cp_model.IntVar | None:
        """The literal "resident is placed in room", or ``None`` if the static rules forbid it."""
        return self.placements[resident_id].get(room_id)

    def housed(self, resident_id: str) -> cp_model.IntVar:
        """The literal "resident gets a room" (fixed false when no room is allowed)."""
        return self._housed[resident_id]

    def together(self, resident_a: str, resident_b: str, room_id: str) -> cp_model.IntVar:
        """A new literal that can be true only when both residents are placed in the room.

        It implies both placements but not the converse: give it a positive objective value
        (the ``roommates`` term does) and it equals "both are here" at an optimum. Bounds that
        reason about whole rooms (:mod:`roomalloc.solver.configurations`) recognise it. Both
        placements must exist (:meth:`placement` is not ``None``).

        >>> from roomalloc import Problem, Room, Resident
        >>> from roomalloc.solver import build_model
        >>> ctx = build_model(Problem(rooms=[Room(id="A", capacity=2)],
        ...                           residents=[Resident(id="a"), Resident(id="b")])).context
        >>> both = ctx.together("a", "b", "A")
        >>> ctx.pairs[both.index]
        ('a', 'b', 'A')
        """
        xa, xb = self.placements[resident_a][room_id], self.placements[resident_b][room_id]
        both = self.model.new_bool_var(f"together[{resident_a}|{resident_b}|{room_id}]")
        self.model.add_implication(both, xa)
        self.model.add_implication(both, xb)
        self.pairs[both.index] = (resident_a, resident_b, room_id)
        return both

    def resident(self, resident_id: str) -> Resident:
        """The resident with this id."""
        return self._residents[resident_id]

    def room(self, room_id: str) -> Room:
        """The room with this id."""
        return self._rooms[room_id]

    def overlaps(self, resident_a: str, resident_b: str) -> bool:
        """Whether two residents' stays share a night (no stay overlaps everything)."""
        c = self.candidates
        i, j = c.resident_index[resident_a], c.resident_index[resident_b]
        return bool(c.starts[i] < c.ends[j] and c.starts[j] < c.ends[i])

    def segments(self, room_id: str, *, binding: bool = False) -> tuple[RoomSegment, ...]:
        """The stay segments of a room over its candidates (:mod:`roomalloc.solver.segments`)."""
        key = (room_id, binding)
        cached = self._segments.get(key)
        if cached is None:
            c = self.candidates
            members = np.array(
                [c.resident_index[r] for r in self.occupants[room_id]], dtype=np.int64
            )
            found = (binding_segments if binding else room_segments)(c.starts, c.ends, members)
            cached = tuple(
                RoomSegment(room_id, s.date, tuple(c.resident_ids[m] for m in s.members))
                for s in found
            )
            self._segments[key] = cached
        return cached

    @property
    def scores(self) -> FloatMatrix:
        """``score(r, k)`` for every resident (row) and room (column), in problem order."""
        return self.candidates.scores

    @cached_property
    def best_scores(self) -> dict[str, float]:
        """``best(r)`` of the fairness term, per resident id."""
        from roomalloc.verify.evaluation import best_scores

        return best_scores(self.problem)

    # --- expressions for terms --------------------------------------------------------------

    def linear(
        self, pairs: Iterable[tuple[cp_model.IntVar, float]] = (), constant: float = 0.0
    ) -> Linear:
        """A float-coefficient expression ``sum(coef * var) + constant``."""
        return Linear.of(pairs, constant)

    def constant(self, value: float) -> Linear:
        """A constant expression."""
        return Linear.of((), value)

    def sum(self, parts: Iterable[Operand]) -> Linear:
        """The sum of expressions, variables and numbers."""
        out = Linear()
        for part in parts:
            out.add(part)
        return out

    def declare_tolerance(self, amount: float) -> None:
        """The term being added may differ from its true value by up to ``amount`` (raw units)."""
        self._tolerance += abs(float(amount))

    def new_bool(self, name: str = "") -> cp_model.IntVar:
        """A new Boolean variable."""
        return self.model.new_bool_var(name)

    def new_int(self, low: int, high: int, name: str = "") -> cp_model.IntVar:
        """A new integer variable in ``[low, high]``."""
        return self.model.new_int_var(low, high, name)

    # --- guards -----------------------------------------------------------------------------

    def guard(self, requirement: Requirement | None = None) -> cp_model.IntVar | None:
        """The guard literal of ``requirement`` (default: the custom rule being added).

        ``None`` when the model is not guarded, or there is no requirement.
        """
        requirement = requirement or self._current
        if not self.guarded or requirement is None:
            return None
        lit = self.guards.get(requirement)
        if lit is None:
            subjects = "|".join(requirement.subjects)
            lit = self.model.new_bool_var(f"guard[{requirement.kind}:{subjects}]")
            self.guards[requirement] = lit
        return lit

    def enforce(self, constraint: Any, requirement: Requirement | None = None) -> Any:
        """Make ``constraint`` conditional on the requirement's guard (when guarded)."""
        lit = self.guard(requirement)
        if lit is not None:
            constraint.only_enforce_if(lit)
        return constraint

    def forbid(self, requirement: Requirement | None = None) -> None:
        """State that the requirement cannot hold (the model is infeasible unless guarded)."""
        self.enforce(self.model.add_bool_or([self.false]), requirement)


if TYPE_CHECKING:

    def _implements_the_protocol(ctx: BuildContext) -> PluginContext:
        return ctx  # mypy fails here if the class stops offering a member of the protocol
