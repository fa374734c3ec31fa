"""The plug-in boundary: :class:`BuildContext`, everything a rule or term may use to add itself.

:meth:`roomalloc.Rule.add_to_model` and :meth:`roomalloc.Term.add_to_model` receive one
``ctx`` argument typed as this protocol; the solver passes its own implementation
(:class:`roomalloc.solver.context.BuildContext`, checked against this protocol by mypy). A
plug-in that keeps to these members works with any solver version that keeps them; what the
members mean in detail is in ``docs/plugins.md``, "What a plug-in sees".

This module is on the checking side: it loads neither OR-Tools nor the solver (the CP-SAT types
below are only seen by type checkers).

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.solver import build_model
>>> p = Problem(rooms=[Room(id="A", capacity=2)], residents=[Resident(id="r1")])
>>> ctx = build_model(p).context
>>> isinstance(ctx, BuildContext), sorted(ctx.placements["r1"])
(True, ['A'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from roomalloc.domain.model import Problem, Resident, Room
    from roomalloc.rules.requirements import Requirement
    from roomalloc.solver.candidates import Candidates, FloatMatrix
    from roomalloc.solver.context import RoomSegment
    from roomalloc.solver.linear import Linear

#: What a term's ``add_to_model`` returns: a float expression (``ctx.linear(...)``), one
#: CP-SAT variable, or a number.
Expression: TypeAlias = "Linear | cp_model.IntVar | int | float"


@runtime_checkable
class BuildContext(Protocol):
    """The CP-SAT model under construction, as rule and term plug-ins see it.

    Placement variables exist only for the pairs the static rules allow (needs, budget,
    excluded rooms, room gender, closures, locks): a rule about such pairs adds nothing.
    Constraints inside the model take integer coefficients; a term's expression may use floats
    (:meth:`linear`), which the builder scales to integers.
    """

    # --- the model and the problem ----------------------------------------------------------

    @property
    def model(self) -> cp_model.CpModel:
        """The OR-Tools ``cp_model.CpModel`` being built."""

    @property
    def problem(self) -> Problem:
        """The problem: rooms, residents (with their ``attributes``), rules and objective."""

    @property
    def candidates(self) -> Candidates:
        """The static-rule matrices: ids, ``allowed``, ``scores``, stay ``starts``/``ends``."""

    @property
    def scores(self) -> FloatMatrix:
        """``score(r, k)`` for every resident (row) and room (column), in problem order."""

    @property
    def best_scores(self) -> Mapping[str, float]:
        """``best(r)`` of the fairness term, per resident id."""

    def resident(self, resident_id: str) -> Resident:
        """The resident with this id."""

    def room(self, room_id: str) -> Room:
        """The room with this id."""

    def overlaps(self, resident_a: str, resident_b: str) -> bool:
        """Whether two residents' stays share a night (no stay overlaps everything)."""

    def segments(self, room_id: str, *, binding: bool = False) -> tuple[RoomSegment, ...]:
        """The room's stay segments over its candidates (``binding``: not contained in another)."""

    # --- placement variables ----------------------------------------------------------------

    @property
    def placements(self) -> Mapping[str, Mapping[str, cp_model.IntVar]]:
        """``placements[resident_id][room_id]``: the literal "resident lives in room"."""

    @property
    def occupants(self) -> Mapping[str, Mapping[str, cp_model.IntVar]]:
        """``occupants[room_id][resident_id]``: the same literals by room."""

    def placement(self, resident_id: str, room_id: str) -> cp_model.IntVar | None:
        """One placement literal, or ``None`` when the static rules forbid the pair."""

    def housed(self, resident_id: str) -> cp_model.IntVar:
        """The literal "resident gets a room" (``false`` when no room is allowed)."""

    def together(self, resident_a: str, resident_b: str, room_id: str) -> cp_model.IntVar:
        """A new literal true only when both residents are in the room (it implies both)."""

    @property
    def pairs(self) -> Mapping[int, tuple[str, str, str]]:
        """``{literal index: (resident, resident, room)}`` of every :meth:`together` literal."""

    @property
    def false(self) -> cp_model.IntVar:
        """A literal fixed to false."""

    # --- new variables and float expressions for terms --------------------------------------

    def new_bool(self, name: str = "") -> cp_model.IntVar:
        """A new Boolean variable."""

    def new_int(self, low: int, high: int, name: str = "") -> cp_model.IntVar:
        """A new integer variable in ``[low, high]``."""

    def linear(
        self, pairs: Iterable[tuple[cp_model.IntVar, float]] = (), constant: float = 0.0
    ) -> Linear:
        """The float-coefficient expression ``sum(coef * var) + constant``."""

    def constant(self, value: float) -> Linear:
        """A constant expression."""

    def sum(self, parts: Iterable[Expression]) -> Linear:
        """The sum of expressions, variables and numbers."""

    def declare_tolerance(self, amount: float) -> None:
        """The term being added may differ from its true value by up to ``amount``."""

    # --- guards, for diagnosis --------------------------------------------------------------

    @property
    def guarded(self) -> bool:
        """Whether the model is built for diagnosis, with one guard literal per requirement."""

    @property
    def guards(self) -> Mapping[Requirement, cp_model.IntVar]:
        """The guard literal of each requirement made so far (empty unless ``guarded``)."""

    def guard(self, requirement: Requirement | None = None) -> cp_model.IntVar | None:
        """The guard of ``requirement`` (default: the custom rule being added), or ``None``."""

    def enforce(
        self, constraint: cp_model.Constraint, requirement: Requirement | None = None
    ) -> cp_model.Constraint:
        """Make ``constraint`` conditional on the requirement's guard; returns it."""

    def forbid(self, requirement: Requirement | None = None) -> None:
        """State that the requirement cannot hold (infeasible unless guarded and off)."""

    # --- time ------------------------------------------------------------------------------

    @property
    def deadline(self) -> float | None:
        """When the build gives up (:func:`time.perf_counter` seconds), or ``None``."""

    def in_time(self) -> None:
        """Raise :class:`roomalloc.solver.context.OutOfTime` once the deadline has passed."""
