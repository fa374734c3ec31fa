"""Validation of problem and result data: every mistake at once, each with its JSON path.

One path for every entry point. ``Problem(...)``, :meth:`Problem.model_validate`,
:meth:`Problem.model_validate_json`, :func:`roomalloc.load_problem` and
``model_copy(update=...)`` (and the same for :class:`~roomalloc.Result` and every other model)
all come here, and all raise one :class:`~roomalloc.ProblemError` listing every mistake as an
:class:`~roomalloc.domain.errors.Issue` with its JSON path (``residents[12].preferences[3].room: no
room 'B-999'``), in the order the mistakes appear in the document. Three parts find them:

* pydantic checks types and bounds, as the models in :mod:`roomalloc.domain.model` declare them; its
  complaints are put in plain words here (:func:`_words`);
* a walk over the raw data finds what pydantic cannot: unknown fields (pydantic keeps extra
  fields, since those starting with ``_`` are the user's annotations), annotations that are not
  plain JSON, and keys given twice in JSON text;
* the cross-reference checks (:func:`_cross_references`): duplicate ids, references to rooms
  and residents that do not exist, roommate lists, locked residents without a room, unknown
  objective terms. They read the raw data, so they run on every part that could be read even
  when other parts have type errors: a user fixes a file in one round, not one mistake per run.

Example
-------
>>> from roomalloc.domain.validation import validate_json
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
import difflib
import functools
import gc
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from roomalloc.domain.errors import Issue, ProblemError
from roomalloc.domain.ids import normal_text
from roomalloc.domain.model import (
    Interval,
    Preference,
    Problem,
    Resident,
    Result,
    Room,
    Roommates,
    Rules,
    TermSpec,
)

__all__ = [
    "as_allocation",
    "as_problem",
    "as_result",
    "problem_json_schema",
    "result_json_schema",
    "validate_data",
    "validate_json",
    "validate_model",
    "validate_model_json",
    "validate_result_data",
    "validate_result_json",
]

Model = TypeVar("Model", bound=BaseModel)
Loc = tuple[int | str, ...]
_Found = tuple[Loc, str]  # a mistake's place (as pydantic writes it) and its message

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")

#: Each model's name in messages, and what an object of it is ("must be an object (...)").
_WORDS: dict[type[BaseModel], tuple[str, str]] = {
    Problem: ("problem", "the problem"),
    Result: ("result", "the result"),
    Room: ("room", "a room"),
    Resident: ("resident", "a resident"),
    Interval: ("interval", "an interval with start and end"),
    Preference: ("preference", "a preference"),
    Roommates: ("roommates object", "roommates with want and avoid"),
    Rules: ("rules object", "rules"),
    TermSpec: ("objective term", "a term with its weight"),
}
#: What the free-form mappings hold, for "must be an object (...)".
_MAPPINGS = {
    "attributes": "names to text, numbers or true/false",
    "assignments": "resident ids to room ids or null",
    "terms": "term names to numbers",
}


# ---------------------------------------------------------------------------------------------
# Entry points


def validate_json(text: str | bytes | bytearray) -> Problem:
    """Parse and validate a problem's JSON text; raise :class:`ProblemError` listing every mistake.

    Example
    -------
    >>> validate_json('{"rooms": [], "residents": []}').format
    'roomalloc/1'
    """
    return validate_model_json(Problem, text)


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
    return validate_model(Problem, obj)


def validate_result_json(text: str | bytes | bytearray) -> Result:
    """Parse and validate a result's JSON text; raise :class:`ProblemError` (``what="result"``).

    Example
    -------
    >>> validate_result_json('{"status": "feasible", "assignments": {"r1": "A", "r2": null}}'
    ...                      ).assignments
    {'r1': 'A', 'r2': None}
    """
    return validate_model_json(Result, text)


def validate_result_data(obj: Any) -> Result:
    """Validate a JSON-like result object; raise :class:`ProblemError` (``what="result"``).

    Example
    -------
    >>> try:
    ...     validate_result_data({"status": "solved"})
    ... except Exception as err:
    ...     print(err)
    1 mistake in the result:
      status: must be 'optimal', 'feasible', 'infeasible' or 'unknown', got the text "solved"
    """
    return validate_model(Result, obj)


def validate_model(model: type[Model], obj: Any) -> Model:
    """Validate ``obj`` (JSON-like data) as a ``model``; raise :class:`ProblemError` on mistakes.

    An instance of ``model`` is returned as it is (it was validated when it was made).

    >>> from roomalloc import Room
    >>> validate_model(Room, {"id": "A", "capacity": 2}).capacity
    2
    """
    if isinstance(obj, model):
        return obj
    with _collector_paused():
        built: Model = _validated(
            model, obj, {}, lambda: model.__pydantic_validator__.validate_python(obj)
        )
        return built


def validate_model_json(model: type[Model], text: str | bytes | bytearray) -> Model:
    """Parse JSON text and validate it as a ``model``; raise :class:`ProblemError` on mistakes.

    >>> from roomalloc import Room
    >>> validate_model_json(Room, '{"id": "A", "capacity": 2}').id
    'A'
    """
    what = _WORDS.get(model, (model.__name__.lower(), ""))[0]
    with _collector_paused():
        data, duplicates = _parse_json(text, what)
        built: Model = _validated(
            model, data, duplicates, lambda: model.__pydantic_validator__.validate_python(data)
        )
        return built


def check_construction(
    instance: BaseModel, data: dict[str, Any], init: Callable[..., None]
) -> None:
    """Run ``init(**data)`` (pydantic's ``__init__``) under the full validation.

    This is what ``Problem(...)``, ``Room(...)`` and every other model's constructor call: the
    same checks as :func:`validate_model`, so a model built in Python is as valid as one read
    from a file.

    >>> from roomalloc import Room
    >>> Room(id="A", capcity=2)
    Traceback (most recent call last):
    ...
    roomalloc.domain.errors.ProblemError: 2 mistakes in the room:
      capcity: unknown field; did you mean 'capacity'?
      capacity: missing; every room needs a capacity
    """

    def build() -> BaseModel:
        init(**data)
        return instance

    _validated(type(instance), data, {}, build)


def as_problem(problem: Any) -> Problem:
    """``problem`` as a :class:`Problem`: a mapping in the problem format is validated into one.

    What the entry points (:func:`roomalloc.solve`, :func:`roomalloc.check`,
    :func:`roomalloc.explain`) call first, so a plain ``dict`` works and anything else is a
    clear ``TypeError`` rather than an ``AttributeError`` deep inside.

    >>> as_problem({"rooms": [{"id": "A", "capacity": 1}]}).rooms[0].id
    'A'
    >>> as_problem("problem.json")
    Traceback (most recent call last):
    ...
    TypeError: expected a roomalloc.Problem or a mapping in the problem format, got the text \
"problem.json"; to read a file use roomalloc.load_problem
    """
    if isinstance(problem, Problem):
        return problem
    if isinstance(problem, Mapping):
        return validate_model(Problem, problem)
    hint = "; to read a file use roomalloc.load_problem" if isinstance(problem, str) else ""
    raise TypeError(
        "expected a roomalloc.Problem or a mapping in the problem format, "
        f"got {_describe(problem)}{hint}"
    )


def as_result(result: Any) -> Result:
    """``result`` as a :class:`Result`: a result mapping (with ``status`` and ``assignments``)
    is validated as one; any other mapping is the assignments of a ``feasible`` result.

    Mistakes are a :class:`ProblemError` with ``what="result"``.

    >>> as_result({"r1": "A", "r2": None}).assignments
    {'r1': 'A', 'r2': None}
    >>> as_result({"status": "optimal", "assignments": {"r1": "A"}}).status
    'optimal'
    >>> as_result({"r1": 5})
    Traceback (most recent call last):
    ...
    roomalloc.domain.errors.ProblemError: 1 mistake in the result:
      assignments.r1: must be a room id or null, got the number 5
    """
    if isinstance(result, Result):
        return result
    if isinstance(result, Mapping):
        if _is_result_document(result):
            return validate_model(Result, result)
        return validate_model(Result, {"status": "feasible", "assignments": result})
    raise TypeError(
        "expected a roomalloc.Result or a mapping of resident ids to room ids, "
        f"got {_describe(result)}"
    )


def as_allocation(allocation: Any) -> Result | dict[str, str | None]:
    """A :class:`Result`, or a plain ``{resident id: room id or None}`` mapping, validated.

    A result is kept as a result (its stated objective and terms are then checked by
    :func:`roomalloc.check`); a plain mapping comes back as a validated ``dict``.

    >>> as_allocation({"r1": "A"})
    {'r1': 'A'}
    """
    if isinstance(allocation, Mapping) and not _is_result_document(allocation):
        return dict(as_result(allocation).assignments)
    return as_result(allocation)


def _is_result_document(data: Mapping[Any, Any]) -> bool:
    return "status" in data and isinstance(data.get("assignments", {}), Mapping)


@functools.cache
def problem_json_schema() -> dict[str, Any]:
    """The JSON Schema of a problem file, generated from the models (``docs/problem.schema.json``).

    It checks the structure: fields, types, bounds, id characters. The cross-reference checks
    (ids unique and known, a locked resident's room, known terms), an interval's end after its
    start, a floor range's order and a preference's single selector cannot be written in a
    schema: only :func:`validate_json` makes them.

    >>> problem_json_schema()["properties"]["format"]["const"]
    'roomalloc/1'
    """
    return _schema(Problem, "A room allocation problem, format roomalloc/1")


@functools.cache
def result_json_schema() -> dict[str, Any]:
    """The JSON Schema of a result file (``docs/result.schema.json``).

    >>> sorted(result_json_schema()["required"])
    ['status']
    """
    return _schema(Result, "An allocation found by roomalloc, format roomalloc/1")


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = title
    schema["description"] = "See docs/format.md for every field; file names are .json, UTF-8."
    _json_schema_bounds(schema)
    return schema


_BOUND_WORDS = {
    "ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"
}


def _json_schema_bounds(node: Any) -> None:
    """Pydantic leaves a whole number's bounds as ``ge``/``le`` (the number passes a
    before-validator first, for ``2.0``); JSON Schema calls them ``minimum``/``maximum``."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):  # the docstring, without its examples
            node["description"] = node["description"].split("\n\nExample")[0].strip()
        if node.get("type") in ("integer", "number"):
            for short, word in _BOUND_WORDS.items():
                if short in node:
                    node[word] = node.pop(short)
        for value in node.values():
            _json_schema_bounds(value)
    elif isinstance(node, list):
        for item in node:
            _json_schema_bounds(item)


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
# The one path


def _validated(
    model: type[BaseModel], data: Any, duplicates: dict[int, Any], build: Callable[[], Any]
) -> Any:
    """``build()``'s model, or a :class:`ProblemError` with every mistake pydantic, the walk and
    the cross-reference checks find in ``data``, in document order."""
    what, shape = _WORDS.get(model, (model.__name__.lower(), f"a {model.__name__.lower()}"))
    if not isinstance(data, Mapping) or isinstance(data, BaseModel):
        found: list[_Found] = [((), f"must be an object ({shape}), got {_describe(data)}")]
        raise ProblemError(_issues(data, found), what)
    built = None
    try:
        try:
            built = build()
        except ValidationError as err:
            found = [_words(model, error) for error in err.errors(include_url=False)]
        else:
            found = []
        walk = _Walk(duplicates, found)
        walk.model(model, data, ())
        if model is Problem:
            _cross_references(data, found)
        elif model is Result:
            _result_rules(data, found)
    except RecursionError:  # only annotations nest freely; a thousand levels is not data
        raise ProblemError([Issue("", "nested too deeply to read")], what) from None
    if found:
        raise ProblemError(_issues(data, found), what)
    return built


def _issues(data: Any, found: list[_Found]) -> list[Issue]:
    """The mistakes as issues, in the order their places appear in ``data``."""
    found.sort(key=lambda item: _position(data, item[0]))
    return [Issue(_loc_path(loc), message) for loc, message in found]


def _position(data: Any, loc: Loc) -> tuple[int, ...]:
    """Where ``loc`` is in the document: indices, and keys by their order in their object."""
    key: list[int] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            key.append(part)
            inside = isinstance(node, list | tuple) and 0 <= part < len(node)
            node = node[part] if inside else None
            continue
        if isinstance(node, Mapping):
            names = list(node)
            if part in node:
                key.append(names.index(part))
                node = node[part]
                continue
            key.append(len(names) + 1)
        elif isinstance(node, BaseModel) and part in type(node).model_fields:
            key.append(list(type(node).model_fields).index(part))
            node = getattr(node, part)
            continue
        else:
            key.append(1 << 30)
        node = None
    return tuple(key)


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
# Pydantic's complaints in plain words


def _words(root: type[BaseModel], error: Mapping[str, Any]) -> _Found:
    """One pydantic error as a place and a house-style message."""
    kind: str = error["type"]
    loc: Loc = tuple(error["loc"])
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    got = _describe(error.get("input"))
    field = loc[-1] if loc and isinstance(loc[-1], str) else ""
    value = _number(error.get("input"))
    if kind == "missing":
        owner = _model_at(root, loc[:-1])
        noun = _WORDS[owner][0] if owner in _WORDS else "object"
        article = "an" if field[:1] in ("a", "e", "i", "o", "u") else "a"
        return loc, f"missing; every {noun} needs {article} {field}"
    if kind in ("model_type", "model_attributes_type", "dataclass_type"):
        target = _model_at(root, loc)
        shape = _WORDS[target][1] if target in _WORDS else "an object"
        return loc, f"must be an object ({shape}), got {got}"
    if kind == "dict_type":
        return loc, f"must be an object ({_MAPPINGS.get(field, 'names to values')}), got {got}"
    if kind == "literal_error":
        hint = " (the format roomalloc reads)" if loc == ("format",) else ""
        return loc, f"must be {ctx.get('expected')}{hint}, got {got}"
    if kind == "greater_than_equal":
        limit = ctx.get("ge")
        if limit == 0:
            return loc, f"must not be negative, got {value}"
        return loc, f"must be at least {_number(limit)}, got {value}"
    if kind == "greater_than":
        return loc, f"must be greater than {_number(ctx.get('gt'))}, got {value}"
    if kind == "less_than_equal":
        return loc, f"must be at most {_number(ctx.get('le'))}, got {value}"
    if kind == "finite_number":
        return loc, f"must be a finite number, got {value}"
    if kind == "string_type" and len(loc) == 2 and loc[0] == "assignments":
        return loc, f"must be a room id or null, got {got}"
    if kind in _PLAIN_TYPES:
        return loc, f"{_PLAIN_TYPES[kind]}, got {got}"
    if kind == "string_too_short":
        return loc, "must not be empty"
    message = str(error.get("msg", kind)).removeprefix("Value error, ")
    return loc, message


_PLAIN_TYPES = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    # our own (roomalloc.domain.model), whose messages need the value given
    "date_format": "must be a date written YYYY-MM-DD",
    "attribute_value": "must be text, a number or true/false",
    "floor_range": "must be a floor range [LOW, HIGH]",
}


