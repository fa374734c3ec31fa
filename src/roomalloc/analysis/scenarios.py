"""What-if scenarios: small named edits that turn a problem into a new, validated problem.

An edit is one change in housing words (close building C, add two rooms, count roommate wishes
double, r17 leaves on 1 March). Edits compose with ``|`` into a :class:`Scenario`, whose
:attr:`~Scenario.name` reads like the edits (``"close building C; roommates x2"``) so that every
result of a sweep says which scenario made it. :meth:`Scenario.apply` edits the problem's JSON
form and validates the outcome with :meth:`roomalloc.Problem.model_validate`, so an edited
problem is checked exactly like a loaded one. An edit that names something the problem does not
have (a room, a building, a resident, a term) is an error naming it, never a silent no-op.

Every edit has a JSON form (``{"edit": "close", "building": "C"}``); a scenarios file is a list
of ``{"name": ..., "edits": [...]}`` objects, read by :func:`load_scenarios`.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> from roomalloc.analysis.scenarios import close, weight
>>> p = Problem(rooms=[Room(id="C-1", building="C", capacity=1),
...                    Room(id="D-1", building="D", capacity=1)],
...             residents=[Resident(id="r1")])
>>> s = close("C") | weight(roommates=2)
>>> s.name
'close building C; roommates x2'
>>> q = s.apply(p)
>>> [len(room.unavailable) for room in q.rooms], q.objective[2].weight
([1, 0], 4.0)
>>> close("Z").apply(p)
Traceback (most recent call last):
...
roomalloc.domain.errors.ProblemError: 1 mistake in the scenario:
  edits[0].building: no building 'Z'
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roomalloc.domain.errors import Issue, ProblemError
from roomalloc.domain.model import Problem, Resident, Room

__all__ = [
    "FOREVER",
    "Edit",
    "Scenario",
    "add_residents",
    "add_rooms",
    "arrive",
    "capacity",
    "close",
    "depart",
    "load_scenarios",
    "remove_residents",
    "remove_rooms",
    "rules",
    "scenarios_from_data",
    "terms",
    "weight",
]

#: The interval a closure "for good" (no period given) adds: it overlaps every stay, and a
#: resident without a stay overlaps it too, so nobody may be placed in the room.
FOREVER = ("0001-01-01", "9999-12-31")

Data = dict[str, Any]


@dataclass(frozen=True)
class Edit:
    """One change to a problem: its ``kind`` and its parameters, exactly as in JSON.

    Build edits with the constructors of this module (:func:`close`, :func:`weight`, ...);
    ``Edit.from_dict({"edit": "close", "building": "C"})`` reads the JSON form.

    >>> Edit.from_dict({"edit": "close", "building": "C"}).name
    'close building C'
    """

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """A short readable description (``"close building C"``)."""
        try:
            return _KINDS[self.kind].describe(self.params)
        except (TypeError, ValueError, AttributeError):  # malformed values: apply reports them
            return f"{self.kind} (malformed)"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"edit": kind, **params}``."""
        return {"edit": self.kind, **copy.deepcopy(dict(self.params))}

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Edit:
        """Read the JSON form; raise :class:`ProblemError` naming every mistake."""
        issues = _edit_shape_issues(data, path)
        if issues:
            raise ProblemError(issues, what="scenario")
        return cls(data["edit"], _params(data))

    def apply_to(self, data: Data, path: str, issues: list[Issue]) -> None:
        """Change the problem's JSON form ``data`` in place; append mistakes to ``issues``."""
        _KINDS[self.kind].apply(data, self.params, _Place(path, issues))


