"""The built-in objective terms of the contract, written with the public :class:`Term` API.

Each term's value comes from :mod:`roomalloc.verify.evaluation` (the allocation alone); its model
expression is added by :meth:`add_to_model` through the solver's build context. CP-SAT is
imported only inside ``add_to_model``, so scoring an allocation (and so the verifier) never
loads the solver library.
"""

from __future__ import annotations

from typing import Any

from roomalloc.domain.model import Problem
from roomalloc.terms.base import Assignments, Term, register_term
from roomalloc.verify import evaluation

#: Fairness ratios are rounded to multiples of 1 / FAIRNESS_SCALE inside the model.
FAIRNESS_SCALE = 10_000


class Housed(Term):
    """Sum of ``priority`` over housed residents (maximise)."""

    name = "housed"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.housed_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        return ctx.linear(
            (ctx.housed(r.id), r.priority) for r in ctx.problem.residents if ctx.placements[r.id]
        )


class Preferences(Term):
    """Sum of each housed resident's preference score for their room (maximise)."""

    name = "preferences"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.preferences_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        c = ctx.candidates
        pairs = []
        for i, rid in enumerate(c.resident_ids):
            if i % 100 == 0:
                ctx.in_time()  # a large model's build gives up at its deadline
            rooms = ctx.placements[rid]
            if not rooms:
                continue
            row = ctx.scores[i]
            for k, x in rooms.items():
                s = float(row[c.room_index[k]])
                if s != 0.0:
                    pairs.append((x, s))
        return ctx.linear(pairs)


class RoommatesTerm(Term):
    """Met roommate wishes: ordered pairs (r, s), s in r.want, sharing a room (maximise)."""

    name = "roommates"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.roommates_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        from ortools.sat.python import cp_model

        # One "both in room k" literal per wanted pair and shared candidate room, implying both
        # placements. The objective pushes it up, so it equals "x_a and x_b" at an optimum and
        # never exceeds the value (the bound stays valid); leaving out the converse clause
        # saves one constraint per literal. Pairs that can never share a room (avoid, private,
        # different genders under "forbid") get none, nor do one-bed rooms: there the literal
        # could only take 1/2 in the LP relaxation, loosening the bound (30 % of campus rooms).
        residents = {r.id: r for r in ctx.problem.residents}
        forbid = ctx.problem.rules.gender_mixing == "forbid"
        weight: dict[tuple[str, str], int] = {}
        for r in ctx.problem.residents:
            for s in dict.fromkeys(r.roommates.want):  # ordered: the model is the same each run
                other = residents.get(s)
                if other is None or s == r.id or not ctx.overlaps(r.id, s):
                    continue
                if (
                    r.private
                    or other.private
                    or s in r.roommates.avoid
                    or r.id in other.roommates.avoid
                    or (forbid and r.gender != other.gender)
                ):
                    continue
                key = (min(r.id, s), max(r.id, s))
                weight[key] = weight.get(key, 0) + 1
        pairs = []
        partners: dict[tuple[str, str], list[Any]] = {}
        partner_ids: dict[tuple[str, str], list[str]] = {}
        for (a, b), w in weight.items():
            rooms_b = ctx.placements[b]
            for k in ctx.placements[a]:
                if k not in rooms_b or ctx.room(k).capacity < 2:
                    continue  # a one-bed room never holds two residents whose stays overlap
                both = ctx.together(a, b, k)
                pairs.append((both, float(w)))
                partners.setdefault((a, k), []).append(both)
                partners.setdefault((b, k), []).append(both)
                partner_ids.setdefault((a, k), []).append(b)
                partner_ids.setdefault((b, k), []).append(a)
        # Cut: in room k a resident is together with at most capacity - 1 others, valid when
        # the resident and all partners share a night (intervals pairwise overlapping do).
        c = ctx.candidates
        for (r, k), lits in partners.items():
            beds = ctx.room(k).capacity
            if len(lits) > beds - 1:
                group = [c.resident_index[r]] + [c.resident_index[m] for m in partner_ids[(r, k)]]
                if c.starts[group].max() >= c.ends[group].min():
                    continue
                ctx.model.add(cp_model.LinearExpr.sum(lits) <= (beds - 1) * ctx.placements[r][k])
        return ctx.linear(pairs)


class Cost(Term):
    """Sum of the bed cost of each housed resident's room (minimise)."""

    name = "cost"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.cost_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        return ctx.linear(
            (x, ctx.room(k).cost)
            for rooms in ctx.placements.values()
            for k, x in rooms.items()
            if ctx.room(k).cost
        )


class RoomsUsed(Term):
    """Number of rooms with at least one resident (minimise)."""

    name = "rooms_used"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.rooms_used_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        pairs = []
        for k, occupants in ctx.occupants.items():
            if not occupants:
                continue
            used = ctx.new_bool(f"used[{k}]")
            for x in occupants.values():
                ctx.model.add_implication(x, used)
            ctx.model.add_bool_or(list(occupants.values())).only_enforce_if(used)
            pairs.append((used, 1.0))
        return ctx.linear(pairs)


class Moves(Term):
    """Residents with a ``current_room`` not housed in it (minimise)."""

    name = "moves"
    sense = "minimize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.moves_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        # value = (residents with a current room) - (those placed in it)
        movers = [r for r in ctx.problem.residents if r.current_room is not None]
        stays = [ctx.placement(r.id, r.current_room) for r in movers]
        return ctx.linear(((x, -1.0) for x in stays if x is not None), float(len(movers)))


class Fairness(Term):
    """The worst housed resident's share of their best achievable score (maximise)."""

    name = "fairness"
    sense = "maximize"

    def value(self, problem: Problem, assignments: Assignments) -> float:
        return evaluation.fairness_value(problem, assignments)

    def add_to_model(self, ctx: Any) -> Any:
        from ortools.sat.python import cp_model

        # F = min(SCALE, e_r for residents with best(r) > 0), e_r = SCALE * score/best of the
        # room when housed, SCALE when not; each ratio is rounded to 1/SCALE, declared as the
        # term's tolerance.
        scale = FAIRNESS_SCALE
        c = ctx.candidates
        best = ctx.best_scores
        exprs: list[Any] = []
        low = scale
        for i, rid in enumerate(c.resident_ids):
            b = best.get(rid, 0.0)
            rooms = ctx.placements[rid]
            if b <= 0 or not rooms:
                continue
            row = ctx.scores[i]
            coefs = [round(scale * float(row[c.room_index[k]]) / b) - scale for k in rooms]
            low = min(low, scale + min(coefs))
            exprs.append(cp_model.LinearExpr.weighted_sum(list(rooms.values()), coefs) + scale)
        if not exprs:
            return ctx.constant(1.0)
        worst = ctx.new_int(min(low, scale), scale, "fairness")
        ctx.model.add_min_equality(worst, [*exprs, scale])
        ctx.declare_tolerance(0.5 / scale)
        return ctx.linear([(worst, 1.0 / scale)])


BUILTIN_TERMS: tuple[Term, ...] = tuple(
    register_term(t, replace=True)
    for t in (Housed(), Preferences(), RoommatesTerm(), Cost(), RoomsUsed(), Moves(), Fairness())
)
