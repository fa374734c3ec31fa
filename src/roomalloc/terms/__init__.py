"""Objective terms: the plug-in API, the registry and the built-in terms.

Importing this package registers the built-ins (housed, preferences, roommates, cost,
rooms_used, moves, fairness).
"""

from roomalloc.terms import builtin as _builtin  # noqa: F401  (registers the built-ins)
from roomalloc.terms.base import (
    LocalChange,
    PlacementValue,
    Sense,
    Term,
    get_term,
    register_term,
    registered_terms,
    term_names,
    unregister_term,
)

__all__ = [
    "LocalChange",
    "PlacementValue",
    "Sense",
    "Term",
    "get_term",
    "register_term",
    "registered_terms",
    "term_names",
    "unregister_term",
]
