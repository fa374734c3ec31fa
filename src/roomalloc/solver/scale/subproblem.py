"""A freed neighbourhood as a plain :class:`Problem` whose objective moves with the global one.

With every resident of the freed rooms taken out (and newcomers only from the unhoused, whole
groups only), nobody outside the neighbourhood can enter its rooms and nobody inside can go
elsewhere, so for every built-in term but ``fairness`` (which the scalable path declines) the
change of the global objective equals the change of the sub-problem's:

* ``housed``, ``preferences``, ``cost``, ``moves``: sums over residents; those outside keep
  their value. A current room outside the neighbourhood is out of reach either way (the
  resident counts as moved in both), so it is dropped from the copy;
* ``roommates``: a wish across the boundary is unmet before and after (the partner is in a
  room outside, or unhoused and not freed), so wishes are kept only inside;
* ``rooms_used``: a sum over rooms; rooms outside keep theirs.

Hard rules hold globally when they hold inside: capacity, gender mixing, private and avoid
are per room; groups are whole; required and locked residents keep their flags (a locked
resident's current room is one of the freed rooms, since they live there).

Example
-------
>>> from roomalloc import Problem, Room, Resident, Roommates
>>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
...             residents=[Resident(id="a", roommates=Roommates(want=("b", "c"))),
...                        Resident(id="b"), Resident(id="c", current_room="B")])
>>> sub = sub_problem(p, rooms=[0], residents=[0, 2])
>>> [k.id for k in sub.rooms], [(r.id, r.roommates.want, r.current_room) for r in sub.residents]
(['A'], [('a', ('c',), None), ('c', (), None)])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from roomalloc.domain.model import Problem, Resident, Roommates
from roomalloc.solver.scale.arrays import part_of


def _localise(r: Resident, residents: set[str], rooms: set[str]) -> Resident:
    update: dict[str, object] = {}
    want = tuple(s for s in r.roommates.want if s in residents)
    avoid = tuple(s for s in r.roommates.avoid if s in residents)
    if want != r.roommates.want or avoid != r.roommates.avoid:
        update["roommates"] = Roommates(want=want, avoid=avoid)
    if any(x not in rooms for x in r.excluded_rooms):
        update["excluded_rooms"] = tuple(x for x in r.excluded_rooms if x in rooms)
    if any(p.room is not None and p.room not in rooms for p in r.preferences):
        update["preferences"] = tuple(p for p in r.preferences
                                      if p.room is None or p.room in rooms)
    if r.current_room is not None and r.current_room not in rooms:
        update["current_room"] = None
        update["locked"] = False  # cannot happen for a valid incumbent: locked live there
    return r.model_copy(update=update) if update else r


def sub_problem(problem: Problem, rooms: Sequence[int], residents: Sequence[int],
                fixed: Mapping[int, int] | None = None) -> Problem:
    """The problem of ``rooms`` and ``residents`` (positions), references kept inside only
    (so the sub-problem is valid as it stands; it is built without validating it again).

    ``fixed`` maps some of ``residents`` to the room (one of ``rooms``) they keep: they are
    locked there, so their nights count against the room's beds and their terms are the same
    before and after (their current room is replaced by that room, which changes ``moves``
    by the same amount on both sides).

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="a")])
    >>> [(r.current_room, r.locked) for r in sub_problem(p, [0], [0], {0: 0}).residents]
    [('A', True)]
    """
    room_objs = tuple(problem.rooms[k] for k in rooms)
    people = [problem.residents[i] for i in residents]
    room_ids = {k.id for k in room_objs}
    resident_ids = {r.id for r in people}
    local = [_localise(r, resident_ids, room_ids) for r in people]
    if fixed:
        local = [r.model_copy(update={"current_room": problem.rooms[fixed[i]].id,
                                      "locked": True}) if i in fixed else r
                 for i, r in zip(residents, local, strict=True)]
    return part_of(problem, rooms=room_objs, residents=local)
