"""The domain: rooms, residents, their stays, needs and wishes, and the allocation result.

These pydantic models are the format ``roomalloc/1`` (``docs/format.md`` describes every field).
They are immutable: a what-if edit makes a new object with ``model_copy(update=...)``, which is
validated like any other new object.

Unknown fields are errors, except fields whose name starts with ``_``: those are the user's own
annotations, kept on load and written back on save, never interpreted.

Every way of making a model -- ``Problem(...)``, :meth:`Problem.model_validate`,
:meth:`Problem.model_validate_json`, :func:`roomalloc.load_problem`, ``model_copy(update=...)``
-- runs the same validation (:mod:`roomalloc.domain.validation`) and raises one
:class:`roomalloc.ProblemError` that lists every mistake with its place.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A-1", capacity=2)], residents=[Resident(id="r1")])
>>> p.rooms[0].capacity
2
>>> p2 = p.model_copy(update={"rooms": (Room(id="A-1", capacity=3),)})
>>> (p.rooms[0].capacity, p2.rooms[0].capacity)
(2, 3)
>>> try:
...     Problem(residents=[Resident(id="r1"), Resident(id="r1")])
... except ValueError as err:
...     print(err)
1 mistake in the problem:
  residents[1].id: duplicate resident id 'r1' (first at residents[0])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Strict,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from roomalloc.domain.ids import ID_PATTERN, id_mistake, normal_text

FORMAT: Literal["roomalloc/1"] = "roomalloc/1"

#: The largest size of a cost, budget, priority or weight (objective and preference weights):
#: with it every product the solver forms stays a finite float; an objective too large for
#: CP-SAT's 64-bit integers is then a :class:`roomalloc.ModelTooLargeError`, not a crash.
MAX_AMOUNT = 1e12
#: The largest size of a floor number and of a room's capacity.
MAX_WHOLE = 1_000_000

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


def mistake(kind: str, message: str) -> PydanticCustomError:
    """A validation error of our own ``kind`` whose message is exactly ``message``.

    >>> str(mistake("id", "must not be empty"))
    'must not be empty'
    """
    return PydanticCustomError(kind, "{message}", {"message": message})


def _valid_id(text: str) -> str:
    problem = id_mistake(text)
    if problem is not None:
        raise mistake("id", problem)
    return normal_text(text)


def _whole_from_float(value: Any) -> Any:
    """``2.0`` is the whole number 2 (some tools write every number with a decimal point)."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> Any:
    """A date object, or text written ``YYYY-MM-DD`` (and nothing else a date parser takes)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise mistake("real_date", f'is not a real date: "{value}"') from None
    raise mistake("date_format", "must be a date written YYYY-MM-DD")


def _attribute(value: Any) -> Any:
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise mistake("finite_number", "must be a finite number")
        return value
    raise mistake("attribute_value", "must be text, a number or true/false")


def _floor_shape(value: Any) -> Any:
    if value is None or (isinstance(value, list | tuple) and len(value) == 2):
        return value
    raise mistake("floor_range", "must be a floor range [LOW, HIGH]")


def _group(value: str) -> str:
    if value == "":
        raise mistake("group", "must not be empty; use null for no group")
    return normal_text(value)


#: Text: a JSON string, never a number or a list turned into one.
Text = Annotated[str, Strict()]
#: A label compared with other labels (building, feature, need, gender): NFC-normalised.
Label = Annotated[str, Strict(), AfterValidator(normal_text)]
#: The id of a room or resident, or a reference to one (see :mod:`roomalloc.domain.ids`).
Id = Annotated[
    str,
    Strict(),
    AfterValidator(_valid_id),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": ID_PATTERN}),
]
#: A whole number (``2.0`` counts as 2).
Whole = Annotated[int, BeforeValidator(_whole_from_float), Strict()]
Flag = Annotated[bool, Strict()]
#: A finite number: a JSON number, never text or true/false.
Number = Annotated[float, Strict()]
Amount = Annotated[float, Strict(), Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
AttributeValue = Annotated[
    str | int | float | bool,
    PlainValidator(_attribute),
    WithJsonSchema({"type": ["string", "number", "boolean"]}),
]
FloorNumber = Annotated[Whole, Ge(-MAX_WHOLE), Le(MAX_WHOLE)]
FloorRange = Annotated[tuple[FloorNumber, FloorNumber] | None, BeforeValidator(_floor_shape)]


#: What the published JSON Schema says of every object: only its fields, and ``_`` annotations.
_SCHEMA_EXTRA: dict[str, Any] = {"additionalProperties": False, "patternProperties": {"^_": {}}}


class _Frozen(BaseModel):
    """Base of every contract model: immutable, finite numbers, ``_``-prefixed extras kept.

    Pydantic keeps extra fields (``extra="allow"``) so that the ``_`` annotations survive; the
    validation (:mod:`roomalloc.domain.validation`) rejects every other unknown field, together with
    every other mistake, with a suggestion of the field the user probably meant.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="allow",
        allow_inf_nan=False,
        ser_json_inf_nan="strings",
        json_schema_extra=_SCHEMA_EXTRA,
    )

    def __init__(self, /, **data: Any) -> None:
        """Build and validate; raise :class:`roomalloc.ProblemError` listing every mistake."""
        from roomalloc.domain.validation import check_construction

        check_construction(self, data, super().__init__)

    # Tells pydantic not to call this __init__ for nested objects (the whole document is
    # checked once, at its top), only when Python code makes a model.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        extra: Any = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Any:
        """Validate a JSON-like object; raise :class:`roomalloc.ProblemError` on any mistake."""
        from roomalloc.domain.validation import validate_model

        return validate_model(cls, obj)

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Any:
        """Parse and validate JSON text; raise :class:`roomalloc.ProblemError` on any mistake."""
        from roomalloc.domain.validation import validate_model_json

        return validate_model_json(cls, json_data)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """A what-if copy with ``update`` applied, validated like a new object.

        >>> r = Room(id="A", capacity=1)
        >>> r.model_copy(update={"capacity": 3}).capacity
        3
        >>> r.model_copy(update={"capacity": 0})
        Traceback (most recent call last):
        ...
        roomalloc.domain.errors.ProblemError: 1 mistake in the room:
          capacity: must be at least 1, got 0
        """
        if not update:
            return super().model_copy(deep=deep)
        data: dict[str, Any] = {name: getattr(self, name) for name in self.__pydantic_fields_set__}
        data.update(self.__pydantic_extra__ or {})
        data.update(update)
        return type(self)(**data)

    @property
    def annotations(self) -> dict[str, Any]:
        """The user's own ``_``-prefixed fields, as loaded."""
        return dict(self.__pydantic_extra__ or {})