@dataclass(frozen=True)
class Scenario:
    """A sequence of edits with a readable name; ``a | b`` applies ``a``'s edits, then ``b``'s.

    ``label`` overrides the name made from the edits; a scenario without edits is the
    ``"baseline"`` (the problem as it is).

    >>> from roomalloc import Problem, Room
    >>> s = (close(rooms=["A"]) | capacity({"B": 3})).named("renovate A")
    >>> s.name, [e.name for e in s.edits]
    ('renovate A', ['close room A', 'capacity B=3'])
    >>> Scenario().apply(Problem(rooms=[Room(id="A", capacity=1)])).rooms[0].id
    'A'
    """

    edits: tuple[Edit, ...] = ()
    label: str | None = None

    @property
    def name(self) -> str:
        """The label, else the edits' names joined with ``"; "`` (``"baseline"`` if none)."""
        if self.label:
            return self.label
        return "; ".join(e.name for e in self.edits) or "baseline"

    def __or__(self, other: Scenario) -> Scenario:
        return Scenario(self.edits + other.edits)

    def named(self, label: str) -> Scenario:
        """The same edits under another name."""
        return Scenario(self.edits, label)

    def apply(self, problem: Problem) -> Problem:
        """The edited problem, validated; :class:`ProblemError` (``what="scenario"``) names
        every edit that refers to something the problem lacks or makes it invalid."""
        data = problem.model_dump(mode="json")
        issues: list[Issue] = []
        for i, edit in enumerate(self.edits):
            edit.apply_to(data, f"edits[{i}]", issues)
        if issues:
            raise ProblemError(issues, what="scenario")
        try:
            validated: Problem = Problem.model_validate(data)
            return validated
        except ProblemError as err:
            raise ProblemError(
                [Issue(f"edited problem: {i.path}" if i.path else "edited problem", i.message)
                 for i in err.issues],
                what="scenario",
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"name": ..., "edits": [...]}``."""
        return {"name": self.name, "edits": [e.to_dict() for e in self.edits]}

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Read the JSON form of one scenario (see :func:`scenarios_from_data`)."""
        return scenarios_from_data([data])[0]


def load_scenarios(path: str, problem: Problem | None = None) -> list[Scenario]:
    """Read a scenarios file: a JSON list of ``{"name": ..., "edits": [...]}``.

    Every mistake is reported at once in one :class:`ProblemError`, placed like
    ``scenarios[2].edits[0].building: no building 'Z'``. With ``problem``, each scenario is
    also applied to it, so references to rooms, buildings and residents are checked too.
    """
    from roomalloc.domain.io import _read_bytes  # one home for "cannot read this file"

    try:
        data = json.loads(_read_bytes(path))
    except json.JSONDecodeError as err:
        raise ProblemError(
            [Issue("", f"not JSON: {err.msg} (line {err.lineno}, column {err.colno})")],
            what="scenarios",
        ) from None
    return scenarios_from_data(data, problem)


def scenarios_from_data(data: Any, problem: Problem | None = None) -> list[Scenario]:
    """Scenarios from their JSON form (a list); see :func:`load_scenarios`.

    >>> from roomalloc import Problem, Room
    >>> p = Problem(rooms=[Room(id="A", building="A", capacity=1)])
    >>> [s.name for s in scenarios_from_data([{"edits": []},
    ...                                       {"edits": [{"edit": "close", "building": "A"}]}])]
    ['baseline', 'close building A']
    >>> scenarios_from_data([{"edits": [{"edit": "close", "building": "Z"}]}], p)
    Traceback (most recent call last):
    ...
    roomalloc.domain.errors.ProblemError: 1 mistake in the scenarios:
      scenarios[0].edits[0].building: no building 'Z'
    """
    issues: list[Issue] = []
    if not isinstance(data, list):
        raise ProblemError([Issue("", "expected a list of scenarios")], what="scenarios")
    out: list[Scenario] = []
    for i, item in enumerate(data):
        where = f"scenarios[{i}]"
        if not isinstance(item, dict):
            issues.append(Issue(where, 'expected {"name": ..., "edits": [...]}'))
            continue
        for key in item:
            if key not in ("name", "edits") and not key.startswith("_"):
                issues.append(Issue(f"{where}.{key}", "unknown field (expected name, edits)"))
        label = item.get("name")
        if label is not None and not isinstance(label, str):
            issues.append(Issue(f"{where}.name", "must be a string"))
            label = None
        edits_data = item.get("edits")
        if not isinstance(edits_data, list):
            issues.append(Issue(f"{where}.edits", "expected a list of edits"))
            continue
        edits: list[Edit] = []
        for j, e in enumerate(edits_data):
            found = _edit_shape_issues(e, f"{where}.edits[{j}]")
            issues += found
            if not found:
                edits.append(Edit(e["edit"], _params(e)))
        scenario = Scenario(tuple(edits), label)
        if problem is not None and len(edits) == len(edits_data):
            try:
                scenario.apply(problem)
            except ProblemError as err:
                issues += [Issue(f"{where}.{x.path}", x.message) for x in err.issues]
        out.append(scenario)
    if issues:
        raise ProblemError(issues, what="scenarios")
    return out