@functools.cache
def _children(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], bool]]:
    """The fields of ``model`` that hold models: field -> (model, a list of them?)."""
    out: dict[str, tuple[type[BaseModel], bool]] = {}
    for name, info in model.model_fields.items():
        found = _model_in(info.annotation, False)
        if found is not None:
            out[name] = found
    return out


def _model_in(annotation: Any, in_list: bool) -> tuple[type[BaseModel], bool] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, in_list
    origin = get_origin(annotation)
    for arg in get_args(annotation):
        found = _model_in(arg, in_list or origin is tuple)
        if found is not None:
            return found
    return None


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model whose object is at ``loc`` (``None`` when no model is there)."""
    current: type[BaseModel] = root
    expect_index = False
    for part in loc:
        if expect_index:
            if not isinstance(part, int):
                return None
            expect_index = False
            continue
        child = _children(current).get(part) if isinstance(part, str) else None
        if child is None:
            return None
        current, expect_index = child
    return None if expect_index else current


# ---------------------------------------------------------------------------------------------
# What pydantic keeps quietly: unknown fields, annotations, keys given twice


class _Walk:
    """One pass over the raw data, guided by the models' fields."""

    def __init__(self, duplicates: dict[int, Any], found: list[_Found]) -> None:
        self.duplicates = duplicates
        self.found = found

    def repeated_keys(self, obj: Mapping[Any, Any], loc: Loc) -> None:
        if self.duplicates and id(obj) in self.duplicates:
            for key in self.duplicates[id(obj)][1]:
                self.found.append(((*loc, key), "given more than once in the same object"))

    def model(self, model: type[BaseModel], obj: Any, loc: Loc) -> None:
        if type(obj) is not dict and (not isinstance(obj, Mapping) or isinstance(obj, BaseModel)):
            return  # an instance was validated when it was made; pydantic reports the rest
        self.repeated_keys(obj, loc)
        fields = model.model_fields
        children = _children(model)
        for key, value in obj.items():
            if key in fields:
                child = children.get(key)
                if child is None:
                    if self.duplicates and isinstance(value, Mapping):
                        self.repeated_keys(value, (*loc, key))
                elif child[1]:
                    if isinstance(value, list | tuple):
                        for i, item in enumerate(value):
                            self.model(child[0], item, (*loc, key, i))
                else:
                    self.model(child[0], value, (*loc, key))
            elif not isinstance(key, str):
                self.found.append((loc, f"field names must be text, got {_describe(key)}"))
            elif key.startswith("_"):
                self.annotation(value, (*loc, key))
            else:
                self.found.append(((*loc, key), _unknown_field(key, fields, model)))

    def annotation(self, value: Any, loc: Loc) -> None:
        """A ``_`` field is kept as is, so it must be plain JSON that survives a save."""
        if value is None or isinstance(value, str | bool | int):
            return
        if isinstance(value, float):
            if not math.isfinite(value):
                self.found.append((loc, f"must be a finite number, got {_number(value)}"))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                self.annotation(item, (*loc, i))
        elif isinstance(value, Mapping):
            self.repeated_keys(value, loc)
            for key, item in value.items():
                if isinstance(key, str):
                    self.annotation(item, (*loc, key))
                else:
                    self.found.append((loc, f"field names must be text, got {_describe(key)}"))
        else:
            self.found.append((loc, f"must be JSON data, got {_describe(value)}"))


