"""Validation of problem and result data: every mistake at once, each with its JSON path.

:func:`validate_json` and :func:`validate_data` read a problem (format ``roomalloc/1``, see
``docs/format.md``); :func:`validate_result_json` and :func:`validate_result_data` read a
result. They walk the whole document, collect every mistake as an
:class:`~roomalloc.errors.Issue` (``residents[12].preferences[3].room: no room 'B-999'``) and
raise one :class:`~roomalloc.ProblemError` listing them all. Cross-reference checks (room and
resident ids) run on every part that could be read, even when other parts have type errors, so
a user fixes a file in one round instead of one mistake per run.

Only when the walk finds nothing wrong are the pydantic models built; any complaint pydantic
still has is translated to the same path form, so a bad input never ends in a deep traceback.

Example
-------
>>> from roomalloc.validation import validate_json
>>> p = validate_json('{"rooms": [{"id": "A", "capacity": 1}], "residents": [{"id": "r1"}]}')
>>> len(p.residents)
1
>>> try:
...     validate_json('{"rooms": [{"id": "A", "capactiy": 1}], "residents": [{"id": 7}]}')
... except Exception as err:
...     print(err)
3 mistakes in the problem:
  rooms[0].capactiy: unknown field; did you mean 'capacity'?
  rooms[0].capacity: missing; every room needs a capacity
  residents[0].id: must be text, got the number 7
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import gc
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaValidator

from roomalloc.errors import Issue, ProblemError
from roomalloc.model import FORMAT, Problem, Result

__all__ = ["validate_data", "validate_json", "validate_result_data", "validate_result_json"]

_Check = Callable[["_Walker", Any, str], object]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_SELECTORS = ("room", "building", "feature", "floor")
_STATUSES = ("optimal", "feasible", "infeasible", "unknown")
_TERMS_IN_CONTRACT = (
    "housed", "preferences", "roommates", "cost", "rooms_used", "moves", "fairness"
)


# ---------------------------------------------------------------------------------------------
# Entry points


def validate_json(text: str | bytes | bytearray) -> Problem:
    """Parse and validate a problem's JSON text; raise :class:`ProblemError` listing every mistake.

    Example
    -------
    >>> validate_json('{"rooms": [], "residents": []}').format
    'roomalloc/1'
    """
    with _collector_paused():
        data, duplicates = _parse_json(text, "problem")
        return _validate_problem(data, duplicates)


def validate_data(obj: Any) -> Problem:
    """Validate a JSON-like object (dicts, lists, text, numbers); raise :class:`ProblemError`.

    Dates may be ``datetime.date`` objects as well as ``"YYYY-MM-DD"`` text, lists may be tuples,
    and parts may already be model instances (a :class:`~roomalloc.Room` in the ``rooms`` list).

    Example
    -------
    >>> p = validate_data({"rooms": [{"id": "A", "capacity": 2}],
    ...                    "residents": [{"id": "r1", "current_room": "A", "locked": True}]})
    >>> p.residents[0].locked
    True
    """
    if isinstance(obj, Problem):
        return obj
    with _collector_paused():
        return _validate_problem(obj, {})


def validate_result_json(text: str | bytes | bytearray) -> Result:
    """Parse and validate a result's JSON text; raise :class:`ProblemError` (``what="result"``).

    Example
    -------
    >>> validate_result_json('{"status": "feasible", "assignments": {"r1": "A", "r2": null}}'
    ...                      ).assignments
    {'r1': 'A', 'r2': None}
    """
    with _collector_paused():
        data, duplicates = _parse_json(text, "result")
        return _validate_result(data, duplicates)


def validate_result_data(obj: Any) -> Result:
    """Validate a JSON-like result object; raise :class:`ProblemError` (``what="result"``).

    Example
    -------
    >>> try:
    ...     validate_result_data({"status": "solved"})
    ... except Exception as err:
    ...     print(err)
    1 mistake in the result:
      status: must be one of 'optimal', 'feasible', 'infeasible', 'unknown'; got 'solved'
    """
    if isinstance(obj, Result):
        return obj
    return _validate_result(obj, {})


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read.

    Parsing and building create millions of objects and none of them form cycles, yet each
    batch of new objects triggers a collection that scans them all: with the collector on, a
    50,000-resident problem takes about three times as long to read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------------------------------------
# JSON text


def _parse_json(text: str | bytes | bytearray, what: str) -> tuple[Any, dict[int, Any]]:
    """``json.loads`` that reports malformed text with line and column, and notes repeated keys.

    JSON lets an object repeat a key and keeps the last value; that silently drops data, so the
    objects with repeated keys are remembered (by identity, the object kept alive alongside) and
    reported by the walk with their path.
    """
    if isinstance(text, bytes | bytearray):
        encoding = json.detect_encoding(text)  # UTF-8, or UTF-16/32 as some editors write
        try:
            text = bytes(text).decode(encoding)
        except UnicodeDecodeError as err:
            message = f"not {encoding.upper()} text: byte {err.start} cannot be decoded"
            raise ProblemError([Issue("", message)], what) from None
    elif not isinstance(text, str):
        raise ProblemError([Issue("", f"expected JSON text, got {type(text).__name__}")], what)
    if not text.strip():
        raise ProblemError([Issue("", f"empty; expected a JSON object (the {what})")], what)
    duplicates: dict[int, Any] = {}

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            duplicates[id(obj)] = (obj, [key for key, n in counts.items() if n > 1])
        return obj

    try:
        data = json.loads(text.lstrip("\ufeff"), object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as err:
        message = err.msg[:1].lower() + err.msg[1:]
        issue = Issue("", f"malformed JSON at line {err.lineno}, column {err.colno}: {message}")
        raise ProblemError([issue], what) from None
    except RecursionError:
        raise ProblemError([Issue("", "nested too deeply to read")], what) from None
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        raise ProblemError([Issue("", f"unreadable JSON: {err}")], what) from None
    return data, duplicates


# ---------------------------------------------------------------------------------------------
# Problem


def _validate_problem(data: Any, duplicates: dict[int, Any]) -> Problem:
    walker = _Walker(duplicates)
    _walk(walker.problem, data, "problem")
    if walker.issues:
        raise ProblemError(walker.issues, "problem")
    return cast(Problem, _build(Problem, data, "problem"))


def _validate_result(data: Any, duplicates: dict[int, Any]) -> Result:
    walker = _Walker(duplicates)
    _walk(walker.result, data, "result")
    if walker.issues:
        raise ProblemError(walker.issues, "result")
    return cast(Result, _build(Result, data, "result"))


def _walk(walk: Callable[[Any], None], data: Any, what: str) -> None:
    try:
        walk(data)
    except RecursionError:  # only annotations nest freely; a thousand levels is not data
        raise ProblemError([Issue("", "nested too deeply to read")], what) from None


def _build(model: type[BaseModel], data: Any, what: str) -> BaseModel:
    """Build the pydantic model; a complaint the walk missed still becomes a path-named Issue."""
    try:
        return _checked_validator(model).validate_python(data)  # type: ignore[no-any-return]
    except ValidationError as err:
        issues = [
            Issue(_loc_path(e["loc"]), e["msg"].removeprefix("Value error, "))
            for e in err.errors(include_url=False)
        ]
        raise ProblemError(issues, what) from None


# The models' own check-only validators, which the walk has already done on this data.
_WALKED_CHECKS = frozenset({"_only_annotation_extras", "_end_after_start", "_one_selector"})


@functools.cache
def _checked_validator(model: type[BaseModel]) -> SchemaValidator:
    """The model's pydantic validator without the Python checks the walk already made.

    Those after-validators cost a Python call for every room, resident, stay and preference
    (about a third of the build time for a 50,000-resident problem). Pydantic still checks
    every type; any other validator the models gain later is kept.
    """
    return SchemaValidator(_strip_checks(model.__pydantic_core_schema__))


def _strip_checks(node: Any) -> Any:
    if isinstance(node, dict):
        function = node.get("function")
        if (
            node.get("type") == "function-after"
            and isinstance(function, dict)
            and getattr(function.get("function"), "__name__", None) in _WALKED_CHECKS
        ):
            inner = _strip_checks(node["schema"])
            if "ref" in node and "ref" not in inner:
                inner = {**inner, "ref": node["ref"]}
            return inner
        return {
            key: value if key in ("function", "serialization", "cls") else _strip_checks(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_strip_checks(item) for item in node]
    return node


def _loc_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
    return path


def _join(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` for a key that is not a plain name."""
    suffix = _SUFFIXES.get(key)
    if suffix is None:
        suffix = f".{key}" if _PLAIN_KEY.fullmatch(key) else f"[{json.dumps(key)}]"
        if len(_SUFFIXES) < 10_000:  # field names repeat; attribute names may not
            _SUFFIXES[key] = suffix
    if path:
        return path + suffix
    return suffix[1:] if suffix[0] == "." else suffix