# --- the constructors ------------------------------------------------------------------------


def close(
    building: str | None = None,
    *,
    rooms: Iterable[str] = (),
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
) -> Scenario:
    """Close a building (or rooms) from ``start`` up to ``end``; for good when no period.

    The closure is an ``unavailable`` interval on each room: nobody whose stay overlaps it is
    placed there. Without ``start`` it runs from the beginning of time, without ``end`` to its
    end (:data:`FOREVER`).

    >>> close("C", start="2026-10-01", end="2026-12-01").name
    'close building C from 2026-10-01 to 2026-12-01'
    >>> close(rooms=["A-1", "A-2"]).name
    'close rooms A-1, A-2'
    """
    params: dict[str, Any] = {}
    if building is not None:
        params["building"] = building
    if rooms:
        params["rooms"] = list(rooms)
    if start is not None:
        params["start"] = str(start)
    if end is not None:
        params["end"] = str(end)
    return _one("close", params)


def add_rooms(*rooms: Room | Mapping[str, Any]) -> Scenario:
    """Add new rooms (their ids must be new).

    >>> from roomalloc import Room
    >>> add_rooms(Room(id="N-1", capacity=2), {"id": "N-2", "capacity": 1}).name
    'add rooms N-1, N-2'
    """
    return _one("add_rooms", {"rooms": [_json_of(r) for r in rooms]})


def remove_rooms(*ids: str) -> Scenario:
    """Remove rooms and every reference to them (exclusions, room wishes, ``current_room``).

    A resident locked in a removed room is an error: unlock them first, or :func:`close`.

    >>> remove_rooms("A-1").name
    'remove room A-1'
    """
    return _one("remove_rooms", {"rooms": list(ids)})


def capacity(beds: Mapping[str, int]) -> Scenario:
    """Set the capacity (beds) of rooms by id.

    >>> capacity({"A-1": 3, "A-2": 1}).name
    'capacity A-1=3, A-2=1'
    """
    return _one("capacity", {"rooms": dict(beds)})


def add_residents(*residents: Resident | Mapping[str, Any]) -> Scenario:
    """Add new residents (their ids must be new).

    >>> add_residents({"id": "n1"}).name
    'add resident n1'
    """
    return _one("add_residents", {"residents": [_json_of(r) for r in residents]})


def remove_residents(*ids: str) -> Scenario:
    """Remove residents and every roommate wish naming them.

    >>> remove_residents("r1", "r2").name
    'remove residents r1, r2'
    """
    return _one("remove_residents", {"residents": list(ids)})


def arrive(*residents: Resident | Mapping[str, Any], on: dt.date | str | None = None) -> Scenario:
    """New residents arrive; with ``on``, their stay starts that night (and runs to its end, or
    for good when they have none).

    >>> arrive({"id": "n1"}, on="2027-01-10").name
    'arrive n1 on 2027-01-10'
    """
    params: dict[str, Any] = {"residents": [_json_of(r) for r in residents]}
    if on is not None:
        params["on"] = str(on)
    return _one("arrive", params)


def depart(*ids: str, on: dt.date | str | None = None) -> Scenario:
    """Residents leave: for good without ``on`` (they are removed, as :func:`remove_residents`);
    with ``on``, their stay ends that day (a resident without a stay gets one ending then; one
    whose stay would start on or after ``on`` is removed).

    >>> depart("r1", on="2027-02-01").name
    'depart r1 on 2027-02-01'
    """
    params: dict[str, Any] = {"residents": list(ids)}
    if on is not None:
        params["on"] = str(on)
    return _one("depart", params)


def weight(**factors: float) -> Scenario:
    """Multiply the weights of objective terms (each must be in the objective).

    >>> weight(roommates=2, preferences=0.5).name
    'roommates x2, preferences x0.5'
    """
    return _one("weight", dict(factors))


