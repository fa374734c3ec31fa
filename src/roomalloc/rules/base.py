"""The hard-rule plug-in API, for custom rules beyond the contract's.

A rule adds constraints to the CP-SAT model (:meth:`Rule.add_to_model`) and checks an allocation
(:meth:`Rule.check`), reporting :class:`roomalloc.Violation` objects. Custom rules are passed to
:func:`roomalloc.solve` and :func:`roomalloc.check` with ``rules=[...]``; ``check`` reports their
violations beside the built-in rules'.

Example
-------
>>> from roomalloc import Problem, Room, Resident, Violation
>>> from roomalloc.rules import Rule
>>> class NoOneInA1(Rule):
...     name = "no_one_in_A1"
...     def check(self, problem, assignments):
...         return [Violation(self.name, f"{r} is in A1", residents=(r,), room="A1")
...                 for r, k in assignments.items() if k == "A1"]
...     def add_to_model(self, ctx):
...         pass
>>> p = Problem(rooms=[Room(id="A1", capacity=1)], residents=[Resident(id="r1")])
>>> [str(v) for v in NoOneInA1().check(p, {"r1": "A1"})]
['no_one_in_A1: r1 is in A1']
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from roomalloc.domain.model import Problem
    from roomalloc.plugins import BuildContext
    from roomalloc.verify.violations import Violation


class Rule(ABC):
    """Base class of every hard rule plug-in, built-in or custom."""

    name: ClassVar[str] = ""

    @abstractmethod
    def check(self, problem: Problem, assignments: Mapping[str, str | None]) -> Iterable[Violation]:
        """Every violation of this rule in ``assignments`` (empty when it holds)."""

    @abstractmethod
    def add_to_model(self, ctx: BuildContext) -> None:
        """Add this rule's constraints to the model under construction.

        ``ctx`` offers the model, the placement variables and the guards: every member is
        listed by the protocol :class:`roomalloc.plugins.BuildContext`.
        """

    def __repr__(self) -> str:
        return f"<rule {self.name!r}>"
