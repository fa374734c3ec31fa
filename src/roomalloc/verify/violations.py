"""What a broken hard rule looks like: one :class:`Violation`, in plain words.

Example
-------
>>> import datetime as dt
>>> v = Violation("capacity", "room A-1 holds 3 residents on 2026-09-01 but has 2 beds",
...               residents=("r1", "r2", "r3"), room="A-1", night=dt.date(2026, 9, 1))
>>> str(v)
'capacity: room A-1 holds 3 residents on 2026-09-01 but has 2 beds'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, in words, and the residents, room and night involved."""

    rule: str
    message: str
    residents: tuple[str, ...] = ()
    room: str | None = None
    night: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "message": self.message,
            "residents": list(self.residents),
            "room": self.room,
            "night": self.night.isoformat() if self.night else None,
        }
