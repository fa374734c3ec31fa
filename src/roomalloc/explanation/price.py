"""The price of one placement: re-solve with it forced, then compare objectives and rooms.

The placement is forced through the problem itself, with hard rules the contract already has:
the resident becomes ``required`` and every other room goes on their ``excluded_rooms``. That
leaves ``current_room`` (and so the ``moves`` term) untouched. The re-solved allocation is then
scored on the *original* problem with :func:`roomalloc.evaluate`, so the reported objective is
the contract's, whatever the forcing did to ``fairness``'s ``best(r)``.

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

from roomalloc.evaluation import evaluate
from roomalloc.model import Problem, Result
from roomalloc.rules.base import Rule

from .edit import with_changes
from .objective import change_words
from .types import Move, Price
from .words import join_words, number

Assignments = Mapping[str, "str | None"]


def forced(problem: Problem, resident_id: str, room_id: str) -> Problem:
    """A copy of ``problem`` in which ``resident_id`` must be housed in ``room_id``.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1), Room(id="B", capacity=1)],
    ...             residents=[Resident(id="r1")])
    >>> f = forced(p, "r1", "A").resident("r1")
    >>> f.required, f.excluded_rooms
    (True, ('B',))
    """
    problem.room(room_id)
    residents = tuple(
        r.model_copy(
            update={
                "required": True,
                "excluded_rooms": tuple(k.id for k in problem.rooms if k.id != room_id),
            }
        )
        if r.id == resident_id
        else r
        for r in problem.residents
    )
    return with_changes(problem, residents=residents)


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
    allocation was optimal too; otherwise it is the best found within ``time_limit``.
    """
    from roomalloc.solver import solve

    if isinstance(result_or_assignments, Result):
        assignments = dict(result_or_assignments.assignments)
        given_optimal = result_or_assignments.status == "optimal"
    else:
        assignments = dict(result_or_assignments)
        given_optimal = False
    problem.resident(resident)
    before_eval = evaluate(problem, assignments)
    hint = dict(assignments)
    hint[resident] = room
    out = solve(
        forced(problem, resident, room),
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        hint=hint,
        rules=rules,
        diagnose=False,
    )
    if out.status in ("infeasible", "unknown"):
        why = (
            "no allocation keeps every hard rule with that placement"
            if out.status == "infeasible"
            else f"no allocation with that placement was found in {number(time_limit)} s"
        )
        return Price(
            resident=resident,
            room=room,
            status=out.status,
            before=before_eval.objective,
            after=None,
            change=None,
            proven=out.status == "infeasible",
            moves=(),
            text=f"placing {resident} in {room}: {why}",
        )
    after_eval = evaluate(problem, out.assignments)
    change = after_eval.objective - before_eval.objective
    term_changes = {
        t: after_eval.contributions.get(t, 0.0) - before_eval.contributions.get(t, 0.0)
        for t in after_eval.contributions
    }
    moves = tuple(
        Move(r.id, assignments.get(r.id), out.assignments.get(r.id))
        for r in problem.residents
        if r.id != resident and assignments.get(r.id) != out.assignments.get(r.id)
    )
    proven = out.status == "optimal" and given_optimal
    if change < -1e-9:
        verdict = f"costs {number(-change)} of objective"
    elif change > 1e-9:
        verdict = f"gains {number(change)} of objective (the given allocation was not optimal)"
    else:
        verdict = "costs nothing (a tie)"
    if not proven:
        verdict += " (best found, not proven)"
    movers = [f"{m.resident} from {m.before or 'unhoused'} to {m.after or 'unhoused'}"
              for m in moves[:10]]
    more = f" and {len(moves) - 10} more" if len(moves) > 10 else ""
    who_moves = (
        f"; {join_words(movers)}{more} would move" if moves else "; nobody else would move"
    )
    text = (
        f"placing {resident} in {room} {verdict}: objective {number(before_eval.objective)} -> "
        f"{number(after_eval.objective)} ({change_words(term_changes)}){who_moves}"
    )
    return Price(
        resident=resident,
        room=room,
        status=out.status,
        before=before_eval.objective,
        after=after_eval.objective,
        change=change,
        proven=proven,
        moves=moves,
        term_changes=term_changes,
        text=text,
    )
