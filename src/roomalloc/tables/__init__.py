"""Spreadsheets in and out: rooms and residents tables to a problem, results to tables.

pandas (and openpyxl for Excel) are the optional extra ``roomalloc[tables]``; they are imported
only when a function here is called, so the core works without them.

- :func:`read_tables`: a :class:`~roomalloc.Problem` from a rooms and a residents table (CSV,
  Excel or DataFrames), every mistake placed by file, row and column (``docs/tables.md``).
- :func:`result_frame`, :func:`explanation_frame`, :func:`check_frame`: DataFrames of a result
  (one row per resident), an explanation and a check report.
- :func:`problem_frames`: a problem as its two tables (the reverse of :func:`read_tables`).
- :func:`write_table`: a DataFrame to ``.csv`` or ``.xlsx``, atomically.

Example
-------
>>> import pandas as pd
>>> from roomalloc.tables import read_tables
>>> p = read_tables(pd.DataFrame({"id": ["A"], "capacity": [1]}), pd.DataFrame({"id": ["r1"]}))
>>> len(p.rooms), len(p.residents)
(1, 1)
"""

from __future__ import annotations

from roomalloc.tables.read import read_tables
from roomalloc.tables.write import (
    check_frame,
    explanation_frame,
    problem_frames,
    result_frame,
    write_table,
)

__all__ = [
    "check_frame",
    "explanation_frame",
    "problem_frames",
    "read_tables",
    "result_frame",
    "write_table",
]
