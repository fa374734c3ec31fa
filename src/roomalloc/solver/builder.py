"""Build the CP-SAT model of a problem: placements, every hard rule, and the objective.

The builder has no special case per rule or term: it creates the placement variables from the
candidate matrix, asks every rule plug-in (the built-in ones, then the custom ones) to add its
constraints, asks every objective term named by ``problem.objective`` (looked up in the term
registry) for its expression, and scales the weighted sum to integers.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1)],
...             residents=[Resident(id="r1", required=True), Resident(id="r2")])
>>> built = build_model(p)
>>> built.stats["placement_variables"]
2
>>> guarded = build_model(p, objective=False, guarded=True)
>>> sorted(str(r) for r in guarded.guards)
['r1 must be housed', 'room A has 1 bed']
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from roomalloc.domain.errors import PluginError
from roomalloc.domain.model import Problem, TermSpec
from roomalloc.rules.base import Rule
from roomalloc.rules.requirements import Requirement
from roomalloc.solver.candidates import Candidates, candidate_matrix
from roomalloc.solver.context import BUILD_OVER_PLACEMENTS, BuildContext, in_time
from roomalloc.solver.cpsat import configure, found
from roomalloc.solver.linear import Linear, Scaled, scale
from roomalloc.terms import Term, get_term


@dataclass
class BuiltModel:
    """A built CP-SAT model with what is needed to read a solution back.

    ``guards`` (only with ``guarded=True``) maps each :class:`Requirement` to its literal; pass
    them as assumptions to switch requirements on. ``objective`` is ``None`` when the model has
    no objective (``objective=False``, or every weight is 0). ``tolerance`` is the largest
    possible difference (objective units) between CP-SAT's descaled objective and the true one.
    """

    model: cp_model.CpModel
    context: BuildContext
    candidates: Candidates
    guards: dict[Requirement, cp_model.IntVar]
    objective: Scaled | None
    tolerance: float
    stats: dict[str, int] = field(default_factory=dict)

    def assignments(self, value: Any) -> dict[str, str | None]:
        """Every resident's room under ``value`` (a solver's or callback's ``boolean_value``)."""
        out: dict[str, str | None] = {}
        for r, rooms in self.context.placements.items():
            out[r] = next((k for k, x in rooms.items() if value(x)), None)
        return out

    def add_hint(self, assignments: dict[str, str | None]) -> None:
        """Use an allocation as CP-SAT's solution hint (unknown ids are ignored)."""
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        for r, rooms in self.context.placements.items():
            if r not in assignments:
                continue
            chosen = assignments[r]
            if not rooms:
                continue  # housed is the shared constant false literal: nothing to hint
            for k, x in rooms.items():
                model.add_hint(x, k == chosen)
            model.add_hint(self.context.housed(r), chosen in rooms)

    def complete_hint(self, assignments: dict[str, str | None], time_limit: float) -> bool:
        """Hint every variable, not only the placements: ``True`` if that was possible.

        The helper variables (roommate pairs, gender flags, custom plug-ins' own variables)
        get the values that go with the allocation, found by a short search with the
        placements fixed that keeps the objective, so the hint is worth what the allocation
        is. CP-SAT otherwise spends minutes repairing a partial hint on large models (116 s
        for a 1,000-resident campus, against about 5 s for this completion). When the
        allocation breaks a rule, or the search runs out of time, the placement hint stays.
        """
        if time_limit <= 0:
            self.add_hint(assignments)
            return False
        # The objective stays: with the placements fixed, helper variables that only the
        # objective pushes up (a roommate pair's "together") would otherwise come back 0, and
        # the hint would be worth less than the allocation (on a 1,000-resident campus it lost
        # the allocation's whole roommates contribution).
        fixed = self.model.clone()
        fixed.clear_hints()  # type: ignore[no-untyped-call]
        var = fixed.get_bool_var_from_proto_index
        for r, rooms in self.context.placements.items():
            chosen = assignments.get(r)
            for k, x in rooms.items():
                lit = var(x.index)
                fixed.add_bool_or([lit if k == chosen else ~lit])
        solver = cp_model.CpSolver()
        configure(solver, time_limit=float(time_limit), workers=1, linearization_level=0,
                  catch_sigint=False)
        if not found(solver.solve(fixed)):
            self.add_hint(assignments)
            return False
        values = solver.response_proto.solution
        model = self.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        get = model.get_int_var_from_proto_index
        for index, value in enumerate(values):
            model.add_hint(get(index), int(value))
        return True


