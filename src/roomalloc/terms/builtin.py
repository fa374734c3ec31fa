"""The built-in objective terms of the contract, written with the public :class:`Term` API.

Each term's value comes from :mod:`roomalloc.evaluation` (the allocation alone); its model
expression is added by :meth:`add_to_model` through the solver's build context.
"""

from __future__ import annotations

from typing import Any

from roomalloc import evaluation
from roomalloc.model import Problem
from roomalloc.terms.base import Assignments, Term, register_term


class Housed(Term):
    """Sum of ``priority`` over housed residents (maximise)."""

    name = "housed"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.housed_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class Preferences(Term):
    """Sum of each housed resident's preference score for their room (maximise)."""

    name = "preferences"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.preferences_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class RoommatesTerm(Term):
    """Met roommate wishes: ordered pairs (r, s), s in r.want, sharing a room (maximise)."""

    name = "roommates"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.roommates_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class Cost(Term):
    """Sum of the bed cost of each housed resident's room (minimise)."""

    name = "cost"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.cost_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class RoomsUsed(Term):
    """Number of rooms with at least one resident (minimise)."""

    name = "rooms_used"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.rooms_used_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class Moves(Term):
    """Residents with a ``current_room`` not housed in it (minimise)."""

    name = "moves"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.moves_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


class Fairness(Term):
    """The worst housed resident's share of their best achievable score (maximise)."""

    name = "fairness"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.fairness_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        raise NotImplementedError


BUILTIN_TERMS: tuple[Term, ...] = tuple(
    register_term(t, replace=True)
    for t in (Housed(), Preferences(), RoommatesTerm(), Cost(), RoomsUsed(), Moves(), Fairness())
)
