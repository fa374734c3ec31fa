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
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from roomalloc.errors import Issue, ProblemError
from roomalloc.evaluation import evaluate
from roomalloc.model import Problem, Resident, Result, Room
from roomalloc.rules.base import Rule
from roomalloc.verifier import check

from .edit import with_changes
from .reasons import Placement, own_rule_reasons
from .rooms import RoomTable
from .types import Move, Price
from .whatif import EPSILON
from .words import ENGLISH, Phrase

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
    ) -> tuple[str, dict[str, str | None]]:
        """One CP-SAT run with the placement literal ``x`` assumed true."""
        from ortools.sat.python import cp_model

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
        """The best allocation with the placement: the repaired hint, a quick run, a full run.

        The status is the full run's (``optimal`` proves the allocation best with the
        placement); when no run finds anything the repaired hint, if it keeps every rule, is
        the answer found (``feasible``).
        """
        deadline = time.monotonic() + self.time_limit
        x = self.built.context.placement(resident, room)
        if x is None:
            # The static rules (or a lock) already rule the placement out.
            return "infeasible", {}
        hint = self.hint(resident, room)
        found: list[dict[str, str | None]] = []
        if check(self.problem, dict(hint)).ok:
            found.append(hint)
        status, first = self._run(x, hint, 0.25 * (deadline - time.monotonic()), quick=True)
        if status in ("infeasible", "optimal"):
            return status, first
        if first:
            found.append(first)
        start = max(found, key=self._value) if found else hint
        status, second = self._run(x, start, deadline - time.monotonic(), quick=False)
        if status in ("infeasible", "optimal"):
            return status, second
        if second:
            found.append(second)
        if not found:
            return "unknown", {}
        return "feasible", max(found, key=self._value)

    def _value(self, assignments: Mapping[str, str | None]) -> float:
        return evaluate(self.problem, dict(assignments)).objective

    def _fewer_moves(self, after: dict[str, str | None], resident: str) -> dict[str, str | None]:
        """``after`` with the contents of interchangeable rooms relabelled to move fewer people.

        Rooms alike in everything a rule or a wish can see (all but their id) may trade
        their whole contents; each class's contents go back to the rooms their residents
        had before where they can. A relabelling is kept only if it keeps ``resident`` where
        they were placed, every rule and the score (a wish or an exclusion by room id, or the
        moves term, can tell rooms apart).
        """
        classes: dict[tuple[Any, ...], list[str]] = {}
        for k in self.problem.rooms:
            key = (k.building, k.floor, k.capacity, tuple(sorted(k.features)), k.cost,
                   k.gender, k.unavailable, tuple(sorted(k.attributes.items())))
            classes.setdefault(key, []).append(k.id)
        value = self._value(after)
        for rooms in classes.values():
            if len(rooms) < 2:
                continue
            contents: dict[str, list[str]] = {k: [] for k in rooms}
            for rid, k in after.items():
                if k in contents:
                    contents[k].append(rid)
            overlap = sorted(
                ((sum(self.assignments.get(r) == target for r in people), source, target)
                 for source, people in contents.items() if people for target in rooms),
                reverse=True,
            )
            mapping: dict[str, str] = {}
            used: set[str] = set()
            for n, source, target in overlap:
                if n == 0:
                    break
                if source in mapping or target in used:
                    continue
                mapping[source] = target
                used.add(target)
            free = [k for k in rooms if k not in used]
            for source in rooms:
                if source not in mapping:
                    mapping[source] = free.pop(0)
            if all(a == b for a, b in mapping.items()):
                continue
            moved = {rid: (mapping.get(k, k) if k is not None else None)
                     for rid, k in after.items()}
            if moved[resident] != after[resident]:
                continue
            if check(self.problem, dict(moved)).ok and self._value(moved) >= value - 1e-9:
                after = moved
        return after

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
        after = self._fewer_moves(after, resident)
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
