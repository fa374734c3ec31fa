"""Read a problem from two tables: rooms and residents, as CSV or Excel files or DataFrames.

The column layout is in ``docs/tables.md``; :mod:`roomalloc.tables.layout` holds it in code.
Every cell is read as text (so ids such as ``007`` stay as written), an empty cell means the
field is absent, and every mistake — a cell that cannot be read, and every mistake the
problem's validation finds — is reported at once in one :class:`~roomalloc.ProblemError`,
placed by file, row (as a spreadsheet numbers it: the header is row 1) and column.

Example
-------
>>> import pandas as pd
>>> rooms = pd.DataFrame({"id": ["A-1", "A-2"], "capacity": ["2", "1"],
...                       "features": ["quiet; ensuite", ""]})
>>> residents = pd.DataFrame({"id": ["r1", "r2"], "needs": ["ensuite", ""],
...                           "first_choice": ["A-2", "building:North"], "want": ["r2", ""]})
>>> problem = read_tables(rooms, residents)
>>> problem.rooms[0].features, problem.residents[0].roommates.want
(('quiet', 'ensuite'), ('r2',))
>>> bad = pd.DataFrame({"id": ["r1", "r2"], "budget": ["400", "abc"], "want": ["r9", ""]})
>>> try:
...     read_tables(rooms, bad)
... except Exception as err:
...     print(err)
2 mistakes in the tables:
  residents row 2, column want: no resident 'r9'
  residents row 3, column budget: must be a number, got 'abc'
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roomalloc.domain.errors import Issue, ProblemError, RoomallocError
from roomalloc.domain.model import Problem, Rules, TermSpec
from roomalloc.tables import cells, layout
from roomalloc.tables._pandas import require_pandas

__all__ = ["read_tables"]

Source = str | os.PathLike[str] | Any  # a path, or a pandas DataFrame
ColumnNames = Mapping[str, str] | Mapping[str, Mapping[str, str]]

_TABLES = ("rooms", "residents")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_ITEM_PATH = re.compile(r"(rooms|residents)\[(\d+)\]")
_CUT = re.compile(r"(\.[^.\[]+|\[[^\]]*\])$")


def read_tables(
    rooms: Source,
    residents: Source,
    *,
    columns: ColumnNames | None = None,
    choice_weights: Sequence[float] | None = None,
    rules: Rules | Mapping[str, Any] | None = None,
    objective: Sequence[TermSpec | Mapping[str, Any]] | Mapping[str, float] | None = None,
) -> Problem:
    """A :class:`~roomalloc.Problem` from a rooms table and a residents table.

    ``rooms`` and ``residents`` are paths of CSV (``.csv``, ``.tsv``) or Excel (``.xlsx``)
    files, or pandas DataFrames. An Excel workbook's sheet named ``rooms`` (or ``residents``)
    is read when there is one, else its first sheet, so one workbook can hold both tables.

    ``columns`` maps your header names to the layout's (``{"Student ID": "id", "Dorm":
    "building"}``), for both tables, or per table (``{"rooms": {...}, "residents": {...}}``).
    ``choice_weights`` gives the weight of the first, second, … ranked choice (default: with
    *n* choice columns the first weighs *n*, the last 1). ``rules`` and ``objective`` are the
    problem's (``objective`` also as ``{"housed": 1000, "preferences": 1}``); absent, the
    defaults.

    Raises one :class:`~roomalloc.ProblemError` listing every mistake with its file, row and
    column, or :class:`~roomalloc.RoomallocError` when a file cannot be read at all.

    Example
    -------
    >>> from pathlib import Path
    >>> data = Path("docs/notebooks/data")
    >>> problem = read_tables(data / "rooms.csv", data / "residents.csv")  # doctest: +SKIP
    """
    pd = require_pandas()
    mapping = _column_maps(columns)
    reader = _Reader(choice_weights)
    data: dict[str, Any] = {}
    for name, source in zip(_TABLES, (rooms, residents), strict=True):
        table = _load(pd, source, name)
        data[name] = reader.records(table, mapping[name])
    if rules is not None:
        data["rules"] = rules
    if objective is not None:
        data["objective"] = (
            [{"term": term, "weight": weight} for term, weight in objective.items()]
            if isinstance(objective, Mapping) else list(objective)
        )
    from roomalloc.domain.validation import validate_data

    try:
        problem = validate_data(data)
    except ProblemError as err:
        reader.model_issues(err.issues)
    else:
        if not reader.issues:
            return problem
    raise ProblemError(reader.sorted_issues(), what="tables")


# ---------------------------------------------------------------------------------------------
# Loading a table as text


@dataclass
class _Table:
    name: str  # "rooms" or "residents"
    label: str  # as the user knows it: "residents.csv", "book.xlsx sheet rooms", "rooms"
    headers: list[str]
    rows: list[list[str]]  # rows[i] is spreadsheet row i + 2


def _load(pd: Any, source: Source, name: str) -> _Table:
    if isinstance(source, pd.DataFrame):
        headers = [_cell_text(pd, c) for c in source.columns]
        rows = [[_cell_text(pd, v) for v in row] for row in source.itertuples(index=False)]
        return _Table(name, name, headers, rows)
    if not isinstance(source, str | os.PathLike):
        raise RoomallocError(
            f"{name}: give a CSV or Excel file's path or a pandas DataFrame, "
            f"got {type(source).__name__}"
        )
    path = Path(source)
    label = path.name
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a file"
        raise RoomallocError(f"cannot read {source}: {reason}")
    suffix = path.suffix.lower()
    try:
        if suffix in _EXCEL:
            frame, label = _read_excel(pd, path, name)
        elif suffix in (".csv", ".tsv", ".txt"):
            frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, encoding="utf-8-sig",
                                sep="\t" if suffix == ".tsv" else ",")
        else:
            raise RoomallocError(
                f"cannot read {source}: a table must be .csv, .tsv or .xlsx, not {suffix!r}"
            )
    except UnicodeDecodeError:
        raise ProblemError([Issue(label, "is not UTF-8 text; save it as 'CSV UTF-8'")],
                           what="tables") from None
    except pd.errors.ParserError as err:
        raise ProblemError([Issue(label, f"is not a well-formed CSV file: {err}")],
                           what="tables") from None
    except pd.errors.EmptyDataError:
        raise ProblemError([Issue(label, "is empty; the first row must name the columns")],
                           what="tables") from None
    except ImportError:
        raise RoomallocError(
            "reading Excel files needs openpyxl: pip install 'roomalloc[tables]'"
        ) from None
    except OSError as err:
        raise RoomallocError(f"cannot read {source}: {err.strerror or err}") from None
    grid = [[_cell_text(pd, v) for v in row] for row in frame.itertuples(index=False)]
    if not grid:
        raise ProblemError([Issue(label, "is empty; the first row must name the columns")],
                           what="tables")
    return _Table(name, label, grid[0], grid[1:])


def _read_excel(pd: Any, path: Path, name: str) -> tuple[Any, str]:
    book = pd.ExcelFile(path)
    sheets = [str(s) for s in book.sheet_names]
    sheet = next((s for s in sheets if s.strip().lower() == name), sheets[0])
    frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=str, na_filter=False)
    label = path.name if len(sheets) == 1 else f"{path.name} sheet {sheet}"
    return frame, label


def _cell_text(pd: Any, value: Any) -> str:
    """A cell as text: empty for a missing value, a date as ``YYYY-MM-DD``, ``3.0`` as ``3``."""
    try:
        if value is None or bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):  # a list or other container in a cell: not missing
        pass
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _column_maps(columns: ColumnNames | None) -> dict[str, dict[str, str]]:
    if not columns:
        return {name: {} for name in _TABLES}
    if set(columns) <= set(_TABLES) and all(isinstance(v, Mapping) for v in columns.values()):
        per_table: dict[str, dict[str, str]] = {}
        for name in _TABLES:
            names = columns.get(name, {})
            assert isinstance(names, Mapping)
            per_table[name] = {layout.header_key(k): str(v) for k, v in names.items()}
        return per_table
    flat = {layout.header_key(k): str(v) for k, v in columns.items()}
    return {name: flat for name in _TABLES}


# ---------------------------------------------------------------------------------------------
# Rows to records, issues to places


@dataclass
class _Where:
    """Where a record came from: its table, spreadsheet row, and the column of each field."""

    table: _Table
    row: int
    places: dict[str, str] = field(default_factory=dict)  # record path -> column header


@dataclass(frozen=True)
class _Kind:
    """What a column of the user's table is."""

    known: str | None = None  # a layout column
    rank: int | None = None  # a ranked choice
    attribute: str | None = None  # kept as attributes[...] (or as an annotation when "_...")