def terms(**weights: float) -> Scenario:
    """Set the weights of objective terms, adding those the objective lacks.

    >>> terms(moves=5, cost=0.01).name
    'terms moves=5, cost=0.01'
    """
    return _one("terms", dict(weights))


def rules(**values: Any) -> Scenario:
    """Set problem-wide rules (``gender_mixing="allow"``).

    >>> rules(gender_mixing="allow").name
    'rules gender_mixing=allow'
    """
    return _one("rules", dict(values))


# --- the edits' meaning ----------------------------------------------------------------------


@dataclass
class _Place:
    """Where an edit is (``edits[0]``) and the list its mistakes go to."""

    path: str
    issues: list[Issue]

    def error(self, key: str, message: str) -> None:
        self.issues.append(Issue(f"{self.path}.{key}" if key else self.path, message))


@dataclass(frozen=True)
class _Kind:
    """One kind of edit: its JSON keys, its name, and what it does to the problem's data."""

    keys: tuple[str, ...]
    required: tuple[str, ...]
    describe: Callable[[Mapping[str, Any]], str]
    apply: Callable[[Data, Mapping[str, Any], _Place], None]
    open_keys: bool = False  # the keys are term or rule names, checked by ``apply``


def _one(kind: str, params: dict[str, Any]) -> Scenario:
    return Scenario((Edit(kind, params),))


