"""The library's exceptions.

Example
-------
>>> from roomalloc.domain.errors import Issue, ProblemError
>>> err = ProblemError([Issue("rooms[0].capacity", "must be >= 1, got 0")])
>>> print(err)
1 mistake in the problem:
  rooms[0].capacity: must be >= 1, got 0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One mistake: where it is (a JSON path such as ``residents[12].needs[0]``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RoomallocError(Exception):
    """Base class of every error roomalloc raises on purpose."""


class ProblemError(RoomallocError, ValueError):
    """A problem (or result) is malformed; ``issues`` lists every mistake found, with its place."""

    def __init__(self, issues: Sequence[Issue], what: str = "problem") -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.what = what
        n = len(self.issues)
        lines = [f"{n} mistake{'s' if n != 1 else ''} in the {what}:"]
        lines += [f"  {issue}" for issue in self.issues]
        super().__init__("\n".join(lines))


class ModelTooLargeError(RoomallocError, ValueError):
    """The CP-SAT model's integer coefficients would overflow 64-bit integers."""


class PluginError(RoomallocError, ValueError):
    """A custom term or rule is badly defined or registered twice."""
