"""What-if copies of a problem.

``Problem.model_copy(update=...)`` would carry over the cached ``rooms_by_id`` and
``residents_by_id`` of the original (pydantic copies the instance ``__dict__``, where
``cached_property`` keeps its values), so a what-if built that way looks residents up in the
old problem. :func:`with_changes` builds a fresh object instead.

Example
-------
>>> from roomalloc import Problem, Room, Resident
>>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
>>> _ = p.residents_by_id
>>> q = with_changes(p, residents=(Resident(id="r2"),))
>>> list(q.residents_by_id)
['r2']
"""

from __future__ import annotations

from typing import Any

from roomalloc.domain.model import Problem


def with_changes(problem: Problem, **changes: Any) -> Problem:
    """A new problem equal to ``problem`` except for ``changes`` (not re-validated)."""
    fields: dict[str, Any] = {
        "format": problem.format,
        "rules": problem.rules,
        "rooms": problem.rooms,
        "residents": problem.residents,
        "objective": problem.objective,
    }
    fields.update(changes)
    return Problem.model_construct(**fields)