class Interval(_Frozen):
    """Half-open range of nights ``[start, end)``; ``end`` must be after ``start``."""

    start: Date
    end: Date

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if isinstance(start, dt.date) and end <= start:
            raise mistake(
                "interval",
                f"must be after start ({start.isoformat()}), got {end.isoformat()}; "
                "an interval is the nights from start up to but not including end",
            )
        return end

    def overlaps(self, other: Interval | None) -> bool:
        """True when the two intervals share a night (``None`` means all time)."""
        if other is None:
            return True
        return self.start < other.end and other.start < self.end


_SELECTORS = ("room", "building", "feature", "floor")


class Preference(_Frozen):
    """A soft wish: exactly one selector (room, building, feature or floor range) and a weight."""

    room: Id | None = None
    building: Label | None = None
    feature: Label | None = None
    floor: FloorRange = None
    weight: Amount

    model_config = ConfigDict(
        json_schema_extra={  # exactly one selector given, and not null
            **_SCHEMA_EXTRA,
            "oneOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in _SELECTORS
            ],
        }
    )

    @field_validator("floor")
    @classmethod
    def _low_not_above_high(cls, floor: tuple[int, int] | None) -> tuple[int, int] | None:
        if floor is not None and floor[0] > floor[1]:
            raise mistake("floor_order", f"low floor {floor[0]} is above high floor {floor[1]}")
        return floor

    @model_validator(mode="after")
    def _one_selector(self) -> Preference:
        chosen = self.selectors()
        if not chosen:
            raise mistake(
                "selector",
                "needs exactly one selector (room, building, feature or floor); it has none",
            )
        if len(chosen) > 1:
            raise mistake(
                "selector",
                f"has {len(chosen)} selectors ({', '.join(chosen)}); a preference needs exactly "
                "one, so write one preference per selector",
            )
        return self

    def selectors(self) -> list[str]:
        """Names of the selectors that are set."""
        return [name for name in _SELECTORS if getattr(self, name) is not None]

    def matches(self, room: Room) -> bool:
        """Whether ``room`` matches this preference's selector."""
        if self.room is not None:
            return room.id == self.room
        if self.building is not None:
            return room.building == self.building
        if self.feature is not None:
            return self.feature in room.features
        assert self.floor is not None
        return self.floor[0] <= room.floor <= self.floor[1]

    @model_serializer(mode="wrap")
    def _drop_unset_selectors(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in _SELECTORS:
            if data.get(name, 0) is None:
                del data[name]
        return data


class Roommates(_Frozen):
    """Roommate wishes: ``want`` is soft, ``avoid`` is HARD."""

    want: tuple[Id, ...] = ()
    avoid: tuple[Id, ...] = ()


class Room(_Frozen):
    """A room with ``capacity`` beds."""

    id: Id
    building: Label = ""
    floor: FloorNumber = 0
    capacity: Annotated[Whole, Field(ge=1, le=MAX_WHOLE)]
    features: tuple[Label, ...] = ()
    gender: Label | None = None
    cost: Annotated[Number, Field(ge=0, le=MAX_AMOUNT)] = 0.0
    unavailable: tuple[Interval, ...] = ()
    attributes: dict[Text, AttributeValue] = Field(default_factory=dict)


class Resident(_Frozen):
    """A person to house, with hard needs and soft wishes."""

    id: Id
    name: Text | None = None
    gender: Label | None = None
    stay: Interval | None = None
    priority: Annotated[Number, Field(gt=0, le=MAX_AMOUNT)] = 1.0
    required: Flag = False
    needs: tuple[Label, ...] = ()
    private: Flag = False
    budget: Annotated[Number, Field(ge=0, le=MAX_AMOUNT)] | None = None
    excluded_rooms: tuple[Id, ...] = ()
    preferences: tuple[Preference, ...] = ()
    roommates: Roommates = Field(default_factory=Roommates)
    group: Annotated[
        str, Strict(), AfterValidator(_group), WithJsonSchema({"type": "string", "minLength": 1})
    ] | None = None
    current_room: Id | None = None
    locked: Flag = False
    attributes: dict[Text, AttributeValue] = Field(default_factory=dict)

    def overlaps(self, other: Resident) -> bool:
        """Whether the two residents' stays share a night (no stay overlaps everything)."""
        if self.stay is None or other.stay is None:
            return True
        return self.stay.overlaps(other.stay)

    def score(self, room: Room) -> float:
        """``score(r, k)``: the sum of the weights of the preferences ``room`` matches."""
        return float(sum(p.weight for p in self.preferences if p.matches(room)))


class Rules(_Frozen):
    """Problem-wide rules."""

    gender_mixing: Literal["forbid", "allow"] = "forbid"


class TermSpec(_Frozen):
    """One objective term by name, with its weight (>= 0)."""

    term: Text
    weight: Annotated[Number, Field(ge=0, le=MAX_AMOUNT)]


# Built without validation: the validation module imports this one.
DEFAULT_OBJECTIVE: tuple[TermSpec, ...] = (
    TermSpec.model_construct(term="housed", weight=1000.0),
    TermSpec.model_construct(term="preferences", weight=1.0),
    TermSpec.model_construct(term="roommates", weight=2.0),
)


class Problem(_Frozen):
    """A whole allocation problem: rooms, residents, rules and the objective.

    Every way of making one (``Problem(...)``, :meth:`model_validate`,
    :meth:`model_validate_json`, :func:`roomalloc.load_problem`, ``model_copy(update=...)``)
    runs the full validation, cross-references included, and raises
    :class:`roomalloc.ProblemError` listing every mistake.

    Example
    -------
    >>> import json
    >>> from roomalloc import Problem
    >>> text = json.dumps({"rooms": [{"id": "A", "capacity": 1}],
    ...                    "residents": [{"id": "r1",
    ...                                   "preferences": [{"room": "A", "weight": 2}]}]})
    >>> p = Problem.model_validate_json(text)
    >>> Problem.model_validate_json(p.model_dump_json()) == p
    True
    """

    format: Literal["roomalloc/1"] = FORMAT
    rules: Rules = Field(default_factory=Rules)
    rooms: tuple[Room, ...] = ()
    residents: tuple[Resident, ...] = ()
    objective: tuple[TermSpec, ...] = DEFAULT_OBJECTIVE

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """A what-if copy, validated like a new problem; the id lookups are rebuilt for it.

        >>> p = Problem(rooms=[Room(id="A", capacity=1)])
        >>> p.rooms_by_id["A"].capacity
        1
        >>> p.model_copy(update={"rooms": (Room(id="A", capacity=3),)}).rooms_by_id["A"].capacity
        3
        """
        copy = super().model_copy(update=update, deep=deep)
        for name in ("rooms_by_id", "residents_by_id"):
            copy.__dict__.pop(name, None)
        return copy

    def room(self, room_id: str) -> Room:
        """The room with this id (``KeyError`` if none)."""
        return self.rooms_by_id[room_id]

    def resident(self, resident_id: str) -> Resident:
        """The resident with this id (``KeyError`` if none)."""
        return self.residents_by_id[resident_id]

    @cached_property
    def rooms_by_id(self) -> dict[str, Room]:
        """Rooms keyed by id (built once per problem)."""
        return {r.id: r for r in self.rooms}

    @cached_property
    def residents_by_id(self) -> dict[str, Resident]:
        """Residents keyed by id (built once per problem)."""
        return {r.id: r for r in self.residents}

    # Notebook and REPL display (roomalloc.display builds both).
    def __repr__(self) -> str:
        from roomalloc.display import problem_repr

        return problem_repr(self)

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        from roomalloc.display import problem_html

        return problem_html(self)


class Result(_Frozen):
    """An allocation with its honest status, objective, bound and term values.

    ``assignments`` maps **every** resident id of the problem to a room id or ``None``
    (unhoused); it is empty only when the status is ``infeasible`` or ``unknown``.
    ``diagnosis`` (an addition to format version 1, omitted from JSON when empty) holds the
    plain-words reasons an infeasible problem cannot be solved. ``interrupted`` (an addition,
    omitted from JSON when false) says a Ctrl-C or SIGTERM stopped the solve: the allocation is
    the best found until then, and the bound is what was proven until then.
    """

    status: Status
    assignments: dict[Id, Id | None] = Field(default_factory=dict)
    objective: Number | None = None
    bound: Number | None = None
    terms: dict[Text, Number] = Field(default_factory=dict)
    solve_seconds: Annotated[Number, Field(ge=0)] = 0.0
    diagnosis: tuple[Text, ...] = ()
    interrupted: Flag = False

    @model_serializer(mode="wrap")
    def _omit_empty_diagnosis(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("diagnosis", ()):
            data.pop("diagnosis", None)
        if not data.get("interrupted", False):
            data.pop("interrupted", None)
        return data

    def to_frame(self, problem: Problem) -> Any:
        """One row per resident (needs pandas): see :func:`roomalloc.tables.result_frame`."""
        from roomalloc.tables.write import result_frame

        return result_frame(problem, self)

    # Notebook and REPL display (roomalloc.display builds both).
    def __repr__(self) -> str:
        from roomalloc.display import result_repr

        return result_repr(self)

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        from roomalloc.display import result_html

        return result_html(self)
