"""The column layout of the rooms and residents tables: one home for every column's meaning.

Each known column has a parser (:mod:`roomalloc.tables.cells`) and a place in the problem's
record (``("stay", "start")`` for ``check_in``). Columns named like ``first_choice`` or
``choice_3`` are ranked choices; any other column is kept as an ``attributes`` entry (or, when
its name starts with ``_``, as the user's own annotation).

Example
-------
>>> choice_rank("second_choice"), choice_rank("choice_4"), choice_rank("budget")
(2, 4, None)
>>> header_key(" Check In ")
'check_in'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roomalloc.tables import cells


@dataclass(frozen=True)
class Column:
    """A known column: how to read a cell, and where the value goes in the record."""

    parse: cells.CellParser
    place: tuple[str, ...]


ROOM_COLUMNS: dict[str, Column] = {
    "id": Column(cells.text, ("id",)),
    "building": Column(cells.text, ("building",)),
    "floor": Column(cells.whole, ("floor",)),
    "capacity": Column(cells.whole, ("capacity",)),
    "features": Column(cells.split_list, ("features",)),
    "gender": Column(cells.text, ("gender",)),
    "cost": Column(cells.number, ("cost",)),
    "unavailable": Column(cells.intervals, ("unavailable",)),
}

RESIDENT_COLUMNS: dict[str, Column] = {
    "id": Column(cells.text, ("id",)),
    "name": Column(cells.text, ("name",)),
    "gender": Column(cells.text, ("gender",)),
    "check_in": Column(cells.date, ("stay", "start")),
    "check_out": Column(cells.date, ("stay", "end")),
    "priority": Column(cells.number, ("priority",)),
    "required": Column(cells.boolean, ("required",)),
    "needs": Column(cells.split_list, ("needs",)),
    "private": Column(cells.boolean, ("private",)),
    "budget": Column(cells.number, ("budget",)),
    "excluded_rooms": Column(cells.split_list, ("excluded_rooms",)),
    "preferences": Column(cells.preference_list, ("preferences",)),
    "want": Column(cells.split_list, ("roommates", "want")),
    "avoid": Column(cells.split_list, ("roommates", "avoid")),
    "group": Column(cells.text, ("group",)),
    "current_room": Column(cells.text, ("current_room",)),
    "locked": Column(cells.boolean, ("locked",)),
}

#: Columns a table cannot do without.
REQUIRED = {"rooms": ("id", "capacity"), "residents": ("id",)}

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")
_CHOICE = re.compile(r"choice_?(\d+)|(" + "|".join(_ORDINALS) + r")_choice")


def header_key(header: str) -> str:
    """A header as matched against the layout: trimmed, lower case, spaces as ``_``."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def choice_rank(key: str) -> int | None:
    """The rank of a ranked-choice column (1 for ``first_choice`` or ``choice_1``), else None."""
    match = _CHOICE.fullmatch(key)
    if match is None:
        return None
    if match.group(1) is not None:
        rank = int(match.group(1))
        return rank if rank >= 1 else None
    return _ORDINALS.index(match.group(2)) + 1


def choice_weights(ranks: list[int], weights: tuple[float, ...] | None) -> dict[int, float]:
    """The weight of each rank: ``weights[rank - 1]`` when given, else ``n - rank + 1``.

    ``n`` is the highest rank among the table's choice columns, so with three choice columns the
    first choice weighs 3, the second 2 and the third 1.

    >>> choice_weights([1, 2, 3], None)
    {1: 3.0, 2: 2.0, 3: 1.0}
    >>> choice_weights([1, 2], (5, 1))
    {1: 5.0, 2: 1.0}
    """
    if not ranks:
        return {}
    if weights is not None:
        return {rank: float(weights[rank - 1]) for rank in ranks if rank <= len(weights)}
    top = max(ranks)
    return {rank: float(top - rank + 1) for rank in ranks}