class _Reader:
    def __init__(self, choice_weights: Sequence[float] | None) -> None:
        self.weights = None if choice_weights is None else tuple(float(w) for w in choice_weights)
        self.issues: list[tuple[tuple[int, int, int], Issue]] = []
        self.where: dict[str, list[_Where]] = {}
        self.column_order: dict[tuple[str, str], int] = {}
        self.labels: dict[str, str] = {}
        self.reported: set[tuple[str, int, str]] = set()  # (table, row, column) with a cell issue
        self.missing: dict[str, set[str]] = {}  # table -> layout columns it lacks

    # -- issues -------------------------------------------------------------------------------

    def report(self, table: str, row: int, column: str, message: str) -> None:
        label = self.labels[table]
        place = label
        if row:
            place += f" row {row}"
        if column:
            place += ("," if row else "") + f" column {column}"
        order = (_TABLES.index(table) if table in _TABLES else 2, row,
                 self.column_order.get((table, column), -1))
        self.issues.append((order, Issue(place, message)))

    def sorted_issues(self) -> list[Issue]:
        return [issue for _, issue in sorted(self.issues, key=lambda pair: pair[0])]

    # -- headers ------------------------------------------------------------------------------

    def kinds(self, table: _Table, names: Mapping[str, str]) -> list[_Kind | None]:
        known = layout.ROOM_COLUMNS if table.name == "rooms" else layout.RESIDENT_COLUMNS
        kinds: list[_Kind | None] = []
        seen: dict[str, str] = {}
        for position, header in enumerate(table.headers):
            self.column_order[(table.name, header)] = position
            key = layout.header_key(header)
            if not key:
                if any(position < len(row) and row[position] for row in table.rows):
                    self.report(table.name, 1, f"{position + 1}",
                                "has data but no header; name the column in row 1")
                kinds.append(None)
                continue
            target = layout.header_key(names.get(key, key))
            rank = layout.choice_rank(target) if table.name == "residents" else None
            if key in names and target not in known and rank is None:
                self.report(table.name, 1, header,
                            f"columns= maps it to {names[key]!r}, which is not a column of the "
                            f"{table.name} table; known: {', '.join(known)}")
                kinds.append(None)
                continue
            if target in seen:
                self.report(table.name, 1, header,
                            f"repeats column {seen[target]!r}; each column may appear once")
                kinds.append(None)
                continue
            seen[target] = header
            if target in known:
                kinds.append(_Kind(known=target))
            elif rank is not None:
                kinds.append(_Kind(rank=rank))
            else:
                kinds.append(_Kind(attribute=header.strip()))
        missing = [c for c in layout.REQUIRED[table.name] if c not in seen]
        for column in missing:
            article = "an" if column[0] in "aeiou" else "a"
            self.report(table.name, 0, column,
                        f"missing; every {table.name[:-1]} needs {article} {column}")
        self.missing[table.name] = set(missing)
        return kinds

    # -- rows ---------------------------------------------------------------------------------

    def records(self, table: _Table, names: Mapping[str, str]) -> list[dict[str, Any]]:
        self.labels[table.name] = table.label
        kinds = self.kinds(table, names)
        ranks = sorted({k.rank for k in kinds if k is not None and k.rank is not None})
        weights = layout.choice_weights(ranks, self.weights)
        if self.weights is not None and ranks and max(ranks) > len(self.weights):
            self.report(table.name, 1, "", f"choice_weights gives {len(self.weights)} weights "
                        f"but the table has a choice column of rank {max(ranks)}")
        out: list[dict[str, Any]] = []
        wheres: list[_Where] = []
        for i, row in enumerate(table.rows):
            if not any(row):
                continue  # a blank line: spreadsheets leave them
            where = _Where(table, i + 2)
            out.append(self.record(table, row, kinds, weights, where))
            wheres.append(where)
        self.where[table.name] = wheres
        return out

    def record(self, table: _Table, row: list[str], kinds: list[_Kind | None],
               weights: dict[int, float], where: _Where) -> dict[str, Any]:
        known = layout.ROOM_COLUMNS if table.name == "rooms" else layout.RESIDENT_COLUMNS
        record: dict[str, Any] = {}
        choices: list[tuple[int, dict[str, Any], str]] = []
        weighted: list[tuple[dict[str, Any], str]] = []
        for position, kind in enumerate(kinds):
            cell = row[position] if position < len(row) else ""
            if kind is None or not cell:
                continue
            header = table.headers[position]
            try:
                if kind.rank is not None:
                    if kind.rank in weights:
                        choices.append((kind.rank, cells.choice(cell), header))
                elif kind.attribute is not None:
                    if kind.attribute.startswith("_"):
                        record[kind.attribute] = cell
                    else:
                        record.setdefault("attributes", {})[kind.attribute] = cell
                        where.places[f"attributes.{kind.attribute}"] = header
                        where.places[f'attributes["{kind.attribute}"]'] = header
                else:
                    assert kind.known is not None
                    column = known[kind.known]
                    value = column.parse(cell)
                    if kind.known == "preferences":
                        weighted += [(p, header) for p in value]
                    else:
                        _put(record, column.place, value)
                        where.places[".".join(column.place)] = header
            except cells.CellError as err:
                self.report(table.name, where.row, header, str(err))
                self.reported.add((table.name, where.row, header))
        self.finish_stay(table, record, where)
        prefs = [({**sel, "weight": weights[rank]}, header)
                 for rank, sel, header in sorted(choices, key=lambda c: c[0])] + weighted
        if prefs:
            record["preferences"] = [p for p, _ in prefs]
            for j, (_, header) in enumerate(prefs):
                where.places[f"preferences[{j}]"] = header
        if "roommates" in record:
            where.places["roommates"] = where.places.get("roommates.want",
                                                         where.places.get("roommates.avoid", ""))
        return record

    def finish_stay(self, table: _Table, record: dict[str, Any], where: _Where) -> None:
        stay = record.get("stay")
        if stay is None:
            return
        check_in = where.places.get("stay.start", "check_in")
        check_out = where.places.get("stay.end", "check_out")
        where.places["stay"] = check_out
        if "start" not in stay or "end" not in stay:
            given, empty = (check_in, check_out) if "start" in stay else (check_out, check_in)
            if (table.name, where.row, empty) not in self.reported:
                self.report(table.name, where.row, empty,
                            f"is empty but {given} is given; a stay needs both dates")
            del record["stay"]

    # -- the model's issues -------------------------------------------------------------------

    def model_issues(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            match = _ITEM_PATH.match(issue.path)
            if match is None:
                top = issue.path.split(".")[0].split("[")[0]
                if top in _TABLES and top in self.labels:
                    self.report(top, 0, "", self.rewrite(issue.message, top))
                else:
                    argument = f"{top} argument" if top else ""
                    self.issues.append(((2, 0, 0), Issue(argument, issue.message)))
                continue
            table, index = match.group(1), int(match.group(2))
            wheres = self.where.get(table, [])
            if index >= len(wheres):  # never expected: say it plainly rather than fail
                self.report(table, 0, "", f"{issue.path}: {issue.message}")
                continue
            where = wheres[index]
            rest = issue.path[match.end():].lstrip(".")
            column = self.column_of(where, rest)
            if (table, where.row, column) in self.reported:
                continue  # the cell's own issue says it better
            if column in self.missing.get(table, ()):
                continue  # a missing column is reported once, not on every row
            self.report(table, where.row, column, self.rewrite(issue.message, table))

    @staticmethod
    def column_of(where: _Where, rest: str) -> str:
        """The column that gave the value at ``rest`` (a path inside the record)."""
        path = rest
        while path:
            if path in where.places:
                return where.places[path]
            cut = _CUT.search(path)
            if cut is None:
                break
            path = path[: cut.start()]
        return rest.split(".")[0].split("[")[0]

    def rewrite(self, message: str, table: str) -> str:
        """``(first at residents[2])`` becomes ``(first at row 4)``."""

        def row_of(match: re.Match[str]) -> str:
            other, index = match.group(1), int(match.group(2))
            wheres = self.where.get(other, [])
            if index >= len(wheres):
                return match.group(0)
            row = f"row {wheres[index].row}"
            return row if other == table else f"{self.labels[other]} {row}"

        return _ITEM_PATH.sub(row_of, message)


def _put(record: dict[str, Any], place: tuple[str, ...], value: Any) -> None:
    for part in place[:-1]:
        record = record.setdefault(part, {})
    record[place[-1]] = value
