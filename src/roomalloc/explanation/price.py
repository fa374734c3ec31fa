"""The price of one placement: re-solve with it forced, then compare objectives and rooms.

The solver's model of the problem (:func:`roomalloc.solver.build_model`, the same model
:func:`roomalloc.solve` uses) is built once; each placement is then forced by passing its
placement literal to CP-SAT as an *assumption*, with the given allocation as the hint. Nothing
in the problem changes (so ``current_room``, the ``moves`` term and fairness's ``best(r)`` are
the contract's), and pricing several rooms costs one model build. The re-solved allocation is
scored with :func:`roomalloc.evaluate`; the change is never read from the solver.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=(Preference(room="A", weight=5),)),
...                        Resident(id="r2", preferences=(Preference(room="A", weight=1),))])
>>> pr = price(p, {"r1": "A", "r2": "B"}, "r2", "A", time_limit=5)
>>> pr.change, [(m.resident, m.before, m.after) for m in pr.moves]
(-4.0, [('r1', 'A', 'B')])
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from roomalloc.domain.errors import Issue, ProblemError
from roomalloc.domain.model import Problem, Resident, Result, Room
from roomalloc.rules.base import Rule
from roomalloc.verify.evaluation import evaluate
from roomalloc.verify.verifier import check

from .edit import with_changes
from .reasons import Placement, own_rule_reasons
from .rooms import RoomTable
from .types import Move, Price
from .whatif import EPSILON
from .words import ENGLISH, Phrase

if TYPE_CHECKING:
    from roomalloc.solver import BuiltModel

Assignments = Mapping[str, "str | None"]


@dataclass(frozen=True)
class _Run:
    """One search's answer: status, allocation, the model's objective and every value."""

    status: str
    assignments: dict[str, str | None]
    value: float | None = None
    values: list[int] = field(default_factory=list)


class Pricer:
    """Prices placements of one allocation; the solver's model is built once, on first use."""

    def __init__(
        self,
        problem: Problem,
        result_or_assignments: Result | Assignments,
        *,
        rules: Sequence[Rule] = (),
        time_limit: float = 10.0,
        workers: int = 1,
        seed: int = 0,
    ) -> None:
        self.problem = problem
        if isinstance(result_or_assignments, Result):
            self.assignments = dict(result_or_assignments.assignments)
            self.given_optimal = result_or_assignments.status == "optimal"
        else:
            self.assignments = dict(result_or_assignments)
            self.given_optimal = False
        self.rules = tuple(rules)
        self.time_limit = time_limit
        self.workers = workers
        self.seed = seed
        self.before = evaluate(problem, self.assignments)

    @cached_property
    def built(self) -> BuiltModel:
        """The solver's model of the problem (with the objective)."""
        from roomalloc.solver import build_model

        return build_model(self.problem, rules=self.rules)

    @cached_property
    def table(self) -> RoomTable:
        """Every room's arrays, for finding evicted occupants a free bed."""
        return RoomTable(self.problem)

    @cached_property
    def placement(self) -> Placement:
        """The given allocation room by room (for building hints)."""
        return Placement(self.problem, self.assignments, self.rules)

    def hint(self, resident: str, room: str) -> dict[str, str | None]:
        """The given allocation with ``resident`` in ``room``, repaired where it is cheap.

        Occupants who would clash with the newcomer make way (the lowest priority first when the
        room is merely full) and take the newcomer's old bed if they may, else go unhoused. A
        valid hint lets CP-SAT start from a solution instead of searching for one.
        """
        problem, place = self.problem, self.placement
        mover, target = problem.resident(resident), problem.room(room)
        hint = dict(self.assignments)
        old = hint.get(resident)
        hint[resident] = room
        clashing = sorted(
            (o for o in place.occupants(room, (resident,)) if o.overlaps(mover)),
            key=lambda o: (o.required or o.locked, o.priority),
        )
        evicted = [o.id for o in clashing if place.pair_rules(mover, o)]
        for o in clashing:
            if "full" not in place.room_blocks(mover, target, without=tuple(evicted)):
                break
            if o.id not in evicted:
                evicted.append(o.id)
        home = problem.room(old) if old is not None else None
        for e in evicted:
            hint[e] = None
        for e in evicted:
            hint[e] = self._rehome(problem.resident(e), hint, first=home, avoid=room)
        return hint

    def _rehome(self, person: Resident, hint: dict[str, str | None], *, first: Room | None,
                avoid: str) -> str | None:
        """A room with a free bed ``person`` may take in ``hint`` (``first`` tried first).

        Housing an evicted occupant elsewhere, rather than leaving them unhoused, keeps the
        repaired hint close in value to the given allocation: an unhoused resident costs the
        weight of being housed, which a short re-solve may never win back.
        """
        if self.placement.personal_block(person):
            return None
        place = Placement(self.problem, hint, self.rules)
        table = self.table
        allowed = table.allowed(table.own_rule_masks(person))
        scores = table.scores(person)
        ix = np.flatnonzero(allowed)
        order = [int(i) for i in ix[np.lexsort((ix, -scores[ix]))]]
        if first is not None and first.id in table.index:
            order.insert(0, table.index[first.id])
        for i in order:
            target = table.rooms[i]
            if target.id == avoid or own_rule_reasons(person, target):
                continue
            if not place.room_blocks(person, target):
                if self.rules and place.rule_reasons(person, target):
                    continue
                return target.id
        return None

    def _run(
        self, x: Any, hint: Mapping[str, str | None], seconds: float, *, quick: bool
    ) -> _Run:
        """One CP-SAT run with the placement literal ``x`` assumed true."""
        from ortools.sat.python import cp_model

        from roomalloc.solver.cpsat import configure, status_name

        model = self.built.model
        if check(self.problem, dict(hint)).ok:
            # A full hint (helper variables too) is found at once; a placement-only hint may
            # not be completed by CP-SAT within a short limit.
            self.built.complete_hint(dict(hint), time_limit=max(0.05, 0.1 * seconds))
        else:
            self.built.add_hint(dict(hint))
        model.clear_assumptions()
        model.add_assumptions([x])
        solver = cp_model.CpSolver()
        # quick: straight from the hint, no presolve, no LP; finds the repaired hint at once
        # where the full search (at a few hundred residents) may find nothing in time. Else as
        # roomalloc.solve does: the LP relaxation with cuts is what proves optimality.
        configure(solver, time_limit=max(0.1, float(seconds)), workers=int(self.workers),
                  seed=int(self.seed), presolve=False if quick else None,
                  linearization_level=0 if quick else 2)
        code = solver.solve(model)
        model.clear_assumptions()
        status = status_name(code)
        if status in ("infeasible", "unknown"):
            return _Run(status, {})
        return _Run(status, self.built.assignments(solver.boolean_value),
                    float(solver.objective_value), list(solver.response_proto.solution))

    def _fewest_moves(self, x: Any, run: _Run, seconds: float) -> dict[str, str | None] | None:
        """An allocation as good as ``run``'s, with the placement, moving the fewest residents.

        A re-solve is free to relabel equal rooms and reshuffle residents whose rooms are
        worth the same to everyone; a second search keeps the objective at least as good as
        ``run``'s (the model's own integer objective as a constraint) and minimises how many
        residents leave the room they have in the given allocation.
        """
        from ortools.sat.python import cp_model

        from roomalloc.solver.cpsat import configure, found

        scaled = self.built.objective
        if scaled is None or not scaled.variables or run.value is None or seconds < 0.05:
            return None
        model = self.built.model.clone()
        model.clear_hints()  # type: ignore[no-untyped-call]
        model.clear_assumptions()

        def same(v: Any) -> Any:
            ref = v.index
            if ref >= 0:
                return model.get_int_var_from_proto_index(ref)
            return ~model.get_bool_var_from_proto_index(-ref - 1)

        model.add_bool_or([same(x)])
        kept = cp_model.LinearExpr.weighted_sum([same(v) for v in scaled.variables],
                                                scaled.coefficients)
        model.add(kept >= round(run.value))
        ctx = self.built.context
        leaving = []
        for rid, rooms in ctx.placements.items():
            given = self.assignments.get(rid)
            if given is None:
                if rooms:
                    leaving.append(same(ctx.housed(rid)))
            elif given in rooms:
                leaving.append(~same(rooms[given]))
        model.minimize(cp_model.LinearExpr.sum(leaving))
        for index, value in enumerate(run.values):
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        solver = cp_model.CpSolver()
        configure(solver, time_limit=float(seconds), workers=int(self.workers),
                  seed=int(self.seed))
        if not found(solver.solve(model)):
            return None
        return self.built.assignments(solver.boolean_value)

    def _solve(self, resident: str, room: str) -> tuple[str, dict[str, str | None]]:
        """The best allocation with the placement: the repaired hint, a quick run, a full run.

        The status is the full run's (``optimal`` proves the allocation best with the
        placement); when no run finds anything the repaired hint, if it keeps every rule, is
        the answer found (``feasible``). What time is left then goes to moving fewer
        residents (:meth:`_fewest_moves`).
        """
        deadline = time.monotonic() + self.time_limit
        x = self.built.context.placement(resident, room)
        if x is None:
            # The static rules (or a lock) already rule the placement out.
            return "infeasible", {}
        hint = self.hint(resident, room)
        found: list[_Run] = []
        if check(self.problem, dict(hint)).ok:
            found.append(_Run("feasible", hint))
        quick = self._run(x, hint, 0.2 * (deadline - time.monotonic()), quick=True)
        if quick.status == "infeasible":
            return "infeasible", {}
        if quick.assignments:
            found.append(quick)
        status = quick.status
        if status != "optimal":
            start = max(found, key=self._run_value).assignments if found else hint
            full = self._run(x, start, 0.7 * (deadline - time.monotonic()), quick=False)
            if full.status == "infeasible":
                return "infeasible", {}
            if full.assignments:
                found.append(full)
            status = full.status if full.status == "optimal" else "feasible"
        if not found:
            return "unknown", {}
        best = max(found, key=self._run_value)
        if status == "optimal":
            best = next(r for r in reversed(found) if r.status == "optimal")
        fewer = self._fewest_moves(x, best, deadline - time.monotonic())
        after = best.assignments
        if fewer is not None and check(self.problem, dict(fewer)).ok and (
            self._value(fewer) >= self._value(after) - 1e-9
        ):
            after = fewer
        return status, after

    def _run_value(self, run: _Run) -> float:
        return self._value(run.assignments)

    def _value(self, assignments: Mapping[str, str | None]) -> float:
        return evaluate(self.problem, dict(assignments)).objective

    def price(self, resident: str, room: str) -> Price:
        """The what-if of placing ``resident`` in ``room``."""
        issues = []
        if resident not in self.problem.residents_by_id:
            issues.append(Issue("resident", f"{resident!r} is not a resident of the problem"))
        if room not in self.problem.rooms_by_id:
            issues.append(Issue("room", f"{room!r} is not a room of the problem"))
        if issues:
            raise ProblemError(issues, what="what-if")
        if self.built.context.placement(resident, room) is None:
            return self._impossible(resident, room)
        status, after = self._solve(resident, room)
        before = self.before
        base = {"resident": resident, "room": room}
        if status in ("infeasible", "unknown"):
            phrase = (
                self._why_infeasible(resident, room)
                if status == "infeasible"
                else Phrase("price_unknown", {**base, "seconds": self.time_limit})
            )
            return Price(
                resident=resident, room=room, status=status, before=before.objective,
                after=None, change=None, proven=status == "infeasible", moves=(),
                text=ENGLISH.render(phrase), phrase=phrase,
            )
        after_eval = evaluate(self.problem, after)
        change = after_eval.objective - before.objective
        term_changes = {
            t: after_eval.contributions.get(t, 0.0) - before.contributions.get(t, 0.0)
            for t in after_eval.contributions
        }
        moves = tuple(
            Move(r.id, self.assignments.get(r.id), after.get(r.id))
            for r in self.problem.residents
            if r.id != resident and self.assignments.get(r.id) != after.get(r.id)
        )
        # The figure is exact (against the given allocation) when the re-solve proved its
        # allocation the best with the placement; otherwise it is the best found.
        proven = status == "optimal"
        phrase = _price_phrase(resident, room, change, proven, self.time_limit, moves)
        return Price(
            resident=resident, room=room, status=status, before=before.objective,
            after=after_eval.objective, change=change, proven=proven, moves=moves,
            term_changes=term_changes, text=ENGLISH.render(phrase), phrase=phrase,
        )

    def _why_infeasible(self, resident: str, room: str) -> Phrase:
        """Which rules clash with the placement: the diagnosis of the problem with it fixed."""
        from .diagnose import diagnose

        forced = tuple(
            # Required, and every other room excluded: the diagnosis then says "must be
            # housed; their own rules allow <room>", which is the placement in words.
            r.model_copy(update={"required": True, "excluded_rooms": tuple(
                k.id for k in self.problem.rooms if k.id != room)})
            if r.id == resident else r
            for r in self.problem.residents
        )
        found = diagnose(with_changes(self.problem, residents=forced), rules=self.rules,
                         time_limit=self.time_limit, step_limit=self.time_limit, seed=self.seed,
                         verify=False)
        if found.feasible is False and found.messages:
            gist, *lines = found.messages
            why = gist.rstrip(":") + (": " + "; ".join(x.lstrip("- ") for x in lines)
                                      if lines else "")
            return Phrase("price_clash", {"resident": resident, "room": room, "why": why})
        return Phrase("price_infeasible", {"resident": resident, "room": room})

    def _impossible(self, resident: str, room: str) -> Price:
        """A placement the resident's own requirements or a lock rule out, with the rule."""
        person, target = self.problem.resident(resident), self.problem.room(room)
        why = own_rule_reasons(person, target) or self.placement.reasons(person, target)
        phrase = (
            Phrase("price_static", {"resident": resident, "room": room, "why": why[0].phrase})
            if why else Phrase("price_infeasible", {"resident": resident, "room": room})
        )
        return Price(resident=resident, room=room, status="infeasible",
                     before=self.before.objective, after=None, change=None, proven=True,
                     moves=(), text=ENGLISH.render(phrase), phrase=phrase)


