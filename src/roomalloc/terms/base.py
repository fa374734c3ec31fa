"""The objective-term plug-in API and its registry.

A term is a small object with one job: it has a ``name`` (what a problem's ``objective`` calls
it), a ``sense`` (``"maximize"`` or ``"minimize"``), a way to compute its raw value from an
allocation (:meth:`Term.value`, used by :func:`roomalloc.evaluate` and so by the verifier) and a
way to add its expression to the CP-SAT model (:meth:`Term.add_to_model`, used by the solver).
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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from roomalloc.domain.errors import PluginError

if TYPE_CHECKING:
    from roomalloc.domain.model import Problem

Sense = Literal["maximize", "minimize"]
Assignments = Mapping[str, "str | None"]


class Term(ABC):
    """Base class of every objective term, built-in or custom."""

    name: ClassVar[str] = ""
    sense: ClassVar[Sense] = "maximize"

    @abstractmethod
    def value(self, problem: Problem, assignments: Assignments) -> float:
        """The raw (unweighted) value of this term, from the allocation alone."""

    @abstractmethod
    def add_to_model(self, ctx: Any) -> Any:
        """Add this term's expression (its raw value) to the model under construction.

        ``ctx`` is the solver's build context (:class:`roomalloc.solver.context.BuildContext`);
        what it returns and offers is documented there.
        """

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
    """Names of every registered term, built-in and custom."""
    return list(_REGISTRY)