def _json_of(item: Room | Resident | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(item, Room | Resident):
        return item.model_dump(mode="json")
    return copy.deepcopy(dict(item))


def _params(data: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's parameters: its JSON form without ``edit`` and the user's ``_`` notes."""
    return {k: v for k, v in data.items() if k != "edit" and not k.startswith("_")}


def _edit_shape_issues(data: Any, path: str) -> list[Issue]:
    """Mistakes in the JSON form of one edit that need no problem to find."""
    if not isinstance(data, dict) or not isinstance(data.get("edit"), str):
        return [Issue(path, 'expected {"edit": KIND, ...}')]
    kind = _KINDS.get(data["edit"])
    if kind is None:
        return [Issue(f"{path}.edit",
                      f"unknown edit {data['edit']!r} (known: {', '.join(sorted(_KINDS))})")]
    issues = []
    if not kind.open_keys:
        issues += [Issue(f"{path}.{k}", f"unknown field (expected {', '.join(kind.keys)})")
                   for k in _params(data) if k not in kind.keys]
    issues += [Issue(f"{path}.{k}", "is required") for k in kind.required if k not in data]
    return issues


def _ids_list(place: _Place, params: Mapping[str, Any], key: str) -> list[str]:
    value = params.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        place.error(key, "expected a list of ids")
        return []
    return list(value)


def _date(place: _Place, params: Mapping[str, Any], key: str, default: str) -> str | None:
    value = params.get(key, default)
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        place.error(key, f"expected a date YYYY-MM-DD, got {value!r}")
        return None


def _list_names(ids: Sequence[str], singular: str) -> str:
    return f"{singular}{'s' if len(ids) != 1 else ''} {', '.join(map(str, ids))}"


# close


def _describe_close(p: Mapping[str, Any]) -> str:
    parts = []
    if "building" in p:
        parts.append(f"building {p['building']}")
    if p.get("rooms"):
        parts.append(_list_names(p["rooms"], "room"))
    what = " and ".join(parts) or "nothing"
    period = (f" from {p['start']}" if "start" in p else "") + (
        f" to {p['end']}" if "end" in p else "")
    return f"close {what}{period}"


def _apply_close(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    if "building" not in p and "rooms" not in p:
        place.error("", "name a building or rooms to close")
        return
    targets: list[Data] = []
    if "building" in p:
        b = p["building"]
        found = [r for r in data["rooms"] if r.get("building", "") == b]
        if not found:
            place.error("building", f"no building {b!r}")
        targets += found
    if "rooms" in p:
        targets += _rooms_named(data, _ids_list(place, p, "rooms"), place, "rooms")
    start = _date(place, p, "start", FOREVER[0])
    end = _date(place, p, "end", FOREVER[1])
    if start is None or end is None:
        return
    if end <= start:
        place.error("end", f"{end} is not after start {start}")
        return
    for room in targets:
        room["unavailable"] = [*room.get("unavailable", []), {"start": start, "end": end}]


def _rooms_named(data: Data, ids: list[str], place: _Place, key: str) -> list[Data]:
    by_id = {r["id"]: r for r in data["rooms"]}
    out = []
    for i, rid in enumerate(ids):
        if rid in by_id:
            out.append(by_id[rid])
        else:
            place.error(f"{key}[{i}]", f"no room {rid!r}")
    return out


# rooms


def _describe_add_rooms(p: Mapping[str, Any]) -> str:
    ids = [r.get("id", "?") if isinstance(r, dict) else "?" for r in p.get("rooms", [])]
    return f"add {_list_names(ids, 'room')}" if len(ids) <= 3 else f"add {len(ids)} rooms"


def _apply_add(data: Data, p: Mapping[str, Any], place: _Place, what: str) -> list[Data]:
    """Append new rooms or residents (``what``) after checking their ids are new."""
    items = p.get(what)
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        place.error(what, f"expected a list of {what} (objects)")
        return []
    have = {x["id"] for x in data[what]}
    added = []
    for i, item in enumerate(items):
        if item.get("id") in have:
            place.error(f"{what}[{i}].id", f"{what[:-1]} {item['id']!r} exists already")
            continue
        have.add(item.get("id"))
        added.append(copy.deepcopy(item))
    data[what] = [*data[what], *added]
    return added


def _apply_add_rooms(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    _apply_add(data, p, place, "rooms")


def _apply_remove_rooms(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    ids = _ids_list(place, p, "rooms")
    gone = {r["id"] for r in _rooms_named(data, ids, place, "rooms")}
    for r in data["residents"]:
        if r.get("current_room") in gone:
            if r.get("locked"):
                place.error("rooms", f"resident {r['id']!r} is locked in room "
                                     f"{r['current_room']!r}; unlock them first")
                continue
            r["current_room"] = None
        r["excluded_rooms"] = [k for k in r.get("excluded_rooms", []) if k not in gone]
        r["preferences"] = [w for w in r.get("preferences", []) if w.get("room") not in gone]
    data["rooms"] = [r for r in data["rooms"] if r["id"] not in gone]


def _apply_capacity(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    beds = p.get("rooms")
    if not isinstance(beds, dict):
        place.error("rooms", "expected a map of room id to beds")
        return
    by_id = {r["id"]: r for r in data["rooms"]}
    for rid, n in beds.items():
        if rid not in by_id:
            place.error(f"rooms.{rid}", f"no room {rid!r}")
        elif isinstance(n, bool) or not isinstance(n, int) or n < 1:
            place.error(f"rooms.{rid}", f"beds must be a whole number >= 1, got {n!r}")
        else:
            by_id[rid]["capacity"] = n


# residents


def _describe_residents(verb: str) -> Callable[[Mapping[str, Any]], str]:
    def describe(p: Mapping[str, Any]) -> str:
        ids = [x.get("id", "?") if isinstance(x, dict) else str(x)
               for x in p.get("residents", [])]
        who = _list_names(ids, "resident") if verb in ("add", "remove") else ", ".join(ids)
        if len(ids) > 3:
            who = f"{len(ids)} residents"
        return f"{verb} {who}" + (f" on {p['on']}" if "on" in p else "")
    return describe


def _apply_arrive(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    added = _apply_add(data, p, place, "residents")
    if "on" not in p:
        return
    on = _date(place, p, "on", "")
    if on is None:
        return
    for r in added:
        end = (r.get("stay") or {}).get("end", FOREVER[1])
        if str(end) <= on:
            place.error("on", f"resident {r.get('id')!r} would arrive on {on}, after their "
                              f"stay ends ({end})")
        else:
            r["stay"] = {"start": on, "end": end}


def _apply_remove_residents(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    _remove_residents(data, set(_residents_named(data, p, place)))


def _residents_named(data: Data, p: Mapping[str, Any], place: _Place) -> list[str]:
    """The ids in ``p["residents"]``, each an error when the problem has no such resident."""
    have = {r["id"] for r in data["residents"]}
    out = []
    for i, rid in enumerate(_ids_list(place, p, "residents")):
        if rid in have:
            out.append(rid)
        else:
            place.error(f"residents[{i}]", f"no resident {rid!r}")
    return out


def _remove_residents(data: Data, gone: set[str]) -> None:
    data["residents"] = [r for r in data["residents"] if r["id"] not in gone]
    for r in data["residents"]:
        mates = r.get("roommates") or {}
        for side in ("want", "avoid"):
            if side in mates:
                mates[side] = [s for s in mates[side] if s not in gone]


def _apply_depart(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    leaving = set(_residents_named(data, p, place))
    if "on" not in p:
        _remove_residents(data, leaving)
        return
    on = _date(place, p, "on", "")
    if on is None:
        return
    never_here = set()
    for r in data["residents"]:
        if r["id"] not in leaving:
            continue
        start = (r.get("stay") or {}).get("start", FOREVER[0])
        end = (r.get("stay") or {}).get("end", FOREVER[1])
        if on <= str(start):
            never_here.add(r["id"])
        elif on < str(end):
            r["stay"] = {"start": start, "end": on}
    _remove_residents(data, never_here)


# objective and rules


def _describe_weight(p: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} x{v:g}" if isinstance(v, int | float) else f"{k} x{v!r}"
                     for k, v in p.items())


def _describe_terms(p: Mapping[str, Any]) -> str:
    return "terms " + ", ".join(f"{k}={v:g}" if isinstance(v, int | float) else f"{k}={v!r}"
                                for k, v in p.items())


def _number(place: _Place, key: str, value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        place.error(key, f"expected a number >= 0, got {value!r}")
        return None
    return float(value)


def _apply_weight(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    specs = data["objective"]
    for name, factor in p.items():
        f = _number(place, name, factor)
        mine = [s for s in specs if s["term"] == name]
        if not mine:
            place.error(name, f"no term {name!r} in the objective "
                              f"({', '.join(s['term'] for s in specs)}); set it with 'terms'")
        elif f is not None:
            for s in mine:
                s["weight"] = s["weight"] * f


def _apply_terms(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    from roomalloc.terms import term_names

    known = term_names()
    specs = data["objective"]
    for name, w in p.items():
        value = _number(place, name, w)
        if name not in known:
            place.error(name, f"unknown term {name!r} (known: {', '.join(sorted(known))})")
        elif value is not None:
            mine = [s for s in specs if s["term"] == name]
            for s in mine:
                s["weight"] = value
            if not mine:
                specs.append({"term": name, "weight": value})


def _apply_rules(data: Data, p: Mapping[str, Any], place: _Place) -> None:
    from roomalloc.domain.model import Rules

    for name, value in p.items():
        if name not in Rules.model_fields:
            place.error(name, f"unknown rule {name!r} (known: {', '.join(Rules.model_fields)})")
        else:
            data.setdefault("rules", {})[name] = value


_KINDS: dict[str, _Kind] = {
    "close": _Kind(("building", "rooms", "start", "end"), (), _describe_close, _apply_close),
    "add_rooms": _Kind(("rooms",), ("rooms",), _describe_add_rooms,
                       _apply_add_rooms),
    "remove_rooms": _Kind(("rooms",), ("rooms",),
                          lambda p: f"remove {_list_names(p.get('rooms', []), 'room')}",
                          _apply_remove_rooms),
    "capacity": _Kind(("rooms",), ("rooms",),
                      lambda p: "capacity " + ", ".join(
                          f"{k}={v}" for k, v in dict(p.get("rooms") or {}).items()),
                      _apply_capacity),
    "add_residents": _Kind(("residents",), ("residents",), _describe_residents("add"),
                           _apply_arrive),
    "remove_residents": _Kind(("residents",), ("residents",), _describe_residents("remove"),
                              _apply_remove_residents),
    "arrive": _Kind(("residents", "on"), ("residents",), _describe_residents("arrive"),
                    _apply_arrive),
    "depart": _Kind(("residents", "on"), ("residents",), _describe_residents("depart"),
                    _apply_depart),
    "weight": _Kind((), (), _describe_weight, _apply_weight, open_keys=True),
    "terms": _Kind((), (), _describe_terms, _apply_terms, open_keys=True),
    "rules": _Kind((), (), lambda p: "rules " + ", ".join(f"{k}={v}" for k, v in p.items()),
                   _apply_rules, open_keys=True),
}