_SUFFIXES: dict[str, str] = {}


def _describe(value: Any) -> str:
    """A value as a user would name it in a message."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {json.dumps(shown)}"
    if isinstance(value, int | float):
        return f"the number {_number_text(value)}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a Python {type(value).__name__}"


def _number_text(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return repr(value)


class _Walker:
    """One pass over the raw data, collecting every mistake with its path."""

    def __init__(self, duplicates: dict[int, Any]) -> None:
        self.issues: list[Issue] = []
        self.duplicates = duplicates
        self.room_ids: set[str] | None = set()  # None: the rooms list is unreadable
        self.resident_ids: set[str] = set()
        self.first_room: dict[int, int] = {}  # index of a repeated room id -> index of its first
        self.first_resident: dict[int, int] = {}
        self.index = 0  # index of the room or resident being walked
        self.resident_id: str | None = None  # id of the resident being walked
        self.terms_seen: dict[str, int] = {}

    def report(self, path: str, message: str) -> None:
        self.issues.append(Issue(path, message))

    # -- structure --------------------------------------------------------------------------

    def mapping(self, value: Any, path: str, what: str) -> Mapping[Any, Any] | None:
        if type(value) is dict:  # the usual case, without the slower abstract-class check
            return value
        if isinstance(value, BaseModel):
            return value.model_dump()
        if isinstance(value, Mapping):
            return value
        self.report(path, f"must be an object ({what}), got {_describe(value)}")
        return None

    def sequence(self, value: Any, path: str) -> Sequence[Any] | None:
        if isinstance(value, list | tuple):
            return value
        self.report(path, f"must be a list, got {_describe(value)}")
        return None

    def fields(
        self,
        obj: Mapping[Any, Any],
        path: str,
        known: Mapping[str, _Check],
        required: Sequence[str],
        what: str,
        plain: Mapping[str, frozenset[type]] | None = None,
    ) -> None:
        """Check each field with its checker; report repeated, unknown and missing fields.

        ``plain`` names, per field, value types that are good without further checks (such as
        ``null`` for an optional field): these skip the checker call, which matters when a
        problem has a million fields.
        """
        if self.duplicates and id(obj) in self.duplicates:
            for key in self.duplicates[id(obj)][1]:
                self.report(_join(path, key), "given more than once in the same object")
        plain = plain or {}
        for key, value in obj.items():
            check = known.get(key)
            if check is not None:
                if type(value) in plain.get(key, _NO_TYPES):
                    continue
                # Known names are plain, so the path needs no quoting.
                check(self, value, f"{path}.{key}" if path else key)
            elif not isinstance(key, str):
                self.report(path, f"field names must be text, got {_describe(key)}")
            elif key.startswith("_"):
                self.annotation(value, _join(path, key))
            else:
                self.report(_join(path, key), _unknown_field_message(key, known, what))
        for name in required:
            if name not in obj:
                article = "an" if name[0] in "aeiou" else "a"
                self.report(_join(path, name), f"missing; every {what} needs {article} {name}")

    def annotation(self, value: Any, path: str) -> None:
        """A ``_`` field is kept as is, so it must be plain JSON that survives a save."""
        if value is None or isinstance(value, str | bool | int):
            return
        if isinstance(value, float):
            if not math.isfinite(value):
                self.report(path, f"must be a finite number, got {_number_text(value)}")
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                self.annotation(item, f"{path}[{i}]")
        elif isinstance(value, Mapping):
            if self.duplicates and id(value) in self.duplicates:
                for key in self.duplicates[id(value)][1]:
                    self.report(_join(path, key), "given more than once in the same object")
            for key, item in value.items():
                if isinstance(key, str):
                    self.annotation(item, _join(path, key))
                else:
                    self.report(path, f"field names must be text, got {_describe(key)}")
        else:
            self.report(path, f"must be JSON data, got {_describe(value)}")

    # -- the problem ------------------------------------------------------------------------

    def problem(self, data: Any) -> None:
        obj = self.mapping(data, "", "the problem")
        if obj is None:
            return
        rooms = obj.get("rooms")
        residents = obj.get("residents")
        if isinstance(rooms, list | tuple):
            self.room_ids, self.first_room = self._collect_ids(rooms)
        elif rooms is not None:  # then "no room X" at every reference would only be noise
            self.room_ids = None
        if isinstance(residents, list | tuple):
            self.resident_ids, self.first_resident = self._collect_ids(residents)
        self.fields(obj, "", _PROBLEM_FIELDS, (), "problem")

    @staticmethod
    def _collect_ids(items: Sequence[Any]) -> tuple[set[str], dict[int, int]]:
        """Gather the readable ids before the walk, so references can be checked in one pass."""
        first: dict[str, int] = {}
        repeats: dict[int, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                item_id = getattr(item, "id", None)
            elif isinstance(item, Mapping):
                item_id = item.get("id")
            else:
                continue
            if isinstance(item_id, str):
                if item_id in first:
                    repeats[i] = first[item_id]
                else:
                    first[item_id] = i
        return set(first), repeats

    def result(self, data: Any) -> None:
        obj = self.mapping(data, "", "the result")
        if obj is None:
            return
        self.fields(obj, "", _RESULT_FIELDS, ("status",), "result")
        status, assignments = obj.get("status"), obj.get("assignments")
        if status in ("infeasible", "unknown") and isinstance(assignments, Mapping) and assignments:
            self.report(
                "assignments",
                f"must be empty when the status is '{status}' (no allocation was found)",
            )


def _unknown_field_message(key: str, known: Iterable[str], what: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    if close:
        return f"unknown field; did you mean '{close[0]}'?"
    names = ", ".join(known)
    return f"unknown field (a {what} has: {names}; start your own notes' names with '_')"


# ---------------------------------------------------------------------------------------------
# Primitive checks: each reports its own mistake and returns the value when it is good.


def _text(w: _Walker, value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return value
    w.report(path, f"must be text, got {_describe(value)}")
    return None


def _text_or_null(w: _Walker, value: Any, path: str) -> None:
    if value is not None:
        _text(w, value, path)


def _id(w: _Walker, value: Any, path: str) -> str | None:
    text = _text(w, value, path)
    if text == "":
        w.report(path, "must not be empty")
        return None
    return text


def _whole(w: _Walker, value: Any, path: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    w.report(path, f"must be a whole number, got {_describe(value)}")
    return None


def _number(w: _Walker, value: Any, path: str) -> float | None:
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):  # the usual cases, quickly
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool) or not isinstance(value, int | float):
        w.report(path, f"must be a number, got {_describe(value)}")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        w.report(path, f"must be a finite number, got {_number_text(value)}")
        return None
    return value


def _not_negative(w: _Walker, value: Any, path: str) -> None:
    number = _number(w, value, path)
    if number is not None and number < 0:
        w.report(path, f"must not be negative, got {_number_text(number)}")


def _not_negative_or_null(w: _Walker, value: Any, path: str) -> None:
    if value is not None:
        _not_negative(w, value, path)


def _number_or_null(w: _Walker, value: Any, path: str) -> None:
    if value is not None:
        _number(w, value, path)


def _bool(w: _Walker, value: Any, path: str) -> None:
    if value is not True and value is not False:
        w.report(path, f"must be true or false, got {_describe(value)}")


def _date(w: _Walker, value: Any, path: str) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            w.report(path, f"is not a real date: {json.dumps(value)}")
            return None
    w.report(path, f"must be a date written YYYY-MM-DD, got {_describe(value)}")
    return None


def _text_list(w: _Walker, value: Any, path: str) -> None:
    items = w.sequence(value, path)
    if items is not None:
        for i, item in enumerate(items):
            if not isinstance(item, str):
                _text(w, item, f"{path}[{i}]")


def _attributes(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "names to text, numbers or true/false")
    if obj is None:
        return
    if w.duplicates and id(obj) in w.duplicates:
        for key in w.duplicates[id(obj)][1]:
            w.report(_join(path, key), "given more than once in the same object")
    for key, item in obj.items():
        if not isinstance(key, str):
            w.report(path, f"field names must be text, got {_describe(key)}")
        elif isinstance(item, str | bool):
            continue
        elif isinstance(item, int | float):
            _number(w, item, _join(path, key))
        else:
            message = f"must be text, a number or true/false, got {_describe(item)}"
            w.report(_join(path, key), message)


def _list_of(check: _Check) -> _Check:
    def check_list(w: _Walker, value: Any, path: str) -> None:
        items = w.sequence(value, path)
        if items is not None:
            for i, item in enumerate(items):
                check(w, item, f"{path}[{i}]")

    return check_list


# ---------------------------------------------------------------------------------------------
# References


def _room_ref(w: _Walker, value: Any, path: str) -> None:
    room = _text(w, value, path)
    if room is not None and w.room_ids is not None and room not in w.room_ids:
        w.report(path, f"no room {room!r}")


def _room_ref_or_null(w: _Walker, value: Any, path: str) -> None:
    if value is not None:
        _room_ref(w, value, path)


def _room_refs(w: _Walker, value: Any, path: str) -> None:
    items = w.sequence(value, path)
    if items is None:
        return
    seen: set[str] = set()
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        _room_ref(w, item, here)
        if isinstance(item, str):
            if item in seen:
                w.report(here, f"{item!r} is listed twice")
            seen.add(item)


def _resident_refs(w: _Walker, value: Any, path: str, also_wanted: set[str] | None) -> set[str]:
    """Check a want or avoid list; returns the ids it holds that are good."""
    items = w.sequence(value, path)
    good: set[str] = set()
    if items is None:
        return good
    me = w.resident_id
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        other = _text(w, item, here)
        if other is None:
            continue
        if other not in w.resident_ids:
            w.report(here, f"no resident {other!r}")
        elif other == me:
            w.report(here, f"{other!r} is this resident; nobody can want or avoid themself")
        elif other in good:
            w.report(here, f"{other!r} is listed twice")
        elif also_wanted is not None and other in also_wanted:
            w.report(here, f"{other!r} is also in want; nobody can want and avoid the same person")
        good.add(other)
    return good


# ---------------------------------------------------------------------------------------------
# Objects


def _interval(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "an interval with start and end")
    if obj is None:
        return
    w.fields(obj, path, _INTERVAL_FIELDS, ("start", "end"), "interval")
    start, end = obj.get("start"), obj.get("end")
    if isinstance(start, str) and _DATE.fullmatch(start):
        start = _quiet_date(start)
    if isinstance(end, str) and _DATE.fullmatch(end):
        end = _quiet_date(end)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        w.report(
            _join(path, "end"),
            f"must be after start ({start.isoformat()}), got {end.isoformat()}; "
            "an interval is the nights from start up to but not including end",
        )


def _quiet_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _interval_or_null(w: _Walker, value: Any, path: str) -> None:
    if value is not None:
        _interval(w, value, path)


def _room(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "a room")
    if obj is None:
        return
    w.fields(obj, path, _ROOM_FIELDS, ("id", "capacity"), "room", _ROOM_PLAIN)
    first = w.first_room.get(w.index)
    if first is not None:
        w.report(_join(path, "id"), f"duplicate room id {obj['id']!r} (first at rooms[{first}])")


def _rooms(w: _Walker, value: Any, path: str) -> None:
    items = w.sequence(value, path)
    if items is not None:
        for i, item in enumerate(items):
            w.index = i
            _room(w, item, f"{path}[{i}]")


def _capacity(w: _Walker, value: Any, path: str) -> None:
    beds = _whole(w, value, path)
    if beds is not None and beds < 1:
        w.report(path, f"must be at least 1, got {beds}")


def _priority(w: _Walker, value: Any, path: str) -> None:
    number = _number(w, value, path)
    if number is not None and number <= 0:
        w.report(path, f"must be greater than 0, got {_number_text(number)}")


def _group(w: _Walker, value: Any, path: str) -> None:
    if value is not None and _text(w, value, path) == "":
        w.report(path, "must not be empty; use null for no group")


def _resident(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "a resident")
    if obj is None:
        return
    rid = obj.get("id")
    w.resident_id = rid if isinstance(rid, str) else None
    w.fields(obj, path, _RESIDENT_FIELDS, ("id",), "resident", _RESIDENT_PLAIN)
    first = w.first_resident.get(w.index)
    if first is not None:
        w.report(_join(path, "id"), f"duplicate resident id {rid!r} (first at residents[{first}])")
    if obj.get("locked") is True and obj.get("current_room") is None:
        w.report(_join(path, "locked"), "a locked resident needs a current_room to stay in")


def _residents(w: _Walker, value: Any, path: str) -> None:
    items = w.sequence(value, path)
    if items is not None:
        for i, item in enumerate(items):
            w.index = i
            _resident(w, item, f"{path}[{i}]")


def _roommates(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "roommates with want and avoid")
    if obj is None:
        return
    w.fields(obj, path, _ROOMMATES_FIELDS, (), "roommates object")
    wanted: set[str] = set()
    if "want" in obj:
        wanted = _resident_refs(w, obj["want"], _join(path, "want"), None)
    if "avoid" in obj:
        _resident_refs(w, obj["avoid"], _join(path, "avoid"), wanted)


def _floor_range(w: _Walker, value: Any, path: str) -> None:
    if value is None:
        return
    if not isinstance(value, list | tuple) or len(value) != 2:
        w.report(path, f"must be a floor range [LOW, HIGH], got {_describe(value)}")
        return
    low, high = _whole(w, value[0], f"{path}[0]"), _whole(w, value[1], f"{path}[1]")
    if low is not None and high is not None and low > high:
        w.report(path, f"low floor {low} is above high floor {high}")


def _preference(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "a preference")
    if obj is None:
        return
    w.fields(obj, path, _PREFERENCE_FIELDS, ("weight",), "preference", _PREFERENCE_PLAIN)
    chosen = [name for name in _SELECTORS if obj.get(name) is not None]
    if not chosen:
        w.report(path, "needs exactly one selector (room, building, feature or floor); it has none")
    elif len(chosen) > 1:
        w.report(
            path,
            f"has {len(chosen)} selectors ({', '.join(chosen)}); a preference needs exactly one, "
            "so write one preference per selector",
        )


def _rules(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "rules")
    if obj is not None:
        w.fields(obj, path, _RULES_FIELDS, (), "rules object")


def _gender_mixing(w: _Walker, value: Any, path: str) -> None:
    if value not in ("forbid", "allow") or not isinstance(value, str):
        w.report(path, f"must be 'forbid' or 'allow', got {_describe(value)}")


def _format(w: _Walker, value: Any, path: str) -> None:
    if value != FORMAT or not isinstance(value, str):
        w.report(path, f"must be {FORMAT!r} (the format roomalloc reads), got {_describe(value)}")


def _objective(w: _Walker, value: Any, path: str) -> None:
    w.terms_seen = {}
    items = w.sequence(value, path)
    if items is not None:
        for i, item in enumerate(items):
            w.index = i
            _term_spec(w, item, f"{path}[{i}]")


def _term_spec(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "a term with its weight")
    if obj is not None:
        w.fields(obj, path, _TERM_FIELDS, ("term", "weight"), "objective term")


def _term_name(w: _Walker, value: Any, path: str) -> None:
    name = _text(w, value, path)
    if name is None:
        return
    known = _known_terms()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'?" if close else f"known terms: {', '.join(known)}"
        w.report(path, f"unknown term {name!r}; {hint}")
    first = w.terms_seen.setdefault(name, w.index)
    if first != w.index:
        w.report(path, f"term {name!r} is listed twice (first at objective[{first}]); give it once")


def _known_terms() -> list[str]:
    """Built-in terms and every custom term registered from Python, at the time of the check."""
    from roomalloc.terms import term_names

    return list(dict.fromkeys([*_TERMS_IN_CONTRACT, *term_names()]))


def _assignments(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "resident ids to room ids or null")
    if obj is None:
        return
    for key, room in obj.items():
        if not isinstance(key, str):
            w.report(path, f"resident ids must be text, got {_describe(key)}")
        elif room is not None and not isinstance(room, str):
            w.report(_join(path, key), f"must be a room id or null, got {_describe(room)}")


def _term_values(w: _Walker, value: Any, path: str) -> None:
    obj = w.mapping(value, path, "term names to numbers")
    if obj is None:
        return
    for key, number in obj.items():
        if not isinstance(key, str):
            w.report(path, f"term names must be text, got {_describe(key)}")
        else:
            _number(w, number, _join(path, key))


def _status(w: _Walker, value: Any, path: str) -> None:
    if value not in _STATUSES or not isinstance(value, str):
        shown = repr(value) if isinstance(value, str) else _describe(value)
        w.report(path, f"must be one of {', '.join(map(repr, _STATUSES))}; got {shown}")


_NO_TYPES: frozenset[type] = frozenset()
_NULL: frozenset[type] = frozenset({type(None)})
_TEXT_OR_NULL: frozenset[type] = frozenset({str, type(None)})
_BOOL: frozenset[type] = frozenset({bool})
_INT: frozenset[type] = frozenset({int})

_INTERVAL_FIELDS: dict[str, _Check] = {"start": _date, "end": _date}

_ROOM_FIELDS: dict[str, _Check] = {
    "id": _id,
    "building": _text,
    "floor": _whole,
    "capacity": _capacity,
    "features": _text_list,
    "gender": _text_or_null,
    "cost": _not_negative,
    "unavailable": _list_of(_interval),
    "attributes": _attributes,
}

_ROOM_PLAIN: dict[str, frozenset[type]] = {
    "building": frozenset({str}),
    "floor": _INT,
    "gender": _TEXT_OR_NULL,
}

_PREFERENCE_FIELDS: dict[str, _Check] = {
    "room": _room_ref_or_null,
    "building": _text_or_null,
    "feature": _text_or_null,
    "floor": _floor_range,
    "weight": _number,
}

_PREFERENCE_PLAIN: dict[str, frozenset[type]] = {
    "room": _NULL,
    "building": _TEXT_OR_NULL,
    "feature": _TEXT_OR_NULL,
    "floor": _NULL,
    "weight": _INT,
}

_ROOMMATES_FIELDS: dict[str, _Check] = {
    # Checked together in _roommates, which knows whose wishes these are.
    "want": lambda w, v, p: None,
    "avoid": lambda w, v, p: None,
}

_RESIDENT_FIELDS: dict[str, _Check] = {
    "id": _id,
    "name": _text_or_null,
    "gender": _text_or_null,
    "stay": _interval_or_null,
    "priority": _priority,
    "required": _bool,
    "needs": _text_list,
    "private": _bool,
    "budget": _not_negative_or_null,
    "excluded_rooms": _room_refs,
    "preferences": _list_of(_preference),
    "roommates": _roommates,
    "group": _group,
    "current_room": _room_ref_or_null,
    "locked": _bool,
    "attributes": _attributes,
}

_RESIDENT_PLAIN: dict[str, frozenset[type]] = {
    "name": _TEXT_OR_NULL,
    "gender": _TEXT_OR_NULL,
    "stay": _NULL,
    "required": _BOOL,
    "private": _BOOL,
    "budget": _NULL,
    "group": _NULL,
    "current_room": _NULL,
    "locked": _BOOL,
}

_RULES_FIELDS: dict[str, _Check] = {"gender_mixing": _gender_mixing}

_TERM_FIELDS: dict[str, _Check] = {"term": _term_name, "weight": _not_negative}

_PROBLEM_FIELDS: dict[str, _Check] = {
    "format": _format,
    "rules": _rules,
    "rooms": _rooms,
    "residents": _residents,
    "objective": _objective,
}

_RESULT_FIELDS: dict[str, _Check] = {
    "status": _status,
    "assignments": _assignments,
    "objective": _number_or_null,
    "bound": _number_or_null,
    "terms": _term_values,
    "solve_seconds": _not_negative,
    "diagnosis": _text_list,
}
