"""The domain: rooms, residents, their stays, needs and wishes, and the allocation result.

These pydantic models mirror ``shared/spec/problem-format.md`` (format ``roomalloc/1``) field
for field. They are immutable: a what-if edit makes a new object with ``model_copy(update=...)``.

Unknown fields are errors, except fields whose name starts with ``_``: those are the user's own
annotations, kept on load and written back on save, never interpreted.

Use :func:`roomalloc.load_problem` or :meth:`Problem.model_validate_json` to read a problem: both
run the full validation (:mod:`roomalloc.validation`) and raise one
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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

FORMAT: Literal["roomalloc/1"] = "roomalloc/1"

AttributeValue = str | int | float | bool
Status = Literal["optimal", "feasible", "infeasible", "unknown"]


class _Frozen(BaseModel):
    """Base of every contract model: immutable, no NaN/inf, ``_``-prefixed extras kept.

    Unknown non-underscore fields are rejected by :mod:`roomalloc.validation` before pydantic
    sees the data (so that they are reported together with every other mistake, with a
    suggestion of the field the user probably meant).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="allow",
        allow_inf_nan=False,
        strict=False,
        ser_json_inf_nan="strings",
    )

    @model_validator(mode="after")
    def _only_annotation_extras(self) -> _Frozen:
        extra = self.__pydantic_extra__ or {}
        bad = [k for k in extra if not k.startswith("_")]
        if bad:
            raise ValueError(f"unknown field(s) {', '.join(map(repr, bad))}")
        return self

    @property
    def annotations(self) -> dict[str, Any]:
        """The user's own ``_``-prefixed fields, as loaded."""
        return dict(self.__pydantic_extra__ or {})


class Interval(_Frozen):
    """Half-open range of nights ``[start, end)``; ``end`` must be after ``start``."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _end_after_start(self) -> Interval:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self

    def overlaps(self, other: Interval | None) -> bool:
        """True when the two intervals share a night (``None`` means all time)."""
        if other is None:
            return True
        return self.start < other.end and other.start < self.end


class Preference(_Frozen):
    """A soft wish: exactly one selector (room, building, feature or floor range) and a weight."""

    room: str | None = None
    building: str | None = None
    feature: str | None = None
    floor: tuple[int, int] | None = None
    weight: float

    @model_validator(mode="after")
    def _one_selector(self) -> Preference:
        chosen = self.selectors()
        if len(chosen) != 1:
            raise ValueError(
                "a preference needs exactly one selector of room, building, feature, floor; "
                f"got {len(chosen)}" + (f" ({', '.join(chosen)})" if chosen else "")
            )
        if self.floor is not None and self.floor[0] > self.floor[1]:
            raise ValueError(f"floor range low {self.floor[0]} > high {self.floor[1]}")
        return self

    def selectors(self) -> list[str]:
        """Names of the selectors that are set."""
        return [
            name
            for name in ("room", "building", "feature", "floor")
            if getattr(self, name) is not None
        ]

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
        for name in ("room", "building", "feature", "floor"):
            if data.get(name, 0) is None:
                del data[name]
        return data


class Roommates(_Frozen):
    """Roommate wishes: ``want`` is soft, ``avoid`` is HARD."""

    want: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


class Room(_Frozen):
    """A room with ``capacity`` beds."""

    id: str
    building: str = ""
    floor: int = 0
    capacity: int = Field(ge=1)
    features: tuple[str, ...] = ()
    gender: str | None = None
    cost: float = Field(default=0.0, ge=0)
    unavailable: tuple[Interval, ...] = ()
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)


class Resident(_Frozen):
    """A person to house, with hard needs and soft wishes."""

    id: str
    name: str | None = None
    gender: str | None = None
    stay: Interval | None = None
    priority: float = Field(default=1.0, gt=0)
    required: bool = False
    needs: tuple[str, ...] = ()
    private: bool = False
    budget: float | None = Field(default=None, ge=0)
    excluded_rooms: tuple[str, ...] = ()
    preferences: tuple[Preference, ...] = ()
    roommates: Roommates = Field(default_factory=Roommates)
    group: str | None = None
    current_room: str | None = None
    locked: bool = False
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)

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

    term: str
    weight: float = Field(ge=0)


DEFAULT_OBJECTIVE: tuple[TermSpec, ...] = (
    TermSpec(term="housed", weight=1000),
    TermSpec(term="preferences", weight=1),
    TermSpec(term="roommates", weight=2),
)


class Problem(_Frozen):
    """A whole allocation problem: rooms, residents, rules and the objective.

    Loading with :meth:`model_validate`, :meth:`model_validate_json` or
    :func:`roomalloc.load_problem` runs the full validation and raises
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

    @classmethod
    def model_validate(
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: Any | None = None,
        **kwargs: Any,
    ) -> Problem:
        """Validate a JSON-like object; raise :class:`roomalloc.ProblemError` on any mistake."""
        from roomalloc.validation import validate_data

        if isinstance(obj, Problem):
            return obj
        return validate_data(obj)

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        context: Any | None = None,
        **kwargs: Any,
    ) -> Problem:
        """Parse and validate JSON text; raise :class:`roomalloc.ProblemError` on any mistake."""
        from roomalloc.validation import validate_json

        return validate_json(json_data)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Problem:
        """A what-if copy; the id lookups are rebuilt for it, not carried over.

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


class Result(_Frozen):
    """An allocation with its honest status, objective, bound and term values.

    ``assignments`` maps **every** resident id of the problem to a room id or ``None``
    (unhoused); it is empty only when the status is ``infeasible`` or ``unknown``.
    ``diagnosis`` (an addition to format version 1, omitted from JSON when empty) holds the
    plain-words reasons an infeasible problem cannot be solved.
    """

    status: Status
    assignments: dict[str, str | None] = Field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    terms: dict[str, float] = Field(default_factory=dict)
    solve_seconds: float = 0.0
    diagnosis: tuple[str, ...] = ()

    @model_serializer(mode="wrap")
    def _omit_empty_diagnosis(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("diagnosis", ()):
            data.pop("diagnosis", None)
        return data
