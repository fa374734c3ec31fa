"""The built-in objective terms of the contract, written with the public :class:`Term` API.

Each term is the one home of what is particular to it: its raw value, defined from the
allocation alone (:meth:`~Term.value`, the contract's definition, which the verifier uses), the
local change of that value when a few residents move (:meth:`~Term.local_change`), what it
tells the greedy first allocation (:meth:`~Term.placement_value`) and its model expression
(:meth:`~Term.add_to_model`, through the solver's build context). CP-SAT is imported only
inside ``add_to_model``, so scoring an allocation (and so the verifier) never loads the solver
library.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from roomalloc.domain.model import Problem, Resident, Room
from roomalloc.terms.base import (
    Assignments,
    FloatMatrix,
    LocalChange,
    PlacementValue,
    Term,
    register_term,
)
from roomalloc.verify.evaluation import best_scores, placed

if TYPE_CHECKING:
    from roomalloc.plugins import BuildContext, Expression

#: Fairness ratios are rounded to multiples of 1 / FAIRNESS_SCALE inside the model.
FAIRNESS_SCALE = 10_000

_Move = tuple[Resident, "str | None", "str | None", "Room | None", "Room | None"]


def _movers(problem: Problem, assignments: Assignments) -> Callable[[Assignments], Iterator[_Move]]:
    """Each mover with their old and new room ids and rooms (``None``: unhoused or unknown)."""
    residents, rooms = problem.residents_by_id, problem.rooms_by_id

    def movers(moves: Assignments) -> Iterator[_Move]:
        for rid, new in moves.items():
            old = assignments.get(rid)
            old_room = rooms.get(old) if old is not None else None
            new_room = rooms.get(new) if new is not None else None
            yield residents[rid], old, new, old_room, new_room

    return movers


def _per_mover(problem: Problem, assignments: Assignments,
               gain: Callable[[Resident, Room | None], float]) -> LocalChange:
    """The change of a sum over housed residents of ``gain(resident, room)``."""
    movers = _movers(problem, assignments)

    def change(moves: Assignments) -> float:
        d = 0.0
        for r, _, _, old_room, new_room in movers(moves):
            d += gain(r, new_room) - gain(r, old_room)
        return d

    return change


class Housed(Term):
    """Sum of ``priority`` over housed residents (maximise)."""

    name = "housed"
    sense = "maximize"
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Sum of ``priority`` over housed residents.

        >>> from roomalloc import Problem, Room, Resident
        >>> p = Problem(rooms=[Room(id="A", capacity=2)],
        ...             residents=[Resident(id="a", priority=2.5), Resident(id="b")])
        >>> Housed().value(p, {"a": "A", "b": None})
        2.5
        """
        return float(sum(r.priority for r, _ in placed(problem, assignments)))

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        return _per_mover(problem, assignments, lambda r, k: r.priority if k else 0.0)

    def add_to_model(self, ctx: BuildContext) -> Expression:
        return ctx.linear(
            (ctx.housed(r.id), r.priority) for r in ctx.problem.residents if ctx.placements[r.id]
        )


