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

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from roomalloc.errors import Issue, ProblemError
from roomalloc.evaluation import evaluate
from roomalloc.model import Problem, Result
from roomalloc.rules.base import Rule

from .objective import change_words
from .reasons import Placement, own_rule_reasons
from .types import Move, Price
from .words import join_words, number

if TYPE_CHECKING:
    from roomalloc.solver import BuiltModel

Assignments = Mapping[str, "str | None"]


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
        mixing = problem.rules.gender_mixing == "forbid"
        evicted = [
            o.id
            for o in clashing
            if o.id in place.avoids.get(resident, ())
            or mover.private
            or o.private
            or (mixing and o.gender != mover.gender)
        ]
        for o in clashing:
            if "full" not in place.room_blocks(mover, target, without=tuple(evicted)):
                break
            if o.id not in evicted:
                evicted.append(o.id)
        home = problem.room(old) if old is not None else None
        for e in evicted:
            person = problem.resident(e)
            fits = (
                home is not None
                and not own_rule_reasons(person, home)
                and not place.room_blocks(person, home, without=(resident, *evicted))
            )
            hint[e] = home.id if fits and home is not None else None
            if fits:
                break
        return hint

    def _run(
        self, x: Any, hint: Mapping[str, str | None], seconds: float, *, quick: bool
    ) -> tuple[str, dict[str, str | None]]:
        """One CP-SAT run with the placement literal ``x`` assumed true."""
        from ortools.sat.python import cp_model

        model = self.built.model
        self.built.add_hint(dict(hint))
        model.clear_assumptions()
        model.add_assumptions([x])
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(0.1, float(seconds))
        params.num_workers = int(self.workers)
        params.random_seed = int(self.seed)
        if quick:
            # Straight from the hint: no presolve, no LP; finds the repaired hint at once
            # where the full search (at a few hundred residents) may find nothing in time.
            params.cp_model_presolve = False
            params.linearization_level = 0
        else:
            # As roomalloc.solve does: the LP relaxation with cuts is what proves optimality.
            params.linearization_level = 2
        code = solver.solve(model)
        model.clear_assumptions()
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        if status in ("infeasible", "unknown"):
            return status, {}
        return status, self.built.assignments(solver.boolean_value)

    def _solve(self, resident: str, room: str) -> tuple[str, dict[str, str | None]]:
        """A quick run from the repaired hint, then the full search from its answer."""
        x = self.built.context.placement(resident, room)
        if x is None:
            # The static rules (or a lock) already rule the placement out.
            return "infeasible", {}
        hint = self.hint(resident, room)
        status, first = self._run(x, hint, 0.25 * self.time_limit, quick=True)
        if status in ("infeasible", "optimal"):
            return status, first
        status, second = self._run(x, first or hint, 0.75 * self.time_limit, quick=False)
        if status in ("infeasible", "optimal") or not first:
            return status, second
        if second and evaluate(self.problem, second).objective >= evaluate(
            self.problem, first
        ).objective:
            return "feasible", second
        return "feasible", first

    def price(self, resident: str, room: str) -> Price:
        """The what-if of placing ``resident`` in ``room``."""
        issues = []
        if resident not in self.problem.residents_by_id:
            issues.append(Issue("resident", f"{resident!r} is not a resident of the problem"))
        if room not in self.problem.rooms_by_id:
            issues.append(Issue("room", f"{room!r} is not a room of the problem"))
        if issues:
            raise ProblemError(issues, what="what-if")
        status, after = self._solve(resident, room)
        before = self.before
        if status in ("infeasible", "unknown"):
            why = (
                "no allocation keeps every hard rule with that placement"
                if status == "infeasible"
                else f"no allocation with that placement was found in {number(self.time_limit)} s"
            )
            return Price(
                resident=resident,
                room=room,
                status=status,
                before=before.objective,
                after=None,
                change=None,
                proven=status == "infeasible",
                moves=(),
                text=f"placing {resident} in {room}: {why}",
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
        proven = status == "optimal" and self.given_optimal
        return Price(
            resident=resident,
            room=room,
            status=status,
            before=before.objective,
            after=after_eval.objective,
            change=change,
            proven=proven,
            moves=moves,
            term_changes=term_changes,
            text=_price_words(resident, room, before.objective, after_eval.objective,
                              term_changes, moves, proven),
        )


def _price_words(
    resident: str,
    room: str,
    before: float,
    after: float,
    term_changes: Mapping[str, float],
    moves: Sequence[Move],
    proven: bool,
) -> str:
    change = after - before
    if change < -1e-9:
        verdict = f"costs {number(-change)} of objective"
    elif change > 1e-9:
        verdict = f"gains {number(change)} of objective (the given allocation was not optimal)"
    else:
        verdict = "costs nothing (a tie)"
    if not proven:
        verdict += " (best found, not proven)"
    movers = [
        f"{m.resident} from {m.before or 'unhoused'} to {m.after or 'unhoused'}"
        for m in moves[:10]
    ]
    more = f" and {len(moves) - 10} more" if len(moves) > 10 else ""
    who_moves = f"; {join_words(movers)}{more} would move" if moves else "; nobody else would move"
    return (
        f"placing {resident} in {room} {verdict}: objective {number(before)} -> "
        f"{number(after)} ({change_words(term_changes)}){who_moves}"
    )


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
