"""Room configurations: a second bound on the objective, and the placements it rules out.

A *configuration* is a room with the set of residents who share it. On a problem without
stays, with only the built-in rules, an allocation is one configuration per room (each
resident in at most one), and the model's objective is a sum over configurations when every
objective variable is a placement, a "housed" literal or a pair literal of
:meth:`BuildContext.together` (the built-in ``housed``, ``preferences``, ``roommates``,
``cost`` and ``moves`` terms). Then, for any resident multipliers ``u`` (``u >= 0``),

    L(u) = sum(u) + sum over rooms k of pi_k,
    pi_k = max(0, best over configurations S of k of value(S) - u(S))

bounds the model's objective from above (a Lagrangian relaxation of "each resident in at most
one room"), and an allocation worth at least ``I + 1`` (``I`` the value of a known allocation)

* places ``r`` in ``k`` only if some configuration of ``k`` holding ``r`` has
  ``value(S) - u(S) >= pi_k - (L - I - 1)``, and
* houses every resident with ``u_r > L - I - 1``.

Column generation finds good multipliers: GLOP solves the LP over the configurations found so
far, an exact search per room finds the configurations its multipliers undervalue. On campus
cohorts the bound is tighter than the placement model's LP (754,186.3 against 754,196.9 at
500 residents), and with an allocation close to it as ``I`` it rules out most placements (68 %
at 500 residents with ``I`` = 754,184), so that a search over the rest can prove optimality
(``docs/solver.md``, step 3; measurements in ``benchmarks/README.md``).

The configurations found along the way also make good allocations: choosing at most one per
room and per resident (:meth:`RoomConfigurations.packing`, a set-packing model for CP-SAT)
always gives a valid allocation, and the best choice comes close to the bound (1,483,716
against 1,483,724.3 on a 1,000-resident campus, where the full search had reached 1,483,695).

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference
>>> from roomalloc.solver import build_model
>>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", preferences=[Preference(building="N", weight=3)]),
...                        Resident(id="r2"), Resident(id="r3")])
>>> configs = RoomConfigurations.of(build_model(p))
>>> multipliers = configs.multipliers(deadline=None)
>>> round(multipliers.bound)   # r1 in A (1000 + 3) and one of r2, r3 in B (1000)
2003
>>> known = configs.value({"r1": "B", "r2": "A", "r3": None})   # worth 2000
>>> allowed, must = configs.fixing(multipliers, known)
>>> bool(allowed[1, 0]), bool(allowed[1, 1])   # r2 in A leaves A's 3 out: never above 2000
(False, True)
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from roomalloc.rules.base import Rule
from roomalloc.rules.sharing import SharingRules
from roomalloc.solver.builder import BuiltModel

#: Reduced values within this of zero count as zero (the LP's duals are floats).
_EPS = 1e-6
#: Configurations added per room and round of column generation.
_PER_ROOM = 3
#: Smoothing of the multipliers (Wentges): ``a * best + (1 - a) * LP duals``.
_SMOOTHING = 0.5

BoolMatrix = NDArray[np.bool_]


@dataclass(frozen=True)
class Multipliers:
    """Lagrangian multipliers ``u`` of the residents, room values ``pi`` and the bound
    ``L = sum(u) + sum(pi)``.

    ``bound`` is in the model's integer objective units, without its constant, and already
    includes a margin for floating-point error.
    """

    u: NDArray[np.float64]
    pi: NDArray[np.float64]
    bound: float
    rounds: int
    converged: bool
    #: The configurations the column generation found: (room index, resident indices).
    columns: tuple[tuple[int, tuple[int, ...]], ...] = ()


@dataclass
class _Room:
    capacity: int
    units: list[tuple[int, ...]]  # residents who enter together (one, or a whole group)
    value: NDArray[np.float64]  # value of each unit in the room, its own pairs included
    extra: NDArray[np.float64]  # most its pairs with other units can add
    flat: NDArray[np.int64]  # members of every unit, unit after unit
    starts: NDArray[np.int64]  # where each unit's members start in ``flat``
    partners: dict[int, list[tuple[int, float]]]  # resident -> (resident, pair value) here
    unit_of: dict[int, int]  # resident -> their unit


class RoomConfigurations:
    """The configurations view of a built model (see the module docstring)."""

    def __init__(self, built: BuiltModel, rooms: list[_Room], sharing: SharingRules) -> None:
        self.built = built
        self.rooms = rooms
        self.sharing = sharing
        self.resident_ids = built.candidates.resident_ids
        self.room_ids = built.candidates.room_ids

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def of(cls, built: BuiltModel, rules: Sequence[Rule] = ()) -> RoomConfigurations | None:
        """The configurations of ``built``, or ``None`` when the module's view does not hold.

        It holds without custom rules, without stays (each room's occupants are one set) and
        when every objective variable is a placement, a housed literal or a pair literal.
        """
        ctx = built.context
        problem = ctx.problem
        scaled = built.objective
        if rules or ctx.guarded or scaled is None or not scaled.variables:
            return None
        if any(r.stay is not None for r in problem.residents):
            return None
        index = built.candidates.resident_index
        room_index = built.candidates.room_index
        n, m = len(built.candidates.resident_ids), len(built.candidates.room_ids)
        place: dict[int, tuple[int, int]] = {}
        for rid, allowed_rooms in ctx.placements.items():
            for k, x in allowed_rooms.items():
                place[x.index] = (index[rid], room_index[k])
        housed = {ctx.housed(r).index: index[r] for r in ctx.placements if ctx.placements[r]}
        pairs = {lit: (index[a], index[b], room_index[k]) for lit, (a, b, k) in ctx.pairs.items()}
        value = np.zeros((n, m))
        bonus: list[dict[tuple[int, int], float]] = [{} for _ in range(m)]
        own = np.zeros(n)
        for var, coef in zip(scaled.variables, scaled.coefficients, strict=True):
            i = var.index
            if i == ctx.false.index:
                continue  # "housed" of a resident with no allowed room: always 0
            if i in place:
                r_i, k_j = place[i]
                value[r_i, k_j] += coef
            elif i in housed:
                own[housed[i]] += coef
            elif i in pairs:
                a, b, j = pairs[i]
                key = (min(a, b), max(a, b))
                # Only implied upwards, a pair literal with a negative value stays false.
                bonus[j][key] = bonus[j].get(key, 0.0) + float(coef)
            else:
                return None
        for j in range(m):
            bonus[j] = {key: v for key, v in bonus[j].items() if v > 0}
        allowed = built.candidates.allowed
        value = np.where(allowed, value + own[:, None], 0.0)
        residents = problem.residents
        sharing = SharingRules.of(problem)  # no stays here: every pair shares every night
        groups: dict[str, list[int]] = {}
        for r in residents:
            if r.group is not None:
                groups.setdefault(r.group, []).append(index[r.id])
        rooms = [
            _room(problem.rooms[j].capacity, allowed[:, j], value[:, j], bonus[j], groups,
                  residents, sharing)
            for j in range(m)
        ]
        return cls(built, rooms, sharing)

    # --- values -----------------------------------------------------------------------------

    def config_value(self, j: int, members: Sequence[int]) -> float:
        """The model's objective contributed by room ``j`` holding ``members``."""
        room = self.rooms[j]
        units = list({room.unit_of[r] for r in members})
        # A unit's value holds the pairs inside it; the pairs between units come on top.
        total = float(room.value[units].sum()) if units else 0.0
        return total + self._pairs_between(j, list(members))

    def value(self, assignments: Mapping[str, str | None]) -> float:
        """The model's objective (integer units, without constant) of a valid allocation."""
        return sum(self.config_value(j, ms) for j, ms in self._by_room(assignments).items())

    def _by_room(self, assignments: Mapping[str, str | None]) -> dict[int, list[int]]:
        """Each room's residents (indices) in an allocation."""
        index, room_index = self.built.candidates.resident_index, self.built.candidates.room_index
        by_room: dict[int, list[int]] = {}
        for r, k in assignments.items():
            if k is not None and r in index and k in room_index:
                by_room.setdefault(room_index[k], []).append(index[r])
        return by_room

    # --- pricing ----------------------------------------------------------------------------

    def _reduced(self, j: int, u: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
        room = self.rooms[j]
        if not room.units:
            empty = np.zeros(0)
            return empty, empty
        charged = np.add.reduceat(u[room.flat], room.starts)
        w = room.value - charged
        return w, w + room.extra

    def best(
        self, j: int, u: NDArray[np.float64], count: int = 1
    ) -> list[tuple[float, tuple[int, ...]]]:
        """The ``count`` best configurations of room ``j`` at multipliers ``u``, best first.

        Exact: a unit whose value plus all its pairs is not positive never improves a
        configuration, and the search stops a branch when the best the next units could add
        cannot beat the configurations kept.
        """
        w, opt = self._reduced(j, u)
        order = [int(t) for t in np.argsort(-opt, kind="stable") if opt[t] > _EPS]
        found: list[tuple[float, tuple[int, ...]]] = []  # a min-heap of the best ``count``
        self._search(j, order, w, opt, [], found, count)
        return sorted(found, key=lambda t: -t[0])

    def _search(self, j: int, order: list[int], w: NDArray[np.float64],
                opt: NDArray[np.float64], start: list[int],
                found: list[tuple[float, tuple[int, ...]]], count: int,
                stop_at: float | None = None) -> bool:
        """Depth-first search over units of room ``j`` (``order``: unit indices, best first).

        With ``stop_at``, returns ``True`` as soon as a configuration reaches it; otherwise keeps
        the ``count`` best configurations (containing the units ``start``) in the min-heap
        ``found``.
        """
        room = self.rooms[j]
        cap = room.capacity
        clash = self.sharing.clash
        # ahead[p]: the most the units order[p:] can add, one by one (their opt, best first).
        ahead = [0.0, *itertools.accumulate(float(opt[t]) for t in order)]
        last = len(order)

        def floor() -> float:
            return found[0][0] if len(found) >= count else _EPS

        def value_of(units: list[int]) -> float:
            members = [r for t in units for r in room.units[t]]
            return sum(float(w[t]) for t in units) + self._pairs_between(j, members)

        def walk(pos: int, units: list[int], size: int, val: float) -> bool:
            if units and (stop_at is None or val >= stop_at):
                if stop_at is not None:
                    return True
                if val > floor():
                    entry = (val, tuple(r for t in units for r in room.units[t]))
                    if len(found) < count:
                        heapq.heappush(found, entry)
                    else:
                        heapq.heapreplace(found, entry)
            if size >= cap:
                return False
            members = {r for t in units for r in room.units[t]}
            room_left = cap - size
            for p in range(pos, last):
                limit = stop_at if stop_at is not None else floor()
                if val + ahead[min(last, p + room_left)] - ahead[p] < limit:
                    break
                t = order[p]
                unit = room.units[t]
                if t in units or size + len(unit) > cap or members & set(unit):
                    continue
                if any(clash(a, b) for a in members for b in unit):
                    continue
                gain = float(w[t]) + sum(
                    v for r in unit for (s, v) in room.partners.get(r, ()) if s in members
                )
                if walk(p + 1, [*units, t], size + len(unit), val + gain):
                    return True
            return False

        size = sum(len(room.units[t]) for t in start)
        return walk(0, list(start), size, value_of(start) if start else 0.0)

    def _pairs_between(self, j: int, members: list[int]) -> float:
        """The pair values between different units among ``members`` of room ``j``."""
        inside = set(members)
        return sum(v for r in members for s, v in self.rooms[j].partners.get(r, ())
                   if s in inside and r < s)

    # --- column generation ------------------------------------------------------------------

    def multipliers(self, deadline: float | None,
                    start: Mapping[str, str | None] | None = None,
                    target: float | None = None) -> Multipliers:
        """Multipliers by column generation, until converged, ``deadline`` or ``L < target``.

        The bound of every round is valid; the lowest is kept. ``start`` seeds the LP with the
        configurations of an allocation.
        """
        from ortools.linear_solver import pywraplp

        n, m = len(self.resident_ids), len(self.room_ids)
        lp: Any = pywraplp.Solver.CreateSolver("GLOP")
        inf = lp.infinity()
        # A resident who must be housed (required, or locked in a room) gets "exactly one
        # room" when the start houses them, so the LP stays feasible; "at most one" otherwise,
        # a relaxation (the bound stays valid, only looser).
        housed_in_start = {r for r, k in (start or {}).items() if k is not None}
        exact = np.array([
            (r.required or r.locked) and r.id in housed_in_start
            for r in self.built.context.problem.residents
        ], dtype=bool)
        resident_rows = [lp.Constraint(1.0 if exact[i] else -inf, 1.0) for i in range(n)]
        room_rows = [lp.Constraint(-inf, 1.0) for _ in range(m)]
        objective = lp.Objective()
        objective.SetMaximization()
        seen: set[tuple[int, frozenset[int]]] = set()
        columns: list[tuple[int, tuple[int, ...]]] = []

        def add(j: int, members: Sequence[int]) -> bool:
            key = (j, frozenset(members))
            if key in seen:
                return False
            seen.add(key)
            columns.append((j, tuple(sorted(members))))
            var = lp.NumVar(0.0, inf, "")
            room_rows[j].SetCoefficient(var, 1.0)
            for r in members:
                resident_rows[r].SetCoefficient(var, 1.0)
            objective.SetCoefficient(var, self.config_value(j, members))
            return True

        if start is not None:
            for j, members in self._by_room(start).items():
                add(j, members)
        best_u = np.zeros(n)
        best_pi = np.zeros(m)
        best_bound = math.inf
        rounds = 0
        converged = False
        while deadline is None or time.perf_counter() < deadline:
            rounds += 1
            if lp.Solve() != pywraplp.Solver.OPTIMAL:
                break  # numerical trouble: keep the best bound so far (valid for any multipliers)
            lp_value = float(objective.Value()) if seen else 0.0
            duals = np.array([row.dual_value() for row in resident_rows])
            duals = np.where(exact, duals, np.maximum(duals, 0.0))  # u >= 0 on "at most one"
            room_duals = np.array([row.dual_value() for row in room_rows])
            smoothing = _SMOOTHING if math.isfinite(best_bound) else 0.0
            added = 0
            for attempt in (smoothing, 0.0) if smoothing else (0.0,):
                u = attempt * best_u + (1 - attempt) * duals
                pi = np.zeros(m)
                for j in range(m):
                    for reduced, config in self.best(j, u, _PER_ROOM):
                        pi[j] = max(pi[j], reduced)
                        lp_reduced = _reduced_at(self, j, config, duals) - room_duals[j]
                        if reduced > _EPS and lp_reduced > _EPS:
                            added += add(j, config)
                bound = _with_margin(float(u.sum() + pi.sum()), u, pi)
                if bound < best_bound:
                    best_bound, best_u, best_pi = bound, u, pi
                if added:
                    break
            if best_bound - lp_value <= _EPS * max(1.0, abs(lp_value)) + 1e-6 or not added:
                converged = True
                break
            if target is not None and best_bound < target:
                break
        return Multipliers(best_u, best_pi, best_bound, rounds, converged, tuple(columns))

    # --- packing ----------------------------------------------------------------------------

    def packing(self, multipliers: Multipliers, start: Mapping[str, str | None] | None = None
                ) -> Packing:
        """The best allocation made of the configurations column generation found (CP-SAT).

        One Boolean per configuration (the columns of ``multipliers``, and those of ``start``): at
        most one per room, at most one per resident (exactly one for a resident who must be
        housed, required or locked), the configurations' values as the objective. Any choice
        is a valid allocation, since each configuration keeps every rule inside its room and
        the built-in rules only tie residents within a room. ``start`` is hinted. On campus
        cohorts its optimum comes within a few units of the bound: the column generation's
        LP is nearly integral.

        Example
        -------
        >>> from roomalloc import Problem, Room, Resident, Preference
        >>> from roomalloc.solver import build_model
        >>> likes_n = Resident(id="r1", preferences=[Preference(building="N", weight=3)])
        >>> p = Problem(rooms=[Room(id="A", capacity=1, building="N"), Room(id="B", capacity=1)],
        ...             residents=[likes_n, Resident(id="r2")])
        >>> configs = RoomConfigurations.of(build_model(p))
        >>> packing = configs.packing(configs.multipliers(deadline=None))
        >>> solver = cp_model.CpSolver()
        >>> solver.solve(packing.model) == cp_model.OPTIMAL, solver.objective_value
        (True, 2003.0)
        >>> packing.assignments(solver.boolean_value)
        {'r1': 'A', 'r2': 'B'}
        """
        hinted = {(j, tuple(sorted(ms))) for j, ms in self._by_room(start or {}).items()}
        columns = dict.fromkeys([*multipliers.columns, *sorted(hinted)])
        model = cp_model.CpModel()
        chosen: list[tuple[cp_model.IntVar, int, tuple[int, ...]]] = []
        per_room: dict[int, list[cp_model.IntVar]] = {}
        per_resident: dict[int, list[cp_model.IntVar]] = {}
        values: list[int] = []
        for j, members in columns:
            value = self.config_value(j, members)
            if abs(value - round(value)) > _EPS:
                raise ValueError("the packing needs the model's integer objective")
            x = model.new_bool_var(f"{self.room_ids[j]}:{len(chosen)}")
            chosen.append((x, j, members))
            values.append(round(value))
            per_room.setdefault(j, []).append(x)
            for r in members:
                per_resident.setdefault(r, []).append(x)
            model.add_hint(x, (j, members) in hinted)
        residents = self.built.context.problem.residents
        for r in range(len(self.resident_ids)):
            xs = per_resident.get(r, [])
            if residents[r].required or residents[r].locked:
                model.add_exactly_one(xs)  # no configuration at all: infeasible, as it should
            elif len(xs) > 1:
                model.add_at_most_one(xs)
        for xs in per_room.values():
            if len(xs) > 1:
                model.add_at_most_one(xs)
        model.maximize(sum(v * x for v, (x, _, _) in zip(values, chosen, strict=True)))
        return Packing(model, chosen, self)

    # --- fixing -----------------------------------------------------------------------------

    def fixing(self, multipliers: Multipliers, incumbent: float) -> tuple[BoolMatrix, list[str]]:
        """Placements an allocation worth ``incumbent + 1`` may use, and who it must house.

        ``incumbent`` is a known allocation's :meth:`value`. The placements returned are a
        subset of the candidate matrix.
        """
        slack = multipliers.bound - incumbent - 1.0
        allowed = np.zeros_like(self.built.candidates.allowed)
        u, pi = multipliers.u, multipliers.pi
        for j, room in enumerate(self.rooms):
            if not room.units:
                continue
            w, opt = self._reduced(j, u)
            need = float(pi[j]) - slack
            useful = [int(t) for t in np.argsort(-opt, kind="stable") if opt[t] > _EPS]
            for t, unit in enumerate(room.units):
                # Any configuration holding the unit is worth at most opt[t] + pi_k.
                if opt[t] + pi[j] < need - _EPS:
                    continue
                if float(w[t]) >= need - _EPS or self._search(
                    j, [p for p in useful if p != t], w, opt, [t], [], 1, stop_at=need - _EPS,
                ):
                    allowed[list(unit), j] = True
        must = [self.resident_ids[i] for i in np.nonzero(u > slack + _EPS)[0].tolist()]
        return allowed & self.built.candidates.allowed, must


@dataclass
class Packing:
    """A set-packing model over configurations (:meth:`RoomConfigurations.packing`)."""

    model: cp_model.CpModel
    chosen: list[tuple[cp_model.IntVar, int, tuple[int, ...]]]
    configs: RoomConfigurations

    def assignments(self, value_of: Callable[[cp_model.IntVar], bool]
                    ) -> dict[str, str | None]:
        """The allocation of a solution; ``value_of(x)`` is a configuration's Boolean value."""
        ids, rooms = self.configs.resident_ids, self.configs.room_ids
        out: dict[str, str | None] = dict.fromkeys(ids)
        for x, j, members in self.chosen:
            if value_of(x):
                for r in members:
                    out[ids[r]] = rooms[j]
        return out


def _room(capacity: int, allowed: NDArray[np.bool_], value: NDArray[np.float64],
          bonus: dict[tuple[int, int], float], groups: dict[str, list[int]],
          residents: Sequence[Any], sharing: SharingRules) -> _Room:
    """A room's units: each candidate alone, each group whole if it can live there."""
    units: list[tuple[int, ...]] = []
    seen_groups: set[str] = set()
    for i in np.nonzero(allowed)[0].tolist():
        label = residents[i].group
        if label is None or len(groups[label]) < 2:
            units.append((i,))
            continue
        if label in seen_groups:
            continue
        seen_groups.add(label)
        members = groups[label]
        if all(allowed[g] for g in members) and sharing.may_join(capacity, [], members):
            units.append(tuple(members))
    partners: dict[int, list[tuple[int, float]]] = {}
    for (a, b), v in bonus.items():
        partners.setdefault(a, []).append((b, v))
        partners.setdefault(b, []).append((a, v))
    unit_of = {r: t for t, unit in enumerate(units) for r in unit}
    own = np.array([sum(float(value[r]) for r in unit) for unit in units])
    extra = np.zeros(len(units))
    for t, unit in enumerate(units):
        for r in unit:
            for s, v in partners.get(r, ()):
                if unit_of.get(s) == t:
                    own[t] += v / 2  # each pair inside the unit is seen from both sides
                elif s in unit_of:
                    extra[t] += v
    flat = np.array([r for unit in units for r in unit], dtype=np.int64)
    starts = np.cumsum([0] + [len(unit) for unit in units[:-1]]).astype(np.int64)
    return _Room(
        capacity=capacity,
        units=units,
        value=own if units else np.zeros(0),
        extra=extra,
        flat=flat,
        starts=starts,
        partners={r: [(s, v) for s, v in ps if unit_of.get(s) != unit_of.get(r)]
                  for r, ps in partners.items()},
        unit_of=unit_of,
    )


def _reduced_at(configs: RoomConfigurations, j: int, members: Sequence[int],
                u: NDArray[np.float64]) -> float:
    """``value - u(members)`` of room ``j`` holding ``members``."""
    return configs.config_value(j, members) - float(u[list(members)].sum())


def _with_margin(bound: float, u: NDArray[np.float64], pi: NDArray[np.float64]) -> float:
    """``bound`` raised by the worst floating-point error of the sums that made it."""
    scale = float(np.abs(u).sum() + np.abs(pi).sum())
    return bound + 1e-9 * scale + 1e-6
