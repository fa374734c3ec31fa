"""The what-if edits, as ``roomalloc.scenarios``: ``close``, ``weight``, ``arrive``, ...

They live in :mod:`roomalloc.analysis.scenarios` (see there and ``docs/whatif.md``).

>>> from roomalloc.scenarios import close, weight
>>> (close("C") | weight(roommates=2)).name
'close building C; roommates x2'
"""

from roomalloc.analysis.scenarios import (
    FOREVER,
    Edit,
    Scenario,
    add_residents,
    add_rooms,
    arrive,
    capacity,
    close,
    depart,
    load_scenarios,
    remove_residents,
    remove_rooms,
    rules,
    scenarios_from_data,
    terms,
    weight,
)

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