def _unknown_field(key: str, known: Iterable[str], model: type[BaseModel]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    if close:
        return f"unknown field; did you mean '{close[0]}'?"
    noun = _WORDS.get(model, (model.__name__.lower(), ""))[0]
    article = "an" if noun[:1] in ("a", "e", "i", "o", "u") else "a"
    return (
        f"unknown field ({article} {noun} has: {', '.join(known)}; "
        "start your own notes' names with '_')"
    )


# ---------------------------------------------------------------------------------------------
# Cross references


def _get(obj: Any, key: str) -> Any:
    """A field of raw data or of a model instance inside it (``None`` when absent)."""
    if type(obj) is dict:  # the usual case, without the slower abstract-class checks
        return obj.get(key)
    if isinstance(obj, BaseModel):
        return getattr(obj, key, None)
    if isinstance(obj, Mapping):
        return obj.get(key)
    return None


def _items(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()


def _ids(items: Sequence[Any], kind: str, found: list[_Found]) -> set[str]:
    """The readable ids of ``items`` (rooms or residents); repeated ones are reported."""
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        raw = _get(item, "id")
        if not isinstance(raw, str):
            continue
        item_id = normal_text(raw)
        if item_id in first:
            j = first[item_id]
            written = _get(items[j], "id")
            same = "" if written == raw else "; the two are the same text in Unicode NFC form"
            message = f"duplicate {kind} id {item_id!r} (first at {kind}s[{j}]{same})"
            found.append(((f"{kind}s", i, "id"), message))
        else:
            first[item_id] = i
    return set(first)


def _cross_references(data: Mapping[Any, Any], found: list[_Found]) -> None:
    """The checks that need the whole problem: ids and every reference to them."""
    rooms, residents = data.get("rooms"), data.get("residents")
    room_ids: set[str] | None = None  # None: the rooms list is unreadable, so do not check
    if rooms is None or isinstance(rooms, list | tuple):
        room_ids = _ids(_items(rooms), "room", found)
    resident_ids = _ids(_items(residents), "resident", found)

    def room_ref(value: Any, loc: Loc) -> str | None:
        if not isinstance(value, str):
            return None
        room = normal_text(value)
        if room_ids is not None and room not in room_ids:
            found.append((loc, f"no room {room!r}"))
        return room

    for i, resident in enumerate(_items(residents)):
        here: Loc = ("residents", i)
        me = _get(resident, "id")
        me = normal_text(me) if isinstance(me, str) else None
        seen: set[str] = set()
        for j, value in enumerate(_items(_get(resident, "excluded_rooms"))):
            room = room_ref(value, (*here, "excluded_rooms", j))
            if room is not None:
                if room in seen:
                    found.append(((*here, "excluded_rooms", j), f"{room!r} is listed twice"))
                seen.add(room)
        current = _get(resident, "current_room")
        room_ref(current, (*here, "current_room"))
        for j, preference in enumerate(_items(_get(resident, "preferences"))):
            room_ref(_get(preference, "room"), (*here, "preferences", j, "room"))
        roommates = _get(resident, "roommates")
        wanted = _resident_refs(_get(roommates, "want"), (*here, "roommates", "want"), me,
                                resident_ids, None, found)
        _resident_refs(_get(roommates, "avoid"), (*here, "roommates", "avoid"), me,
                       resident_ids, wanted, found)
        if _get(resident, "locked") is True and current is None:
            found.append(((*here, "locked"), "a locked resident needs a current_room to stay in"))
    _terms(data.get("objective"), found)


def _resident_refs(
    value: Any,
    loc: Loc,
    me: str | None,
    resident_ids: set[str],
    also_wanted: set[str] | None,
    found: list[_Found],
) -> set[str]:
    """Check a want or avoid list; returns the good ids it holds."""
    good: set[str] = set()
    for i, item in enumerate(_items(value)):
        if not isinstance(item, str):
            continue
        other = normal_text(item)
        here = (*loc, i)
        if other not in resident_ids:
            found.append((here, f"no resident {other!r}"))
        elif other == me:
            found.append((here, f"{other!r} is this resident; nobody can want or avoid themself"))
        elif other in good:
            found.append((here, f"{other!r} is listed twice"))
        elif also_wanted is not None and other in also_wanted:
            message = f"{other!r} is also in want; nobody can want and avoid the same person"
            found.append((here, message))
        good.add(other)
    return good


def _terms(objective: Any, found: list[_Found]) -> None:
    known = _known_terms()
    first: dict[str, int] = {}
    for i, spec in enumerate(_items(objective)):
        name = _get(spec, "term")
        if not isinstance(name, str):
            continue
        loc: Loc = ("objective", i, "term")
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f"did you mean '{close[0]}'?" if close else f"known terms: {', '.join(known)}"
            found.append((loc, f"unknown term {name!r}; {hint}"))
        j = first.setdefault(name, i)
        if j != i:
            message = f"term {name!r} is listed twice (first at objective[{j}]); give it once"
            found.append((loc, message))


def _known_terms() -> list[str]:
    """Built-in terms and every custom term registered from Python, at the time of the check."""
    # Imported here: the registry's built-ins import the model, which imports this module.
    from roomalloc.terms import term_names

    return term_names()


def _result_rules(data: Mapping[Any, Any], found: list[_Found]) -> None:
    status, assignments = data.get("status"), data.get("assignments")
    if status in ("infeasible", "unknown") and isinstance(assignments, Mapping) and assignments:
        message = f"must be empty when the status is '{status}' (no allocation was found)"
        found.append((("assignments",), message))


# ---------------------------------------------------------------------------------------------
# Words for places and values


def _loc_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, str(part))
    return path


def _join(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` for a key that is not a plain name."""
    suffix = f".{key}" if _PLAIN_KEY.fullmatch(key) else f"[{json.dumps(key)}]"
    if path:
        return path + suffix
    return suffix[1:] if suffix[0] == "." else suffix


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
        return f"the number {_number(value)}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a Python {type(value).__name__}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e9:
        return repr(int(value)) if value != 0 or math.copysign(1, value) > 0 else "0"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        digits = len(str(abs(value)))
        if digits < 300:
            return f"{float(value):.3g}"
        return f"{'-' if value < 0 else ''}1e+{digits - 1}"
    if isinstance(value, float) and abs(value) >= 1e9:
        return f"{value:g}"
    return repr(value)
