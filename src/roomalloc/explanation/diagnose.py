"""Why a problem cannot be solved: a minimal set of hard requirements that clash, in words.

How: the solver builds the feasibility model with one guard literal per requirement (each
required or locked resident, each group, avoid pair and private resident, each room's capacity
and gender mixing, each custom rule; see :func:`roomalloc.solver.build_model`). CP-SAT, with one
worker and no objective, is asked to satisfy every guard as an assumption; when it proves that
impossible it names a sufficient subset of them. That subset is not always minimal (and with
presolve on it may name a literal that is not an assumption, OR-Tools issue 5141, which is
filtered out), so it is shrunk by deletion: each requirement in turn is dropped, and stays
dropped if the rest is still infeasible (the new, smaller sufficient subset then replaces the
candidates). Dropping requirements only makes a problem easier, so a requirement whose removal
made a larger set feasible is needed in every smaller one: the result is minimal. At the end
the diagnosis is verified: the set itself is infeasible, and without any one of its items the
rest is feasible (``minimal`` is True only when every one of those answers was proven).

The resident's own rules (needs, budget, excluded rooms, room gender, closures) are not
requirements here: they decide which rooms a resident may use at all, and the messages say
which rooms those are.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1, features=("accessible",)),
...                    Room(id="B", capacity=2)],
...             residents=[Resident(id=f"r{i}", required=True, needs=("accessible",))
...                        for i in (1, 2)])
>>> d = diagnose(p)
>>> print(d.messages[0])
r1 and r2 must be housed and need 'accessible'; the rooms that allow them (A) have 1 bed in all
>>> sorted(str(r) for r in d.requirements)
['r1 must be housed', 'r2 must be housed', 'room A has 1 bed']
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from roomalloc.domain.model import Problem
from roomalloc.rules.base import Rule
from roomalloc.rules.requirements import Requirement

from .edit import with_changes
from .reasons import no_room_phrase, own_rule_reasons
from .rooms import RoomTable
from .words import ENGLISH, join_words, number


@dataclass(frozen=True)
class Diagnosis:
    """The answer of :func:`diagnose`.

    ``feasible``: True when every hard rule can hold (nothing to diagnose), False when proven
    infeasible, None when the solver could not tell in time. ``requirements`` is the clashing
    set (empty unless infeasible); ``messages`` says it in housing words, first the gist, then
    one line per requirement. ``minimal`` is True when the shrinking proved that removing any
    one requirement makes the rest feasible; ``verified`` when, afterwards, the set was re-solved
    infeasible and each of its subsets without one requirement re-solved feasible.
    """

    feasible: bool | None
    requirements: tuple[Requirement, ...]
    messages: tuple[str, ...]
    minimal: bool = False
    verified: bool = False
    solves: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def to_text(self) -> str:
        """The messages, one per line."""
        return "\n".join(self.messages)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "feasible": self.feasible,
            "requirements": [
                {"kind": r.kind, "subjects": list(r.subjects), "text": str(r)}
                for r in self.requirements
            ],
            "messages": list(self.messages),
            "minimal": self.minimal,
            "verified": self.verified,
            "solves": self.solves,
            "seconds": self.seconds,
        }


class _Oracle:
    """Feasibility of a subset of requirements, on one guarded model (one worker, no objective)."""

    def __init__(self, problem: Problem, rules: Sequence[Rule], time_limit: float, seed: int):
        from roomalloc.solver import build_model

        self.built = build_model(problem, rules=rules, objective=False, guarded=True)
        self.guards = self.built.guards
        self.by_index = {lit.index: req for req, lit in self.guards.items()}
        self.time_limit = time_limit
        self.seed = seed
        self.solves = 0

    def run(self, subset: Sequence[Requirement]) -> tuple[str, list[Requirement]]:
        """``("infeasible", sufficient subset)``, ``("feasible", [])`` or ``("unknown", [])``."""
        from ortools.sat.python import cp_model  # late: explaining alone never loads CP-SAT

        model = self.built.model
        model.clear_assumptions()
        model.add_assumptions([self.guards[r] for r in subset])
        from roomalloc.solver.cpsat import configure, status_name

        solver = cp_model.CpSolver()
        # Sufficient assumptions need a single worker (and no objective). Without presolve
        # every answer names assumptions only (OR-Tools issue 5141), and on these feasibility
        # models it is about four times faster. The LP relaxation with cuts proves "more must
        # be housed than there are beds" at once; without it such pigeonhole clashes stay
        # undecided for long.
        configure(solver, workers=1, time_limit=self.time_limit, seed=self.seed,
                  presolve=False, linearization_level=2)
        status = status_name(solver.solve(model))
        self.solves += 1
        if status == "infeasible":
            core = [
                self.by_index[i]
                for i in solver.sufficient_assumptions_for_infeasibility()
                if i in self.by_index
            ]
            wanted = set(subset)
            return "infeasible", [r for r in core if r in wanted]
        if status in ("feasible", "optimal"):
            return "feasible", []
        return "unknown", []


def diagnose(
    problem: Problem,
    *,
    rules: Sequence[Rule] = (),
    time_limit: float = 30.0,
    step_limit: float = 10.0,
    seed: int = 0,
    verify: bool = True,
) -> Diagnosis:
    """A minimal set of hard requirements of ``problem`` that cannot hold together.

    ``step_limit`` bounds each feasibility solve (seconds), ``time_limit`` the shrinking as a
    whole; when time runs out the set found so far is returned with ``minimal=False``. With
    ``verify`` the final set is re-checked (see the module docstring).
    """
    started = time.monotonic()
    # Without custom rules only the residents who must be housed (and their groups) can make a
    # problem infeasible: everyone else may stay unhoused, which breaks no rule.
    oracle = _Oracle(problem if rules else forced_part(problem), rules, step_limit, seed)
    everything = list(oracle.guards)
    status, core = oracle.run(everything)
    if status == "feasible":
        return Diagnosis(
            True, (), ("every hard rule can hold: the problem is feasible",),
            minimal=True, verified=True, solves=oracle.solves,
            seconds=time.monotonic() - started,
        )
    if status == "unknown":
        return Diagnosis(
            None, (),
            (f"could not tell within {number(step_limit)} s whether the hard rules can all hold",),
            solves=oracle.solves, seconds=time.monotonic() - started,
        )
    if not core:
        # A core the solver could not express in assumptions: start from everything.
        core = everything
    notes: list[str] = []
    if not rules:
        # Shrinking only ever enforces requirements of this first set; the residents they name
        # are then the only ones who must be housed, so a model of them alone decides the same.
        # A requirement the small model has no guard for cannot be broken there: drop it.
        small = _Oracle(only_residents(problem, _named(problem, core)), rules, step_limit, seed)
        small.solves = oracle.solves
        oracle = small
        core = [r for r in core if r in small.guards]
    core, complete = _shrink(oracle, core, started, time_limit)
    if not complete:
        notes.append("shrinking stopped early (time limit or an undecided solve)")
    minimal = complete
    verified = False
    if verify:
        verified = oracle.run(core)[0] == "infeasible"
        for req in core:
            if time.monotonic() - started > time_limit:
                verified = False
                notes.append("verification stopped at the time limit")
                break
            rest = [r for r in core if r != req]
            if oracle.run(rest)[0] != "feasible":
                verified = minimal = False
    core.sort(key=lambda r: (_KIND_ORDER.get(r.kind, len(_KIND_ORDER)), r.kind, r.subjects))
    messages = describe(problem, core)
    return Diagnosis(
        False, tuple(core), tuple(messages), minimal=minimal, verified=verified,
        solves=oracle.solves, seconds=time.monotonic() - started, notes=tuple(notes),
    )


_KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        ("required", "locked", "group", "avoid", "private", "gender_mixing", "capacity", "rule")
    )
}


def forced_part(problem: Problem) -> Problem:
    """The residents who must be housed (required or locked) with their groups, alone.

    Leaving a resident unhoused never breaks a built-in rule unless they are required, locked,
    or in a group with such a resident, so ``problem`` is feasible exactly when this part is,
    and for every subset of requirements too: a diagnosis of the part is one of the whole.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="a", required=True, group="g"),
    ...                        Resident(id="b", group="g"), Resident(id="c")])
    >>> [r.id for r in forced_part(p).residents]
    ['a', 'b']
    """
    forced = {r.id for r in problem.residents if r.required or r.locked}
    return only_residents(problem, forced)


def _named(problem: Problem, core: Sequence[Requirement]) -> set[str]:
    """The residents a set of requirements is about."""
    residents = problem.residents_by_id
    named: set[str] = set()
    for req in core:
        if req.kind in ("required", "locked", "avoid", "private"):
            named.update(req.subjects)
        elif req.kind == "group":
            named.update(req.subjects[1:])
    return {x for x in named if x in residents}


def only_residents(problem: Problem, ids: set[str]) -> Problem:
    """``problem`` with only the residents ``ids`` and their whole groups.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="a", group="g"), Resident(id="b", group="g"),
    ...                        Resident(id="c")])
    >>> [r.id for r in only_residents(p, {"a"}).residents]
    ['a', 'b']
    """
    groups = {r.group for r in problem.residents if r.id in ids and r.group is not None}
    keep = {r.id for r in problem.residents if r.id in ids or r.group in groups}
    residents = tuple(
        r.model_copy(
            update={
                "roommates": r.roommates.model_copy(
                    update={
                        "want": tuple(x for x in r.roommates.want if x in keep),
                        "avoid": tuple(x for x in r.roommates.avoid if x in keep),
                    }
                )
            }
        )
        for r in problem.residents
        if r.id in keep
    )
    return with_changes(problem, residents=residents)


def _shrink(
    oracle: _Oracle, core: list[Requirement], started: float, time_limit: float
) -> tuple[list[Requirement], bool]:
    """Deletion with core refinement; returns the set and whether every step was decided."""
    needed: list[Requirement] = []
    pending = list(core)
    complete = True
    while pending:
        if time.monotonic() - started > time_limit:
            return needed + pending, False
        req = pending.pop(0)
        status, sub = oracle.run(needed + pending)
        if status == "infeasible":
            # Every needed item is in any core of this subset (it was needed for a superset).
            if sub:
                keep = set(sub)
                pending = [p for p in pending if p in keep]
        else:
            needed.append(req)
            complete = complete and status == "feasible"
    return needed, complete


def describe(problem: Problem, core: Sequence[Requirement]) -> list[str]:
    """The diagnosis in housing words: the gist first, then one line per requirement."""
    table = RoomTable(problem)
    allowed_rooms: dict[str, list[str]] = {}

    def rooms_for(rid: str) -> list[str]:
        if rid not in allowed_rooms:
            masks = table.own_rule_masks(problem.resident(rid))
            allowed_rooms[rid] = [table.rooms[i].id for i in table.allowed(masks).nonzero()[0]]
        return allowed_rooms[rid]

    required = [r.subjects[0] for r in core if r.kind == "required"]
    gist: list[str] = []
    if required:
        union = sorted({k for rid in required for k in rooms_for(rid)}, key=table.index.__getitem__)
        if not union:
            gist.append(
                f"{join_words(required)} must be housed, but no room fits their own requirements"
            )
        elif {r.kind for r in core} <= {"required", "capacity"}:
            needs = set.intersection(*(set(problem.resident(x).needs) for x in required))
            need_words = (
                f" and need {join_words([repr(n) for n in sorted(needs)])}" if needs else ""
            )
            beds = sum(problem.room(k).capacity for k in union)
            shown = ", ".join(union[:10])
            if len(union) > 10:
                shown += f" and {len(union) - 10} more"
            gist.append(
                f"{join_words(required)} must be housed{need_words}; the rooms that allow them "
                f"({shown}) have {beds} bed{'s' if beds != 1 else ''} in all"
            )
    genders = any(r.kind == "gender_mixing" for r in core)
    lines = [_requirement_words(problem, req, rooms_for, genders) for req in core]
    head = gist or [ENGLISH.say("clash", n=len(core))]
    return head + [f"- {line}" for line in lines]


def table_of(problem: Problem) -> RoomTable:
    """The problem's room table (built once per problem object)."""
    table = _TABLES.get(id(problem))
    if table is None or table.problem is not problem:
        table = _TABLES[id(problem)] = RoomTable(problem)
    return table


