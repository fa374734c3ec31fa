"""The objective-term plug-in API and its registry.

A term is a small object with one job: it has a ``name`` (what a problem's ``objective`` calls
it), a ``sense`` (``"maximize"`` or ``"minimize"``), a way to compute its raw value from an
allocation (:meth:`Term.value`, used by :func:`roomalloc.evaluate` and so by the verifier) and a
way to add its expression to the CP-SAT model (:meth:`Term.add_to_model`, used by the solver).
Two optional hooks let faster callers skip a full recomputation; their defaults are the
conservative answer, so a custom term needs neither:

* :meth:`Term.local_change`: the change of the raw value when a few residents move (the
  explanation's what-ifs); default ``None``, "not local": the caller recomputes ``value``;
* :meth:`Term.placement_value`: what placing residents one by one adds to the raw value (the
  greedy first allocation ranks rooms by it); default ``None``, the term does not steer it.

``reported`` says whether :func:`roomalloc.evaluate` reports the term's value even when the
problem's objective does not name it (the built-ins do; other terms only when named).

The built-in terms use exactly this API; a user's custom term subclasses :class:`Term` and is
registered with :func:`register_term`, after which a problem's JSON objective may name it.

Example
-------
>>> from roomalloc.terms import Term, register_term, get_term, unregister_term
>>> class Nobody(Term):
...     name = "nobody"
...     sense = "minimize"
...     def value(self, problem, assignments):
...         return 0.0
...     def add_to_model(self, ctx):
...         return ctx.constant(0)
>>> _ = register_term(Nobody())
>>> get_term("nobody").sense
'minimize'
>>> unregister_term("nobody")
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from roomalloc.domain.errors import PluginError

if TYPE_CHECKING:
    from roomalloc.domain.model import Problem
    from roomalloc.plugins import BuildContext, Expression

Sense = Literal["maximize", "minimize"]
Assignments = Mapping[str, "str | None"]
#: ``change(moves)``: the raw value after ``moves`` ({resident: room or None}) minus before.
LocalChange = Callable[[Mapping[str, "str | None"]], float]
FloatMatrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PlacementValue:
    """What placing residents adds to a term's raw value, in two parts a greedy builder can add.

    ``rooms[i, k]``: the value resident ``i`` adds in room ``k`` whoever else is there
    (positions in ``problem.residents`` and ``problem.rooms``), or ``None`` when there is no
    such part. ``partners[i][j]``: the value added when residents ``i`` and ``j`` share a room
    on a night (given on both sides, each side the whole amount); a builder adds it to ``i``'s
    room once ``j`` is there.

    >>> PlacementValue(partners={0: {1: 2.0}, 1: {0: 2.0}}).rooms is None
    True
    """

    rooms: FloatMatrix | None = None
    partners: Mapping[int, Mapping[int, float]] = field(default_factory=dict)


class Term(ABC):
    """Base class of every objective term, built-in or custom."""

    name: ClassVar[str] = ""
    sense: ClassVar[Sense] = "maximize"
    #: Whether :func:`roomalloc.evaluate` reports the value when the objective does not name it.
    reported: ClassVar[bool] = False

    @abstractmethod
    def value(self, problem: Problem, assignments: Assignments) -> float:
        """The raw (unweighted) value of this term, from the allocation alone."""

    @abstractmethod
    def add_to_model(self, ctx: BuildContext) -> Expression:
        """Add this term's expression (its raw value) to the model under construction.

        ``ctx`` offers the model, the placement variables and float expressions: every member
        is listed by the protocol :class:`roomalloc.plugins.BuildContext`. The expression is a
        ``ctx.linear(...)``, a CP-SAT variable or a number.
        """

    def local_change(self, problem: Problem, assignments: Assignments) -> LocalChange | None:
        """A function of a few moves giving this term's raw-value change, or ``None``.

        The function is called many times on the same ``assignments`` (the explanation's
        what-ifs), so a term prepares here what makes each call cheap: it should look at the
        movers and their rooms only. It must equal ``value(after) - value(before)``.
        ``None`` (the default) means "not local": the caller recomputes :meth:`value`.

        >>> from roomalloc import Problem, Room, Resident
        >>> from roomalloc.terms import get_term
        >>> p = Problem(rooms=[Room(id="A", capacity=1, cost=30)], residents=[Resident(id="a")])
        >>> get_term("cost").local_change(p, {"a": None})({"a": "A"})
        30.0
        """
        return None

    def placement_value(self, problem: Problem, scores: FloatMatrix) -> PlacementValue | None:
        """What placing residents adds to the raw value, for a greedy first allocation.

        ``scores`` is the caller's ``score(r, k)`` matrix (residents x rooms, problem order),
        passed so that a term built on it need not compute it again. ``None`` (the default):
        the term does not steer the greedy allocation.

        >>> from roomalloc import Problem, Resident, Roommates
        >>> from roomalloc.terms import get_term
        >>> p = Problem(residents=[Resident(id="a", roommates=Roommates(want=("b",))),
        ...                        Resident(id="b")])
        >>> get_term("roommates").placement_value(p, np.zeros((2, 0))).partners
        {0: {1: 1.0}, 1: {0: 1.0}}
        """
        return None

    def __repr__(self) -> str:
        return f"<term {self.name!r} ({self.sense})>"


_REGISTRY: dict[str, Term] = {}


def register_term(term: Term, *, replace: bool = False) -> Term:
    """Register ``term`` under ``term.name`` so problems may name it; returns it.

    Raises :class:`roomalloc.PluginError` when the name is empty, the sense is not
    ``"maximize"``/``"minimize"``, or the name is taken (unless ``replace``).
    """
    if not isinstance(term, Term):
        raise PluginError(f"{term!r} is not a roomalloc.terms.Term")
    if not term.name or not isinstance(term.name, str):
        raise PluginError(f"{type(term).__name__} has no name")
    if term.sense not in ("maximize", "minimize"):
        raise PluginError(f"term {term.name!r}: sense must be 'maximize' or 'minimize'")
    if term.name in _REGISTRY and not replace:
        raise PluginError(f"a term named {term.name!r} is already registered")
    _REGISTRY[term.name] = term
    return term


def unregister_term(name: str) -> None:
    """Remove a registered term (no error if absent)."""
    _REGISTRY.pop(name, None)


def get_term(name: str) -> Term:
    """The registered term called ``name`` (``KeyError`` if none)."""
    return _REGISTRY[name]


def term_names() -> list[str]:
    """Names of every registered term, built-in and custom, in the order of registration.

    >>> term_names()[:3]
    ['housed', 'preferences', 'roommates']
    """
    return list(_REGISTRY)


def registered_terms() -> list[Term]:
    """Every registered term, in the order of registration (the built-ins first).

    >>> [t.name for t in registered_terms() if t.reported][-1]
    'fairness'
    """
    return list(_REGISTRY.values())
