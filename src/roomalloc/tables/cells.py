"""Reading one spreadsheet cell: text in, a value of the ``roomalloc/1`` format out.

Every parser takes the cell's text (already stripped; never empty: an empty cell means the
field is absent and is not parsed at all) and returns a JSON-like value, or raises
:class:`CellError` with the message the user sees next to the cell's row and column.

Example
-------
>>> split_list(" quiet ; ensuite;")
['quiet', 'ensuite']
>>> preference_list("building:North=2; floor:1-2=0.5")
[{'building': 'North', 'weight': 2}, {'floor': [1, 2], 'weight': 0.5}]
>>> whole("3.0")
3
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

#: The separator of list cells (``needs``, ``features``, ``want`` …).
LIST_SEPARATOR = ";"

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_INTEGER = re.compile(r"[+-]?\d{1,15}")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?")
_FLOOR = re.compile(r"(-?\d+)(?:\s*(?:\.\.|-)\s*(-?\d+))?")
_SELECTORS = ("room", "building", "feature", "floor")

CellParser = Callable[[str], Any]


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected and what was found."""


def text(cell: str) -> str:
    """The cell as text (ids such as ``007`` stay as written).

    >>> text("007")
    '007'
    """
    return cell


def number(cell: str) -> float:
    """A finite number (an ``int`` when written without a point).

    >>> number("450.5")
    450.5
    >>> number("abc")
    Traceback (most recent call last):
    ...
    roomalloc.tables.cells.CellError: must be a number, got 'abc'
    """
    if _INTEGER.fullmatch(cell):
        return int(cell)  # so that messages repeat the number as the user wrote it
    try:
        value = float(cell)
    except ValueError:
        raise CellError(f"must be a number, got {cell!r}") from None
    if not math.isfinite(value):
        raise CellError(f"must be a finite number, got {cell!r}")
    return value


def whole(cell: str) -> int:
    """A whole number (``3`` or ``3.0``, as spreadsheets write it).

    >>> whole("2.5")
    Traceback (most recent call last):
    ...
    roomalloc.tables.cells.CellError: must be a whole number, got '2.5'
    """
    try:
        value = float(cell)
    except ValueError:
        raise CellError(f"must be a whole number, got {cell!r}") from None
    if not math.isfinite(value) or value != int(value):
        raise CellError(f"must be a whole number, got {cell!r}")
    return int(value)


def boolean(cell: str) -> bool:
    """``true/false``, ``yes/no``, ``y/n`` or ``1/0``, in any case.

    >>> boolean("Yes"), boolean("0")
    (True, False)
    """
    low = cell.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise CellError(f"must be yes or no (true/false, 1/0), got {cell!r}")


def date(cell: str) -> str:
    """A date ``YYYY-MM-DD`` (a spreadsheet's midnight time is dropped), as ISO text.

    >>> date("2026-09-01 00:00:00")
    '2026-09-01'
    """
    match = _DATE.fullmatch(cell)
    if match is None:
        raise CellError(f"must be a date YYYY-MM-DD, got {cell!r}")
    try:
        dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise CellError(f"is not a real date: {cell!r}") from None
    return match.group(1)


def split_list(cell: str) -> list[str]:
    """The items of a ``;``-separated list cell, stripped, empty items dropped.

    >>> split_list("r2;r3")
    ['r2', 'r3']
    """
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def intervals(cell: str) -> list[dict[str, str]]:
    """Closures: ``START..END`` ranges separated by ``;`` (END is the first night open again).

    >>> intervals("2026-09-01..2026-09-15")
    [{'start': '2026-09-01', 'end': '2026-09-15'}]
    """
    out = []
    for item in split_list(cell):
        start, sep, end = item.partition("..")
        if not sep:
            raise CellError(f"each closure must be START..END (two dates), got {item!r}")
        out.append({"start": date(start.strip()), "end": date(end.strip())})
    return out


def selector(item: str) -> dict[str, Any]:
    """One wish's selector: ``room:A-101``, ``building:North``, ``feature:quiet``, ``floor:1``
    or ``floor:1-2``; a bare value is a room id.

    >>> selector("floor:2"), selector("A-101")
    ({'floor': [2, 2]}, {'room': 'A-101'})
    """
    kind, sep, value = item.partition(":")
    if not sep:
        return {"room": item.strip()}
    kind, value = kind.strip().lower(), value.strip()
    if kind not in _SELECTORS:
        raise CellError(
            f"{item!r}: the selector must be room, building, feature or floor, got {kind!r}"
        )
    if not value:
        raise CellError(f"{item!r}: nothing after '{kind}:'")
    if kind != "floor":
        return {kind: value}
    match = _FLOOR.fullmatch(value)
    if match is None:
        raise CellError(f"{item!r}: a floor is a whole number or a range LOW-HIGH")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else low
    return {"floor": [low, high]}


def preference_list(cell: str) -> list[dict[str, Any]]:
    """Weighted wishes: ``SELECTOR=WEIGHT`` items separated by ``;`` (see :func:`selector`).

    >>> preference_list("feature:shared_bathroom=-2")
    [{'feature': 'shared_bathroom', 'weight': -2}]
    >>> preference_list("building:North")
    Traceback (most recent call last):
    ...
    roomalloc.tables.cells.CellError: 'building:North': needs a weight, as in building:North=2
    """
    out = []
    for item in split_list(cell):
        wish, sep, weight = item.rpartition("=")
        if not sep:
            raise CellError(f"{item!r}: needs a weight, as in {item}=2")
        try:
            value = number(weight.strip())
        except CellError:
            raise CellError(f"{item!r}: the weight must be a number, got {weight.strip()!r}"
                            ) from None
        out.append({**selector(wish), "weight": value})
    return out


def choice(cell: str) -> dict[str, Any]:
    """One ranked choice: a selector (see :func:`selector`), without a weight.

    >>> choice("building:North")
    {'building': 'North'}
    """
    if "=" in cell:
        raise CellError(
            f"{cell!r}: a ranked choice takes no weight (its rank gives it); "
            "put weighted wishes in the preferences column"
        )
    return selector(cell)
