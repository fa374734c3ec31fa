"""Placeholder, replaced below."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from roomalloc.model import Problem
from roomalloc.rules.base import Rule


@dataclass(frozen=True)
class Diagnosis:
    """Placeholder."""

    messages: tuple[str, ...]
    requirements: tuple[Any, ...]


def diagnose(problem: Problem, *, rules: Sequence[Rule] = ()) -> Diagnosis:
    """Placeholder."""
    raise NotImplementedError
