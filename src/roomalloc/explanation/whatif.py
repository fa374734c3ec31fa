"""What a small what-if does, in words: who is housed or loses a place, whose wishes change.

A what-if moves a few residents (``{resident: room or None}``). :func:`effects` says what that
does to each part of the objective the problem weighs, as events a resident can follow
("r2 would lose their place", "r1 and r4 would no longer share a room as they wish", "the
beds would cost 40 more") rather than as terms and points; :class:`ObjectiveMeter` gives the
overall change, so the verdict (worse, a tie, better) is exact.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Roommates
>>> p = Problem(rooms=[Room(id="A", capacity=2), Room(id="B", capacity=1)],
...             residents=[Resident(id="r1", roommates=Roommates(want=("r2",))),
...                        Resident(id="r2")])
>>> what = effects(p, {"r1": "A", "r2": "A"}, {"r1": "B"}, ObjectiveMeter(p, {"r1": "A",
...                                                                         "r2": "A"}))
>>> what.total, ENGLISH.render(what.words())
(-2.0, 'r1 would no longer share a room with r2, as wished')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from roomalloc.domain.model import Preference, Problem, Room

from .objective import ObjectiveMeter
from .words import ENGLISH, Count, Phrase

Assignments = Mapping[str, "str | None"]

# Below this an objective change is a tie (the objective is a weighted sum of floats).
EPSILON = 1e-6


def wish_phrase(pref: Preference) -> Phrase:
    """A room wish in words: ``a room with 'quiet'``, ``a room without 'pets'`` (a dislike).

    >>> ENGLISH.render(wish_phrase(Preference(floor=(1, 2), weight=-1)))
    'a room not on floors 1–2'
    """
    neg = "not_" if pref.weight < 0 else ""
    if pref.room is not None:
        return Phrase(f"wish_{neg}room", {"room": pref.room})
    if pref.building is not None:
        return Phrase(f"wish_{neg}building", {"building": pref.building})
    if pref.feature is not None:
        return Phrase(f"wish_{neg}feature", {"feature": pref.feature})
    assert pref.floor is not None
    low, high = pref.floor
    if low == high:
        return Phrase(f"wish_{neg}floor", {"low": str(low)})
    return Phrase(f"wish_{neg}floors", {"low": str(low), "high": str(high)})


def wish_met(pref: Preference, room: Room | None) -> bool:
    """A liked selector matches the room, or a disliked one does not (unhoused: never met)."""
    if room is None:
        return False
    return pref.matches(room) == (pref.weight >= 0)


@dataclass(frozen=True)
class Effects:
    """The overall weighted change of a what-if and what it does, as phrases."""

    total: float
    phrases: tuple[Phrase, ...]
    lost_pairs: tuple[tuple[str, str], ...] = ()

    @property
    def verdict(self) -> str:
        """``worse``, ``tie`` or ``better``."""
        if self.total < -EPSILON:
            return "worse"
        if self.total > EPSILON:
            return "better"
        return "tie"

    def words(self) -> Phrase:
        """Every effect, as one list phrase."""
        if not self.phrases:
            return Phrase("effect_nothing")
        return Phrase("list", {"items": self.phrases})


def _pairs(problem: Problem, room_of: Mapping[str, str | None], movers: set[str],
           wanted_by: Mapping[str, set[str]]) -> set[tuple[str, str]]:
    """Unordered want-pairs touching a mover that share a room under ``room_of``."""
    residents = problem.residents_by_id
    out: set[tuple[str, str]] = set()
    for rid in movers:
        partners = set(residents[rid].roommates.want) | set(wanted_by.get(rid, ()))
        for s in partners:
            if s not in residents:
                continue
            a, b = room_of.get(rid), room_of.get(s)
            if a is not None and a == b and residents[rid].overlaps(residents[s]):
                out.add((min(rid, s), max(rid, s)))
    return out


def _by_mover(pairs: Sequence[tuple[str, str]], moved: Mapping[str, object]
              ) -> dict[str, tuple[str, ...]]:
    """Pairs grouped by a mover in each: ``{mover: (partner, ...)}``, movers in order."""
    out: dict[str, list[str]] = {}
    for a, b in pairs:
        mover, other = (a, b) if a in moved else (b, a)
        if other in out and other in moved and mover not in out:
            mover, other = other, mover
        out.setdefault(mover, []).append(other)
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class _WhatIf:
    """One what-if as the words about each term read it: who moved where, and the changes."""

    problem: Problem
    assignments: Assignments
    moved: dict[str, str | None]
    changes: dict[str, float]
    meter: ObjectiveMeter

    @cached_property
    def after(self) -> dict[str, str | None]:
        """Everyone's room after the what-if."""
        return {**self.assignments, **self.moved}

    @cached_property
    def pair_changes(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """Wished-for pairs touching a mover that stop and that start sharing a room."""
        movers = set(self.moved)
        before = _pairs(self.problem, self.assignments, movers, self.meter.wanted_by)
        after = _pairs(self.problem, self.after, movers, self.meter.wanted_by)
        return tuple(sorted(before - after)), tuple(sorted(after - before))


def _people(*said: tuple[str, tuple[str, ...]]) -> list[Phrase]:
    """A phrase about each non-empty group of people."""
    return [Phrase(key, {"people": people}) for key, people in said if people]


def _housed_words(w: _WhatIf) -> list[Phrase]:
    residents, assignments, moved = w.problem.residents_by_id, w.assignments, w.moved
    gained = tuple(r for r, k in moved.items() if k is not None and assignments.get(r) is None)
    lost = tuple(r for r, k in moved.items() if k is None and assignments.get(r) is not None)
    if gained and lost:
        # One in place of another: their priorities are what the trade turns on.
        gained = tuple(f"{r} (priority {ENGLISH.number(residents[r].priority)})"
                       for r in gained)
        lost = tuple(f"{r} (priority {ENGLISH.number(residents[r].priority)})"
                     for r in lost)
    return _people(("effect_housed", gained), ("effect_unhoused", lost))


def _preferences_words(w: _WhatIf) -> list[Phrase]:
    residents, rooms, assignments, after = (w.problem.residents_by_id, w.problem.rooms_by_id,
                                            w.assignments, w.after)
    out: list[Phrase] = []
    for rid in w.moved:
        r = residents[rid]
        old, new = assignments.get(rid), after.get(rid)
        old_room = rooms.get(old) if old is not None else None
        new_room = rooms.get(new) if new is not None else None
        lost_w = tuple(wish_phrase(p) for p in r.preferences
                       if wish_met(p, old_room) and not wish_met(p, new_room))
        won_w = tuple(wish_phrase(p) for p in r.preferences
                      if wish_met(p, new_room) and not wish_met(p, old_room))
        if lost_w and old_room is not None and new_room is not None:
            out.append(Phrase("effect_wishes_lost", {"resident": rid, "wishes": lost_w}))
        if won_w:
            out.append(Phrase("effect_wishes_gained", {"resident": rid, "wishes": won_w}))
    return out


def _roommates_words(w: _WhatIf) -> list[Phrase]:
    if not w.moved:
        return []
    lost_pairs, won_pairs = w.pair_changes
    out: list[Phrase] = []
    for key, pairs in (("effect_pairs_lost", lost_pairs), ("effect_pairs_gained", won_pairs)):
        for resident, mates in _by_mover(pairs, w.moved).items():
            out.append(Phrase(key, {"resident": resident, "mates": mates}))
    return out


def _cost_words(w: _WhatIf) -> list[Phrase]:
    rooms = w.problem.rooms_by_id
    delta = sum(
        (rooms[k].cost if k is not None else 0.0) - (rooms[o].cost if o is not None else 0.0)
        for rid, k in w.moved.items()
        for o in [w.assignments.get(rid)]
    )
    if abs(delta) > EPSILON:
        return [Phrase("effect_cost_up" if delta > 0 else "effect_cost_down",
                       {"amount": abs(delta)})]
    return []


def _moves_words(w: _WhatIf) -> list[Phrase]:
    residents, assignments, moved = w.problem.residents_by_id, w.assignments, w.moved
    leave = tuple(r for r, k in moved.items() if residents[r].current_room is not None
                  and assignments.get(r) == residents[r].current_room)
    back = tuple(r for r, k in moved.items() if residents[r].current_room is not None
                 and k == residents[r].current_room)
    return _people(("effect_leaves_current", leave), ("effect_back_current", back))


def _rooms_used_words(w: _WhatIf) -> list[Phrase]:
    if abs(w.changes.get("rooms_used", 0.0)) <= EPSILON:
        return []
    # The weighted change of a minimised term is -weight * raw change.
    raw = -w.changes["rooms_used"] / w.meter.weights["rooms_used"]
    n = round(abs(raw))
    return [Phrase("effect_rooms_opened" if raw > 0 else "effect_rooms_closed",
                   {"rooms": Count(n, "room")})]


def _fairness_words(w: _WhatIf) -> list[Phrase]:
    if abs(w.changes.get("fairness", 0.0)) <= EPSILON:
        return []
    up = w.changes["fairness"] > 0
    return [Phrase("effect_fairness_up" if up else "effect_fairness_down")]


#: The words about each term that has its own, in the order they are said; any other weighed
#: term (a custom one) gets a general phrase with its change, after these.
_WORDS: dict[str, Callable[[_WhatIf], list[Phrase]]] = {
    "housed": _housed_words,
    "preferences": _preferences_words,
    "roommates": _roommates_words,
    "cost": _cost_words,
    "moves": _moves_words,
    "rooms_used": _rooms_used_words,
    "fairness": _fairness_words,
}


def effects(
    problem: Problem, assignments: Assignments, moves: Mapping[str, str | None],
    meter: ObjectiveMeter,
) -> Effects:
    """What moving the residents in ``moves`` does, term by term, in housing words.

    >>> from roomalloc import Problem, Room, Resident
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> what = effects(p, {"r1": "A"}, {"r1": None}, ObjectiveMeter(p, {"r1": "A"}))
    >>> what.verdict, ENGLISH.render(what.words())
    ('worse', 'r1 would lose their place')
    """
    changes = meter.change(moves)
    total = float(sum(changes.values()))
    weighed = {t for t, w in meter.weights.items() if abs(w) > 0}
    moved = {rid: room for rid, room in moves.items() if assignments.get(rid) != room}
    what = _WhatIf(problem, assignments, moved, changes, meter)
    out: list[Phrase] = []
    for term, words in _WORDS.items():
        if term in weighed:
            out.extend(words(what))
    for term in sorted(weighed - _WORDS.keys()):
        if abs(changes.get(term, 0.0)) > EPSILON:
            out.append(Phrase("effect_other", {"what": term.replace("_", " "),
                                               "amount": changes[term]}))
    lost_pairs = what.pair_changes[0] if "roommates" in weighed and moved else ()
    return Effects(total, tuple(out), lost_pairs)
