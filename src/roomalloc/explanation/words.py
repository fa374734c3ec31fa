"""Small helpers that turn residents, rooms, nights and numbers into housing words.

Example
-------
>>> import datetime as dt
>>> spell_words(dt.date(2026, 9, 1), dt.date(2026, 12, 20))
'from 2026-09-01 until 2026-12-20'
>>> spell_words(ALWAYS_START, ALWAYS_END)
'at all times'
>>> join_words(["r1", "r2", "r3"])
'r1, r2 and r3'
>>> number(450.0), number(2.5)
('450', '2.5')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from roomalloc.model import Resident

ALWAYS_START = dt.date.min
ALWAYS_END = dt.date.max


def span(resident: Resident) -> tuple[dt.date, dt.date]:
    """The resident's nights as ``[start, end)``; no stay means all time."""
    if resident.stay is None:
        return ALWAYS_START, ALWAYS_END
    return resident.stay.start, resident.stay.end


def spell_words(start: dt.date, end: dt.date) -> str:
    """``[start, end)`` in words (``until`` is exclusive, as in the problem format)."""
    if start == ALWAYS_START and end == ALWAYS_END:
        return "at all times"
    if start == ALWAYS_START:
        return f"until {end.isoformat()}"
    if end == ALWAYS_END:
        return f"from {start.isoformat()} on"
    return f"from {start.isoformat()} until {end.isoformat()}"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if not items:
        return "nobody"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def number(x: float) -> str:
    """A number without a useless ``.0``; at most 4 significant decimals."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:.2f}"


def who(resident: Resident) -> str:
    """``r5`` or ``r5 (Li Wei)``."""
    return f"{resident.id} ({resident.name})" if resident.name else resident.id


def ids(residents: Iterable[Resident]) -> tuple[str, ...]:
    """The residents' ids, in order."""
    return tuple(r.id for r in residents)
