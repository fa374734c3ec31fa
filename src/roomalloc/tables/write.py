"""Results as tables: one row per resident, per violation, per reason; saved as CSV or Excel.

Lists of ids are written as ``;``-separated text, as the input tables take them, so a table
written here reads back in a spreadsheet and in :func:`roomalloc.read_tables` alike.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Preference, Result
>>> p = Problem(rooms=[Room(id="A", building="North", capacity=1)],
...             residents=[Resident(id="r1", preferences=(Preference(building="North", weight=2),)),
...                        Resident(id="r2")])
>>> frame = result_frame(p, Result(status="feasible", assignments={"r1": "A", "r2": None}))
>>> print(frame[["resident", "room", "building", "score", "best_score"]].to_string(index=False))
resident room building  score  best_score
      r1    A    North    2.0         2.0
      r2  NaN      NaN    NaN         0.0
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from roomalloc.domain.errors import RoomallocError
from roomalloc.domain.model import Problem, Result
from roomalloc.tables._pandas import require_pandas
from roomalloc.verify.evaluation import best_scores

if TYPE_CHECKING:
    from roomalloc.explanation.report import Explanation
    from roomalloc.verify.verifier import CheckReport

__all__ = ["check_frame", "explanation_frame", "problem_frames", "result_frame", "write_table"]

_SEP = "; "


def result_frame(problem: Problem, result: Result) -> Any:
    """One row per resident: room, building, floor, score, best score and wishes met.

    Columns: ``resident``, ``name``, ``room`` (None: unhoused), ``housed``, ``building``,
    ``floor``, ``score`` (the resident's preference score in their room; NaN when unhoused),
    ``best_score`` (the best their own rules allow, 0 when nothing scores above 0),
    ``satisfaction`` (score / best score, for residents whose best is above 0),
    ``preferences_met`` (how many of their positive wishes the room meets),
    ``roommates_wanted``, ``roommates_met``, ``group``, ``check_in``, ``check_out``, then each
    attribute of the residents as a column of its own.

    Example
    -------
    >>> from roomalloc import Problem, Room, Resident, Result
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> result_frame(p, Result(status="optimal", assignments={"r1": "A"}))["room"].tolist()
    ['A']
    """
    pd = require_pandas()
    best = best_scores(problem)
    assignments = result.assignments
    rows = []
    attribute_names: list[str] = []
    for r in problem.residents:
        for name in r.attributes:
            if name not in attribute_names:
                attribute_names.append(name)
    for r in problem.residents:
        room_id = assignments.get(r.id)
        room = problem.rooms_by_id.get(room_id) if room_id is not None else None
        score = r.score(room) if room is not None else None
        wanted = [s for s in r.roommates.want if s in problem.residents_by_id]
        met = [s for s in wanted if room is not None and assignments.get(s) == room.id
               and r.overlaps(problem.resident(s))]
        row: dict[str, Any] = {
            "resident": r.id,
            "name": r.name,
            "room": room_id,
            "housed": room is not None,
            "building": room.building if room is not None else None,
            "floor": room.floor if room is not None else None,
            "score": score,
            "best_score": best.get(r.id, 0.0),
            "satisfaction": (score / best[r.id] if score is not None and best.get(r.id, 0.0) > 0
                             else None),
            "preferences_met": (sum(1 for p in r.preferences if p.weight > 0 and p.matches(room))
                                if room is not None else 0),
            "roommates_wanted": len(wanted),
            "roommates_met": len(met),
            "group": r.group,
            "check_in": r.stay.start if r.stay is not None else None,
            "check_out": r.stay.end if r.stay is not None else None,
        }
        for name in attribute_names:
            row[name if name not in row else f"attribute_{name}"] = r.attributes.get(name)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("score", "best_score", "satisfaction"):
        frame[column] = frame[column].astype(float)
    frame["floor"] = frame["floor"].astype("Int64")
    return frame


def explanation_frame(
    explanation: Explanation,
    what: Literal["residents", "wishes", "reasons", "terms"] = "residents",
) -> Any:
    """An explanation as a table, in structured columns.

    ``what="residents"``: one row per resident explained — ``resident``, ``name``, ``room``,
    ``score``, ``best_score``, ``preferences_met`` and ``preferences_unmet`` (counts),
    ``roommates_met`` and ``roommates_unmet`` (ids), ``better_rooms`` (the rooms they score
    higher, best first), ``blocked_by`` (the kinds of reason they are not there: ``needs``,
    ``full``, ``objective`` …) and ``unhoused_by`` (for an unhoused resident, why not).
    ``what="reasons"``: one row per reason — ``resident``, ``room`` (the better room, or None
    for a reason the resident is unhoused), ``room_score``, ``kind``, ``text``, ``loss``,
    ``residents`` and ``rooms`` named. ``what="wishes"``: one row per wish — ``resident``,
    ``kind`` (``room`` or ``roommate``), ``wish`` (in words), ``subject`` (the wanted roommate),
    ``weight``, ``met``, and for an unmet wish the first reason's ``reason_kind`` and
    ``reason``. ``what="terms"``: the objective's terms — ``term``,
    ``sense``, ``weight``, ``value``, ``contribution``, ``share``.

    Example
    -------
    >>> from roomalloc import Problem, Room, Resident, Result, explain
    >>> p = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    >>> ex = explain(p, Result(status="optimal", assignments={"r1": "A"}))
    >>> explanation_frame(ex, "terms")["term"].tolist()
    ['housed', 'preferences', 'roommates']
    """
    pd = require_pandas()
    if what == "terms":
        return pd.DataFrame([t.to_dict() for t in explanation.breakdown.terms],
                            columns=["term", "sense", "weight", "value", "contribution", "share"])
    if what == "reasons":
        rows = []
        for e in explanation.residents.values():
            for reason in e.unhoused:
                rows.append({"resident": e.resident, "room": None, "room_score": None,
                             **_reason_row(reason)})
            for alt in e.alternatives:
                for reason in alt.reasons:
                    rows.append({"resident": e.resident, "room": alt.room,
                                 "room_score": alt.score, **_reason_row(reason)})
        return pd.DataFrame(rows, columns=["resident", "room", "room_score", "kind", "text",
                                           "loss", "residents", "rooms"])
    if what == "wishes":
        rows = [{"resident": e.resident, "kind": w.kind, "wish": w.text, "subject": w.subject,
                 "weight": w.weight, "met": w.met,
                 "reason_kind": w.reasons[0].kind if w.reasons else None,
                 "reason": w.reasons[0].text if w.reasons else None}
                for e in explanation.residents.values() for w in e.wishes]
        return pd.DataFrame(rows, columns=["resident", "kind", "wish", "subject", "weight",
                                           "met", "reason_kind", "reason"])
    if what != "residents":
        raise ValueError(
            f"what must be 'residents', 'wishes', 'reasons' or 'terms', not {what!r}")
    rows = []
    for e in explanation.residents.values():
        kinds = {reason.kind: None for alt in e.alternatives for reason in alt.reasons}
        rows.append({
            "resident": e.resident,
            "name": e.name,
            "room": e.room,
            "score": e.score,
            "best_score": e.best_score,
            "preferences_met": len(e.preferences_met),
            "preferences_unmet": len(e.preferences_unmet),
            "roommates_met": _SEP.join(e.roommates_met),
            "roommates_unmet": _SEP.join(e.roommates_unmet),
            "better_rooms": _SEP.join(alt.room for alt in e.alternatives),
            "blocked_by": _SEP.join(kinds),
            "unhoused_by": _SEP.join(dict.fromkeys(reason.kind for reason in e.unhoused)),
        })
    frame = pd.DataFrame(rows)
    for column in ("score", "best_score"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    return frame


def _reason_row(reason: Any) -> dict[str, Any]:
    return {"kind": reason.kind, "text": reason.text, "loss": reason.loss,
            "residents": _SEP.join(reason.residents), "rooms": _SEP.join(reason.rooms)}


def check_frame(report: CheckReport) -> Any:
    """One row per violated hard rule: ``rule``, ``message``, ``residents``, ``room``, ``night``.

    Example
    -------
    >>> from roomalloc import Problem, Room, Resident, check
    >>> p = Problem(rooms=[Room(id="A", capacity=1)],
    ...             residents=[Resident(id="r1"), Resident(id="r2")])
    >>> check_frame(check(p, {"r1": "A", "r2": "A"}))[["rule", "room"]].values.tolist()
    [['capacity', 'A']]
    """
    pd = require_pandas()
    rows = [{"rule": v.rule, "message": v.message, "residents": _SEP.join(v.residents),
             "room": v.room, "night": v.night} for v in report.violations]
    return pd.DataFrame(rows, columns=["rule", "message", "residents", "room", "night"])


def problem_frames(problem: Problem) -> tuple[Any, Any]:
    """The problem as its two tables (rooms, residents), in the layout :func:`read_tables` reads.

    Every wish goes to the ``preferences`` column (``building:North=2``); attributes and the
    rooms' and residents' own ``_`` annotations become columns of their own (they read back as
    text); annotations inside a stay, closure or wish have no cell and are left out. Reading
    the two tables back gives the same rooms and residents otherwise. A name holding ``;``
    cannot be written in a list cell: ``ValueError``.

    Example
    -------
    >>> from roomalloc.examples import load_example
    >>> from roomalloc.tables import read_tables
    >>> p = load_example("contract_example")
    >>> rooms, residents = problem_frames(p)
    >>> residents[["id", "check_in", "preferences", "want"]].iloc[0].tolist()
    ['r1', '2026-09-16', 'building:A=3; feature:quiet=1; room:A-101=5; floor:1-2=1;
     feature:shared_bathroom=-2', 'r2']
    >>> q = read_tables(rooms, residents)
    >>> [r.model_dump(exclude={"attributes"}) for r in q.residents] == [
    ...     r.model_dump(exclude={"attributes"}) for r in p.residents]
    True
    """
    pd = require_pandas()
    rooms = []
    for k in problem.rooms:
        rooms.append({
            "id": k.id, "building": k.building, "floor": str(k.floor),
            "capacity": str(k.capacity), "features": _items(k.features),
            "gender": k.gender or "", "cost": _number(k.cost),
            "unavailable": _items(f"{w.start}..{w.end}" for w in k.unavailable),
            **{name: str(v) for name, v in k.attributes.items()},
            **{name: str(v) for name, v in k.annotations.items()},
        })
    residents = []
    for r in problem.residents:
        residents.append({
            "id": r.id, "name": r.name or "", "gender": r.gender or "",
            "check_in": str(r.stay.start) if r.stay else "",
            "check_out": str(r.stay.end) if r.stay else "",
            "priority": _number(r.priority), "required": _yes(r.required),
            "needs": _items(r.needs), "private": _yes(r.private),
            "budget": "" if r.budget is None else _number(r.budget),
            "excluded_rooms": _items(r.excluded_rooms),
            "preferences": _items(f"{_selector(p)}={_number(p.weight)}" for p in r.preferences),
            "want": _items(r.roommates.want), "avoid": _items(r.roommates.avoid),
            "group": r.group or "", "current_room": r.current_room or "",
            "locked": _yes(r.locked),
            **{name: str(v) for name, v in r.attributes.items()},
            **{name: str(v) for name, v in r.annotations.items()},
        })
    return (pd.DataFrame(rooms, dtype=str).fillna(""),
            pd.DataFrame(residents, dtype=str).fillna(""))


def _items(items: Any) -> str:
    items = list(items)
    for item in items:
        if ";" in item:
            raise ValueError(f"{item!r} holds ';', the separator of list cells")
    return _SEP.join(items)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _selector(p: Any) -> str:
    if p.room is not None:
        return f"room:{p.room}"
    if p.building is not None:
        return f"building:{p.building}"
    if p.feature is not None:
        return f"feature:{p.feature}"
    low, high = p.floor
    return f"floor:{low}" if low == high else f"floor:{low}-{high}"


def write_table(frame: Any, path: str | os.PathLike[str]) -> None:
    """Write a DataFrame to ``.csv`` (UTF-8) or ``.xlsx``, atomically, without the index.

    Example
    -------
    >>> import pandas as pd, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_table(pd.DataFrame({"resident": ["007"]}), pathlib.Path(tmp) / "out.csv")
    ...     (pathlib.Path(tmp) / "out.csv").read_text()
    'resident\\n007\\n'
    """
    from roomalloc.domain.io import atomic_write_bytes, atomic_write_text

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        atomic_write_text(target, frame.to_csv(index=False))
    elif suffix == ".xlsx":
        buffer = io.BytesIO()
        try:
            frame.to_excel(buffer, index=False)
        except ImportError:
            raise RoomallocError(
                "writing Excel files needs openpyxl: pip install 'roomalloc[tables]'"
            ) from None
        atomic_write_bytes(target, buffer.getvalue())
    else:
        raise RoomallocError(f"cannot write {target}: a table must be .csv or .xlsx")