def _price_phrase(resident: str, room: str, change: float, proven: bool, seconds: float,
                  moves: Sequence[Move]) -> Phrase:
    base = {"resident": resident, "room": room}
    if change < -EPSILON:
        verdict = Phrase("price_cost_exact" if proven else "price_cost_at_most",
                         {**base, "points": -change, "seconds": seconds})
    elif change > EPSILON:
        verdict = Phrase("price_gain", {**base, "points": change})
    else:
        verdict = Phrase("price_tie_exact" if proven else "price_tie", base)
    if not moves:
        return Phrase("price_sentence", {"verdict": verdict, "who": Phrase("price_no_moves")})
    changed = tuple(
        Phrase("price_move", {"resident": m.resident, "before": m.before, "after": m.after})
        for m in moves if m.before is not None and m.after is not None
    )
    who: list[Phrase] = []
    if changed:
        who.append(Phrase("price_moves", {"movers": changed}))
    housed = tuple(Phrase("price_housed", {"resident": m.resident, "after": m.after})
                   for m in moves if m.before is None)
    if housed:
        who.append(Phrase("list", {"items": housed}))
    lost = tuple(m.resident for m in moves if m.after is None)
    if lost:
        who.append(Phrase("effect_unhoused", {"people": lost}))
    return Phrase("price_sentence", {"verdict": verdict, "who": Phrase("list", {"items": tuple(
        who)})})


def price(
    problem: Problem,
    result_or_assignments: Result | Assignments,
    resident: str,
    room: str,
    *,
    rules: Sequence[Rule] = (),
    time_limit: float = 10.0,
    workers: int = 1,
    seed: int = 0,
) -> Price:
    """The what-if of placing ``resident`` in ``room``: the objective change and who else moves.

    ``change`` is the re-solved objective minus the given allocation's (negative: the
    placement costs that much). It is ``proven`` only when the re-solve is optimal and the given
    allocation was optimal too; otherwise it is the best found within ``time_limit``. To price
    several placements of one allocation, :class:`Pricer` builds the model only once.
    """
    pricer = Pricer(problem, result_or_assignments, rules=rules, time_limit=time_limit,
                    workers=workers, seed=seed)
    return pricer.price(resident, room)