def _builtin_rules() -> tuple[Rule, ...]:
    from roomalloc.rules.builtin import BUILTIN_RULES

    return BUILTIN_RULES


def _add_rules(ctx: BuildContext, rules: Sequence[Rule], deadline: float | None = None) -> None:
    for rule in _builtin_rules():
        rule.add_to_model(ctx)
        in_time(deadline)
    seen: set[str] = {r.name for r in _builtin_rules()}
    for rule in rules:
        if not isinstance(rule, Rule) or not rule.name:
            raise PluginError(f"{rule!r} is not a named roomalloc.rules.Rule")
        if rule.name in seen:
            raise PluginError(f"two rules are named {rule.name!r}")
        seen.add(rule.name)
        ctx._current = Requirement("rule", (rule.name,), f"custom rule {rule.name}")
        try:
            rule.add_to_model(ctx)
        finally:
            ctx._current = None
        in_time(deadline)


def objective_terms(problem: Problem) -> list[tuple[TermSpec, Term]]:
    """Each weighted term of ``problem``'s objective with its registered :class:`Term`.

    Raises :class:`PluginError` for a term that is not registered.

    >>> from roomalloc import Problem
    >>> [spec.term for spec, _ in objective_terms(Problem())][:2]
    ['housed', 'preferences']
    """
    out = []
    for spec in problem.objective:
        if spec.weight == 0:
            continue
        try:
            out.append((spec, get_term(spec.term)))
        except KeyError:
            raise PluginError(
                f"objective term {spec.term!r} is not registered; register it with "
                "roomalloc.register_term before solving"
            ) from None
    return out


def _objective(ctx: BuildContext, problem: Problem) -> tuple[Linear, float]:
    """The weighted objective as one float expression, and its total declared tolerance."""
    total = Linear()
    tolerance = 0.0
    for spec, term in objective_terms(problem):
        in_time(ctx.deadline)
        before = ctx._tolerance
        expr = term.add_to_model(ctx)
        try:
            linear = Linear.coerce(expr)
        except TypeError as err:
            raise PluginError(f"term {spec.term!r}: add_to_model returned {err}") from None
        sign = 1.0 if term.sense == "maximize" else -1.0
        total.add(linear, sign * spec.weight)
        tolerance += spec.weight * (ctx._tolerance - before)
    return total, tolerance


def build_model(
    problem: Problem,
    *,
    rules: Sequence[Rule] = (),
    objective: bool = True,
    guarded: bool = False,
    candidates: Candidates | None = None,
    deadline: float | None = None,
) -> BuiltModel:
    """The CP-SAT model of ``problem`` with the built-in and the given custom ``rules``.

    ``objective=False`` leaves the objective out (a feasibility model). ``guarded=True`` gives
    every requirement (:class:`Requirement`: each required or locked resident, each group,
    avoid pair and private resident, each room's capacity and gender mixing, each custom rule)
    its own guard literal, and keeps locks out of the candidate matrix so that they can be
    switched off too; a diagnosis passes the guards to CP-SAT as assumptions.
    ``candidates`` replaces the problem's own candidate matrix: a model over fewer pairs
    (:func:`roomalloc.solver.shortlist.shortlist`), whose allocations are allocations of the
    problem but whose bound is not its bound. ``deadline`` (on :func:`time.perf_counter`)
    makes the build give up with :class:`roomalloc.solver.context.OutOfTime` once it has
    passed, or as soon as the rest of the build cannot fit before it.
    """
    model = cp_model.CpModel()
    if candidates is None:
        candidates = candidate_matrix(problem, lock=not guarded)
    began = time.perf_counter()
    ctx = BuildContext(problem, model, candidates, guarded=guarded, deadline=deadline)
    placement_count = candidates.pair_count
    # Give up now rather than at the deadline when the rest cannot fit.
    if deadline is not None:
        in_time(deadline - (BUILD_OVER_PLACEMENTS - 1) * (time.perf_counter() - began))
    _add_rules(ctx, rules, deadline)
    scaled: Scaled | None = None
    tolerance = 0.0
    if objective:
        expr, tolerance = _objective(ctx, problem)
        in_time(deadline)
        if expr.variables():
            scaled = scale(expr, model)
            model.maximize(scaled.expression())
            tolerance += scaled.rounding
        elif any(spec.weight for spec in problem.objective):
            scaled = Scaled([], [], 1.0, expr.constant, 0.0)
    stats = {
        "placement_variables": placement_count,
        "variables": len(model.proto.variables),
        "constraints": len(model.proto.constraints),
    }
    return BuiltModel(model, ctx, candidates, dict(ctx.guards), scaled, tolerance, stats)
