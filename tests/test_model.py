"""The domain model: immutable, and what-if copies see their own rooms and residents."""

from __future__ import annotations

import pydantic
import pytest

from roomalloc import Problem, Resident, Room


def test_models_are_immutable() -> None:
    room = Room(id="A", capacity=1)
    with pytest.raises(pydantic.ValidationError):
        room.capacity = 2  # type: ignore[misc]


def test_what_if_copy_has_its_own_lookups() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r", priority=1)])
    assert p.resident("r").priority == 1 and p.room("A").capacity == 1  # fills the caches
    q = p.model_copy(
        update={"residents": (Resident(id="r", priority=5),), "rooms": (Room(id="A", capacity=4),)}
    )
    assert q.resident("r").priority == 5
    assert q.room("A").capacity == 4
    assert p.resident("r").priority == 1  # the original is untouched