class Preferences(Term):
    """Sum of each housed resident's preference score for their room (maximise)."""

    name = "preferences"
    sense = "maximize"
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Sum over housed residents of their preference score for their room.

        >>> from roomalloc import Problem, Room, Resident, Preference
        >>> p = Problem(rooms=[Room(id="A", capacity=1, building="B")],
        ...             residents=[Resident(id="a", preferences=[Preference(building="B",
        ...                                                                 weight=2)])])
        >>> Preferences().value(p, {"a": "A"})
        2.0
        """
        return float(sum(r.score(k) for r, k in placed(problem, assignments)))

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        return _per_mover(problem, assignments, lambda r, k: r.score(k) if k else 0.0)

    def placement_value(self, problem: Problem, scores: FloatMatrix) -> PlacementValue:
        """Each resident's score for the room, whoever else is there."""
        return PlacementValue(rooms=scores)

    def add_to_model(self, ctx: BuildContext) -> Expression:
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
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Ordered pairs (r, s), s in r's ``want``, housed in one room with overlapping stays.

        >>> from roomalloc import Problem, Room, Resident, Roommates
        >>> p = Problem(rooms=[Room(id="A", capacity=2)],
        ...             residents=[Resident(id="a", roommates=Roommates(want=("b",))),
        ...                        Resident(id="b", roommates=Roommates(want=("a",)))])
        >>> RoommatesTerm().value(p, {"a": "A", "b": "A"})
        2.0
        """
        residents = problem.residents_by_id
        count = 0
        for r, room in placed(problem, assignments):
            for s_id in r.roommates.want:
                s = residents.get(s_id)
                if s is not None and assignments.get(s_id) == room.id and r.overlaps(s):
                    count += 1
        return float(count)

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        """Met wishes that involve a mover, after minus before (wishes are read both ways)."""
        residents, rooms = problem.residents_by_id, problem.rooms_by_id
        wanted_by: dict[str, set[str]] = defaultdict(set)
        for r in problem.residents:
            for s in r.roommates.want:
                wanted_by[s].add(r.id)

        def met(moves: Assignments, room_of: Callable[[str], str | None]) -> float:
            pairs: set[tuple[str, str]] = set()
            for rid in moves:
                pairs.update((rid, s) for s in residents[rid].roommates.want)
                pairs.update((s, rid) for s in wanted_by.get(rid, ()))
            count = 0
            for a, b in pairs:
                ra = room_of(a)
                if (
                    ra is not None
                    and ra in rooms
                    and b in residents
                    and room_of(b) == ra
                    and residents[a].overlaps(residents[b])
                ):
                    count += 1
            return float(count)

        def change(moves: Assignments) -> float:
            def room_after(rid: str) -> str | None:
                return moves[rid] if rid in moves else assignments.get(rid)

            return met(moves, room_after) - met(moves, assignments.get)

        return change

    def placement_value(self, problem: Problem, scores: FloatMatrix) -> PlacementValue:
        """One per wish (either way) between two residents sharing a room on a night.

        A repeated wish counts once here: a validated problem has none.
        """
        residents = problem.residents
        index = {r.id: i for i, r in enumerate(residents)}
        wishes: dict[int, dict[int, float]] = {i: {} for i in range(len(residents))}
        for i, r in enumerate(residents):
            for s in dict.fromkeys(r.roommates.want):  # not a set: its order varies by process
                if s in index and index[s] != i:
                    wishes[i][index[s]] = wishes[i].get(index[s], 0.0) + 1.0
                    wishes[index[s]][i] = wishes[index[s]].get(i, 0.0) + 1.0
        return PlacementValue(partners={i: w for i, w in wishes.items() if w})

    def add_to_model(self, ctx: BuildContext) -> Expression:
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
        for (rid, k), lits in partners.items():
            beds = ctx.room(k).capacity
            if len(lits) > beds - 1:
                group = [c.resident_index[rid]]
                group += [c.resident_index[m] for m in partner_ids[(rid, k)]]
                if c.starts[group].max() >= c.ends[group].min():
                    continue
                ctx.model.add(
                    cp_model.LinearExpr.sum(lits) <= (beds - 1) * ctx.placements[rid][k]
                )
        return ctx.linear(pairs)


class Cost(Term):
    """Sum of the bed cost of each housed resident's room (minimise)."""

    name = "cost"
    sense = "minimize"
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Sum of the bed ``cost`` of each housed resident's room.

        >>> from roomalloc import Problem, Room, Resident
        >>> p = Problem(rooms=[Room(id="A", capacity=2, cost=300)],
        ...             residents=[Resident(id="a"), Resident(id="b")])
        >>> Cost().value(p, {"a": "A", "b": "A"})
        600.0
        """
        return float(sum(k.cost for _, k in placed(problem, assignments)))

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        return _per_mover(problem, assignments, lambda r, k: k.cost if k else 0.0)

    def add_to_model(self, ctx: BuildContext) -> Expression:
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
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Number of rooms with at least one resident.

        >>> from roomalloc import Problem, Room, Resident
        >>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
        ...             residents=[Resident(id="a"), Resident(id="b")])
        >>> RoomsUsed().value(p, {"a": "A", "b": "A"})
        1.0
        """
        return float(len({k.id for _, k in placed(problem, assignments)}))

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        """Rooms the movers leave empty or open, from each room's head count."""
        rooms = problem.rooms_by_id
        count: dict[str, int] = defaultdict(int)
        for r in problem.residents:
            room = assignments.get(r.id)
            if room is not None and room in rooms:
                count[room] += 1
        movers = _movers(problem, assignments)

        def change(moves: Assignments) -> float:
            count_change: dict[str, int] = defaultdict(int)
            for _, _, _, old_room, new_room in movers(moves):
                if old_room is not None:
                    count_change[old_room.id] -= 1
                if new_room is not None:
                    count_change[new_room.id] += 1
            d = 0.0
            for room, delta in count_change.items():
                was, now = count.get(room, 0), count.get(room, 0) + delta
                d += float(now > 0) - float(was > 0)
            return d

        return change

    def add_to_model(self, ctx: BuildContext) -> Expression:
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
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Residents with a ``current_room`` who are not housed in it (unhoused counts).

        >>> from roomalloc import Problem, Room, Resident
        >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
        ...             residents=[Resident(id="a", current_room="A"),
        ...                        Resident(id="b", current_room="A")])
        >>> Moves().value(p, {"a": "A", "b": "B"})
        1.0
        """
        return float(
            sum(
                1
                for r in problem.residents
                if r.current_room is not None and assignments.get(r.id) != r.current_room
            )
        )

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        movers = _movers(problem, assignments)

        def change(moves: Assignments) -> float:
            d = 0.0
            for r, old, new, _, _ in movers(moves):
                if r.current_room is not None:
                    d += float(new != r.current_room) - float(old != r.current_room)
            return d

        return change

    def add_to_model(self, ctx: BuildContext) -> Expression:
        # value = (residents with a current room) - (those placed in it)
        movers = [(r.id, r.current_room) for r in ctx.problem.residents
                  if r.current_room is not None]
        stays = [ctx.placement(rid, room) for rid, room in movers]
        return ctx.linear(((x, -1.0) for x in stays if x is not None), float(len(movers)))


class Fairness(Term):
    """The worst housed resident's share of their best achievable score (maximise)."""

    name = "fairness"
    sense = "maximize"
    reported = True

    def value(self, problem: Problem, assignments: Assignments) -> float:
        """Min over housed residents with ``best(r) > 0`` of ``score / best``; 1 when none.

        >>> from roomalloc import Problem, Room, Resident, Preference
        >>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
        ...             residents=[Resident(id="a", preferences=[Preference(building="N",
        ...                                                                 weight=4)]),
        ...                        Resident(id="b", preferences=[Preference(building="N",
        ...                                                                 weight=2)])])
        >>> Fairness().value(p, {"a": "A", "b": "B"}), Fairness().value(p, {"a": "A", "b": None})
        (0.0, 1.0)
        """
        pairs = placed(problem, assignments)
        # Only housed residents count, so only their best is needed.
        return _worst_ratio(pairs, best_scores(problem, only=(r.id for r, _ in pairs)))

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange:
        """The new minimum from the smallest ratio of those who stay and the movers' ratios."""
        rooms = problem.rooms_by_id
        best = best_scores(problem)
        before = _worst_ratio(placed(problem, assignments), best)

        def ratio(r: Resident, room_id: str | None) -> float | None:
            b = best.get(r.id, 0.0)
            if room_id is None or room_id not in rooms or b <= 0:
                return None
            return r.score(rooms[room_id]) / b

        ratios = sorted(
            (x, r.id) for r in problem.residents
            if (x := ratio(r, assignments.get(r.id))) is not None
        )
        movers = _movers(problem, assignments)

        def change(moves: Assignments) -> float:
            worst = 1.0
            for x, rid in ratios:  # the smallest ratio among residents who stay put
                if rid not in moves:
                    worst = min(worst, x)
                    break
            for r, _, new, _, _ in movers(moves):
                moved = ratio(r, new)
                if moved is not None:
                    worst = min(worst, moved)
            return float(worst) - before

        return change

    def add_to_model(self, ctx: BuildContext) -> Expression:
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


def _worst_ratio(pairs: list[tuple[Resident, Room]], best: Mapping[str, float]) -> float:
    worst = 1.0
    for r, k in pairs:
        b = best.get(r.id, 0.0)
        if b > 0:
            worst = min(worst, r.score(k) / b)
    return float(worst)


BUILTIN_TERMS: tuple[Term, ...] = tuple(
    register_term(t, replace=True)
    for t in (Housed(), Preferences(), RoommatesTerm(), Cost(), RoomsUsed(), Moves(), Fairness())
)