_TABLES: dict[int, RoomTable] = {}


def _requirement_words(
    problem: Problem, req: Requirement, rooms_for: Any, genders: bool = False
) -> str:
    base = str(req)
    if genders and req.kind in ("required", "locked"):
        # Genders clash here: say each resident's.
        base += f" ({problem.resident(req.subjects[0]).gender or 'no gender given'})"
    if req.kind == "required":
        rid = req.subjects[0]
        rooms = rooms_for(rid)
        if not rooms:
            why = ENGLISH.render(no_room_phrase(table_of(problem), problem.resident(rid)))
            return f"{base}, but no room fits their own requirements: {why}"
        shown = ", ".join(rooms[:8]) + (f" and {len(rooms) - 8} more" if len(rooms) > 8 else "")
        return f"{base}; their own rules allow {shown}"
    if req.kind == "group":
        members = req.subjects[1:]
        common = set(rooms_for(members[0]))
        for m in members[1:]:
            common &= set(rooms_for(m))
        if not common:
            return f"{base}; no room passes the own rules of all {len(members)}"
        biggest = max(problem.room(k).capacity for k in common)
        return (
            f"{base}; the rooms all {len(members)} may use have at most {biggest} "
            f"bed{'s' if biggest != 1 else ''}"
        )
    if req.kind == "locked":
        resident = problem.resident(req.subjects[0])
        room_id = resident.current_room
        if room_id is not None and room_id in problem.rooms_by_id:
            broken = own_rule_reasons(resident, problem.room(room_id))
            if broken:
                return f"{base}, but " + "; ".join(w.text for w in broken)
        elif room_id is not None:
            return f"{base}, but there is no room {room_id}"
    return base
